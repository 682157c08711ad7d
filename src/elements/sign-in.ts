/**
 * "Sign in to …" on the cards only a customer may use (`<kol-giveaway>`, `<kol-auction>`, `<kol-group-buy>`): the
 * prompt, a link to the card's `sign-in-url` when kolkit opens that URL, and the check that reports one it will not
 * open.
 */
import {html} from 'lit';
import {msg} from '@lit/localize';
import {safeUrl} from '../page/url.js';

/** What a customer signs in for: each is one whole sentence to translate, never "Sign in to" + a verb. */
export type SignInAction = 'enter' | 'bid' | 'join';

/** The prompt as a link's words and as a sentence (in a language's own punctuation), per action. */
const PROMPTS: Record<SignInAction, {link: () => string; sentence: () => string}> = {
  enter: {link: () => msg('Sign in to enter', {id: 'sign-in.enter'}), sentence: () => msg('Sign in to enter.', {id: 'giveaway.said.sign-in'})},
  bid: {link: () => msg('Sign in to bid', {id: 'sign-in.bid'}), sentence: () => msg('Sign in to bid.', {id: 'auction.said.sign-in'})},
  join: {link: () => msg('Sign in to join', {id: 'sign-in.join'}), sentence: () => msg('Sign in to join.', {id: 'group.said.sign-in'})},
};

/** "Sign in to `action`": a link to `url` when it is https, loopback or this origin, else the words alone. */
export function signInPrompt(url: string | null, action: SignInAction) {
  const href = safeUrl(url);
  return href ? html`<a part="sign-in" href=${href}>${PROMPTS[action].link()}</a>` : html`<p part="sign-in">${PROMPTS[action].sentence()}</p>`;
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
