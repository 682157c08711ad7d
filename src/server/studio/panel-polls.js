// Polls: ask a question with 2 to 4 answers for a while; watch the counts come in (every node's votes,
// summed by the server twice a second); close it early. The server closes it by itself at its end.
import {button, el, field, panel, timeOf} from './dom.js';

/** How many answer fields the form has: a poll takes 2 to 4 (DESIGN.md §8.3). */
const MAX_OPTIONS = 4;

export function pollsPanel(studio) {
  const options = Array.from({length: MAX_OPTIONS}, (_, i) =>
    field(`Answer ${i + 1}`, el('input', {name: 'option', maxLength: 80, required: i < 2, placeholder: i < 2 ? '' : 'optional'})),
  );
  const form = el('form', {className: 'poll-form', id: 'poll-form'},
    field('Question', el('input', {name: 'question', required: true, maxLength: 200, placeholder: 'Which colour next?'}), 'grow wide'),
    ...options,
    field('Duration (s)', el('input', {name: 'durationSeconds', type: 'number', min: 5, max: 3600, step: 1, value: 60, required: true})),
    el('div', {className: 'row'}, el('button', {className: 'primary', textContent: 'Open poll'})),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const sent = await studio.send({
      type: 'poll.open',
      question: String(data.get('question')).trim(),
      options: data.getAll('option').map((o) => String(o).trim()).filter(Boolean),
      durationSeconds: Number(data.get('durationSeconds')),
    });
    if (sent) form.reset();
  });

  const current = el('div', {className: 'poll', id: 'poll', ariaLive: 'polite'});
  const render = (poll) => {
    if (!poll) return current.replaceChildren(el('p', {className: 'empty', textContent: 'No poll yet.'}));
    const total = poll.counts.reduce((sum, n) => sum + n, 0);
    const over = poll.closed || Date.parse(poll.endsAt) <= Date.now();
    current.dataset.pollId = poll.pollId;
    current.dataset.closed = String(Boolean(poll.closed));
    current.replaceChildren(
      el('p', {className: 'poll__question', textContent: poll.question}),
      el('ol', {className: 'poll__options'}, ...poll.options.map((text, i) => {
        const count = poll.counts[i] ?? 0;
        return el('li', {className: 'poll__option'},
          el('span', {className: 'grow', textContent: text}),
          el('progress', {max: Math.max(total, 1), value: count, textContent: `${count}`}),
          el('strong', {className: 'poll__count', textContent: String(count)}),
        );
      })),
      el('p', {className: 'hint', textContent: `${total} vote${total === 1 ? '' : 's'} · ${poll.closed ? 'closed' : over ? 'ended, closing…' : `open until ${timeOf(poll.endsAt)}`}`}),
      poll.closed ? null : button('Close now', () => studio.send({type: 'poll.close', pollId: poll.pollId}), 'danger'),
    );
  };
  render(null);
  studio.onState((state) => render(state.poll));
  return panel('polls', 'Polls', form, el('h3', {textContent: 'Current poll'}), current);
}
