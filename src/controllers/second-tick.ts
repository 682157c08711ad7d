/**
 * The one-second tick an element needs only while something on it moves with the clock (a countdown, a
 * deal that opens or closes on the clock): switched on and off with `run()`, and always off while the
 * element is off the page. One shared 1 Hz timer serves them all (core/ticker.ts).
 */
import type {ReactiveController, ReactiveControllerHost} from 'lit';
import {onSecondTick} from '../page/ticker.js';

/** Calls `onTick` at each whole second while running and the host is connected. */
export class SecondTickController implements ReactiveController {
  #stop?: () => void;
  #wanted = false;
  #connected = false;

  readonly #onTick: () => void;

  constructor(host: ReactiveControllerHost, onTick: () => void) {
    this.#onTick = onTick;
    host.addController(this);
  }

  /** Ticks from now on (`on`) or no more. Cheap to call on every update. */
  run(on: boolean): void {
    this.#wanted = on;
    this.#apply();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#apply();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#apply();
  }

  #apply(): void {
    const ticking = this.#wanted && this.#connected;
    if (ticking && !this.#stop) this.#stop = onSecondTick(this.#onTick);
    else if (!ticking && this.#stop) {
      this.#stop();
      this.#stop = undefined;
    }
  }
}
