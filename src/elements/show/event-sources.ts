/**
 * Where a show's events come from besides `push()`: the live `events` stream (server-sent events) and a
 * recorded `timeline` file. Each reader is its own chunk, loaded only by a show that names it; both start
 * and stop with the element. The stream's events are live (chat and counts show on arrival), the recording's
 * are `recorded` (all at program time). A show server's stream is one such stream (show-server.ts gives its
 * URL; its actions are posted there too).
 */
import {errorMessage, type KolErrorCode, type ReportFailure} from '../../core/errors.js';
import {LatestRun} from '../../core/latest-run.js';
import {nextTask} from '../../page/next-task.js';
import type {SseSource} from '../../sources/sse.js';
import type {PushOptions} from '../show-handle.js';
import type {EventIntake} from './event-intake.js';

/** What the sources hand their show. */
export interface EventSink {
  /** Events (or anything claiming to be), for validation and release; the recording's are `recorded`. */
  push(data: unknown, options?: PushOptions): void;
  /** Where the server's `Date` header and the events the stream could not read are reported. */
  intake: EventIntake;
  fail: ReportFailure;
  /** The show's error state clears, if it is still `code` (the stream recovered). */
  clearError(code: KolErrorCode): void;
}

/** The live stream and the recording of one show. */
export class EventSources {
  #sse?: SseSource;
  /** One run per connection of the live stream: a slow import of its reader cannot start a stale one. */
  readonly #live = new LatestRun();
  /** One run per recording load. */
  readonly #recording = new LatestRun();
  /** The recording's URL while its load has not finished (also when it was cut short by a stop). */
  #unfinishedRecording: string | null = null;

  readonly #sink: EventSink;

  constructor(sink: EventSink) {
    this.#sink = sink;
  }

  /** (Re)connects the live stream to `url` (null: none). */
  connectLive(url: string | null): void {
    this.#disconnectLive();
    if (!url) return;
    const run = this.#live.signal;
    let reported = false;
    // In a task of its own: the show's first render is long enough on a phone without a module fetch.
    nextTask().then(() => import('../../sources/sse.js')).then(({SseSource}) => {
      if (run.aborted) return;
      this.#sse = new SseSource(url, {
        onData: (data) => this.#sink.push(data),
        onServerTime: (time, receivedAt) => this.#sink.intake.sampleClock(time, undefined, receivedAt, 'date-header'),
        // An outage ends when a connection stays up, not when one opens: a server that accepts and drops
        // gets one error, not one per retry.
        onStable: () => {
          reported = false;
          this.#sink.clearError('events-disconnected');
        },
        onDisconnect: (message, retryInMs) => {
          if (!reported) this.#sink.fail('events-disconnected', `${message} Reconnecting in ${Math.round(retryInMs / 1000)} s.`);
          reported = true;
        },
        // Once per event: a server that sends it again on every reconnect must not flood the page.
        onBadEvent: (problem, id) => this.#sink.intake.badEvent(id === undefined ? null : {id}, problem),
      });
      this.#sse.start();
    }, (error) => !run.aborted && this.#sink.fail('events-disconnected', errorMessage(error, 'The event reader could not be loaded.'), error));
  }

  /** Loads the recording at `url` (null: none), replacing any load on its way. */
  loadRecording(url: string | null): void {
    const run = this.#recording.start();
    this.#unfinishedRecording = url;
    if (!url) return;
    nextTask().then(() => import('../../sources/recording.js')).then(({loadRecording}) => loadRecording(url, run)).then(
      (events) => this.#sink.push(events, {recorded: true}),
      (error) => !run.aborted && this.#sink.fail('timeline-load-failed', errorMessage(error, 'The timeline could not be loaded.'), error),
    ).finally(() => {
      // Loaded, or failed for good: not cut short, so a later restart does not load it again.
      if (!run.aborted) this.#unfinishedRecording = null;
    });
  }

  /** The element is back on the page: a recording cut short by the stop loads again (a finished one does not). */
  resumeRecording(): void {
    if (this.#unfinishedRecording) this.loadRecording(this.#unfinishedRecording);
  }

  /** Stops the live stream and any recording load (the element left the page). */
  stop(): void {
    this.#disconnectLive();
    this.#recording.cancel();
  }

  #disconnectLive(): void {
    this.#live.start();
    this.#sse?.stop();
    this.#sse = undefined;
  }
}
