/** Defines `<kol-chat>`: the only side effect of this module. */
import {KolChat} from './elements/chat/chat.js';

export {KolChat};
KolChat.define('kol-chat');

declare global {
  interface HTMLElementTagNameMap {
    'kol-chat': KolChat;
  }
}
