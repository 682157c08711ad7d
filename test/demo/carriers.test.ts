// The in-stream carriers of the demo's live origin, each on its own URL (demo/README.md): EXT-X-DATERANGE on or
// off (`daterange=0`), timed ID3 in MPEG-TS (`/live/…?id3=1`) and ID3 in fMP4 emsg (`/live-fmp4/…?id3=1`).
// Each is checked with real hls.js: the decoded JSON is the posted event, and the media time hls.js gives
// the metadata maps back to the event's `at` on the stream's program clock.
import {expect, waitUntil} from '@open-wc/testing';
import Hls, {type Fragment} from 'hls.js';
import {
  attributes, base64urlJson, hostEvent, playlist, readTxxx, SEGMENT_MS, segmentUris, unique, type ShowEvent,
} from './helpers.js';

/** One ID3 TXXX "kolkit" frame as hls.js delivered it. */
interface Delivered {
  event: ShowEvent;
  pts: number;
  type: string;
  frag: Fragment;
}

/** hls.js playing `url` in a muted <video>, recording every kolkit TXXX frame of every metadata sample. */
async function play(url: string) {
  const video = document.createElement('video');
  video.muted = true;
  document.body.append(video);
  const hls = new Hls();
  const delivered: Delivered[] = [];
  const fatal: string[] = [];
  hls.on(Hls.Events.ERROR, (_e, data) => data.fatal && fatal.push(data.details));
  hls.on(Hls.Events.FRAG_PARSING_METADATA, (_e, {samples, frag}) => {
    // Not filtered by sample.type: hls.js labels TS ID3 with the emsg scheme when the stream has video.
    for (const sample of samples) {
      for (const {description, value} of readTxxx(sample.data)) {
        if (description === 'kolkit') delivered.push({event: JSON.parse(value) as ShowEvent, pts: sample.pts, type: sample.type, frag});
      }
    }
  });
  hls.loadSource(url);
  hls.attachMedia(video);
  await new Promise((resolve) => hls.once(Hls.Events.MANIFEST_PARSED, resolve));
  await video.play();
  const start = video.currentTime;
  await waitUntil(() => video.currentTime > start + 1, `${url}: currentTime stuck at ${video.currentTime}`, {timeout: 15000, interval: 100});
  return {
    hls,
    delivered,
    fatal,
    /** Waits until hls.js has parsed the metadata of `event`, and returns it. */
    async metadataOf(event: ShowEvent) {
      await waitUntil(() => delivered.some((d) => d.event.id === event.id), `no ID3 for ${event.id} from ${url}`, {
        timeout: 4 * SEGMENT_MS + 4000,
        interval: 100,
      });
      return delivered.find((d) => d.event.id === event.id)!;
    },
    close() {
      hls.destroy();
      video.remove();
    },
  };
}

/**
 * The program time hls.js's own mapping gives the metadata's media time (as `playingDate` does for
 * currentTime): the fragment's PROGRAM-DATE-TIME plus the time since the fragment's start.
 */
const programTimeOf = ({frag, pts}: Delivered) => frag.programDateTime! + (pts - frag.start) * 1000;

