/** Recovery from each fault the demo origin injects, without a page reload. */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolLivePlayer, KolShow} from '../../src/index.js';
import type {KolErrorEvent} from '../../src/core/events.js';

const faultUrl = (fault: string, extra = '') =>
  `/live/index.m3u8?fault=${fault}&faultId=${fault}-${Math.random().toString(36).slice(2, 8)}&faultAfter=5&faultFor=8${extra}`;

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
      const {show, player, statuses} = await playerOn(faultUrl(fault));
      // Through the fault window (5 s in, 8 s long) and out of it.
      await new Promise((r) => setTimeout(r, 16000));
      await waitUntil(() => player.status === 'live' || player.status === 'playing', `stuck in ${player.status}`, {timeout: 45000});
      const t1 = show.programTime!.getTime();
      await new Promise((r) => setTimeout(r, 2000));
      expect(show.programTime!.getTime() - t1, 'program time advances after recovery').to.be.greaterThan(1000);
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
