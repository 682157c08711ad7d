/**
 * What `<kol-reactions>` shows of everyone's reactions: the floating icons (a bounded set, each removed when its
 * animation ends) and a running count per kind (shown instead of the animation under reduced motion). The
 * shopper's own taps show at once; when the server's `reactions.update` counts them again, they are taken out,
 * so one tap never floats twice.
 */

/** The most icons floating at once: a busy show keeps the element's DOM (and the page's paint) small. */
export const MAX_FLOATS = 24;
/** The most icons one kind adds from one `reactions.update`, however many it counts. */
const BURST_PER_KIND = 6;
/** Animation variants (lanes, drift, delay, speed), as classes `v0`…: no inline styles (CSP). */
export const FLOAT_VARIANTS = 6;
/** An icon older than this is removed even when its animation never ended (a hidden page runs none). */
const FLOAT_MAX_MS = 4000;

/** One floating icon. */
export interface Float {
  id: number;
  kind: string;
  variant: number;
  born: number;
}

/** The floating icons and counts of one element. */
export class ReactionBursts {
  /** The icons floating now, oldest first (at most `MAX_FLOATS`). */
  floats: Float[] = [];
  /** Reactions seen per kind since the element joined (everyone's, the shopper's own included). */
  readonly totals = new Map<string, number>();
  /** The shopper's reactions the server took that no `reactions.update` has counted yet. */
  readonly #unechoed = new Map<string, number>();
  #nextId = 0;
  #nextVariant = 0;

  /** The shopper tapped `kind`: counted and floated at once (`animate`: false under reduced motion). */
  tap(kind: string, animate: boolean): void {
    this.#count(kind, 1);
    if (animate) this.#float(kind);
  }

  /** One of the shopper's reactions reached the server: the next `reactions.update` counts it again. */
  accepted(kind: string): void {
    this.#unechoed.set(kind, (this.#unechoed.get(kind) ?? 0) + 1);
  }

  /** A `reactions.update` from the server: the others' reactions counted and floated (a few per kind). */
  update(counts: Readonly<Record<string, number>>, kinds: readonly string[], animate: boolean): void {
    for (const kind of kinds) {
      const counted = counts[kind] ?? 0;
      const own = Math.min(this.#unechoed.get(kind) ?? 0, counted);
      if (own) this.#unechoed.set(kind, (this.#unechoed.get(kind) ?? 0) - own);
      const others = counted - own;
      if (others <= 0) continue;
      this.#count(kind, others);
      if (animate) for (let i = 0; i < Math.min(others, BURST_PER_KIND); i++) this.#float(kind);
    }
  }

  /** An icon's animation ended: it goes. */
  landed(id: number): void {
    this.floats = this.floats.filter((f) => f.id !== id);
  }

  /** Removes icons older than their animation could last; true when some went. */
  sweep(now = Date.now()): boolean {
    const kept = this.floats.filter((f) => now - f.born < FLOAT_MAX_MS);
    const changed = kept.length !== this.floats.length;
    this.floats = kept;
    return changed;
  }

  /** How long until the oldest icon is swept, or null with none. */
  nextSweepIn(now = Date.now()): number | null {
    const oldest = this.floats[0];
    return oldest ? Math.max(0, oldest.born + FLOAT_MAX_MS - now) : null;
  }

  #count(kind: string, n: number): void {
    this.totals.set(kind, (this.totals.get(kind) ?? 0) + n);
  }

  #float(kind: string): void {
    const float = {id: this.#nextId++, kind, variant: this.#nextVariant, born: Date.now()};
    this.#nextVariant = (this.#nextVariant + 1) % FLOAT_VARIANTS;
    // Full: the oldest goes first, so the newest reactions always show.
    this.floats = [...this.floats.slice(Math.max(0, this.floats.length - MAX_FLOATS + 1)), float];
  }
}
