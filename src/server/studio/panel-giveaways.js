// Giveaways: a prize for a while, with its rules; customers enter (one entry each); the server draws a winner
// at the end, or now with "Draw now". The host sees the winner's display name and customer id (for sending
// the prize); viewers only ever get the name.
import {button, el, field, panel, timeOf} from './dom.js';

/** The rules a giveaway shows unless the host writes others (the server's default too). */
const DEFAULT_RULES = 'No purchase necessary. One entry per customer; the winner is drawn at random.';
/** How often the entry count is read while a giveaway is open (ms). */
const ENTRIES_EVERY_MS = 3000;

export function giveawaysPanel(studio) {
  const rules = el('textarea', {name: 'rules', rows: 2, maxLength: 280, textContent: DEFAULT_RULES});
  const form = el('form', {className: 'giveaway-form', id: 'giveaway-form'},
    field('Prize', el('input', {name: 'prize', required: true, maxLength: 120, placeholder: 'A signed mug'}), 'grow'),
    field('Duration (s)', el('input', {name: 'durationSeconds', type: 'number', min: 5, max: 3600, step: 1, value: 120, required: true})),
    field('Rules', rules, 'wide'),
    el('div', {className: 'row'}, el('button', {className: 'primary', textContent: 'Open giveaway'})),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const sent = await studio.send({
      type: 'giveaway.open',
      prize: String(data.get('prize')).trim(),
      durationSeconds: Number(data.get('durationSeconds')),
      rules: String(data.get('rules')).trim() || DEFAULT_RULES,
    });
    if (sent) form.reset();
  });

  const current = el('div', {className: 'giveaway', id: 'giveaway', ariaLive: 'polite'});
  /** What the host read of the current giveaway (`GET …/giveaways/{id}`): entries, and the winner with their id. */
  let report = null;
  let giveaway = null;

  const render = () => {
    if (!giveaway) return current.replaceChildren(el('p', {className: 'empty', textContent: 'No giveaway yet.'}));
    const mine = report?.giveawayId === giveaway.giveawayId ? report : null;
    const drawn = giveaway.winner !== undefined || mine?.drawn;
    const entries = mine?.entries ?? giveaway.entries;
    const winner = mine?.winner;
    current.dataset.giveawayId = giveaway.giveawayId;
    current.replaceChildren(
      el('p', {className: 'giveaway__prize', textContent: giveaway.prize}),
      el('p', {className: 'hint', textContent: `${entries === undefined ? '…' : entries} entr${entries === 1 ? 'y' : 'ies'} · ${drawn ? 'drawn' : `open until ${timeOf(giveaway.endsAt)}`}`}),
      drawn
        ? el('p', {className: 'giveaway__winner', id: 'giveaway-winner'},
            winner === null || giveaway.winner === null
              ? 'Nobody entered: no winner.'
              : el('span', {}, 'Winner: ', el('strong', {textContent: winner?.name ?? giveaway.winner ?? ''}), winner ? el('span', {className: 'giveaway__customer', textContent: ` · customer ${winner.id}`}) : null),
          )
        : button('Draw now', () => draw(giveaway.giveawayId), 'primary'),
    );
  };

  async function read(giveawayId) {
    try {
      report = await studio.api.giveaway(giveawayId);
      render();
    } catch (error) {
      studio.report(error, 'giveaway');
    }
  }
  async function draw(giveawayId) {
    try {
      const result = await studio.api.draw(giveawayId);
      report = {giveawayId, entries: result.entries, winner: result.winner, drawn: true};
      render();
    } catch (error) {
      studio.report(error, 'giveaway draw');
    }
  }

  // The entry count is the host's to read (it is not in the viewers' log until the draw): read it now and
  // then while the giveaway is open; once drawn, once more for the winner's customer id.
  setInterval(() => {
    if (giveaway && giveaway.winner === undefined && !report?.drawn && !document.hidden) void read(giveaway.giveawayId);
  }, ENTRIES_EVERY_MS);
  studio.onState((state) => {
    const next = state.giveaway ?? null;
    const changed = next?.giveawayId !== giveaway?.giveawayId;
    const justDrawn = next && next.winner !== undefined && !(report?.giveawayId === next.giveawayId && report.drawn);
    giveaway = next;
    render();
    if (next && (changed || justDrawn)) void read(next.giveawayId);
  });
  render();
  return panel('giveaways', 'Giveaways', form, el('h3', {textContent: 'Current giveaway'}), current);
}
