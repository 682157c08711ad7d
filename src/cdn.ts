/**
 * The script-tag build (`dist/cdn/kolkit.js`): defines every element, each from a chunk of its own and in a
 * task of its own, those on the page first (cdn/lazy-elements.ts), and sets `window.Kolkit` — the
 * only global kolkit makes. A second copy on the page keeps the first one's global and elements, and the
 * page gets one warning naming both versions (core/second-copy.ts).
 */
// First: it sets hls.js's worker path, and a player already on the page starts fetching hls.js (and its
// worker) before the elements are defined.
import './cdn/early-engine.js';
import {VERSION} from './core/version.js';
import {defineElements} from './cdn/lazy-elements.js';
import {createAdapter} from './adapters/registry.js';
import {setHlsWorkerPath} from './player/engine.js';
import {reportSecondCopy} from './core/second-copy.js';
import {getLocale, setLocale, startLocalization} from './i18n/localization.js';
import {bridgeToDataLayer} from './cdn/lazy-analytics.js';

/**
 * Every adapter class (`MemoryAdapter`, `ShopifyThemeAdapter`, `VendureAdapter`…), loaded on first call:
 * `const {MemoryAdapter} = await Kolkit.adapters()`. A page pays for none it does not use.
 */
const adapters = () => import('./adapters/index.js');

const api = {VERSION, createAdapter, adapters, bridgeToDataLayer, setLocale, getLocale};

declare global {
  interface Window {
    /**
     * kolkit's script-tag API: the adapters, the version, the opt-in bridge to GTM's `dataLayer`, and the
     * language of the elements' text: `Kolkit.setLocale('fr')` (over `<html lang>`; `null` follows it again)
     * and `Kolkit.getLocale()` (docs/i18n.md).
     */
    Kolkit?: typeof api;
  }
}

if (!window.Kolkit) window.Kolkit = api;
else if (window.Kolkit !== api) reportSecondCopy(window.Kolkit.VERSION, VERSION, 'window.Kolkit');

// The translation for <html lang> starts loading now, beside the elements' chunks (a chunk of its own).
if (window.Kolkit === api) startLocalization();

// Only the copy window.Kolkit belongs to defines elements: two copies defining lazily, tag by tag, would race
// and leave the page with elements of both.
if (window.Kolkit === api) void defineElements();

// The module's exports are what needs no element class: the classes come with their elements, each in its
// own chunk (`customElements.whenDefined('kol-show')`, then `customElements.get('kol-show')`).
export {VERSION};
export {ERROR_CODES, type KolErrorCode} from './core/errors.js';
export * from './elements/events.js';
export {formatMoney} from './page/format-money.js';
export {setHlsWorkerPath};
export {createAdapter, adapters, bridgeToDataLayer};
export type * from './adapters/types.js';
