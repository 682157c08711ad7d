// Chat: the show's messages as they arrive, the host's own (posted as a host event with the host's badge), and
// moderation: each viewer's message can be removed (chat.remove for everyone) or its sender banned; slow mode
// and blocked words for the whole show. The server keeps the settings (POST/GET moderation) for every node.
import {button, el, field, panel, timeOf} from './dom.js';

/** Messages kept on screen. */
const SHOWN = 200;

export function chatPanel(studio) {
  const list = el('ol', {className: 'chat', id: 'chat', ariaLive: 'polite'});
  /** The rows on screen by message id (a removed message leaves; a message seen once is not added again). */
  const rows = new Map();
  const seen = new Set();
  const add = (message) => {
    if (seen.has(message.id)) return;
    seen.add(message.id);
    const role = message.role ?? 'viewer';
    const item = el('li', {className: `chat__message chat__message--${role}`},
      el('time', {textContent: timeOf(message.at)}), ' ',
      el('strong', {textContent: message.author}), ' ',
      el('span', {className: 'chat__text', textContent: message.text}),
      el('span', {className: 'chat__actions'},
        button('Remove', () => studio.moderate({action: 'remove', messageId: message.id}), 'secondary small'),
        // The host's own messages have no sender to ban.
        role === 'host' ? null : button('Ban', () => ban(message), 'danger small'),
      ),
    );
    item.dataset.messageId = message.id;
    rows.set(message.id, item);
    list.append(item);
    while (list.children.length > SHOWN) {
      rows.delete(list.firstElementChild.dataset.messageId);
      list.firstElementChild.remove();
    }
    item.scrollIntoView?.({block: 'nearest'});
  };
  const remove = (messageId) => {
    rows.get(messageId)?.remove();
    rows.delete(messageId);
  };
  /** Bans the sender, then takes the message away for everyone. */
  const ban = async (message) => {
    const settings = await studio.moderate({action: 'ban', messageId: message.id});
    if (settings) {
      showSettings(settings);
      await studio.moderate({action: 'remove', messageId: message.id});
    }
  };
  studio.onEvent((event) => {
    if (event.type === 'chat.message') add(event);
    if (event.type === 'chat.remove') remove(event.messageId);
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

  const {element: moderation, show: showSettings} = moderationRow(studio);
  return panel('chat', 'Chat', list, form, moderation);
}

/** Slow mode and blocked words, and how many viewers are banned (with an undo for the last ban). */
function moderationRow(studio) {
  const seconds = el('input', {name: 'slowModeSeconds', type: 'number', min: 0, max: 3600, step: 1, size: 5, value: '0'});
  const words = el('input', {name: 'blockedWords', maxLength: 2000, placeholder: 'comma-separated'});
  const banned = el('p', {className: 'hint', id: 'banned'});
  let last = null;
  const unban = button('Unban the last', () => last && studio.moderate({action: 'unban', viewer: last.viewer}).then((s) => s && show(s)), 'secondary small');
  unban.dataset.action = 'unban';
  const show = (settings) => {
    seconds.value = String(settings.slowModeSeconds);
    words.value = settings.blockedWords.join(', ');
    last = settings.banned.at(-1) ?? null;
    banned.textContent = settings.banned.length ? `${settings.banned.length} banned (last: ${last.name ?? 'a viewer'})` : 'Nobody is banned.';
    unban.hidden = !last;
  };
  const setSlow = button('Set', async () => {
    if (!seconds.reportValidity()) return;
    const settings = await studio.moderate({action: 'slow-mode', seconds: Number(seconds.value)});
    if (settings) show(settings);
  }, 'secondary');
  setSlow.dataset.action = 'slow-mode';
  const setWords = button('Save', async () => {
    const list = words.value.split(',').map((w) => w.trim()).filter(Boolean);
    const settings = await studio.moderate({action: 'blocked-words', words: list});
    if (settings) show(settings);
  }, 'secondary');
  setWords.dataset.action = 'blocked-words';
  const element = el('div', {className: 'moderation', id: 'moderation'},
    el('h3', {textContent: 'Moderation'}),
    el('div', {className: 'row'}, field('Slow mode (seconds, 0 = off)', seconds), setSlow, field('Blocked words', words, 'grow'), setWords),
    el('div', {className: 'row'}, banned, unban),
  );
  studio.api.moderation().then(show, (error) => studio.report(error, 'moderation'));
  return {element, show};
}
