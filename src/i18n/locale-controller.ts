/**
 * Re-renders its element when the page's language changes (a new translation shown, or a new `<html lang>`
 * for the Intl formats), keeps the element's direction with its text's language (text-direction.ts), and
 * starts kolkit's localization as the first element connects.
 */
import type {ReactiveController, ReactiveControllerHost} from 'lit';
import {getLocale, onLocaleChange, startLocalization} from './localization.js';
import {followTextDirection} from './text-direction.js';

/** Requests an update of `host` on every change of language while it is connected. */
export class LocaleController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #stop?: () => void;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    startLocalization();
    followTextDirection(this.#host, getLocale());
    this.#stop ??= onLocaleChange(() => {
      followTextDirection(this.#host, getLocale());
      this.#host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.#stop?.();
    this.#stop = undefined;
  }
}
