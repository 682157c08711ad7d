/**
 * Issue 10, finding 12: a malformed ID3 tag in the stream. @svta/cml-id3 threw RangeError on it out of the
 * player's hls.js handler, and every event of that fragment was lost. Now the tag costs only itself: the
 * event beside it (in the same ID3 sample) is applied, and the bad tag is reported once per src as
 * `bad-event` (without its bytes): also when its segment is loaded again, and also when an encoder writes
 * the same broken tag into every segment (it was once per segment, forever); a different broken tag is
 * reported too. The demo origin's `bad-id3` fault puts a malformed tag naming the event's product before
 * each event's tag (demo/README.md): two events of one product carry the same broken tag.
 */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolLivePlayer, KolShow} from '../../src/index.js';
import type {KolErrorDetail, KolErrorEvent} from '../../src/elements/events.js';
import {hostAct, uniqueId} from '../fixtures/host.js';

describe('a malformed ID3 tag in the stream', function () {
  this.timeout(120000);

  for (const [name, path] of [['MPEG-TS', '/live/index.m3u8'], ['fMP4 emsg', '/live-fmp4/index.m3u8']]) {
    it(`${name}: the event beside it is applied; each distinct tag is reported once, without its bytes, across segments and reloads`, async () => {
      const src = `${path}?id3=1&daterange=0&fault=bad-id3&faultId=${uniqueId('bad-id3')}&faultAfter=0&faultFor=3600`;
      const show = await fixture<KolShow>(html`<kol-show><kol-live-player src=${src} muted autoplay></kol-live-player></kol-show>`);
      const player = show.querySelector('kol-live-player') as KolLivePlayer;
      const reports: KolErrorDetail[] = [];
      show.addEventListener('kol-error', (e: KolErrorEvent) => e.detail.code === 'bad-event' && reports.push(e.detail));
      // How often the player read each event out of the stream (each read of its segment is one), by event id.
      const reads = new Map<string, number>();
      const readsOf = (id: string) => reads.get(id) ?? 0;
      const push = show.push.bind(show);
      show.push = (input: unknown) => {
        for (const e of Array.isArray(input) ? input : [input]) {
          const id = (e as {id?: unknown})?.id;
          if (typeof id === 'string') reads.set(id, readsOf(id) + 1);
        }
        push(input);
      };
      await waitUntil(() => show.programTime !== null, 'no program time', {timeout: 20000});

      const productId = uniqueId('beside-bad-tag');
      const first = await hostAct({type: 'product.pin', productId});
      // Its segment (event tag after a broken one, in one sample) has been read: the event survived, and
      // the broken tag was reported before it (the reader reports while it reads the sample).
      await waitUntil(() => readsOf(first.id) > 0, 'the event beside the broken tag was lost', {timeout: 25000});
      expect(reports.length, 'the broken tag is reported').to.be.greaterThan(0);
      expect(player.error, 'visible on the player').to.equal('bad-event');
      const afterFirst = reports.length;

      // The same product again, stamped after the first one's segment was produced: a later segment with
      // the same broken tag. Not reported again.
      const again = await hostAct({type: 'product.pin', productId});
      await waitUntil(() => readsOf(again.id) > 0, 'the second event was lost', {timeout: 25000});
      expect(reports.length, `the same broken tag in a later segment: ${reports.map((r) => r.message).join(' | ')}`).to.equal(afterFirst);

      // Another product: a different broken tag, reported.
      const other = await hostAct({type: 'product.pin', productId: uniqueId('other-bad-tag')});
      await waitUntil(() => readsOf(other.id) > 0, 'the third event was lost', {timeout: 25000});
      expect(reports.length, 'a different broken tag is reported').to.equal(afterFirst + 1);

      // Load the stream again at once (a retry): the new engine starts ~3 segments behind the edge, so
      // it reads our segments (still among the newest) a second time. Nothing new to report.
      // Removed and re-added in one task a player keeps its stream (a move): wait for the unload first.
      const readsBefore = readsOf(other.id);
      player.remove();
      await waitUntil(() => player.engineKind === null, 'the removed player kept its stream');
      show.append(player);
      await waitUntil(() => readsOf(other.id) > readsBefore, 'the segment was never read again', {timeout: 30000});
      await waitUntil(() => show.state.lineup.some((l) => l.productId === productId), 'the event was never applied', {timeout: 25000});
      expect(reports.length, 'a reload reports nothing again').to.equal(afterFirst + 1);

      for (const report of reports) {
        // The bad tag's text names the product; the report names the segment, carrying neither its text nor its bytes.
        expect(report.message).to.match(/segment \d+/);
        expect(report.message).to.not.include('not kolkit');
        expect(report.cause).to.equal(undefined);
      }
      expect(player.status).to.not.equal('error');
    });
  }
});
