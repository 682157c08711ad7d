/** Defines `<kol-upcoming-show>`: the only side effect of this module. */
import {KolUpcomingShow} from './elements/upcoming-show/upcoming-show.js';

export {KolUpcomingShow};
KolUpcomingShow.define('kol-upcoming-show');

declare global {
  interface HTMLElementTagNameMap {
    'kol-upcoming-show': KolUpcomingShow;
  }
}
