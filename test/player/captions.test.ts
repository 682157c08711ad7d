/**
 * Captions carried in the stream show (WCAG 2.2 SC 1.2.4, and the reason kolkit ships hls.js's full build,
 * docs/decisions/0001-player-engine.md): a recorded show whose master playlist has a WebVTT subtitles
 * rendition (demo/media/captions/), played by `<kol-live-player>`.
 */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolLivePlayer, KolShow} from '../../src/index.js';

const SRC = '/media/captions/master.m3u8';

async function captionedShow() {
  const show = await fixture<KolShow>(html`<kol-show><kol-live-player src=${SRC} muted autoplay></kol-live-player></kol-show>`);
  const player = show.querySelector('kol-live-player') as KolLivePlayer;
  await waitUntil(() => player.status === 'playing', `status ${player.status}`, {timeout: 20000});
  const video = player.shadowRoot!.querySelector('video')!;
  return {player, video};
}

/** The video's subtitles or captions tracks. */
const textTracks = (video: HTMLVideoElement) =>
  [...video.textTracks].filter((t) => t.kind === 'subtitles' || t.kind === 'captions');

/** The text of the cues on screen now, across the showing tracks. */
const onScreen = (video: HTMLVideoElement) =>
  textTracks(video)
    .filter((t) => t.mode === 'showing')
    .flatMap((t) => [...(t.activeCues ?? [])].map((c) => (c as VTTCue).text));

async function seekTo(video: HTMLVideoElement, time: number) {
  const seeked = new Promise((resolve) => video.addEventListener('seeked', resolve, {once: true}));
  video.currentTime = time;
  await seeked;
}

describe('captions from the stream (WCAG 1.2.4)', function () {
  this.timeout(60000);

  it('selects the stream\'s English subtitles and shows them', async () => {
    const {video} = await captionedShow();
    await waitUntil(() => textTracks(video).some((t) => t.mode === 'showing'), 'no subtitles track showing', {timeout: 10000});
    const showing = textTracks(video).filter((t) => t.mode === 'showing');
    expect(showing).to.have.length(1);
    expect(showing[0].language).to.equal('en');
    expect(showing[0].label).to.equal('English');
  });

  it('shows each caption while the video plays through its time', async () => {
    const {video} = await captionedShow();
    // 4–7 s: reached by playing on (the first caption, 0–3 s, may be over before the player says "playing").
    await waitUntil(() => onScreen(video).includes('This is the Lune Cap'), `at ${video.currentTime.toFixed(2)} s: ${JSON.stringify(onScreen(video))}`, {timeout: 15000});
    expect(video.currentTime).to.be.within(4, 7);
    expect(video.paused).to.equal(false);
  });

  it('shows the caption of the moment after a seek, and none between captions', async () => {
    const {video} = await captionedShow();
    video.pause();
    const at = async (time: number, expected: string[]) => {
      await seekTo(video, time);
      await waitUntil(() => JSON.stringify(onScreen(video)) === JSON.stringify(expected),
        `at ${time} s expected ${JSON.stringify(expected)}, got ${JSON.stringify(onScreen(video))}`, {timeout: 10000});
    };
    await at(21, ['And the Moonrise Mug, with code MOON10']);
    await at(13.5, ['Next up, the Crescent Tee']);
    await at(1.5, ['Welcome to the Night Market']);
    await at(3.5, []);
    await at(9, ['Flash deal: the Night Market Tote']);
  });

  it('the CC button turns captions off and on', async () => {
    const {player, video} = await captionedShow();
    await waitUntil(() => textTracks(video).some((t) => t.mode === 'showing'), 'no subtitles track showing', {timeout: 10000});
    await player.updateComplete;
    const cc = player.shadowRoot!.querySelector('[part~=captions]') as HTMLButtonElement;
    expect(cc.getAttribute('aria-pressed')).to.equal('true');
    cc.click();
    expect(textTracks(video).some((t) => t.mode === 'showing')).to.equal(false);
    await player.updateComplete;
    expect(cc.getAttribute('aria-pressed')).to.equal('false');
    cc.click();
    expect(textTracks(video).filter((t) => t.mode === 'showing')).to.have.length(1);
  });

  // Last in this file: a <meta> CSP cannot be taken back, and each test file has its own page.
  it('still shows them under a strict media-src policy that refuses data: tracks', async () => {
    // The strictest policy hls.js can play under (docs/getting-started.md suggests adding data:).
    const mediaSrc = "media-src 'self' blob:";
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = mediaSrc;
    document.head.append(meta);

    const {player, video} = await captionedShow();
    await waitUntil(() => textTracks(video).some((t) => t.mode === 'showing'), 'no subtitles track showing', {timeout: 10000});
    video.pause();
    await seekTo(video, 5);
    await waitUntil(() => onScreen(video).includes('This is the Lune Cap'), `under CSP: ${JSON.stringify(onScreen(video))}`, {timeout: 10000});
    // hls.js renders subtitles into <track src="data:,WEBVTT"> elements. With `media-src 'self' blob:` the
    // browser refuses that load (a CSP violation report; the track's readyState is ERROR), yet the cues
    // hls.js adds to the track still show: the violation is noise, not lost captions.
    expect(player.status).to.not.equal('error');
    // The policy really was in force, else this test proves nothing.
    expect([...video.querySelectorAll('track')].map((t) => [t.src, t.readyState])).to.deep.include(['data:,WEBVTT', HTMLTrackElement.ERROR]);
  });
});
