/**
 * The server's clock as this page knows it: `now() = local clock + offset`. Countdowns and deal phases
 * read it so every viewer's deal closes at the same moment, whatever their device clock says.
 *
 * Samples come from events (`sentAt`), which any carrier may bring, so no single one is trusted:
 * - a sample further than `MAX_EVENT_SKEW_MS` from the local clock — or, once the server's `Date` header
 *   is known, further than `MAX_DATE_SKEW_MS` from it (earlier samples included) — is refused (the
 *   caller reports it). Without a readable `Date` header, two agreeing events can therefore move the
 *   clock by at most `MAX_EVENT_SKEW_MS`, and a device clock further off than that needs the header;
 * - the offset moves only to a value that at least two samples agree on (within `AGREE_MS`), or that the
 *   `Date` header of the events response gives, since the transport's own clock is not event data;
 * - among those, the largest wins: transit only ever makes `sent − received` smaller.
 */

/** Where a server time came from. */
export type ClockSampleSource = 'event' | 'date-header';

/** How far an event's `sentAt` may put the server from the local clock when no `Date` header is known. */
export const MAX_EVENT_SKEW_MS = 10 * 60_000;
/** How far an event's `sentAt` may be from the server's `Date` header (whole seconds, plus transit). */
export const MAX_DATE_SKEW_MS = 60_000;
/** A `Date` header further than this from the local clock is a broken server, not a wrong device clock. */
const MAX_HEADER_SKEW_MS = 24 * 3600_000;
/** Samples within this of each other tell the same offset (transit time, the header's whole seconds). */
const AGREE_MS = 2_000;
/** Recent samples the offset is judged from: enough to outvote an outlier, few enough to follow a change. */
const KEPT_SAMPLES = 32;

interface Sample {
  estimate: number;
  source: ClockSampleSource;
}

export class ServerClock {
  /** Server time minus local time, in ms. Set it directly when the server's time is known another way. */
  offset = 0;
  readonly #samples: Sample[] = [];
  /** The latest `Date` header's offset estimate: the reference event samples are checked against. */
  #dateEstimate: number | null = null;

  readonly #localNow: () => number;

  /** @param localNow the local clock (injectable for tests). */
  constructor(localNow: () => number = () => Date.now()) {
    this.#localNow = localNow;
  }

  /** The server's time now, in ms since the epoch. */
  now(): number {
    return this.#localNow() + this.offset;
  }

  /**
   * Learns from a server timestamp (an event's `sentAt`, a `Date` header). Returns false when the sample
   * was refused as implausible (too far from the local clock or the `Date` header); the offset is then
   * unchanged.
   */
  sample(serverTime: number, receivedAt: number = this.#localNow(), source: ClockSampleSource = 'event'): boolean {
    const estimate = serverTime - receivedAt;
    if (!Number.isFinite(estimate)) return false;
    if (source === 'date-header') {
      if (Math.abs(estimate) > MAX_HEADER_SKEW_MS) return false;
      this.#dateEstimate = estimate;
      // Samples taken before the header arrived are held to it too.
      const kept = this.#samples.filter((s) => Math.abs(s.estimate - estimate) <= MAX_DATE_SKEW_MS);
      this.#samples.splice(0, this.#samples.length, ...kept);
    } else if (Math.abs(estimate - (this.#dateEstimate ?? 0)) > (this.#dateEstimate === null ? MAX_EVENT_SKEW_MS : MAX_DATE_SKEW_MS)) {
      return false;
    }
    this.#samples.push({estimate, source});
    if (this.#samples.length > KEPT_SAMPLES) this.#samples.shift();
    this.offset = this.#agreedOffset() ?? this.offset;
    return true;
  }

  /** The largest estimate that a `Date` header gives or that two samples agree on; null while none does. */
  #agreedOffset(): number | null {
    const sorted = this.#samples.slice().sort((a, b) => a.estimate - b.estimate);
    for (let i = sorted.length - 1; i >= 0; i--) {
      const top = sorted[i];
      if (top.source === 'date-header') return top.estimate;
      if (i > 0 && top.estimate - sorted[i - 1].estimate <= AGREE_MS) return top.estimate;
    }
    return null;
  }
}
