/** Defines `<kol-show>`: the only side effect of this module. */
import {KolShow} from './elements/show/show.js';

export {KolShow};
KolShow.define('kol-show');

declare global {
  interface HTMLElementTagNameMap {
    'kol-show': KolShow;
  }
}
