/**
 * Re-renders its element when the page's language changes (a new translation shown, or a new `<html lang>`
 * for the Intl formats), and starts kolkit's localization as the first element connects.
 */
import type {ReactiveController, ReactiveControllerHost} from 'lit';
import {onLocaleChange, startLocalization} from './localization.js';

/** Requests an update of `host` on every change of language while it is connected. */
export class LocaleController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #stop?: () => void;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    startLocalization();
    this.#stop ??= onLocaleChange(() => this.#host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#stop?.();
    this.#stop = undefined;
  }
}
