import {html, nothing, type PropertyValues} from 'lit';
import {property, query, state} from 'lit/decorators.js';
import {ReportedOnce} from '../../core/once.js';
import {KolElement} from '../../core/kol-element.js';
import {ShowLink} from '../../core/show-link.js';
import {KolPlayerStatsEvent, type PlayerStats} from '../../core/events.js';
import type {KolErrorCode} from '../../core/errors.js';
import type {ProgramTimeSource} from '../../core/scheduler.js';
import type {Chapter, PlayerShowHandle} from '../../core/show-handle.js';
import {createEngine, preloadEngine, type Engine} from '../../player/engine.js';
import {seekableRange} from '../../player/media-time.js';
import {PlaybackStats} from '../../player/playback-stats.js';
import {ReleaseLoop} from '../../player/release-loop.js';
import {livePlayerStyles} from './live-player.styles.js';
import {KEY_ACTIONS, renderControls, type PlayerActions} from './live-player.controls.js';

/** What `<kol-live-player>` reflects in its `status` attribute. */
export type PlayerStatus =
  | 'idle' | 'loading' | 'live' | 'playing' | 'paused' | 'buffering' | 'recovering' | 'error' | 'ended';

/** Further than this behind the live edge (seconds), a live stream is "behind": offer "back to live". */
const BEHIND_LIVE_SECONDS = 4;
/** Bad ID3 tags remembered as reported, per source; the oldest are forgotten first. */
const MAX_REPORTED_BAD_TAGS = 1000;

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
  @state() private stateMessage = '';
  @query('video') private video!: HTMLVideoElement;

  private readonly link = new ShowLink<PlayerShowHandle>(this);
  private engine: Engine | null = null;
  private detachFromShow?: () => void;
  private lastRenderedSecond = -1;
  private loadGeneration = 0;
  private playAfterRecovery = false;
  private readonly releaseLoop = new ReleaseLoop(
    () => this.link.show,
    () => (this.engine && this.video && !this.video.paused ? this.video : null),
    () => this.programTime(),
  );
  private readonly playback = new PlaybackStats(() => this.emitStats(), () => this.video.paused);
  /** Bad ID3 tags of this `src` already reported, by their bytes: one may recur in every segment, or be read again. */
  private readonly reportedBadTags = new ReportedOnce(MAX_REPORTED_BAD_TAGS);

  /** Program time (ms) of the frame on screen, or null while unknown (before the first frame, too). */
  programTime(): number | null {
    return this.engine?.programTime() ?? null;
  }

  /** True once the stream is known to carry no program time (events then show on arrival). */
  get lacksProgramTime(): boolean {
    return this.engine?.lacksProgramTime ?? false;
  }

  /** The live DVR window in ms (what the viewer can still seek back to), or null for a replay. */
  seekableSpan(): number | null {
    const range = this.isLive && this.video ? seekableRange(this.video) : null;
    return range ? (range[1] - range[0]) * 1000 : null;
  }

  /** Seconds behind the live edge, or null when not live or not known. */
  get latency(): number | null {
    return this.engine?.latency() ?? null;
  }

  /** Server clock minus the program time of the frame on screen, in seconds, or null. */
  private behindHost(): number | null {
    const time = this.programTime();
    const show = this.link.show;
    return time === null || !show ? null : (show.clock.now() - time) / 1000;
  }

  /** Which engine plays the stream: `hls.js`, `native`, or null before loading. */
  get engineKind(): 'hls.js' | 'native' | null {
    return this.engine?.kind ?? null;
  }

  /** Playback figures: time to first frame, latency, rebuffering, pin skew. */
  get stats(): PlayerStats {
    return this.playback.figures(this.latency, this.behindHost(), this.link.show?.pinSkew() ?? null);
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
    const range = seekableRange(this.video);
    let target = this.video.currentTime + (date.getTime() - now) / 1000;
    if (range) target = Math.min(Math.max(target, range[0]), range[1]);
    this.video.currentTime = Math.max(target, 0);
  }

  /** Jumps to the moment a product was pinned: by label ("#7") or product id; false when never pinned. */
  seekToChapter(labelOrProductId: string): boolean {
    const chapter = this.chapters().find((c) => c.label === labelOrProductId || c.productId === labelOrProductId);
    if (!chapter) return false;
    this.seekToProgramTime(new Date(chapter.at));
    return true;
  }

  /** Goes back to the live edge. */
  goLive(): void {
    const edge = this.engine?.liveSyncPosition();
    if (edge !== null && edge !== undefined) this.video.currentTime = edge;
    void this.video.play().catch(() => undefined);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
    this.addEventListener('keydown', this.onKeyDown);
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    // Re-inserted after a removal (which unloaded the stream): load it again.
    if (this.hasUpdated && this.src && !this.engine) {
      this.status = 'loading';
      void this.load();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeyDown);
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
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
      this.reportedBadTags.clear();
      if (this.src) preloadEngine();
    }
  }

  protected override render() {
    const overlay = this.status === 'loading' || this.status === 'error' || this.status === 'recovering';
    return html`<div part="base">
      <video part="video" playsinline .muted=${this.muted} poster=${this.poster || nothing}
        aria-label=${this.isLive ? 'Live video' : 'Video'}
        @loadeddata=${this.onMediaChange} @playing=${this.onMediaChange} @pause=${this.onMediaChange} @waiting=${this.onMediaChange}
        @ended=${this.onMediaChange} @seeked=${this.onMediaChange} @timeupdate=${this.onTimeUpdate}
        @volumechange=${this.onVolumeChange}></video>
      ${this.status === 'live' ? html`<span part="badge">LIVE</span>` : nothing}
      <div class="overlays"><slot></slot></div>
      ${overlay ? html`<div part="state" role=${this.status === 'error' ? 'alert' : 'status'}>
        <span>${this.stateMessage || 'Loading video…'}</span>
        ${this.status === 'error' ? html`<button part="retry" type="button" @click=${this.retry}>Try again</button>` : nothing}
      </div>` : nothing}
      ${this.muted && this.status !== 'error' ? html`<button part="unmute" type="button" @click=${this.unmute}>Tap to unmute</button>` : nothing}
      ${this.noControls || !this.video ? nothing : this.renderControls()}
    </div>`;
  }

  private renderControls() {
    const range = seekableRange(this.video);
    return renderControls({
      video: this.video,
      muted: this.muted,
      isLive: this.isLive,
      behind: this.isBehindLive(),
      range,
      chapters: this.isLive ? [] : this.chapterPositions(range),
      latency: this.showLatency ? this.latency : null,
      captionTracks: this.captionTracks(),
      fullscreen: document.fullscreenElement === this,
      actions: this.actions,
    });
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('src')) void this.load();
  }

  private chapters(): Chapter[] {
    return this.link.show?.chapters() ?? [];
  }

  /** Each chapter's media time and position on the seek bar (percent), when the stream has program time. */
  private chapterPositions(range: [number, number] | null): Array<Chapter & {time: number; percent: number}> {
    const now = this.programTime();
    if (now === null || !range) return [];
    return this.chapters().flatMap((c) => {
      const time = this.video.currentTime + (c.at - now) / 1000;
      if (time < range[0] || time > range[1]) return [];
      return [{...c, time, percent: ((time - range[0]) / (range[1] - range[0])) * 100}];
    });
  }

  private isBehindLive(): boolean {
    const edge = this.engine?.liveSyncPosition();
    return this.isLive && edge !== null && edge !== undefined && edge - this.video.currentTime > BEHIND_LIVE_SECONDS;
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
    this.playback.restart();
    this.stateMessage = '';
    try {
      const engine = await createEngine(this.video, this.src, {
        onStreamEvents: (events) => this.link.show?.push(events),
        onBadMetadata: (key, message) => generation === this.loadGeneration && this.reportBadMetadata(key, message),
        onFatal: (code, message, cause) => generation === this.loadGeneration && this.showError(code, message, cause),
        onRecovering: (recovering, code, message) => generation === this.loadGeneration && this.setRecovering(recovering, code, message),
        onLevel: ({live}) => (this.isLive = live),
      });
      if (generation !== this.loadGeneration) return engine.destroy();
      this.engine = engine;
      this.link.show?.syncTime();
      this.playback.timeFirstFrame(this.video, () => generation === this.loadGeneration);
      if (this.autoplay) this.video.play().catch(() => this.onMediaChange());
    } catch {
      // onFatal already reported it.
    }
  }

  private unload(): void {
    this.releaseLoop.stop();
    this.playback.stop();
    this.engine?.destroy();
    this.engine = null;
  }

  private emitStats(): void {
    this.dispatchEvent(new KolPlayerStatsEvent(this.stats));
  }

  private setRecovering(recovering: boolean, code?: KolErrorCode, message?: string): void {
    if (recovering) {
      // A rebuild detaches the video, which pauses it: remember to play on once the stream is back.
      if (this.status !== 'recovering') this.playAfterRecovery = !this.video.paused;
      this.status = 'recovering';
      this.stateMessage = 'Reconnecting…';
      // Visible and reported, though kolkit is already fixing it.
      if (code && this.error !== code) this.fail(code, message);
    } else {
      this.error = null;
      this.stateMessage = '';
      this.status = 'buffering';
      if (this.playAfterRecovery) void this.video.play().catch(() => undefined);
      this.playAfterRecovery = false;
      this.onMediaChange();
    }
  }

  /** A malformed ID3 tag: reported once per tag (`key`), without its bytes; the stream plays on. */
  private reportBadMetadata(key: string, message: string): void {
    if (this.reportedBadTags.first(key)) this.fail('bad-event', message);
  }

  private showError(code: KolErrorCode, message: string, cause?: unknown): void {
    this.unload();
    this.status = 'error';
    this.stateMessage = 'The video cannot be played right now.';
    this.fail(code, message, cause);
  }

  private onMediaChange = (): void => {
    if (this.status === 'error' || !this.video) return;
    const video = this.video;
    const wasWaiting = this.status === 'buffering';
    if (this.status === 'recovering' && this.error) return;
    if (video.ended) this.status = 'ended';
    else if (video.paused) this.status = this.engine ? 'paused' : this.status;
    else if (video.readyState < 3) this.status = 'buffering';
    else this.status = this.isLive && !this.isBehindLive() ? 'live' : 'playing';
    this.playback.track(this.status === 'buffering', wasWaiting);
    this.releaseLoop.run();
    this.requestUpdate();
  };

  private onTimeUpdate = (): void => {
    // The seek bar, "back to live" and the badge follow the playhead, but a re-render (and its layout)
    // once a second is enough for them.
    const second = Math.floor(this.video.currentTime);
    if (second === this.lastRenderedSecond) return;
    this.lastRenderedSecond = second;
    if (this.status === 'live' || this.status === 'playing') this.onMediaChange();
    else this.requestUpdate();
  };

  /** A hidden page downloads nothing; back on screen, a live show resumes at the live edge. */
  private onVisibilityChange = (): void => {
    if (!this.engine || !this.isLive) return;
    if (document.hidden) this.engine.pauseLoading();
    else {
      this.engine.resumeLoading();
      this.goLive();
    }
  };

  private onKeyDown = (event: KeyboardEvent): void => {
    const target = event.composedPath()[0] as HTMLElement;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // Space and arrows belong to a focused button or slider.
    if (target !== this && /^(BUTTON|INPUT|SELECT|TEXTAREA|A)$/.test(target.tagName) && /^( |Arrow)/.test(event.key)) return;
    const action = KEY_ACTIONS[event.key];
    if (!action) return;
    event.preventDefault();
    action(this.actions);
  };

  /** The stream's subtitle and caption tracks (hls.js adds them from the playlist and CEA-608). */
  private captionTracks(): TextTrack[] {
    return [...(this.video?.textTracks ?? [])].filter((t) => t.kind === 'subtitles' || t.kind === 'captions');
  }

  /** The viewer's intents, shared by the control bar and the keyboard map. */
  private readonly actions: PlayerActions = {
    togglePlay: () => {
      if (this.video.paused) void this.video.play().catch(() => undefined);
      else this.video.pause();
    },
    toggleMute: () => {
      this.muted = !this.muted;
      this.video.muted = this.muted;
    },
    toggleCaptions: () => {
      const tracks = this.captionTracks();
      const on = tracks.some((t) => t.mode === 'showing');
      tracks.forEach((t, i) => (t.mode = !on && i === 0 ? 'showing' : on ? 'disabled' : t.mode));
      this.requestUpdate();
    },
    togglePip: () => {
      const action = document.pictureInPictureElement ? document.exitPictureInPicture() : this.video.requestPictureInPicture();
      void action.catch(() => undefined);
    },
    // Fullscreen on the element itself, so the overlays slotted into it stay visible.
    toggleFullscreen: () => {
      const action = document.fullscreenElement === this ? document.exitFullscreen() : this.requestFullscreen();
      void action.catch(() => undefined).then(() => this.requestUpdate());
    },
    goLive: () => this.goLive(),
    seekBy: (seconds) => (this.video.currentTime += seconds),
    seekTo: (time) => (this.video.currentTime = time),
    seekToProgramTime: (at) => this.seekToProgramTime(new Date(at)),
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
