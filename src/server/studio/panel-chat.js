// Chat: the show's messages as they arrive, and the host's own, posted as a host event with the host's
// badge. (Moderation — remove, ban, slow mode, blocked words — joins here in a later issue.)
import {el, panel, timeOf} from './dom.js';

/** Messages kept on screen. */
const SHOWN = 200;

export function chatPanel(studio) {
  const list = el('ol', {className: 'chat', id: 'chat', ariaLive: 'polite'});
  const seen = new Set();
  const add = (message) => {
    if (seen.has(message.id)) return;
    seen.add(message.id);
    const item = el('li', {className: `chat__message chat__message--${message.role ?? 'viewer'}`},
      el('time', {textContent: timeOf(message.at)}), ' ',
      el('strong', {textContent: message.author}), ' ',
      el('span', {textContent: message.text}),
    );
    list.append(item);
    while (list.children.length > SHOWN) list.firstElementChild.remove();
    item.scrollIntoView?.({block: 'nearest'});
  };
  studio.onEvent((event) => {
    if (event.type === 'chat.message') add(event);
    if (event.type === 'show.snapshot') for (const message of event.state?.chat ?? []) add(message);
  });

  const author = el('input', {name: 'author', required: true, maxLength: 64, value: 'Host'});
  const text = el('input', {name: 'text', required: true, maxLength: 500, placeholder: 'Say something to everyone'});
  const form = el('form', {className: 'row chat-form', id: 'chat-form'},
    el('label', {className: 'field'}, el('span', {textContent: 'As'}), author),
    el('label', {className: 'field grow'}, el('span', {textContent: 'Message'}), text),
    el('button', {className: 'primary', textContent: 'Send'}),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const sent = await studio.send({type: 'chat.message', author: author.value.trim(), text: text.value, role: 'host'});
    if (sent) text.value = '';
  });
  return panel('chat', 'Chat', list, form);
}
