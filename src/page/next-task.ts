/**
 * A new task of the browser's event loop, for work that need not share the current one (issue 16: no task of
 * kolkit's over 50 ms on a phone's CPU). Between the two the browser runs what it had queued (input,
 * rendering), so a long piece of start-up work becomes several short tasks.
 */

/** `scheduler.yield()` (Chromium 129+), which TypeScript's DOM library does not declare yet. */
interface YieldingScheduler {
  yield(): Promise<void>;
}

/**
 * Resolves in a new task. `scheduler.yield()` where it exists: the continuation goes ahead of other queued
 * tasks, so start-up is not slowed by the page's own work. Elsewhere a MessageChannel message: unlike
 * `setTimeout(0)`, it is not clamped to 4 ms once nested, so ten of them in a row cost no 40 ms.
 */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as {scheduler?: Partial<YieldingScheduler>}).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resume) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resume();
    };
    channel.port2.postMessage(null);
  });
}
