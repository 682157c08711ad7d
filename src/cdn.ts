/**
 * The script-tag build (`dist/cdn/kolkit.js`): defines every element and sets `window.Kolkit` — the
 * only global kolkit makes. A second copy on the page keeps the first one's global and elements, and the
 * page gets one warning naming both versions (core/second-copy.ts).
 */
// First, so a player already on the page starts fetching hls.js before the elements are defined.
import './cdn/early-engine.js';
import {VERSION} from './index.js';
import {createAdapter} from './adapters/registry.js';
import {setHlsWorkerPath} from './player/engine.js';
import {reportSecondCopy} from './core/second-copy.js';

// hls.js's worker is shipped beside this file (rollup.config.mjs), so MPEG-TS transmuxing leaves the main thread.
setHlsWorkerPath(new URL('./hls.worker.js', import.meta.url).href);

/**
 * Every adapter class (`MemoryAdapter`, `ShopifyThemeAdapter`, `VendureAdapter`…), loaded on first call:
 * `const {MemoryAdapter} = await Kolkit.adapters()`. A page pays for none it does not use.
 */
const adapters = () => import('./adapters/index.js');

const api = {VERSION, createAdapter, adapters};

declare global {
  interface Window {
    /** kolkit's script-tag API: the adapters and the version. */
    Kolkit?: typeof api;
  }
}

if (!window.Kolkit) window.Kolkit = api;
else if (window.Kolkit !== api) reportSecondCopy(window.Kolkit.VERSION, VERSION, 'window.Kolkit');

export * from './index.js';
export {createAdapter, adapters};
export type * from './adapters/types.js';
