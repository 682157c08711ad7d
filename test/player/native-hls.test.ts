/**
 * The native-HLS path of `<kol-live-player>`: the engine of browsers without Media Source Extensions (Safari
 * on iPhones before iOS 17.1, which also lack ManagedMediaSource). This page removes both, as such a browser
 * lacks them, so the player chooses its engine as it would there (src/player/engine.ts, `canUseMse`).
 *
 * Where the browser plays HLS itself (WebKit; `npm run test:webkit` runs WebKitGTK with its GStreamer HLS
 * support on) the live demo stream plays natively, and the pins come from the show server's events: a native
 * player reads none of the stream's own (no date ranges, no ID3). Where it cannot (Chromium and Firefox here),
 * the player must say so with `player-unsupported` instead of a black box: that branch is asserted there, and
 * the playback tests say which engine they need.
 */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolLivePlayer, KolShow} from '../../src/index.js';
import {DEMO_EVENTS, hostAct, uniqueId} from '../fixtures/host.js';
import {recordKolErrors} from '../fixtures/errors.js';

delete (window as {MediaSource?: unknown}).MediaSource;
delete (window as {ManagedMediaSource?: unknown}).ManagedMediaSource;

const playsHlsNatively = document.createElement('video').canPlayType('application/vnd.apple.mpegurl') !== '';
/** hls.js or kolkit's glue for it (src/player/hls-engine.ts) was downloaded. */
const hlsRequested = () => performance.getEntriesByType('resource').some((e) => /\/hls\.js\/|\/hls-engine/.test(e.name));

/** A player of the demo's live stream in a show that follows the demo show's server events. */
async function liveShow(): Promise<{show: KolShow; player: KolLivePlayer}> {
  const show = await fixture<KolShow>(html`<kol-show events=${DEMO_EVENTS}><kol-live-player src="/live/index.m3u8" muted autoplay></kol-live-player></kol-show>`);
  return {show, player: show.querySelector('kol-live-player')!};
}

describe('<kol-live-player> without Media Source Extensions', function () {
  this.timeout(60000);
  const errors = recordKolErrors();

  it('has neither MediaSource nor ManagedMediaSource on this page', () => {
    expect('MediaSource' in window || 'ManagedMediaSource' in window).to.equal(false);
  });

  describe(playsHlsNatively ? 'native HLS (this browser plays HLS itself)' : 'no native HLS either (this browser cannot play HLS itself)', () => {
    if (!playsHlsNatively) {
      it('says player-unsupported, with a way to retry, and downloads no hls.js', async () => {
        const {player} = await liveShow();
        await waitUntil(() => player.status === 'error', `status stayed ${player.status}`, {timeout: 10000});
        expect(player.getAttribute('error')).to.equal('player-unsupported');
        expect(errors.codes()).to.deep.equal(['player-unsupported']);
        expect(player.shadowRoot!.querySelector('[part~=state]')!.textContent).to.match(/\S/);
        expect(player.shadowRoot!.querySelector('[part~=retry]'), 'a retry button').to.exist;
        expect(hlsRequested(), 'hls.js fetched for a browser that cannot use it').to.equal(false);
      });
      return;
    }

    it('plays the live stream natively, knows it is live, and downloads no hls.js', async () => {
      const {player} = await liveShow();
      await waitUntil(() => player.engineKind !== null, 'the engine never started', {timeout: 10000});
      expect(player.engineKind).to.equal('native');
      const video = player.shadowRoot!.querySelector('video')!;
      // Playing: the picture moves on by two seconds of the live stream (its playlist reloaded on the way).
      await waitUntil(() => video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && !video.paused, 'never played', {timeout: 20000});
      const from = video.currentTime;
      await waitUntil(() => video.currentTime - from > 2, `stuck at ${video.currentTime} s`, {timeout: 20000});
      // Live: what the viewer (and a screen reader) is told, and the "back to live" control a replay lacks.
      await waitUntil(() => video.getAttribute('aria-label') === 'Live video', `labelled "${video.getAttribute('aria-label')}"`, {timeout: 5000});
      expect(player.shadowRoot!.querySelector('[part~=live]'), 'the LIVE control').to.exist;
      expect(hlsRequested(), 'hls.js fetched without MSE').to.equal(false);
      expect(errors.codes()).to.deep.equal([]);
    });

    it('shows the host\'s pin from the show server\'s events, at the host\'s moment when the browser tells program time', async () => {
      const {show, player} = await liveShow();
      const video = player.shadowRoot!.querySelector('video')!;
      await waitUntil(() => player.engineKind === 'native' && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && !video.paused, 'never played', {timeout: 20000});
      // Safari tells program time (getStartDate() + currentTime); WebKitGTK does not, and then events show on
      // arrival (docs/design.md §4) rather than waiting forever.
      await waitUntil(() => show.programTime !== null || player.lacksProgramTime, 'neither program time nor its absence is known', {timeout: 20000});
      const productId = uniqueId('native');
      const released = new Promise<number | null>((resolve) =>
        show.addEventListener('kol-show-event', function on(e) {
          if ((e.detail.event as {productId?: string}).productId !== productId) return;
          show.removeEventListener('kol-show-event', on);
          resolve(show.programTime ? show.programTime.getTime() - Date.parse(e.detail.event.at) : null);
        }),
      );
      await hostAct({type: 'product.pin', productId});
      await waitUntil(() => show.state.pinned.some((p) => p.productId === productId), 'the pin never showed', {timeout: 25000});
      const skew = await released;
      console.log(`[native] ${player.lacksProgramTime ? 'no program time: shown on arrival' : `skew ${skew} ms`}`);
      if (!player.lacksProgramTime) expect(skew, 'released at the frame the host acted').to.be.within(0, 250);
      expect(errors.codes()).to.deep.equal([]);
    });
  });
});
