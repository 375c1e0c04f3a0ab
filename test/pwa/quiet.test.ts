import { describe, expect, it } from 'vitest';
import { fakeClock } from '../helpers/fake-clock.ts';
import { waitForQuiet, type ActivitySource } from '../../src/pwa/quiet.ts';

/** Requests the test makes happen, and whether anyone still watches. */
function requests() {
  const watchers = new Set<() => void>();
  const source: ActivitySource = {
    watch(fn) {
      watchers.add(fn);
      return () => watchers.delete(fn);
    },
  };
  return { source, request: () => watchers.forEach((fn) => fn()), watching: () => watchers.size };
}

describe('waitForQuiet', () => {
  it('resolves only after a gap of quietMs with no request, then stops watching', async () => {
    const { clock, advance, pending, now } = fakeClock();
    const { source, request, watching } = requests();
    let at: number | null = null;
    const done = waitForQuiet(source, clock, 1000, 10_000).then(() => {
      at = now();
    });
    // A sync chain: manifest, signature, objects, each within the quiet time of the last.
    for (let i = 0; i < 5; i++) {
      advance(600);
      request();
    }
    await Promise.resolve();
    expect(at).toBeNull();
    advance(999);
    await Promise.resolve();
    expect(at).toBeNull();
    advance(1);
    await done;
    expect(at).toBe(4000);
    expect(watching()).toBe(0);
    expect(pending()).toBe(0);
  });

  it('gives up waiting after maxWaitMs on a page that never goes quiet', async () => {
    const { clock, advance, now } = fakeClock();
    const { source, request, watching } = requests();
    let at: number | null = null;
    const done = waitForQuiet(source, clock, 1000, 5000).then(() => {
      at = now();
    });
    for (let t = 0; t < 8000; t += 500) {
      advance(500);
      request();
      // Let a resolution run now, so `at` is the time it happened.
      await Promise.resolve();
    }
    await done;
    expect(at).toBe(5000);
    expect(watching()).toBe(0);
  });
});
