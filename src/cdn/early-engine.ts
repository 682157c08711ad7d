/**
 * Evaluated first in the script-tag build (src/cdn.ts imports it before anything else): when the page
 * already holds a player with a source, the hls.js chunk starts downloading now, while the rest of
 * kolkit.js evaluates and its elements render, instead of after the player's first render. It shortens
 * the time to the first video frame (`npm run bench`, section 2).
 */
import {preloadEngine} from '../player/engine.js';

if (typeof document !== 'undefined' && document.querySelector('kol-live-player[src]')) preloadEngine();
