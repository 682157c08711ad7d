/** Defines `<kol-live-player>`: the only side effect of this module. */
import {KolLivePlayer} from './elements/live-player/live-player.js';

export {KolLivePlayer};
KolLivePlayer.define('kol-live-player');

declare global {
  interface HTMLElementTagNameMap {
    'kol-live-player': KolLivePlayer;
  }
}
