/**
 * "Sign in to …" on the cards only a customer may use (`<kol-giveaway>`, `<kol-auction>`, `<kol-group-buy>`): the
 * prompt, a link to the card's `sign-in-url` when kolkit opens that URL, and the check that reports one it will not
 * open.
 */
import {html} from 'lit';
import {safeUrl} from '../page/url.js';

/** "Sign in to `action`": a link to `url` when it is https, loopback or this origin, else the words alone. */
export function signInPrompt(url: string | null, action: string) {
  const href = safeUrl(url);
  return href ? html`<a part="sign-in" href=${href}>Sign in to ${action}</a>` : html`<p part="sign-in">Sign in to ${action}.</p>`;
}

/**
 * Checks a card's `sign-in-url` as it changes: one kolkit will not open is reported once per value (`report` with
 * the message, for a `bad-attribute`), and a usable one or none clears it (`report(null)`).
 */
export class SignInUrlCheck {
  /** The value last reported as unusable. */
  #reported: string | null = null;
  readonly #action: string;
  readonly #report: (message: string | null) => void;

  constructor(action: string, report: (message: string | null) => void) {
    this.#action = action;
    this.#report = report;
  }

  check(value: string | null): void {
    if (value === null || safeUrl(value)) {
      this.#reported = null;
      this.#report(null);
    } else if (value !== this.#reported) {
      this.#reported = value;
      this.#report(`sign-in-url="${value}" is not https, loopback or this origin: "Sign in to ${this.#action}" is shown without a link.`);
    }
  }
}
