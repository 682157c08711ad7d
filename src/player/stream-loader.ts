import {LatestRun} from '../core/latest-run.js';
import {nextTask} from '../page/next-task.js';
import {ReportedOnce} from '../core/once.js';
import {createEngine, type Engine, type EngineHandlers} from './engine.js';

/** Bad ID3 tags remembered as reported, per source; the oldest are forgotten first. */
const MAX_REPORTED_BAD_TAGS = 1000;

/** What a stream loader tells its player: the engine's reports, of the current load only. */
export interface StreamHandlers extends Omit<EngineHandlers, 'onBadMetadata'> {
  /** A malformed ID3 tag, the first time this source carries it (the message never holds its bytes); the stream plays on. */
  onBadMetadata(message: string): void;
  /** The engine plays the source; `signal` aborts once this load is replaced or unloaded. */
  onStarted(signal: AbortSignal): void;
  /** The page is on screen again and a live stream loads again: the player rejoins the live edge. */
  onLiveResumed(): void;
}

/**
 * A player's stream, from load to unload: it starts an engine for a source, and the latest load wins (a load
 * overtaken by another or by an unload destroys its engine on arrival, and its engine's reports are
 * dropped); it reports each broken ID3 tag once per source; and a hidden page downloads nothing of a live
 * stream. A plain class with hls.js's mirrored listeners: the page's are registered while an engine runs.
 */
export class StreamLoader {
  /** The running engine, or null (nothing loaded, still loading, or failed). */
  engine: Engine | null = null;
  readonly #runs = new LatestRun();
  #src = '';
  #live = false;
  /** Bad ID3 tags of this source already reported, by their bytes: one may recur in every segment, or be read again. */
  readonly #reportedBadTags = new ReportedOnce(MAX_REPORTED_BAD_TAGS);

  readonly #handlers: StreamHandlers;

  constructor(handlers: StreamHandlers) {
    this.#handlers = handlers;
  }

  /** Unloads, then plays `src` in `video` (nothing for an empty `src`). Failures go to `onFatal`. */
  async load(video: HTMLVideoElement, src: string): Promise<void> {
    this.unload();
    // A new source's broken tags are news; the same source loaded again (a retry, a re-insertion) is not.
    if (src !== this.#src) this.#reportedBadTags.clear();
    this.#src = src;
    if (!src) return;
    const signal = this.#runs.start();
    const handlers = this.#handlers;
    const current = <A extends unknown[]>(report: (...args: A) => void) => (...args: A) => {
      if (!signal.aborted) report(...args);
    };
    // The engine starts in a task after the player's first render: on a phone each is a long piece of work.
    await nextTask();
    if (signal.aborted) return;
    try {
      const engine = await createEngine(video, src, {
        onStreamEvents: current((events) => handlers.onStreamEvents(events)),
        onBadMetadata: current((key, message) => this.#reportedBadTags.first(key) && handlers.onBadMetadata(message)),
        onFatal: current((code, message, cause) => handlers.onFatal(code, message, cause)),
        onRecovering: current((recovering, code, message) => handlers.onRecovering(recovering, code, message)),
        onLevel: current((info) => {
          this.#live = info.live;
          handlers.onLevel(info);
        }),
      });
      if (signal.aborted) return engine.destroy();
      this.engine = engine;
      document.addEventListener('visibilitychange', this.#onVisibilityChange);
      handlers.onStarted(signal);
    } catch {
      // onFatal already reported it.
    }
  }

  /** Stops the current load, if any, and destroys its engine. */
  unload(): void {
    this.#runs.cancel();
    document.removeEventListener('visibilitychange', this.#onVisibilityChange);
    this.engine?.destroy();
    this.engine = null;
  }

  /** A hidden page downloads nothing; back on screen, a live show loads again (and the player rejoins the edge). */
  readonly #onVisibilityChange = (): void => {
    const engine = this.engine;
    if (!engine || !this.#live) return;
    if (document.hidden) engine.pauseLoading();
    else {
      engine.resumeLoading();
      this.#handlers.onLiveResumed();
    }
  };
}
