/** Defines `<kol-countdown-deal>`: the only side effect of this module. */
import {KolCountdownDeal} from './elements/countdown-deal/countdown-deal.js';

export {KolCountdownDeal};
KolCountdownDeal.define('kol-countdown-deal');

declare global {
  interface HTMLElementTagNameMap {
    'kol-countdown-deal': KolCountdownDeal;
  }
}
