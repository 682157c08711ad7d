/** Defines `<kol-cart-button>`: the only side effect of this module. */
import {KolCartButton} from './elements/cart-button/cart-button.js';

export {KolCartButton};
KolCartButton.define('kol-cart-button');

declare global {
  interface HTMLElementTagNameMap {
    'kol-cart-button': KolCartButton;
  }
}
