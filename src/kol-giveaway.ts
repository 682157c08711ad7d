/** Defines `<kol-giveaway>`: the only side effect of this module. */
import {KolGiveaway} from './elements/giveaway/giveaway.js';

export {KolGiveaway};
KolGiveaway.define('kol-giveaway');

declare global {
  interface HTMLElementTagNameMap {
    'kol-giveaway': KolGiveaway;
  }
}
