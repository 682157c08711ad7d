// The recorded show (demo/lib/replay.mjs): a VOD playlist with program time on every segment, its timeline
// as JSON (DESIGN.md §3 carrier 3), and the same events as EXT-X-DATERANGE on request.
import {expect, waitUntil} from '@open-wc/testing';
import Hls from 'hls.js';
import {parseShowEvent} from '../../src/core/schema.js';
import {attributes, base64urlJson, playlist, programDates, SEGMENT_MS, segmentUris, type ShowEvent} from './helpers.js';

const START = Date.parse('2026-11-20T19:00:00.000Z');

async function timeline(): Promise<ShowEvent[]> {
  const res = await fetch('/replay/timeline.json');
  expect(res.status).to.equal(200);
  expect(res.headers.get('content-type')).to.match(/^application\/json/);
  return (await res.json()) as ShowEvent[];
}

describe('demo: replay', () => {
  it('is a VOD playlist with a PROGRAM-DATE-TIME on every segment from 2026-11-20T19:00:00Z, and no date ranges by default', async () => {
    const {text, res} = await playlist('/replay/index.m3u8');
    expect(res.headers.get('content-type')).to.equal('application/vnd.apple.mpegurl');
    expect(text).to.contain('#EXT-X-PLAYLIST-TYPE:VOD\n');
    expect(text.trimEnd().endsWith('#EXT-X-ENDLIST')).to.equal(true);
    expect(text).not.to.contain('#EXT-X-DATERANGE');
    expect(text).not.to.contain('#EXT-X-DISCONTINUITY');

    const uris = segmentUris(text);
    const pdts = programDates(text);
    const durations = text.split('\n').filter((l) => l.startsWith('#EXTINF:')).map((l) => parseFloat(l.slice(8)));
    expect(uris.length).to.be.within(12, 30); // 24–60 s
    expect(pdts).to.deep.equal(uris.map((_, i) => START + i * SEGMENT_MS));
    expect(durations).to.deep.equal(uris.map(() => SEGMENT_MS / 1000));
    for (const uri of [uris[0], uris.at(-1)!]) {
      const segment = await fetch(new URL(uri, res.url));
      expect(segment.status, uri).to.equal(200);
      expect(segment.headers.get('content-type')).to.equal('video/mp2t');
      expect(new Uint8Array(await segment.arrayBuffer())[0]).to.equal(0x47);
    }
  });

  it('has a timeline of valid v1 show events with unique ids, in order, inside the recording', async () => {
    const events = await timeline();
    const {text} = await playlist('/replay/index.m3u8');
    const end = START + segmentUris(text).length * SEGMENT_MS;
    expect(events.length).to.be.at.least(5);
    for (const event of events) {
      const result = parseShowEvent(event);
      expect(result.kind, `${event.id}: ${JSON.stringify(result)}`).to.equal('event');
      expect(Date.parse(event.at), event.id).to.be.within(START, end - 1);
    }
    expect(new Set(events.map((e) => e.id)).size).to.equal(events.length);
    const times = events.map((e) => Date.parse(e.at));
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));

    // The show the player tests rely on: pins #1–#3 with an unpin, and a deal, at these program times.
    const offset = (e: ShowEvent) => (Date.parse(e.at) - START) / 1000;
    const brief = events.map((e) => [offset(e), e.type, e.productId ?? e.dealId, e.label].filter((x) => x !== undefined).join(' '));
    expect(brief).to.include.members([
      '4 product.pin p-cap #1', '12 product.pin p-tee #2', '16 product.unpin p-cap', '20 product.pin p-mug #3',
      '8 deal.start p-bag', '18 deal.end deal-replay-bag',
    ]);
    const deal = events.find((e) => e.type === 'deal.start')!;
    expect(deal.startsAt).to.equal(new Date(START + 8000).toISOString());
    expect(deal.endsAt).to.equal(new Date(START + 18000).toISOString());

    // Every product is in the demo catalog.
    const catalog = ((await (await fetch('/demo/catalog.json')).json()) as Array<{id: string}>).map((p) => p.id);
    for (const e of events) if (typeof e.productId === 'string') expect(catalog, e.id).to.include(e.productId);
  });

  it('writes the timeline as EXT-X-DATERANGE with daterange=1, each in the segment that holds its time', async () => {
    const events = await timeline();
    const {text} = await playlist('/replay/index.m3u8?daterange=1');
    const lines = text.split('\n');
    const ranges = lines.filter((l) => l.startsWith('#EXT-X-DATERANGE:'));
    expect(ranges.map((l) => attributes(l).ID)).to.deep.equal(events.map((e) => e.id));
    for (const line of ranges) {
      const attrs = attributes(line);
      const event = events.find((e) => e.id === attrs.ID)!;
      expect(attrs.CLASS).to.equal('com.kolkit.event');
      expect(attrs['START-DATE']).to.equal(event.at);
      expect(base64urlJson(attrs['X-KOL-EVENT'])).to.deep.equal(event);
      const pdtLine = lines.slice(0, lines.indexOf(line)).reverse().find((l) => l.startsWith('#EXT-X-PROGRAM-DATE-TIME:'))!;
      const start = Date.parse(pdtLine.slice(25));
      expect(Date.parse(event.at)).to.be.within(start, start + SEGMENT_MS - 1);
    }
    expect(await (await fetch('/replay/index.m3u8?daterange=yes')).status).to.equal(400);
  });

  it('plays in hls.js as VOD on the recording\'s program time, with every timeline event as a date range', async function () {
    this.timeout(30000);
    const events = await timeline();
    const video = document.createElement('video');
    video.muted = true;
    document.body.append(video);
    const hls = new Hls();
    try {
      hls.loadSource('/replay/index.m3u8?daterange=1');
      hls.attachMedia(video);
      await new Promise((resolve) => hls.once(Hls.Events.LEVEL_LOADED, resolve));
      const details = hls.levels[0].details!;
      expect(details.live).to.equal(false);
      expect(details.type).to.equal('VOD');
      expect(details.totalduration).to.equal(details.fragments.length * (SEGMENT_MS / 1000));
      expect(details.fragments[0].programDateTime).to.equal(START);
      expect(Object.keys(details.dateRanges).sort()).to.deep.equal(events.map((e) => e.id).sort());

      await video.play();
      await waitUntil(() => video.currentTime > 0.5 && hls.playingDate, 'not playing', {timeout: 15000, interval: 100});
      expect(hls.playingDate!.getTime() - START - video.currentTime * 1000).to.be.within(-50, 50);
    } finally {
      hls.destroy();
      video.remove();
    }
  });
});
