/** Defines `<kol-reactions>`: the only side effect of this module. */
import {KolReactions} from './elements/reactions/reactions.js';

export {KolReactions};
KolReactions.define('kol-reactions');

declare global {
  interface HTMLElementTagNameMap {
    'kol-reactions': KolReactions;
  }
}
