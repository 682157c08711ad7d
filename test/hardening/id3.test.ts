/**
 * Issue 10, finding 12: a malformed ID3 tag in the stream. @svta/cml-id3 threw RangeError on it out of the
 * player's hls.js handler, and every event of that fragment was lost. Now the tag costs only itself: the
 * event beside it (in the same ID3 sample) is applied, and the bad tag is reported once as `bad-event`
 * (without its bytes), also when its segment is loaded again. The demo origin's `bad-id3` fault puts a
 * malformed tag before each event's tag (demo/README.md).
 */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolLivePlayer, KolShow} from '../../src/index.js';
import type {KolErrorDetail, KolErrorEvent} from '../../src/core/events.js';
import {hostAct, uniqueId} from '../fixtures/host.js';

describe('a malformed ID3 tag in the stream', function () {
  this.timeout(90000);

  for (const [name, path] of [['MPEG-TS', '/live/index.m3u8'], ['fMP4 emsg', '/live-fmp4/index.m3u8']]) {
    it(`${name}: the event beside it is applied; the tag is reported once, without its bytes, across reloads`, async () => {
      const src = `${path}?id3=1&daterange=0&fault=bad-id3&faultId=${uniqueId('bad-id3')}&faultAfter=0&faultFor=3600`;
      const show = await fixture<KolShow>(html`<kol-show><kol-live-player src=${src} muted autoplay></kol-live-player></kol-show>`);
      const player = show.querySelector('kol-live-player') as KolLivePlayer;
      const reports: KolErrorDetail[] = [];
      show.addEventListener('kol-error', (e: KolErrorEvent) => e.detail.code === 'bad-event' && reports.push(e.detail));
      // How often the player read our event out of the stream (each read of its segment is one).
      const productId = uniqueId('beside-bad-tag');
      let reads = 0;
      const push = show.push.bind(show);
      show.push = (input: unknown) => {
        if ((Array.isArray(input) ? input : [input]).some((e) => (e as {productId?: string})?.productId === productId)) reads++;
        push(input);
      };
      await waitUntil(() => show.programTime !== null, 'no program time', {timeout: 20000});

      await hostAct({type: 'product.pin', productId});
      // Its segment (event tag after a broken one, in one sample) has been read: the event survived.
      await waitUntil(() => reads > 0, 'the event beside the broken tag was lost', {timeout: 25000});
      expect(reports.length, 'the broken tag is reported').to.be.greaterThan(0);
      expect(player.error, 'visible on the player').to.equal('bad-event');

      // Load the stream again at once (a retry): the new engine starts ~3 segments behind the edge, so
      // it reads our segment (still among the newest) a second time.
      player.remove();
      show.append(player);
      await waitUntil(() => reads > 1, 'the segment was never read again', {timeout: 30000});
      await waitUntil(() => show.state.lineup.some((l) => l.productId === productId), 'the event was never applied', {timeout: 25000});

      // Every report names its segment: one report per bad tag, however often its segment was read.
      const segments = reports.map((r) => /segment (\d+)/.exec(r.message)?.[1]);
      expect(segments.every(Boolean), reports.map((r) => r.message).join(' | ')).to.equal(true);
      expect(new Set(segments).size, `segments reported: ${segments.join(', ')}`).to.equal(segments.length);
      for (const report of reports) {
        // The bad tag's text names the event id; the report carries neither its text nor its bytes.
        expect(report.message).to.not.include('not kolkit');
        expect(report.cause).to.equal(undefined);
      }
      expect(player.status).to.not.equal('error');
    });
  }
});
