// When the shell readies the search index (IndexScheduleController): the
// start-up index after INDEX_DELAY_MS and an idle moment, at once for the
// first visitor, at once after a bundle switch; nothing left running after
// the shell disconnects. Fake clock throughout.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INDEX_DELAY_MS, IndexScheduleController } from '../../src/app/controllers.ts';

/** A host that only keeps its controllers, so the test can connect and disconnect them. */
class Host implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  addController(c: ReactiveController): void {
    this.controllers.push(c);
  }
  removeController(): void {}
  requestUpdate(): void {}
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
  disconnect(): void {
    for (const c of this.controllers) c.hostDisconnected?.();
  }
}

function setup() {
  const host = new Host();
  const ready: string[] = [];
  const errors: unknown[] = [];
  const ctl = new IndexScheduleController<string>(
    host,
    (v) => ready.push(v),
    (e) => errors.push(e),
  );
  const started: string[] = [];
  /** A job that records when it starts and resolves to `name`. */
  const job = (name: string) => () => {
    started.push(name);
    return Promise.resolve(name);
  };
  return { host, ctl, ready, errors, started, job };
}

describe('IndexScheduleController', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('readies the start-up index after the delay, not before', async () => {
    const { ctl, ready, started, job } = setup();
    ctl.schedule(job('v1'), false);
    await vi.advanceTimersByTimeAsync(INDEX_DELAY_MS - 1);
    expect(started).toEqual([]);
    expect(ctl.pending).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual(['v1']);
    expect(ready).toEqual(['v1']);
    expect(ctl.pending).toBe(false);
  });

  it('waits for an idle moment after the delay where the browser has one', async () => {
    let idle: (() => void) | null = null;
    vi.stubGlobal('requestIdleCallback', (fn: () => void) => {
      idle = fn;
      return 1;
    });
    vi.stubGlobal('cancelIdleCallback', () => {
      idle = null;
    });
    const { ctl, started, job } = setup();
    ctl.schedule(job('v1'), false);
    await vi.advanceTimersByTimeAsync(INDEX_DELAY_MS);
    expect(started).toEqual([]);
    expect(idle).not.toBeNull();
    (idle as unknown as () => void)();
    expect(started).toEqual(['v1']);
  });

  it('readies it at once for the first visitor, and the timer does not run it again', async () => {
    const { ctl, ready, started, job } = setup();
    ctl.schedule(job('v1'), false);
    await vi.advanceTimersByTimeAsync(1000);
    ctl.run();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['v1']);
    expect(ready).toEqual(['v1']);
    await vi.advanceTimersByTimeAsync(INDEX_DELAY_MS * 2);
    expect(started).toEqual(['v1']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('readies it at once when a visitor is already there', async () => {
    const { ctl, started, job } = setup();
    ctl.schedule(job('v1'), true);
    expect(started).toEqual(['v1']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('readies every later version (a bundle switch) at once', async () => {
    const { ctl, ready, started, job } = setup();
    ctl.schedule(job('v1'), false);
    await vi.advanceTimersByTimeAsync(INDEX_DELAY_MS);
    ctl.schedule(job('v2'), false);
    expect(started).toEqual(['v1', 'v2']);
    await vi.advanceTimersByTimeAsync(0);
    expect(ready).toEqual(['v1', 'v2']);
  });

  it('readies only the newest of versions scheduled before the start-up delay ends', async () => {
    const { ctl, ready, started, job } = setup();
    ctl.schedule(job('v1'), false);
    await vi.advanceTimersByTimeAsync(1000);
    ctl.schedule(job('v2'), false);
    await vi.advanceTimersByTimeAsync(INDEX_DELAY_MS - 1000);
    expect(started).toEqual(['v2']);
    expect(ready).toEqual(['v2']);
  });

  it('never lets an older index that finishes late replace a newer one', async () => {
    const { ctl, ready } = setup();
    const finish = new Map<string, (v: string) => void>();
    const slow = (name: string) => () =>
      new Promise<string>((resolve) => {
        finish.set(name, resolve);
      });
    ctl.schedule(slow('v1'), true);
    ctl.schedule(slow('v2'), false);
    finish.get('v2')?.('v2');
    await vi.advanceTimersByTimeAsync(0);
    finish.get('v1')?.('v1');
    await vi.advanceTimersByTimeAsync(0);
    expect(ready).toEqual(['v2']);
  });

  it('reports a failed job and keeps going', async () => {
    const { ctl, errors, ready, job } = setup();
    ctl.schedule(() => Promise.reject(new Error('broken bundle')), true);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    ctl.schedule(job('v2'), false);
    await vi.advanceTimersByTimeAsync(0);
    expect(ready).toEqual(['v2']);
  });

  it('leaves no timer or idle callback behind when the shell disconnects', async () => {
    let idle: (() => void) | null = null;
    vi.stubGlobal('requestIdleCallback', (fn: () => void) => {
      idle = fn;
      return 7;
    });
    const cancelled: number[] = [];
    vi.stubGlobal('cancelIdleCallback', (id: number) => {
      cancelled.push(id);
      idle = null;
    });
    const { host, ctl, started, job } = setup();
    ctl.schedule(job('v1'), false);
    expect(vi.getTimerCount()).toBe(1);
    host.disconnect();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(INDEX_DELAY_MS * 2);
    expect(started).toEqual([]);
    // Disconnected while waiting for the idle moment.
    const second = setup();
    second.ctl.schedule(second.job('v1'), false);
    await vi.advanceTimersByTimeAsync(INDEX_DELAY_MS);
    expect(idle).not.toBeNull();
    second.host.disconnect();
    expect(cancelled).toEqual([7]);
    expect(second.started).toEqual([]);
  });
});
