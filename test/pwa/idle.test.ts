import { describe, expect, it } from 'vitest';
import { fakeClock } from '../helpers/fake-clock.ts';
import { IdleDetector } from '../../src/pwa/idle.ts';
import { PwaStatusStore, describeStatus } from '../../src/pwa/status.ts';

describe('IdleDetector', () => {
  it('reports idle only after the timeout without input, and once per idle period', () => {
    const { clock, advance } = fakeClock(1_000_000);
    const target = new EventTarget();
    let fired = 0;
    const idle = new IdleDetector(target, 90_000, () => fired++, clock);
    idle.start();
    advance(60_000);
    expect(idle.idle).toBe(false);
    target.dispatchEvent(new Event('pointerdown'));
    advance(60_000);
    expect(idle.idle).toBe(false);
    expect(fired).toBe(0);
    advance(30_000);
    expect(idle.idle).toBe(true);
    expect(fired).toBe(1);
    advance(600_000);
    expect(fired).toBe(1);
    target.dispatchEvent(new Event('keydown'));
    expect(idle.idle).toBe(false);
    advance(90_000);
    expect(fired).toBe(2);
  });

  it('counts every kind of visitor input and ignores others', () => {
    const { clock, advance } = fakeClock(1_000_000);
    const target = new EventTarget();
    const idle = new IdleDetector(target, 10_000, () => undefined, clock);
    idle.start();
    for (const type of ['pointermove', 'wheel', 'touchstart']) {
      advance(9_000);
      target.dispatchEvent(new Event(type));
      expect(idle.idleForMs, type).toBe(0);
    }
    advance(9_000);
    target.dispatchEvent(new Event('scroll'));
    expect(idle.idleForMs).toBe(9_000);
  });

  it('removes its listeners and timer on stop', () => {
    const { clock, advance, pending } = fakeClock(1_000_000);
    const target = new EventTarget();
    let fired = 0;
    const idle = new IdleDetector(target, 10_000, () => fired++, clock);
    idle.start();
    idle.stop();
    expect(pending()).toBe(0);
    target.dispatchEvent(new Event('pointerdown'));
    advance(60_000);
    expect(fired).toBe(0);
  });
});

describe('PwaStatusStore', () => {
  it('tells subscribers about changes and names a refused deploy for the banner', () => {
    const store = new PwaStatusStore();
    const seen: string[] = [];
    const off = store.subscribe((s) => seen.push(s.state));
    store.update({ state: 'current' });
    store.update({ deployFailure: { reason: 'assets/a.js: HTTP 404', at: 1 } });
    off();
    store.update({ state: 'waiting' });
    expect(seen).toEqual(['registering', 'current', 'current']);
    expect(describeStatus(store.get())).toContain('assets/a.js: HTTP 404');
    expect(describeStatus({ ...store.get(), deployFailure: null })).toBeNull();
  });
});
