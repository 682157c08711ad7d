/** Recovery from each fault the demo origin injects, without a page reload. */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolLivePlayer, KolShow} from '../../src/index.js';
import type {KolErrorEvent} from '../../src/elements/events.js';

const faultUrl = (fault: string, extra = '') =>
  `/live/index.m3u8?fault=${fault}&faultId=${fault}-${Math.random().toString(36).slice(2, 8)}&faultAfter=5&faultFor=8${extra}`;

const sequenceOf = (playlist: string) => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1]);

/**
 * True while the faulted stream `src` answers as a healthy one: its playlist loads, is not behind the plain
 * stream's by two segments or more (a stall), and its newest segment loads whole (not 404, not cut short).
 */
async function streamHealthy(src: string): Promise<boolean> {
  try {
    const [faulted, plain] = await Promise.all([fetch(src, {cache: 'no-store'}), fetch('/live/index.m3u8', {cache: 'no-store'})]);
    if (!faulted.ok) return false;
    const text = await faulted.text();
    if (sequenceOf(await plain.text()) - sequenceOf(text) >= 2) return false;
    const segment = await fetch(new URL(text.trim().split('\n').at(-1)!, new URL(src, location.href)), {cache: 'no-store'});
    return segment.ok && (await segment.arrayBuffer()).byteLength === Number(segment.headers.get('content-length'));
  } catch {
    return false; // a dropped connection
  }
}

async function playerOn(src: string) {
  const errors: string[] = [];
  const show = await fixture<KolShow>(html`<kol-show><kol-live-player src=${src} muted autoplay></kol-live-player></kol-show>`);
  show.addEventListener('kol-error', (e: KolErrorEvent) => errors.push(e.detail.code));
  const player = show.querySelector('kol-live-player') as KolLivePlayer;
  const statuses = new Set<string>();
  new MutationObserver(() => statuses.add(player.status)).observe(player, {attributes: true, attributeFilter: ['status']});
  await waitUntil(() => player.status === 'live', `never live: ${player.status}`, {timeout: 20000});
  return {show, player, errors, statuses};
}

describe('recovery from stream faults', function () {
  this.timeout(90000);

  for (const fault of ['segment-404', 'stall', 'drop', 'playlist-500']) {
    it(`${fault}: keeps or resumes live playback by itself, program time advancing again`, async () => {
      const src = faultUrl(fault);
      const {show, player, statuses} = await playerOn(src);
      // Through the fault window (5 s in, 8 s long, on the server's clock) and out of it, as the origin answers.
      await waitUntil(async () => !(await streamHealthy(src)), 'the fault never began', {timeout: 30000, interval: 250});
      await waitUntil(() => streamHealthy(src), 'the fault never ended', {timeout: 30000, interval: 250});
      await waitUntil(() => player.status === 'live' || player.status === 'playing', `stuck in ${player.status}`, {timeout: 45000});
      const t1 = show.programTime!.getTime();
      await waitUntil(() => (show.programTime?.getTime() ?? t1) - t1 > 1000, 'program time does not advance after recovery', {timeout: 20000});
      expect(player.status).to.not.equal('error');
      console.log(`[fault] ${fault}: statuses seen ${[...statuses].join(' → ')}`);
    });
  }

  it('end: the show ending in the playlist ends playback (status ended), no error', async () => {
    const {player, errors} = await playerOn(faultUrl('end', '&faultAfter=2'));
    await waitUntil(() => player.status === 'ended', `status ${player.status}`, {timeout: 40000});
    expect(errors).to.deep.equal([]);
  });
});
