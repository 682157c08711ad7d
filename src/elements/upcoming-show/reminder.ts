/**
 * A reminder while the page is open: a browser notification at the show's start, from a timer in this page
 * (nothing stored, nothing sent anywhere). The permission prompt is asked only from the shopper's click, and
 * the element asks only when the show's consent is granted.
 */

/** How asking for a reminder ended. */
export type ReminderOutcome = 'scheduled' | 'unsupported' | 'denied';

/** The longest delay setTimeout keeps (2^31 − 1 ms, ~24.8 days): a later start is waited for in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** What the notification says. */
export interface ReminderMessage {
  title: string;
  body: string;
  /** One notification per show: a second one replaces the first. */
  tag: string;
  icon?: string;
}

/** One element's reminder: asked for, then waiting for the start, then shown once. */
export class ShowReminder {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #message: ReminderMessage | null = null;

  /** True while a reminder waits for the start. */
  get pending(): boolean {
    return this.#message !== null;
  }

  /**
   * Asks for the permission (from a click: browsers refuse a prompt without one) and, once granted, waits
   * for the start: `remaining()` is the time left on the show's clock, asked again after each wait.
   */
  async request(message: ReminderMessage, remaining: () => number): Promise<ReminderOutcome> {
    const notification = globalThis.Notification;
    if (typeof notification !== 'function') return 'unsupported';
    let permission = notification.permission;
    if (permission === 'default') permission = await notification.requestPermission();
    if (permission !== 'granted') return 'denied';
    this.cancel();
    this.#message = message;
    this.#wait(remaining);
    return 'scheduled';
  }

  /** Shows the waiting reminder now (the show went live early); nothing when none waits. */
  fire(): void {
    const message = this.#message;
    this.cancel();
    if (!message || typeof globalThis.Notification !== 'function') return;
    try {
      const {title, ...options} = message;
      new Notification(title, options);
    } catch {
      // A browser that shows notifications only from a service worker (Chrome on Android): nothing to show.
    }
  }

  /** Forgets the reminder (the element left the page: "if this page is open" no longer holds). */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#message = null;
  }

  #wait(remaining: () => number): void {
    const left = remaining();
    if (left <= 0) return this.fire();
    this.#timer = setTimeout(() => this.#wait(remaining), Math.min(left, MAX_TIMEOUT_MS));
  }
}
