/** Defines `<kol-group-buy>`: the only side effect of this module. */
import {KolGroupBuy} from './elements/group-buy/group-buy.js';

export {KolGroupBuy};
KolGroupBuy.define('kol-group-buy');

declare global {
  interface HTMLElementTagNameMap {
    'kol-group-buy': KolGroupBuy;
  }
}
