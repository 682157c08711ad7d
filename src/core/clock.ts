/**
 * The server's clock as this page knows it: `now() = local clock + offset`. Countdowns and deal phases
 * read it so every viewer's deal closes at the same moment, whatever their device clock says.
 */
export class ServerClock {
  /** Server time minus local time, in ms. Set it directly when the server's time is known another way. */
  offset = 0;
  private sampled = false;

  /** @param localNow the local clock (injectable for tests). */
  constructor(private readonly localNow: () => number = () => Date.now()) {}

  /** The server's time now, in ms since the epoch. */
  now(): number {
    return this.localNow() + this.offset;
  }

  /**
   * Learns from a server timestamp (an event's `sentAt`, a `Date` header). A message can only arrive
   * after it was sent, so `sent − received` underestimates the offset by the transit time: the largest
   * sample seen is the closest.
   */
  sample(serverTime: number, receivedAt: number = this.localNow()): void {
    const estimate = serverTime - receivedAt;
    if (!this.sampled || estimate > this.offset) this.offset = estimate;
    this.sampled = true;
  }
}
