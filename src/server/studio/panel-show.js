// The show panel: its status (go live, pause, end) and the live viewer count the server counts from open
// viewer streams on every node (`viewers.update`).
import {button, el, panel} from './dom.js';

const STATUSES = [
  ['live', 'Go live', 'primary'],
  ['paused', 'Pause', 'secondary'],
  ['ended', 'End show', 'danger'],
];

export function showPanel(studio) {
  const status = el('strong', {className: 'status', id: 'show-status', textContent: '…'});
  const viewers = el('strong', {className: 'viewers', id: 'viewer-count', textContent: '0'});
  const reactions = el('span', {className: 'reactions', id: 'reactions'});
  const setViewers = (count) => {
    viewers.textContent = String(count ?? 0);
  };
  studio.onState((state) => {
    status.textContent = state.status;
    status.dataset.status = state.status;
    setViewers(state.viewers);
  });
  studio.onEvent((event) => {
    if (event.type === 'viewers.update') setViewers(event.count);
    if (event.type === 'show.snapshot') setViewers(event.state?.viewers);
    if (event.type === 'reactions.update') reactions.textContent = event.total ? `♥ ${event.total} in the last moment` : '';
  });
  return panel('show', 'Show',
    el('dl', {className: 'figures'},
      el('div', {}, el('dt', {textContent: 'Status'}), el('dd', {}, status)),
      el('div', {}, el('dt', {textContent: 'Watching now'}), el('dd', {}, viewers, ' ', reactions)),
    ),
    el('div', {className: 'row'}, ...STATUSES.map(([value, text, kind]) => {
      const node = button(text, () => studio.send({type: 'show.status', status: value}), kind);
      node.dataset.action = `status-${value}`;
      return node;
    })),
  );
}
