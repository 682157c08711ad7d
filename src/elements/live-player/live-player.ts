import {html, nothing, type PropertyValues} from 'lit';
import {property, query, state} from 'lit/decorators.js';
import {KolElement} from '../kol-element.js';
import {ShowLink} from '../../controllers/show-link.js';
import {KolPlayerStatsEvent, type PlayerStats} from '../events.js';
import type {ProgramTimeSource} from '../../core/scheduler.js';
import type {PlayerShowHandle} from '../show-handle.js';
import {nextTask} from '../../page/next-task.js';
import {preloadEngine} from '../../player/engine.js';
import {seekableRange} from '../../player/media-time.js';
import {PlaybackStats} from '../../player/playback-stats.js';
import {Playhead} from '../../player/playhead.js';
import {ReleaseLoop} from '../../player/release-loop.js';
import {StreamLoader} from '../../player/stream-loader.js';
import {livePlayerStyles} from './live-player.styles.js';
import {KeyboardController, renderControls, renderLiveBadge, warmLiveBadge} from './live-player.controls.js';
import {elementLocale} from '../../page/compact-count.js';
import {ShowAttachment} from './live-player.attachment.js';
import {playerActions} from './live-player.actions.js';
import {PlayerStatusController, type PlayerStatus} from './live-player.status.js';

export type {PlayerStatus} from './live-player.status.js';

/**
 * The live video. Plays an HLS stream (hls.js, loaded only when a player is on the page), reads the show
 * events carried in the stream, and reports the viewer's program time to its `<kol-show>` on every
 * frame, so each pin appears at the moment the host acted, whatever this viewer's latency. It keeps
 * playing through network faults and stalls, rejoins the live edge, and plays recorded shows with
 * product chapters.
 *
 * Keyboard (when focused): Space or K play/pause, M mute, F fullscreen, C captions, ← → seek 5 s,
 * L back to live. The control bar fades out during playback and comes back on hover, focus or pause, so it
 * does not sit over the captions.
 *
 * @summary The live video, in sync with the show.
 * @slot - Overlay content (a pin, a deal) shown over the video, also in fullscreen.
 * @fires kol-player-stats - Playback figures, every 5 s while playing and at the first frame.
 * @fires kol-error - The stream or the engine failed (see docs/errors.md).
 * @csspart base - The player's box.
 * @csspart video - The video element.
 * @csspart badge - The "LIVE" badge.
 * @csspart viewers - Beside the LIVE badge, how many watch ("1.2K watching", compact in the language of its nearest `lang`, else the browser's), once the show's server has counted them (`viewers.update`); not announced as it changes.
 * @csspart state - The loading, reconnecting or error overlay.
 * @csspart retry - The retry button of the error overlay.
 * @csspart unmute - The tap-to-unmute button.
 * @csspart controls - The control bar.
 * @csspart play - The play/pause button.
 * @csspart mute - The mute button.
 * @csspart seek - The seek bar (replays and the live DVR window).
 * @csspart chapters - The list of product chapters of a replay.
 * @csspart chapter - One chapter button ("jump to when #7 was shown").
 * @csspart live - The "back to live" button.
 * @csspart latency - The latency readout (with `show-latency`).
 * @csspart captions - The captions on/off button (when the stream has captions or subtitles).
 * @csspart pip - The picture-in-picture button.
 * @csspart fullscreen - The fullscreen button.
 * @cssprop [--kol-live-player-aspect-ratio=16 / 9] - The player's box, reserved before the video loads.
 * @cssprop [--kol-live-player-background=#000] - Behind the video.
 * @cssprop [--kol-live-player-badge-background=#e0245e] - The LIVE badge.
 * @cssprop [--kol-live-player-viewers-background=rgb(0 0 0 / 0.6)] - The viewer count beside it.
 */
export class KolLivePlayer extends KolElement implements ProgramTimeSource {
  static override styles = livePlayerStyles;

  /** The HLS playlist URL (live, or a recorded show). */
  @property() src = '';

  /** A poster image shown before the first frame. */
  @property() poster = '';

  /** Start muted (needed for autoplay in every browser). */
  @property({type: Boolean}) muted = false;

  /** Start playing as soon as possible (muted autoplay always works; with sound it may be refused). */
  @property({type: Boolean}) autoplay = false;

