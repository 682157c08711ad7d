// The stream preview: the SDK's own <kol-live-player>, loaded from the server's copy of the CDN build. It
// stands alone (no <kol-show>), so the studio is not counted as a viewer.
import {el, panel} from './dom.js';

export function previewPanel(studio) {
  if (!studio.stream || !studio.sdk) return null;
  const player = el('kol-live-player', {className: 'preview'});
  player.setAttribute('src', studio.stream);
  player.setAttribute('muted', '');
  player.setAttribute('autoplay', '');
  const note = el('p', {className: 'hint', textContent: 'What viewers see, at their delay.'});
  import(studio.sdk).catch((error) => {
    note.textContent = `The preview could not load (${error.message}).`;
  });
  return panel('preview', 'Preview', player, note);
}
