/** Every in-stream carrier reaches the show and releases at the host's moment, with no socket at all. */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolShow} from '../../src/index.js';
import {hostAct, uniqueId} from '../fixtures/host.js';
import {releaseSkew} from '../fixtures/release-skew.js';

async function showOn(src: string): Promise<KolShow> {
  const show = await fixture<KolShow>(html`<kol-show><kol-live-player src=${src} muted autoplay></kol-live-player></kol-show>`);
  await waitUntil(() => show.programTime !== null, `no program time on ${src}`, {timeout: 20000});
  return show;
}

describe('in-stream carriers', function () {
  this.timeout(60000);
  const cases: Array<[string, string]> = [
    ['EXT-X-DATERANGE (TS)', '/live/index.m3u8'],
    ['ID3 TXXX in MPEG-TS', '/live/index.m3u8?id3=1&daterange=0'],
    ['ID3 in fMP4 emsg', '/live-fmp4/index.m3u8?id3=1&daterange=0'],
    ['EXT-X-DATERANGE (fMP4)', '/live-fmp4/index.m3u8'],
  ];
  for (const [name, src] of cases) {
    it(`${name}: released within 250 ms of the host's moment`, async () => {
      const show = await showOn(src);
      const skew = await releaseSkew(show, uniqueId('carrier'));
      console.log(`[carrier] ${name}: skew ${skew} ms`);
      expect(skew).to.be.within(0, 250);
    });
  }

  it('the same event by stream and by SSE is applied once', async () => {
    const show = await fixture<KolShow>(html`<kol-show events="/v1/shows/demo/events"><kol-live-player src="/live/index.m3u8" muted autoplay></kol-live-player></kol-show>`);
    await waitUntil(() => show.programTime !== null, 'no program time', {timeout: 20000});
    const productId = uniqueId('twice');
    let releases = 0;
    show.addEventListener('kol-show-event', (e) => (e.detail.event as {productId?: string}).productId === productId && releases++);
    // Which carriers have delivered it: SSE events carry `sentAt`, the stream's do not.
    const carriers = new Set<string>();
    const push = show.push.bind(show);
    show.push = (input: unknown) => {
      for (const e of Array.isArray(input) ? input : [input]) {
        if ((e as {productId?: string})?.productId === productId) carriers.add((e as {sentAt?: string}).sentAt ? 'sse' : 'stream');
      }
      push(input);
    };
    await hostAct({type: 'product.pin', productId});
    await waitUntil(() => releases > 0 && carriers.size === 2, `released ${releases}, delivered by ${[...carriers]}`, {timeout: 25000});
    // A copy not recognised would be due at once: let the show's release checks run for a second of playback.
    const then = show.programTime!.getTime();
    await waitUntil(() => show.programTime!.getTime() - then > 1000, 'playback stopped', {timeout: 20000});
    expect(releases).to.equal(1);
  });

  it('loses no date range of the first playlist load (hls.js #7691)', async () => {
    // The event is in the playlist before the player loads it for the first time.
    const productId = uniqueId('first-load');
    const {id} = await hostAct({type: 'product.pin', productId});
    const listed = async () => (await (await fetch('/live/index.m3u8?daterange=1', {cache: 'no-store'})).text()).includes(`ID="${id}"`);
    await waitUntil(listed, 'its segment was never listed', {timeout: 10000, interval: 100});
    const show = await showOn('/live/index.m3u8?daterange=1');
    await waitUntil(() => show.state.lineup.some((l) => l.productId === productId), 'the first playlist\'s event was lost', {timeout: 20000});
  });
});
