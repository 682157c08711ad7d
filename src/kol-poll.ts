/** Defines `<kol-poll>`: the only side effect of this module. */
import {KolPoll} from './elements/poll/poll.js';

export {KolPoll};
KolPoll.define('kol-poll');

declare global {
  interface HTMLElementTagNameMap {
    'kol-poll': KolPoll;
  }
}
