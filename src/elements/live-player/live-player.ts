import {html, nothing, type PropertyValues} from 'lit';
import {property, query, state} from 'lit/decorators.js';
import {KolElement} from '../../core/kol-element.js';
import {ShowLink} from '../../core/show-link.js';
import type {KolErrorCode} from '../../core/errors.js';
import type {ProgramTimeSource} from '../../core/scheduler.js';
import {createEngine, type Engine} from '../../player/engine.js';
import {livePlayerStyles} from './live-player.styles.js';

/** What `<kol-live-player>` reflects in its `status` attribute. */
export type PlayerStatus =
  | 'idle' | 'loading' | 'live' | 'playing' | 'paused' | 'buffering' | 'recovering' | 'error' | 'ended';

/** Within this many seconds of the live edge, a live stream counts as "live" rather than "playing". */
const LIVE_EDGE_SECONDS = 15;

/**
 * The live video. Plays an HLS stream (hls.js, loaded only when a player is on the page), reads the show
 * events carried in the stream, and reports the viewer's program time to its `<kol-show>` on every
 * frame, so each pin appears at the moment the host acted, whatever this viewer's latency.
 *
 * @summary The live video, in sync with the show.
 * @slot - Overlay content (a pin, a deal) shown over the video, also in fullscreen.
 * @fires kol-error - The stream or the engine failed (see docs/errors.md).
 * @csspart video - The video element.
 * @csspart badge - The "LIVE" badge.
 * @csspart state - The loading or error overlay.
 * @csspart retry - The retry button of the error overlay.
 * @csspart unmute - The tap-to-unmute button.
 * @cssprop [--kol-live-player-aspect-ratio=16 / 9] - The player's box, reserved before the video loads.
 * @cssprop [--kol-live-player-background=#000] - Behind the video.
 * @cssprop [--kol-live-player-badge-background=#e0245e] - The LIVE badge.
 */
export class KolLivePlayer extends KolElement implements ProgramTimeSource {
  static override styles = livePlayerStyles;

  /** The HLS playlist URL. */
  @property() src = '';

  /** A poster image shown before the first frame. */
  @property() poster = '';

  /** Start muted (needed for autoplay in every browser). */
  @property({type: Boolean}) muted = false;

  /** Start playing as soon as possible (muted autoplay always works; with sound it may be refused). */
  @property({type: Boolean}) autoplay = false;

  /** The id of the `<kol-show>` this player reports to, when it is not inside it. */
  @property() show: string | null = null;

  /** Reflected playback status. */
  @property({reflect: true}) status: PlayerStatus = 'idle';

  @state() private isLive = false;
  @state() private errorMessage = '';
  @query('video') private video!: HTMLVideoElement;

  private readonly link = new ShowLink(this);
  private engine: Engine | null = null;
  private detachFromShow?: () => void;
  private frameHandle = 0;
  private loadGeneration = 0;

  /** Program time (ms) of the frame on screen, or null while unknown. */
  programTime(): number | null {
    return this.engine?.programTime() ?? null;
  }

  /** True once the stream is known to carry no program time (events then show on arrival). */
  get lacksProgramTime(): boolean {
    return this.engine?.lacksProgramTime ?? false;
  }

  /** Seconds behind the live edge, or null when not live or not known. */
  get latency(): number | null {
    return this.engine?.latency() ?? null;
  }

