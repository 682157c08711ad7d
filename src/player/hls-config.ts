/** hls.js settings for kolkit's live shows, shared by the engine and the early start (hls-prestart.ts). */
import type {HlsConfig} from 'hls.js';

/** hls.js settings for hours-long live shows. */
const CONFIG: Partial<HlsConfig> = {
  // A bounded back buffer: hls.js's default (Infinity) lets memory grow for the whole show.
  backBufferLength: 30,
  maxBufferLength: 30,
  liveDurationInfinity: true,
  // Low-latency HLS (EXT-X-PART): hls.js loads parts and blocks on playlist reloads, and its target latency
  // is the playlist's PART-HOLD-BACK (the demo's /live-ll/: 1.2 s, about 2 s behind the host). No
  // liveSyncDuration or liveSyncDurationCount here: either would replace PART-HOLD-BACK (and HOLD-BACK on a
  // regular stream) with a fixed distance.
  lowLatencyMode: true,
  // Catch up gently (at most 1.1x) when drifting behind the target latency.
  maxLiveSyncPlaybackRate: 1.1,
  // kolkit reads date ranges and ID3 itself. hls.js's own metadata track uses a data: URL (blocked by a
  // strict media-src CSP) and loses its first cues in Chromium (hls.js #7691).
  enableDateRangeMetadataCues: false,
  enableEmsgMetadataCues: false,
  enableID3MetadataCues: false,
  // Start downloading the first fragment while MediaSource is still opening (or before the player has a
  // video at all, hls-prestart.ts): a shorter wait for the first frame.
  startFragPrefetch: true,
  // No interstitial (ad) scheduling: kolkit reads date ranges as show events, and hls.js's interstitials
  // controller parses them all again and rebuilds its schedule on every playlist load, on the main thread.
  interstitialsController: undefined,
};

/**
 * The settings of one hls.js instance: `startPosition` -1 is the live edge (or the start of a recording);
 * `workerPath`, a same-origin `hls.worker.js` to transmux off the main thread (hls.js's ES module build has no
 * worker of its own).
 */
export function hlsConfig(startPosition: number, workerPath: string | null): Partial<HlsConfig> {
  return {...CONFIG, startPosition, ...(workerPath ? {enableWorker: true, workerPath} : {})};
}
