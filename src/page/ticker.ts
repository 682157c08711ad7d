/**
 * One shared 1 Hz ticker for every countdown on the page, aligned to whole seconds and paused while the
 * page is hidden (a background tab needs no repaint; on return it ticks at once so nothing shows stale).
 */
type Listener = () => void;

const listeners = new Set<Listener>();
let timer: ReturnType<typeof setTimeout> | undefined;

function schedule(): void {
  clearTimeout(timer);
  timer = undefined;
  if (!listeners.size || document.hidden) return;
  timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
}

function tick(): void {
  for (const listener of [...listeners]) listener();
  schedule();
}

function onVisibilityChange(): void {
  if (!document.hidden && listeners.size) tick();
  else schedule();
}

/** Calls `listener` at each whole second while the page is visible. Returns the unsubscribe. */
export function onSecondTick(listener: Listener): () => void {
  if (!listeners.size) document.addEventListener('visibilitychange', onVisibilityChange);
  listeners.add(listener);
  if (timer === undefined) schedule();
  return () => {
    listeners.delete(listener);
    if (!listeners.size) {
      document.removeEventListener('visibilitychange', onVisibilityChange);
      schedule();
    }
  };
}
