import { drain, poke } from '@evring/backend/testing';
import { describe, expect, it } from 'vitest';
import { CHECK, CUSTOM, IDLE, PREPARE, READ, TIMER } from '../src/index.js';
import { BACKENDS, ManualClock, testScope } from './helpers.js';

describe.each(BACKENDS)('the iteration on %s', (backend) => {
  const t = testScope();

  it('runs prepare, then (after the poll) check, then io of the same priority', () => {
    const loop = t.loop({ backend });
    const { r, w } = t.fds.pipe();
    const order: string[] = [];
    loop.prepare((_w, ev) => order.push(ev === PREPARE ? 'prepare' : '?')).start();
    loop.check((_w, ev) => order.push(ev === CHECK ? 'check' : '?')).start();
    loop.io(r, READ, () => order.push('io')).start();
    poke(w);
    loop.run('once');
    expect(order).toEqual(['prepare', 'check', 'io']);
  });

  it('delivers higher priorities first, and an event fed to a higher priority jumps the queue', () => {
    const clock = new ManualClock();
    const loop = t.loop({ backend, clock });
    const order: string[] = [];
    const high = loop.timer(10, 0, () => order.push('fed-high'), { priority: 2 });
    loop.timer(0, 0, () => order.push('low'), { priority: -2 }).start();
    loop.timer(0, 0, () => order.push('zero'), { priority: 0 }).start();
    loop
      .timer(
        0,
        0,
        () => {
          order.push('one');
          loop.feedEvent(high, TIMER); // delivered before the priority-0 timer
        },
        { priority: 1 },
      )
      .start();
    clock.advance(1);
    loop.run('nowait');
    expect(order).toEqual(['one', 'fed-high', 'zero', 'low']);
  });

  it('idle watchers run only when nothing of equal or higher priority is pending, and keep the loop from blocking', () => {
    const loop = t.loop({ backend });
    const hi = t.fds.pipe();
    const lo = t.fds.pipe();
    const order: string[] = [];
    loop.idle((_w, ev) => order.push(ev === IDLE ? 'idle' : '?')).start();
    loop.io(hi.r, READ, () => order.push('io+1'), { priority: 1 }).start();
    loop.io(lo.r, READ, () => order.push('io-1'), { priority: -1 }).start();
    poke(hi.w);
    loop.run('once');
    expect(order).toEqual(['io+1']); // something of higher priority was pending
    drain(hi.r);
    order.length = 0;
    poke(lo.w);
    loop.run('once');
    expect(order).toEqual(['idle', 'io-1']); // only lower priorities pending
    drain(lo.r);
    order.length = 0;
    // With an idle watcher active the poll does not wait for the hour-long timer.
    loop.timer(3600, 0, () => order.push('timer')).start();
    loop.run('once');
    expect(order).toEqual(['idle']);
  });

  it('idle watchers run at the highest priority level that has any, one level per iteration', () => {
    const loop = t.loop({ backend });
    const order: string[] = [];
    loop.idle(() => order.push('idle0')).start();
    loop.idle(() => order.push('idle1'), { priority: 1 }).start();
    loop.run('nowait');
    loop.run('nowait');
    expect(order).toEqual(['idle1', 'idle1']);
  });

  it("run('default') returns when no referenced watcher is left; ref/unref count like libev's", () => {
    const loop = t.loop({ backend });
    let fired = 0;
    loop.timer(0.001, 0, () => fired++).start();
    expect(loop.refCount).toBe(1);
    expect(loop.run()).toBe(false);
    expect(fired).toBe(1);
    // An unreferenced watcher does not keep run() going.
    const forever = loop
      .timer(3600, 0, () => {})
      .start()
      .unref();
    expect(loop.refCount).toBe(0);
    expect(loop.run()).toBe(false);
    expect(forever.isActive).toBe(true);
    forever.ref();
    expect(loop.refCount).toBe(1);
    loop.unref(); // libev's ev_unref after starting a watcher that should not count
    expect(loop.run()).toBe(false);
    loop.ref();
    forever.stop();
    expect(loop.refCount).toBe(0);
  });

  it("break('one') ends the innermost run, break('all') every nested one", () => {
    const loop = t.loop({ backend });
    const seen: string[] = [];
    let depthSeen = 0;
    loop
      .timer(0, 0.001, (w) => {
        if (loop.depth === 1) {
          seen.push('outer');
          loop.run(); // nested
          seen.push('back');
          w.stop();
        } else {
          depthSeen = loop.depth;
          seen.push('inner');
          loop.break('one');
        }
      })
      .start();
    loop.run();
    expect(seen).toEqual(['outer', 'inner', 'back']);
    expect(depthSeen).toBe(2);
    expect(loop.depth).toBe(0);

    const order: string[] = [];
    const tm = loop
      .timer(0, 0.001, () => {
        if (loop.depth === 1) {
          order.push('outer');
          loop.run();
          order.push('after-inner');
        } else {
          order.push('inner');
          loop.break('all');
        }
      })
      .start();
    expect(loop.run()).toBe(true); // broken out with the timer still active
    expect(order).toEqual(['outer', 'inner', 'after-inner']);
    tm.stop();
  });

  it('iteration counts polls; feedEvent and clearPending manage pending events', () => {
    const loop = t.loop({ backend });
    const start = loop.iteration;
    loop.run('nowait');
    loop.run('nowait');
    expect(loop.iteration).toBe(start + 2);
    const got: number[] = [];
    const w = loop.timer(100, 0, (_w, ev) => got.push(ev));
    loop.feedEvent(w, CUSTOM);
    loop.feedEvent(w, TIMER); // merged into the same pending event
    expect(w.isPending).toBe(true);
    expect(loop.pendingCount).toBe(1);
    loop.run('nowait');
    expect(got).toEqual([CUSTOM | TIMER]);
    loop.feedEvent(w, CUSTOM);
    expect(w.clearPending()).toBe(CUSTOM);
    expect(w.isPending).toBe(false);
    loop.run('nowait');
    expect(got).toHaveLength(1);
  });

  it('a callback exception propagates out of run() and leaves the loop usable with the rest pending', () => {
    const loop = t.loop({ backend });
    const clock: string[] = [];
    loop.timer(0, 0, () => clock.push('a'), { priority: -1 }).start();
    loop
      .timer(
        0,
        0,
        () => {
          throw new Error('boom');
        },
        { priority: 1 },
      )
      .start();
    expect(() => loop.run()).toThrow('boom');
    expect(loop.depth).toBe(0);
    expect(loop.pendingCount + loop.refCount).toBeGreaterThan(0);
    loop.run();
    expect(clock).toEqual(['a']);
  });

  it('priority can change on an active watcher; Symbol.dispose stops a watcher and destroys a loop', () => {
    const loop = t.loop({ backend });
    const order: string[] = [];
    const a = loop.idle(() => order.push('a')).start();
    loop.idle(() => order.push('b'), { priority: 1 }).start();
    a.priority = 2;
    expect(a.isActive).toBe(true);
    loop.run('nowait');
    expect(order).toEqual(['a']);
    a[Symbol.dispose]();
    expect(a.isActive).toBe(false);
    const other = t.loop({ backend });
    other[Symbol.dispose]();
    expect(other.destroyed).toBe(true);
  });
});

describe('time and backend features', () => {
  const t = testScope();

  it('now() is the wall time cached at the iteration; updateNow() reads the clocks again', () => {
    const clock = new ManualClock();
    const loop = t.loop({ clock });
    expect(loop.now()).toBe(clock.real);
    clock.advance(5);
    expect(loop.now()).toBe(clock.real - 5); // cached
    loop.updateNow();
    expect(loop.now()).toBe(clock.real);
    clock.advance(2);
    loop.run('nowait');
    expect(loop.now()).toBe(clock.real);
    const real = t.loop();
    expect(Math.abs(real.now() - Date.now() / 1000)).toBeLessThan(1);
  });

  it('kernel features can be switched off per backend, and the loop reports them', () => {
    const on = t.loop({ backend: 'iouring' });
    const off = t.loop({ backend: 'iouring', iouring: { multishot: false, extArg: false } });
    expect(on.features).toMatchObject({ multishot: true, extArg: true });
    expect(off.features).toMatchObject({ multishot: false, extArg: false });
    const aio = t.loop({ backend: 'linuxaio', linuxaio: { useRing: false } });
    expect(aio.backend).toBe('linuxaio');
    expect(Object.keys(aio.features).length).toBeGreaterThan(0);
  });
});
