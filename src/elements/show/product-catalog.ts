/**
 * The show's product lookups: asked for by id from any card, batched into one adapter request per
 * microtask, cached, and retried with backoff when the store failed — a render never triggers a reload.
 */
import {errorMessage, type ReportFailure} from '../../core/errors.js';
import type {ProductLookup} from '../show-handle.js';
import {REQUEST_TIMEOUT_MS, withTimeout} from '../../core/timeout.js';
import type {ShowAdapter} from './show-adapter.js';

/** The first retry of a failed lookup (ms); it doubles with each failed batch in a row, up to the max. */
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 60_000;

/** Product lookups through the show's adapter. */
export class ProductCatalog {
  readonly #lookups = new Map<string, ProductLookup>();
  readonly #waiters = new Map<string, Array<(lookup: ProductLookup) => void>>();
  #batch = new Set<string>();
  /** Consecutive failed batches, for the retry backoff. */
  #failures = 0;

  readonly #adapter: ShowAdapter;
  readonly #fail: ReportFailure;
  readonly #changed: () => void;

  /** @param changed called when a lookup finished or may be retried (the cards render again). */
  constructor(adapter: ShowAdapter, fail: ReportFailure, changed: () => void) {
    this.#adapter = adapter;
    this.#fail = fail;
    this.#changed = changed;
    // Another adapter answers every lookup anew.
    adapter.changed.add(() => this.#lookups.clear());
  }

  /** The product's lookup as it stands; starts loading it (batched with others) when first asked. */
  lookup(id: string): ProductLookup {
    let lookup = this.#lookups.get(id);
    if (!lookup) {
      lookup = {status: 'loading'};
      this.#lookups.set(id, lookup);
      if (!this.#batch.size) queueMicrotask(() => void this.#loadBatch());
      this.#batch.add(id);
    }
    return lookup;
  }

  /** Resolves when the product's lookup has finished (ready, missing or error). */
  whenLoaded(id: string): Promise<ProductLookup> {
    const lookup = this.lookup(id);
    if (lookup.status !== 'loading') return Promise.resolve(lookup);
    return new Promise((resolve) => {
      const waiting = this.#waiters.get(id) ?? [];
      waiting.push(resolve);
      this.#waiters.set(id, waiting);
    });
  }

  async #loadBatch(): Promise<void> {
    await this.#adapter.ready;
    const ids = [...this.#batch];
    this.#batch = new Set();
    const adapter = this.#adapter.current;
    const run = this.#adapter.signal;
    let settle: (id: string) => ProductLookup;
    if (!adapter) {
      this.#fail('no-adapter', 'Products cannot be shown: this show has no commerce adapter.');
      settle = () => ({status: 'error', message: 'No store is connected.'});
    } else {
      try {
        // A time limit of kolkit's own: a backend (or a merchant's adapter) that never answers must end in the
        // pin's error state and a retry, not in "Loading product" for ever. The adapter gets the signal too.
        const late = `The store did not answer within ${REQUEST_TIMEOUT_MS / 1000} s for ${ids.join(', ')}.`;
        const products = await withTimeout(REQUEST_TIMEOUT_MS, late, (signal) => adapter.getProducts(ids, {signal}));
        const byId = new Map(products.map((p) => [p.id, p]));
        const missing = ids.filter((id) => !byId.has(id));
        if (missing.length) this.#fail('unknown-product', `The store does not know product ${missing.join(', ')}.`);
        settle = (id) => (byId.has(id) ? {status: 'ready', product: byId.get(id)!} : {status: 'missing'});
      } catch (error) {
        const message = errorMessage(error, 'Products could not be loaded.');
        this.#fail('product-load-failed', message, error);
        settle = () => ({status: 'error', message});
      }
    }
    if (run.aborted) return; // the adapter was replaced meanwhile: its answers no longer count
    const failed: string[] = [];
    for (const id of ids) {
      const lookup = settle(id);
      this.#lookups.set(id, lookup);
      if (lookup.status === 'error') failed.push(id);
      for (const resolve of this.#waiters.get(id) ?? []) resolve(lookup);
      this.#waiters.delete(id);
    }
    this.#failures = failed.length ? this.#failures + 1 : 0;
    // A failed lookup stays failed (a render must not trigger a reload) until a backed-off retry.
    if (failed.length && adapter) setTimeout(() => this.#forgetFailed(failed, run), Math.min(RETRY_FIRST_MS * 2 ** (this.#failures - 1), RETRY_MAX_MS));
    this.#changed();
  }

  /** Lets failed lookups load again on their next ask (unless the adapter changed meanwhile). */
  #forgetFailed(ids: readonly string[], run: AbortSignal): void {
    if (run.aborted) return;
    for (const id of ids) if (this.#lookups.get(id)?.status === 'error') this.#lookups.delete(id);
    this.#changed();
  }
}
