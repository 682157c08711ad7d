import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {ProgramTimeSource} from '../../core/scheduler.js';
import type {PlayerShowHandle} from '../show-handle.js';

/**
 * The player as its show's clock: attached as the show's program-time source from the first update that
 * finds a show, detached when the show is gone or the player leaves the page.
 */
export class ShowAttachment implements ReactiveController {
  #detach?: () => void;

  readonly #host: ReactiveControllerHost & ProgramTimeSource;
  readonly #show: () => PlayerShowHandle | null;

  constructor(
    host: ReactiveControllerHost & ProgramTimeSource,
    show: () => PlayerShowHandle | null,
  ) {
    this.#host = host;
    this.#show = show;
    host.addController(this);
  }

  hostUpdate(): void {
    const show = this.#show();
    if (show && !this.#detach) this.#detach = show.attachPlayer(this.#host);
    else if (!show) this.hostDisconnected();
  }

  hostDisconnected(): void {
    this.#detach?.();
    this.#detach = undefined;
  }
}
