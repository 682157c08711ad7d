/**
 * Whether the cluster bus can serve (`ShowBus.healthy`, what /healthz and the 503s go by): the NATS
 * connection is up (from the client's status events) and JetStream answers (a cheap probe every 2 s, and
 * the outcome of every bounded read or write, reported with `jetStream`).
 */
import type {NatsConnection} from '@nats-io/transport-node';
import type {JetStreamManager} from '@nats-io/jetstream';
import type {Logger} from '../log.js';
import {isTransient} from './nats-retry.js';

/** How often JetStream is probed (a cheap account-info request). */
const PROBE_EVERY_MS = 2000;

/** The health of one NATS connection and its JetStream; watches from construction until `stop`. */
export class NatsHealth {
  private connected = true;
  private jetStreamAnswers = true;
  private stopped = false;
  private readonly probe: ReturnType<typeof setInterval>;

  constructor(
    private readonly nc: NatsConnection,
    jsm: JetStreamManager,
    private readonly log: Logger,
  ) {
    void this.watchStatus();
    let probing = false;
    this.probe = setInterval(() => {
      if (probing || this.stopped) return;
      probing = true;
      jsm
        .getAccountInfo()
        .then(() => this.jetStream(true))
        .catch((err) => this.jetStream(!isTransient(err)))
        .finally(() => (probing = false));
    }, PROBE_EVERY_MS);
    this.probe.unref();
  }

  /** True while the connection is up and JetStream last answered. */
  get ok(): boolean {
    return this.connected && this.jetStreamAnswers && !this.nc.isClosed();
  }

  /** Records whether JetStream answered (a give-up marks it as not answering until the next good probe). */
  jetStream(answers: boolean): void {
    if (answers !== this.jetStreamAnswers) this.log[answers ? 'info' : 'warn']({answers}, 'nats jetstream health');
    this.jetStreamAnswers = answers;
  }

  /** Stops probing (the status watch ends with the connection). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.probe);
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      switch (status.type) {
        case 'disconnect':
        case 'reconnecting':
          if (this.connected) this.log.warn({status: status.type}, 'nats connection lost');
          this.connected = false;
          break;
        case 'reconnect':
          this.connected = true;
          this.log.info({server: status.server}, 'nats reconnected');
          break;
        case 'close':
          this.connected = false;
          break;
        default:
      }
    }
  }
}