  /** Which engine plays the stream: `hls.js`, `native`, or null before loading. */
  get engineKind(): 'hls.js' | 'native' | null {
    return this.engine?.kind ?? null;
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
    const now = this.programTime();
    if (now === null || !this.video) return;
    this.video.currentTime = Math.max(this.video.currentTime + (date.getTime() - now) / 1000, 0);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-inserted after a removal (which unloaded the stream): load it again.
    if (this.hasUpdated && this.src && !this.engine) {
      this.status = 'loading';
      void this.load();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unload();
    this.detachFromShow?.();
    this.detachFromShow = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.link.resolve();
    const show = this.link.show;
    if (show && !this.detachFromShow) this.detachFromShow = show.attachPlayer(this);
    else if (!show && this.detachFromShow) {
      this.detachFromShow();
      this.detachFromShow = undefined;
    }
    if (changed.has('src')) {
      this.status = this.src ? 'loading' : 'idle';
      this.error = null;
    }
  }

  protected override render() {
    const showState = this.status === 'loading' || this.status === 'error' || this.status === 'recovering';
    return html`
      <video part="video" playsinline .muted=${this.muted} poster=${this.poster || nothing}
        aria-label="Live video"
        @playing=${this.onMediaChange} @pause=${this.onMediaChange} @waiting=${this.onMediaChange}
        @ended=${this.onMediaChange} @seeked=${this.onMediaChange} @volumechange=${this.onVolumeChange}></video>
      ${this.status === 'live' ? html`<span part="badge">LIVE</span>` : nothing}
      <div class="overlays"><slot></slot></div>
      ${showState ? html`<div part="state" role=${this.status === 'error' ? 'alert' : 'status'}>
        ${this.status === 'error'
          ? html`<span>${this.errorMessage}</span><button part="retry" type="button" @click=${this.retry}>Try again</button>`
          : html`<span>${this.status === 'recovering' ? 'Reconnecting…' : 'Loading video…'}</span>`}
      </div>` : nothing}
      ${this.muted && this.status !== 'error' ? html`<button part="unmute" type="button" @click=${this.unmute}>Tap to unmute</button>` : nothing}
    `;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('src')) void this.load();
  }

  /** The error overlay's button: load the stream again. */
  private retry = (): void => {
    this.status = 'loading';
    this.error = null;
    void this.load();
  };

  /** (Re)loads `src` into the video element. */
  private async load(): Promise<void> {
    this.unload();
    if (!this.src) return;
    const generation = ++this.loadGeneration;
    try {
      const engine = await createEngine(this.video, this.src, {
        onStreamEvents: (events) => this.link.show?.push(events),
        onFatal: (code, message, cause) => generation === this.loadGeneration && this.showError(code, message, cause),
        onLive: (live) => (this.isLive = live),
      });
      if (generation !== this.loadGeneration) return engine.destroy();
      this.engine = engine;
      this.link.show?.syncTime();
      if (this.autoplay) this.video.play().catch(() => this.onMediaChange());
    } catch {
      // onFatal already reported it.
    }
  }

  private unload(): void {
    cancelAnimationFrame(this.frameHandle);
    this.frameHandle = 0;
    this.engine?.destroy();
    this.engine = null;
  }

  private showError(code: KolErrorCode, message: string, cause?: unknown): void {
    this.unload();
    this.status = 'error';
    this.errorMessage = 'The video cannot be played right now.';
    this.fail(code, message, cause);
  }

  private onMediaChange = (): void => {
    if (this.status === 'error') return;
    const video = this.video;
    if (video.ended) this.status = 'ended';
    else if (video.paused) this.status = this.engine ? 'paused' : this.status;
    else if (video.readyState < 3) this.status = 'buffering';
    else this.status = this.isLive && (this.latency ?? 0) < LIVE_EDGE_SECONDS ? 'live' : 'playing';
    this.link.show?.syncTime();
    if (!video.paused && !this.frameHandle) this.frameHandle = requestAnimationFrame(this.onFrame);
  };

  /** Every frame while playing: the show releases what this viewer's program time has reached. */
  private onFrame = (): void => {
    this.frameHandle = 0;
    if (!this.engine || this.video.paused) return;
    this.link.show?.syncTime();
    this.frameHandle = requestAnimationFrame(this.onFrame);
  };

  private onVolumeChange = (): void => {
    this.muted = this.video.muted;
  };

  private unmute = (): void => {
    this.muted = false;
    this.video.muted = false;
    void this.video.play().catch(() => undefined);
  };
}