describe('demo: in-stream carriers, one URL each', () => {
  let players: Array<{close(): void}> = [];
  afterEach(() => {
    players.forEach((p) => p.close());
    players = [];
  });

  it('writes no EXT-X-DATERANGE with daterange=0, on either stream, while the default playlists carry the event', async function () {
    this.timeout(20000);
    const event = await hostEvent({type: 'product.pin', productId: 'p-tee', label: unique('#')});
    for (const path of ['/live/index.m3u8', '/live-fmp4/index.m3u8']) {
      let withRanges = '';
      await waitUntil(async () => (withRanges = (await playlist(path)).text).includes(`ID="${event.id}"`), `${path}: no date range`, {
        timeout: 3 * SEGMENT_MS + 2000,
        interval: 250,
      });
      const line = withRanges.split('\n').find((l) => l.includes(`ID="${event.id}"`))!;
      expect(attributes(line).CLASS).to.equal('com.kolkit.event');
      expect(base64urlJson(attributes(line)['X-KOL-EVENT'])).to.deep.equal(event);

      const {text} = await playlist(`${path}?daterange=0`);
      expect(text, path).not.to.contain('#EXT-X-DATERANGE');
      expect(text, path).to.contain('#EXT-X-PROGRAM-DATE-TIME:');
      // Nothing else changes: the segment URIs need no query for this.
      expect(segmentUris(text).every((uri) => /^seg\/\d+\.(ts|m4s)$/.test(uri)), text).to.equal(true);
    }
    expect(await (await fetch('/live/index.m3u8?daterange=2')).status).to.equal(400);
  });

  it('declares the ID3 stream in the PMT of every TS segment with id3=1 (stream_type 0x15, Apple metadata descriptors, valid CRC)', async () => {
    const {text} = await playlist('/live/index.m3u8?id3=1');
    const uris = segmentUris(text);
    expect(uris.every((uri) => uri.endsWith('.ts?id3=1'))).to.equal(true);
    const bytes = new Uint8Array(await (await fetch(new URL(uris.at(-1)!, new URL('/live/', location.href)))).arrayBuffer());
    const pmts = pmtSections(bytes);
    expect(pmts.length).to.be.at.least(1);
    for (const section of pmts) {
      expect(crc32(section.subarray(0, -4))).to.equal(new DataView(section.buffer, section.byteOffset).getUint32(section.length - 4));
      const programInfoLength = ((section[10] & 0x0f) << 8) | section[11];
      const programInfo = section.subarray(12, 12 + programInfoLength);
      expect([...programInfo.subarray(0, 2)], 'metadata_pointer_descriptor').to.deep.equal([0x25, 15]);
      expect(ascii(programInfo.subarray(4, 8)) + ascii(programInfo.subarray(9, 13))).to.equal('ID3 ID3 ');
      const streams = esEntries(section.subarray(12 + programInfoLength, section.length - 4));
      const id3 = streams.find((s) => s.type === 0x15)!;
      expect(id3, JSON.stringify(streams)).to.exist;
      expect([...id3.info.subarray(0, 2)], 'metadata_descriptor').to.deep.equal([0x26, 13]);
      expect(ascii(id3.info.subarray(4, 8)) + ascii(id3.info.subarray(9, 13))).to.equal('ID3 ID3 ');
      expect(streams.map((s) => s.type)).to.include.members([0x1b, 0x0f]); // video and audio are still there
    }
  });

  it('delivers host events as ID3 TXXX in MPEG-TS (id3=1, daterange=0) at the media time of their `at`', async function () {
    this.timeout(40000);
    const player = await play('/live/index.m3u8?id3=1&daterange=0');
    players.push(player);
    // Two actions in a row usually share a segment: both must arrive, each at its own time.
    const first = await hostEvent({type: 'product.pin', productId: 'p-bag', label: unique('#'), note: 'crème brûlée ☾'});
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await hostEvent({type: 'stock.update', productId: 'p-bag', available: 7});
    for (const event of [first, second]) {
      const meta = await player.metadataOf(event);
      expect(meta.event).to.deep.equal(event);
      expect(programTimeOf(meta) - Date.parse(event.at), 'program time of the ID3 sample − at (ms)').to.be.within(-2, 2);
      // At the video frame of `at`: the segment's first frame + (at − segment PDT).
      const videoStart = meta.frag.elementaryStreams.video!.startPTS;
      const offset = (Date.parse(event.at) - meta.frag.programDateTime!) / 1000;
      expect(offset).to.be.within(0, SEGMENT_MS / 1000);
      expect(meta.pts - videoStart).to.be.closeTo(offset, 0.002);
    }
    const details = player.hls.levels[player.hls.currentLevel].details!;
    expect(Object.keys(details.dateRanges), 'no DATERANGE with daterange=0').to.deep.equal([]);
    expect(player.fatal).to.deep.equal([]);
  });

  it('delivers host events as emsg ID3 in fMP4 (id3=1), agreeing with its DATERANGE', async function () {
    this.timeout(40000);
    const player = await play('/live-fmp4/index.m3u8?id3=1');
    players.push(player);
    const event = await hostEvent({type: 'deal.start', productId: 'p-mug', price: '12.00', durationSeconds: 30, stock: 2});
    const meta = await player.metadataOf(event);
    expect(meta.event).to.deep.equal(event);
    expect(meta.type).to.equal('https://aomedia.org/emsg/ID3');
    expect(programTimeOf(meta) - Date.parse(event.at), 'program time of the emsg − at (ms)').to.be.within(-2, 2);
    expect(meta.frag.relurl).to.match(/^seg\/\d+\.m4s\?id3=1$/);

    // The same event as a DATERANGE of the same stream, starting at the same program time.
    await waitUntil(() => player.hls.levels[player.hls.currentLevel].details?.dateRanges[event.id], 'no date range', {timeout: 4000, interval: 100});
    const range = player.hls.levels[player.hls.currentLevel].details!.dateRanges[event.id]!;
    expect(range.startDate.getTime()).to.equal(Date.parse(event.at));
    expect(base64urlJson(range.attr['X-KOL-EVENT'])).to.deep.equal(meta.event);
    expect(player.fatal).to.deep.equal([]);
  });
});

const ascii = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/** The PMT sections of a TS segment (PID from the PAT; each section in one packet, as the fixtures have them). */
function pmtSections(ts: Uint8Array): Uint8Array[] {
  const sections: Uint8Array[] = [];
  let pmtPid = -1;
  for (let start = 0; start + 188 <= ts.length; start += 188) {
    expect(ts[start], `sync byte at ${start}`).to.equal(0x47);
    const pid = ((ts[start + 1] & 0x1f) << 8) | ts[start + 2];
    if (!(ts[start + 1] & 0x40)) continue;
    const payload = (ts[start + 3] & 0x20 ? start + 5 + ts[start + 4] : start + 4);
    const at = payload + 1 + ts[payload];
    if (pid === 0) pmtPid = ((ts[at + 10] & 0x1f) << 8) | ts[at + 11];
    else if (pid === pmtPid) sections.push(ts.subarray(at, at + 3 + (((ts[at + 1] & 0x0f) << 8) | ts[at + 2])));
  }
  return sections;
}

function esEntries(loop: Uint8Array) {
  const entries = [];
  for (let i = 0; i + 5 <= loop.length; ) {
    const infoLength = ((loop[i + 3] & 0x0f) << 8) | loop[i + 4];
    entries.push({type: loop[i], pid: ((loop[i + 1] & 0x1f) << 8) | loop[i + 2], info: loop.subarray(i + 5, i + 5 + infoLength)});
    i += 5 + infoLength;
  }
  return entries;
}

/** CRC-32/MPEG-2. */
function crc32(bytes: Uint8Array) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}
