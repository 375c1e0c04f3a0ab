import { describe, expect, it } from 'vitest';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { IdleController, ACTIVITY_EVENTS } from '../../src/display/idle.ts';
import { Rotation, TickController } from '../../src/display/rotation.ts';
import { WakeLockController } from '../../src/display/wake-lock.ts';
import { pixelShift } from '../../src/display/burn-in.ts';
import { paginate, type PlaylistEntry } from '../../src/display/playlist.ts';
import { notice } from './fixtures.ts';

function fakeHost(): ReactiveControllerHost & {
  updates: number;
  controllers: ReactiveController[];
} {
  const host = {
    updates: 0,
    controllers: [] as ReactiveController[],
    addController(c: ReactiveController) {
      host.controllers.push(c);
    },
    removeController() {},
    requestUpdate() {
      host.updates++;
    },
    updateComplete: Promise.resolve(true),
  };
  return host;
}

/** An EventTarget that counts its listeners. */
class CountingTarget extends EventTarget {
  listeners = 0;
  override addEventListener(...a: Parameters<EventTarget['addEventListener']>): void {
    this.listeners++;
    super.addEventListener(...a);
  }
  override removeEventListener(...a: Parameters<EventTarget['removeEventListener']>): void {
    this.listeners--;
    super.removeEventListener(...a);
  }
}

describe('IdleController', () => {
  it('goes idle after the timeout without input and back on input; listeners removed on disconnect', () => {
    let t = 0;
    const target = new CountingTarget();
    const log: string[] = [];
    const host = fakeHost();
    const idle = new IdleController(host, {
      timeoutMs: 90_000,
      target,
      clock: () => t,
      onIdle: () => log.push('idle'),
      onActive: () => log.push('active'),
    });
    idle.hostConnected();
    expect(target.listeners).toBe(ACTIVITY_EVENTS.length);
    t = 60_000;
    target.dispatchEvent(new Event('pointerdown'));
    t = 120_000;
    idle.check();
    expect(idle.idle).toBe(false);
    t = 150_000;
    idle.check();
    expect(idle.idle).toBe(true);
    idle.check();
    expect(log).toEqual(['idle']);
    target.dispatchEvent(new Event('wheel'));
    expect(idle.idle).toBe(false);
    expect(log).toEqual(['idle', 'active']);
    idle.hostDisconnected();
    expect(target.listeners).toBe(0);
    target.dispatchEvent(new Event('keydown'));
    expect(log).toEqual(['idle', 'active']);
  });
  it('rejects a zero timeout', () => {
    expect(
      () => new IdleController(fakeHost(), { timeoutMs: 0, target: new EventTarget() }),
    ).toThrow(/timeout/);
  });
});

describe('Rotation', () => {
  const entry = (id: string, summary: string): PlaylistEntry => {
    const item = notice({ id, summary: { 'zh-Hans': summary } });
    return { item, pages: paginate(item, 'landscape'), weight: 1 };
  };
  it('shows every page of an item, then the next item, each for its dwell time', () => {
    const r = new Rotation(20);
    const long = entry('long', '很长的摘要。'.repeat(60));
    const short = entry('short', '短。');
    r.setEntries([long, short], 0);
    expect(r.current?.entry.item.id).toBe('long');
    const seen: string[] = [];
    for (let i = 0; i < long.pages.length + 1; i++) {
      seen.push(`${r.current!.entry.item.id}:${r.current!.page.index}`);
      expect(r.tick(r.current!.until - 1)).toBe(false);
      expect(r.tick(r.current!.until)).toBe(true);
    }
    expect(seen).toEqual([...long.pages.map((_, i) => `long:${i}`), 'short:0']);
  });
  it('keeps the slide on screen when the playlist is rebuilt with it, moves on when it left', () => {
    const r = new Rotation(20);
    const a = entry('a', '甲。');
    const b = entry('b', '乙。');
    r.setEntries([a, b], 0);
    const seq = r.current!.seq;
    expect(r.setEntries([entry('a', '甲。'), b], 5)).toBe(false);
    expect(r.current!.seq).toBe(seq);
    expect(r.setEntries([b], 6)).toBe(true);
    expect(r.current!.entry.item.id).toBe('b');
    // A paged item that leaves the playlist does not show its remaining pages.
    const long = entry('long', '很长的摘要。'.repeat(60));
    r.setEntries([long], 7);
    expect(r.current!.entry.item.id).toBe('long');
    expect(r.setEntries([b], 8)).toBe(true);
    expect(r.current!.entry.item.id).toBe('b');
    expect(r.setEntries([], 9)).toBe(true);
    expect(r.current).toBeNull();
  });
});

describe('TickController', () => {
  it('does not start a timer when told not to, and ticks on demand', () => {
    let n = 0;
    const c = new TickController(
      fakeHost(),
      () => n++,
      250,
      () => false,
    );
    c.hostConnected();
    c.tick();
    c.tick();
    expect(n).toBe(2);
    c.hostDisconnected();
  });
});

describe('WakeLockController', () => {
  it('holds the lock while connected, re-requests when visible again, releases on disconnect', async () => {
    let requests = 0;
    const sentinels: { released: boolean; release(): Promise<void> }[] = [];
    const wakeLock = {
      request: async () => {
        requests++;
        const s = {
          released: false,
          release: async () => {
            s.released = true;
          },
        };
        sentinels.push(s);
        return s;
      },
    };
    const doc = new CountingTarget() as CountingTarget & { visibilityState: string };
    doc.visibilityState = 'visible';
    const c = new WakeLockController(fakeHost(), wakeLock, doc as unknown as Document);
    c.hostConnected();
    await Promise.resolve();
    await Promise.resolve();
    expect(c.state).toBe('held');
    // The browser released it while hidden.
    sentinels[0].released = true;
    doc.dispatchEvent(new Event('visibilitychange'));
    await Promise.resolve();
    await Promise.resolve();
    expect(requests).toBe(2);
    c.hostDisconnected();
    expect(sentinels[1].released).toBe(true);
    expect(doc.listeners).toBe(0);
    expect(c.state).toBe('released');
  });
  it('reports unsupported without the API', () => {
    const c = new WakeLockController(fakeHost(), undefined, undefined);
    c.hostConnected();
    expect(c.state).toBe('unsupported');
  });
});

describe('pixelShift', () => {
  it('walks a small orbit, never more than maxPx from the origin', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { x, y } = pixelShift(i * 120_000, 120_000, 3);
      expect(Math.abs(x)).toBeLessThanOrEqual(3);
      expect(Math.abs(y)).toBeLessThanOrEqual(3);
      seen.add(`${x},${y}`);
    }
    expect(seen.size).toBe(9);
    expect(pixelShift(1000, 120_000, 3)).toEqual(pixelShift(119_000, 120_000, 3));
  });
});
