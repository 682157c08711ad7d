/** A recorded show: VOD playlist + recorded timeline, chapters, seeking that re-derives the state. */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolLivePlayer, KolShow} from '../../src/index.js';

const START = Date.parse('2026-11-20T19:00:00.000Z');
const part = (el: Element, name: string) => el.shadowRoot!.querySelector(`[part~="${name}"]`) as HTMLElement | null;

async function replay(src = '/replay/index.m3u8', timeline: string | null = '/replay/timeline.json') {
  const show = await fixture<KolShow>(html`<kol-show timeline=${timeline ?? ''}>
    <kol-live-player src=${src} muted></kol-live-player></kol-show>`);
  const player = show.querySelector('kol-live-player') as KolLivePlayer;
  await waitUntil(() => player.status === 'paused' || player.status === 'playing', `status ${player.status}`, {timeout: 20000});
  return {show, player};
}

const pinned = (show: KolShow) => show.state.pinned.map((p) => p.productId);

describe('replay of a recorded show', function () {
  this.timeout(60000);

  it('plays as a replay (not live) and lists the product chapters', async () => {
    const {show, player} = await replay();
    expect(player.status).to.not.equal('live');
    await waitUntil(() => show.chapters().length === 3, 'timeline not loaded');
    await player.updateComplete;
    await waitUntil(() => (part(player, 'chapters')?.querySelectorAll('[part~=chapter]').length ?? 0) === 3, 'no chapter buttons');
    const labels = [...part(player, 'chapters')!.querySelectorAll('[part~=chapter]')].map((b) => b.textContent!.replace(/\s+/g, ' ').trim());
    expect(labels).to.deep.equal(['#1 0:04', '#2 0:12', '#3 0:20']);
    expect(player.shadowRoot!.querySelectorAll('.marks rect')).to.have.length(3);
  });

  it('jumps to when #2 was shown, with the state of that moment', async () => {
    const {show, player} = await replay();
    await waitUntil(() => show.chapters().length === 3, 'timeline not loaded');
    expect(player.seekToChapter('#2')).to.equal(true);
    await waitUntil(() => Math.abs(show.programTime!.getTime() - (START + 12_000)) < 500, 'did not land at +12 s', {timeout: 10000});
    await waitUntil(() => pinned(show).join() === 'p-tee,p-cap', `pinned ${pinned(show)}`);
    expect(show.state.deals['replay-deal-bag'] ?? Object.values(show.state.deals)[0]).to.exist;
  });

  it('seeking back re-derives the state from the timeline; forward re-applies it', async () => {
    const {show, player} = await replay();
    await waitUntil(() => show.chapters().length === 3, 'timeline not loaded');
    player.seekToProgramTime(new Date(START + 21_000));
    await waitUntil(() => pinned(show).join() === 'p-mug,p-tee', `at +21 s pinned ${pinned(show)}`, {timeout: 10000});
    player.seekToProgramTime(new Date(START + 5_000));
    await waitUntil(() => pinned(show).join() === 'p-cap', `back at +5 s pinned ${pinned(show)}`, {timeout: 10000});
    expect(Object.keys(show.state.deals)).to.deep.equal([]);
    player.seekToProgramTime(new Date(START + 9_000));
    await waitUntil(() => Object.keys(show.state.deals).length === 1, 'deal at +9 s missing', {timeout: 10000});
  });

  it('keeps the timeline\'s viewer count at its program time (+2 s), not at its arrival', async () => {
    const {show, player} = await replay();
    await waitUntil(() => show.chapters().length === 3, 'timeline not loaded');
    player.seekToProgramTime(new Date(START + 1_000));
    await waitUntil(() => Math.abs(show.programTime!.getTime() - (START + 1_000)) < 500, 'did not land at +1 s', {timeout: 10000});
    expect(show.state.viewers, 'not yet at +1 s').to.equal(null);
    player.seekToProgramTime(new Date(START + 3_000));
    await waitUntil(() => show.state.viewers === 212, `at +3 s the count was ${show.state.viewers}`, {timeout: 10000});
  });

  it('the same replay with in-stream date ranges and no timeline file', async () => {
    const {show} = await replay('/replay/index.m3u8?daterange=1', null);
    await waitUntil(() => show.chapters().length === 3, 'no chapters from the stream', {timeout: 10000});
  });
});
