/** Defines `<kol-auction>`: the only side effect of this module. */
import {KolAuction} from './elements/auction/auction.js';

export {KolAuction};
KolAuction.define('kol-auction');

declare global {
  interface HTMLElementTagNameMap {
    'kol-auction': KolAuction;
  }
}
