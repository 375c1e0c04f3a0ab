/**
 * A heartbeat the crash watchdog (src/cli/commands/watchdog.ts) reads over the
 * DevTools protocol: a counter on `window` that grows every `periodMs` while
 * the page's event loop runs. A crashed or hung renderer stops it.
 */

/** Name of the global counter the watchdog reads. */
export const HEARTBEAT_GLOBAL = 'gongkaiHeartbeat';

/** Starts the counter; returns the function that stops it. */
export function startHeartbeat(periodMs = 2000): () => void {
  const target = globalThis as unknown as Record<string, number>;
  target[HEARTBEAT_GLOBAL] = 1;
  const timer = setInterval(() => {
    target[HEARTBEAT_GLOBAL] = (target[HEARTBEAT_GLOBAL] ?? 0) + 1;
  }, periodMs);
  return () => clearInterval(timer);
}