  /** Show how far behind the live edge this viewer is. */
  @property({type: Boolean, attribute: 'show-latency'}) showLatency = false;

  /** Hide the control bar (the page brings its own controls through the element's API). */
  @property({type: Boolean, attribute: 'no-controls'}) noControls = false;

  /** The id of the `<kol-show>` this player reports to, when it is not inside it. */
  @property() show: string | null = null;

  /** Reflected playback status. */
  @property({reflect: true}) status: PlayerStatus = 'idle';

  @state() private isLive = false;
  @query('video') private video!: HTMLVideoElement;

  // The wiring: each job is a field named for it (src/player/ holds the ones that know no element).
  /** The `<kol-show>` this player feeds, seen as a player sees it. */
  readonly #link = new ShowLink<PlayerShowHandle>(this);
  /** The stream from load to unload; only the current load's reports arrive. */
  readonly #stream = new StreamLoader({
    onStreamEvents: (events) => this.#link.show?.push(events, {recorded: true}),
    onBadMetadata: (message) => this.fail('bad-event', message),
    onFatal: (code, message, cause) => {
      this.#unload();
      this.#statusController.failed(code, message, cause);
    },
    onRecovering: (recovering, code, message) => (recovering ? this.#statusController.recovering(code, message) : this.#statusController.recovered()),
    onLevel: ({live}) => (this.isLive = live),
    onStarted: (signal) => this.#started(signal),
    onLiveResumed: () => this.goLive(),
  });
  /** Where the playhead stands: program time, the live edge, the DVR window. */
  readonly #playhead = new Playhead(() => this.video, () => this.#stream.engine, () => this.isLive);
  /** Releases the show's events as this viewer's program time reaches them. */
  readonly #releaseLoop = new ReleaseLoop(
    () => this.#link.show,
    () => (this.#stream.engine && this.video && !this.video.paused ? this.video : null),
    () => this.programTime(),
  );
  readonly #playback = new PlaybackStats(() => this.dispatchEvent(new KolPlayerStatsEvent(this.stats)), () => this.video.paused);
  /** The reflected status, the overlay's words and the errors, from the video's events and the stream's. */
  readonly #statusController = new PlayerStatusController(this, {
    video: () => this.video,
    loaded: () => !!this.#stream.engine,
    atLiveEdge: () => this.isLive && !this.#playhead.isBehindLive(),
    fail: (code, message, cause) => this.fail(code, message, cause),
    changed: (wasBuffering) => {
      this.#playback.track(this.status === 'buffering', wasBuffering);
      this.#releaseLoop.run();
    },
  });
  /** The viewer's intents, shared by the control bar and the keyboard map. */
  readonly #actions = playerActions(this, () => this.video);

  constructor() {
    super();
    // Controllers that work through the element's lifecycle alone (nothing else calls them):
    new ShowAttachment(this, () => this.#link.show); // this player as its show's program-time source
    new KeyboardController(this, this.#actions); // the keyboard map at work
  }

  /** Program time (ms) of the frame on screen, or null while unknown (before the first frame, too). */
  programTime(): number | null {
    return this.#playhead.programTime();
  }

  /** True once the stream is known to carry no program time (events then show on arrival). */
  get lacksProgramTime(): boolean {
    return this.#stream.engine?.lacksProgramTime ?? false;
  }

  /** The live DVR window in ms (what the viewer can still seek back to), or null for a replay. */
  seekableSpan(): number | null {
    return this.#playhead.seekableSpan();
  }

  /** Seconds behind the live edge, or null when not live or not known. */
  get latency(): number | null {
    return this.#stream.engine?.latency() ?? null;
  }

  /** Which engine plays the stream: `hls.js`, `native`, or null before loading. */
  get engineKind(): 'hls.js' | 'native' | null {
    return this.#stream.engine?.kind ?? null;
  }

  /** Playback figures: time to first frame, latency, rebuffering, pin skew. */
  get stats(): PlayerStats {
    const show = this.#link.show;
    return this.#playback.figures(this.latency, this.#playhead.behindHost(show?.clock.now() ?? null), show?.pinSkew() ?? null);
  }

  /** The position in seconds; setting it seeks. */
  get currentTime(): number {
    return this.video?.currentTime ?? 0;
  }
  set currentTime(value: number) {
    if (this.video) this.video.currentTime = value;
  }

  /** The media duration in seconds (Infinity for a live stream). */
  get duration(): number {
    return this.video?.duration ?? NaN;
  }

  /** True while paused. */
  get paused(): boolean {
    return this.video?.paused ?? true;
  }

  /** Starts playback. */
  play(): Promise<void> {
    return this.video?.play() ?? Promise.resolve();
  }

  /** Pauses playback. */
  pause(): void {
    this.video?.pause();
  }

  /** Seeks to the frame whose program time is `date`, when the stream has program time. */
  seekToProgramTime(date: Date): void {
    const target = this.#playhead.seekTarget(date.getTime());
    if (target !== null) this.video.currentTime = target;
  }

  /** Jumps to the moment a product was pinned: by label ("#7") or product id; false when never pinned. */
  seekToChapter(labelOrProductId: string): boolean {
    const chapter = this.#link.show?.chapters().find((c) => c.label === labelOrProductId || c.productId === labelOrProductId);
    if (chapter) this.seekToProgramTime(new Date(chapter.at));
    return !!chapter;
  }

  /** Goes back to the live edge. */
  goLive(): void {
    const edge = this.#playhead.liveEdge();
    if (edge !== null) this.video.currentTime = edge;
    void this.video.play().catch(() => undefined);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-inserted after a removal (which unloaded the stream): load it again.
    if (this.hasUpdated && this.src && !this.#stream.engine) {
      this.status = 'loading';
      void this.#load();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unload();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.#link.resolve();
    if (changed.has('src')) {
      this.#statusController.reset(!!this.src);
      if (this.src) preloadEngine();
    }
  }

  protected override render() {
    return html`<div part="base">
      <video part="video" playsinline .muted=${this.muted} poster=${this.poster || nothing}
        aria-label=${this.isLive ? 'Live video' : 'Video'} @volumechange=${this.#onVolumeChange}></video>
      ${this.status === 'live' ? renderLiveBadge(this.#link.show?.state.viewers ?? null, elementLocale(this)) : nothing}
      <div class="overlays"><slot></slot></div>
      ${this.#statusController.renderOverlay(this.#retry)}
      ${this.muted && this.status !== 'error' ? html`<button part="unmute" type="button" @click=${this.#actions.unmute}>Tap to unmute</button>` : nothing}
      ${this.noControls || !this.video ? nothing : this.#renderControls()}
    </div>`;
  }

  #renderControls() {
    const range = seekableRange(this.video);
    return renderControls({
      video: this.video,
      muted: this.muted,
      isLive: this.isLive,
      behind: this.#playhead.isBehindLive(),
      range,
      chapters: this.isLive ? [] : this.#playhead.placeChapters(this.#link.show?.chapters() ?? [], range),
      latency: this.showLatency ? this.latency : null,
      fullscreen: document.fullscreenElement === this,
      actions: this.#actions,
    });
  }

  protected override firstUpdated(): void {
    // A player with a show will show its viewer count: its formatter is made now, in a task of its own.
    if (this.#link.show) void nextTask().then(() => warmLiveBadge(elementLocale(this)));
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('src')) void this.#load();
  }

  /** The error overlay's button: load the stream again. */
  #retry = (): void => {
    this.#statusController.reset(true);
    void this.#load();
  };

  /** (Re)loads `src` into the video element. */
  async #load(): Promise<void> {
    this.#unload();
    if (this.src) {
      this.#playback.restart();
      this.#statusController.clearMessage();
    }
    await this.#stream.load(this.video, this.src);
  }

  /** The engine plays this load's stream: release what is due, time the first frame, autoplay. */
  #started(signal: AbortSignal): void {
    this.#link.show?.syncTime();
    this.#playback.timeFirstFrame(this.video, () => !signal.aborted);
    if (this.autoplay) this.video.play().catch(this.#statusController.mediaChanged);
  }

  #unload(): void {
    this.#releaseLoop.stop();
    this.#playback.stop();
    this.#stream.unload();
  }

  #onVolumeChange = (): void => {
    this.muted = this.video.muted;
  };
}
