/** Defines `<kol-product-pin>`: the only side effect of this module. */
import {KolProductPin} from './elements/product-pin/product-pin.js';

export {KolProductPin};
KolProductPin.define('kol-product-pin');

declare global {
  interface HTMLElementTagNameMap {
    'kol-product-pin': KolProductPin;
  }
}
