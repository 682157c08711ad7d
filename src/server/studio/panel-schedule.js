// Schedule: announce the next show (`show.scheduled`: title, start, host; where to watch and an image are
// optional). Every <kol-upcoming-show> following this show shows it at once, with its countdown, add to
// calendar and reminder, and turns live when the host goes live (the Show panel's "Go live").
import {el, field, optionalText, panel} from './dom.js';

/** "2026-05-07T20:00" for a datetime-local input: the host's own zone, an hour from now by default. */
function localInputValue(ms) {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

export function schedulePanel(studio) {
  const form = el('form', {className: 'schedule-form', id: 'schedule-form'},
    field('Title', el('input', {name: 'title', required: true, maxLength: 120, placeholder: 'The Night Market'}), 'grow wide'),
    field('Starts at (your time)', el('input', {name: 'startsAt', type: 'datetime-local', required: true, value: localInputValue(Date.now() + 3_600_000)})),
    field('Host', el('input', {name: 'host', required: true, maxLength: 64, placeholder: 'Ines'})),
    field('Where to watch (https)', el('input', {name: 'url', type: 'url', maxLength: 2048, placeholder: 'https://shop.example/live'}), 'grow'),
    field('Image (https)', el('input', {name: 'image', type: 'url', maxLength: 2048, placeholder: 'optional'}), 'grow'),
    el('div', {className: 'row'}, el('button', {className: 'primary', textContent: 'Announce'})),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const startsAt = new Date(String(data.get('startsAt')));
    if (Number.isNaN(startsAt.getTime())) return;
    await studio.send({
      type: 'show.scheduled',
      title: String(data.get('title')).trim(),
      // The input is in the host's zone; the wire format is UTC (viewers see it in theirs).
      startsAt: startsAt.toISOString(),
      host: String(data.get('host')).trim(),
      url: optionalText(data.get('url')),
      image: optionalText(data.get('image')),
    });
  });

  const current = el('p', {className: 'hint', id: 'scheduled', ariaLive: 'polite', textContent: 'No show announced yet.'});
  studio.onState((state) => {
    const next = state.scheduled;
    current.textContent = next
      ? `Announced: ${next.title} with ${next.host}, ${new Date(next.startsAt).toLocaleString()}`
      : 'No show announced yet.';
  });
  return panel('schedule', 'Schedule', form, current);
}
