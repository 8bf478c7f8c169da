import { describe, expect, it } from 'vitest';
import { PERIODIC, type PeriodicWatcher, TIMER } from '../src/index.js';
import { PendingQueues } from '../src/pending.js';
import { MAX_BLOCKTIME, Timers } from '../src/timers.js';
import type { TimerWatcher } from '../src/watchers/timer.js';
import { BACKENDS, ManualClock, testScope } from './helpers.js';

describe.each(BACKENDS)('timers and periodics on %s', (backend) => {
  const t = testScope();

  it('timers fire in order of expiry, whatever the order they were started in', () => {
    const clock = new ManualClock();
    const loop = t.loop({ backend, clock });
    const fired: number[] = [];
    for (const after of [0.5, 0.1, 0.9, 0.3, 0.7, 0.2, 0.6, 0.4, 0.8]) {
      loop
        .timer(after, 0, (_w, ev) => {
          expect(ev).toBe(TIMER);
          fired.push(after);
        })
        .start();
    }
    clock.advance(1);
    loop.run('nowait');
    expect(fired).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(loop.run('nowait')).toBe(false); // one-shot timers stop after firing
  });

  it("stopped and started again, a timer resumes the time it had left (libev's ev_timer_stop)", () => {
    const clock = new ManualClock();
    const loop = t.loop({ backend, clock });
    let fired = 0;
    const w = loop.timer(1, 0, () => fired++).start();
    clock.advance(0.4);
    loop.run('nowait');
    w.stop();
    expect(w.remaining()).toBeCloseTo(0.6, 9);
    clock.advance(5); // time passing while stopped does not count
    w.start();
    expect(w.remaining()).toBeCloseTo(0.6, 9);
    clock.advance(0.5);
    loop.run('nowait');
    expect(fired).toBe(0);
    clock.advance(0.2);
    loop.run('nowait');
    expect(fired).toBe(1);
  });

  it('set() starts the count afresh; an expired one-shot restarts with its full `after` (unlike libev)', () => {
    const clock = new ManualClock();
    const loop = t.loop({ backend, clock });
    let fired = 0;
    const w = loop.timer(1, 0, () => fired++).start();
    clock.advance(0.7);
    loop.run('nowait');
    w.stop();
    w.set(1, 0);
    expect(w.remaining()).toBe(1);
    w.start();
    clock.advance(1.1);
    loop.run('nowait');
    expect(fired).toBe(1);
    // libev would keep the overdue remainder and fire at once; evring waits `after` again,
    // so restarting a timer from its own callback does not spin.
    expect(w.remaining()).toBe(1);
    w.start();
    loop.run('nowait');
    expect(fired).toBe(1);
    clock.advance(1.01);
    loop.run('nowait');
    expect(fired).toBe(2);
  });

  it('a timer fires only once due; a repeating one goes on every `repeat` seconds', () => {
    const clock = new ManualClock();
    const loop = t.loop({ backend, clock });
    let once = 0;
    let rep = 0;
    const a = loop.timer(1, 0, () => once++).start();
    const b = loop.timer(0.5, 0.25, () => rep++).start();
    clock.advance(0.4);
    loop.run('nowait');
    expect([once, rep]).toEqual([0, 0]);
    clock.advance(0.2); // 0.6
    loop.run('nowait');
    expect([once, rep]).toEqual([0, 1]);
    expect(b.remaining()).toBeCloseTo(0.15, 9);
    clock.advance(0.5); // 1.1: a due, b due once (missed expiries are not replayed)
    loop.run('nowait');
    expect([once, rep]).toEqual([1, 2]);
    expect(a.isActive).toBe(false);
    expect(b.isActive).toBe(true);
  });

  it('again() restarts a repeating timer from now and stops one without repeat', () => {
    const clock = new ManualClock();
    const loop = t.loop({ backend, clock });
    let fired = 0;
    const idle = loop.timer(0, 2, () => fired++);
    idle.again(); // inactive with repeat: starts with `repeat` as its timeout
    expect(idle.isActive).toBe(true);
    for (let i = 0; i < 5; i++) {
      clock.advance(1.5);
      loop.run('nowait');
      idle.again(); // activity: the timeout moves away again
    }
    expect(fired).toBe(0);
    clock.advance(2.5);
    loop.run('nowait');
    expect(fired).toBe(1);
    idle.repeat = 0;
    idle.again();
    expect(idle.isActive).toBe(false);
  });

  it('the wait blocks until the nearest timer, not longer', () => {
    const loop = t.loop({ backend });
    let fired = false;
    // Read before start(): the timer counts from its start, and a thread
    // descheduled between the two on a busy machine must not make it look early.
    const t0 = performance.now();
    loop.timer(0.03, 0, () => (fired = true)).start();
    expect(loop.run()).toBe(false);
    expect(fired).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29); // it did wait for the timer
  });

  it('periodics: an absolute time, an aligned interval, and a reschedule callback', () => {
    const clock = new ManualClock();
    clock.real = 1000.25;
    const loop = t.loop({ backend, clock });
    const log: string[] = [];
    const abs = loop
      .periodic(1002, 0, (_w, ev) => {
        expect(ev).toBe(PERIODIC);
        log.push('abs');
      })
      .start();
    const every = loop.periodic(0.5, 1, (w) => log.push(`every@${w.at}`)).start();
    expect(every.at).toBe(1000.5); // aligned to offset 0.5 on a 1 s grid, after now
    const custom = loop
      .periodic(
        0,
        0,
        () => log.push('custom'),
        (_w, now) => Math.floor(now) + 3,
      )
      .start();
    expect(custom.at).toBe(1003);
    clock.advance(1); // 1001.25
    loop.run('nowait');
    expect(log).toEqual(['every@1001.5']);
    expect(every.at).toBe(1001.5);
    clock.advance(1); // 1002.25
    loop.run('nowait');
    expect(log.slice(1).sort()).toEqual(['abs', 'every@1002.5']);
    expect(abs.isActive).toBe(false); // an absolute periodic fires once
    clock.advance(1); // 1003.25
    loop.run('nowait');
    expect(log.slice(3).sort()).toEqual(['custom', 'every@1003.5']);
    expect(custom.at).toBe(1006);
  });

  it('periodics follow a wall-clock jump; timers do not', () => {
    const clock = new ManualClock();
    clock.real = 5000;
    const loop = t.loop({ backend, clock });
    let periodic = 0;
    let timer = 0;
    const p = loop.periodic(0, 60, () => periodic++).start();
    loop.timer(30, 0, () => timer++).start();
    expect(p.at).toBe(5040);
    clock.real += 3600; // the wall clock is set an hour ahead
    loop.run('nowait');
    // As libev: the wall clock is read again only once monotonic time has
    // moved half a second, so the jump is not seen yet.
    expect(p.at).toBe(5040);
    clock.advance(0.5);
    loop.run('nowait');
    expect(timer).toBe(0);
    expect(periodic).toBe(0); // rescheduled onto the new time, not fired for every missed minute
    expect(p.at).toBe(8640);
    clock.real -= 7200; // and two hours back
    clock.advance(0.5);
    loop.run('nowait');
    expect(p.at).toBe(1440);
    expect(periodic).toBe(0);
    clock.advance(30);
    loop.run('nowait');
    expect(timer).toBe(1);
  });

  it('between wall-clock reads, now() follows the monotonic clock from the last offset', () => {
    const clock = new ManualClock();
    const loop = t.loop({ backend, clock });
    const start = loop.now();
    clock.mono += 0.25; // the wall clock is not asked: it stands still here, on purpose
    loop.updateNow();
    expect(loop.now()).toBe(start + 0.25);
    clock.mono += 0.25; // half a second since the last read: asked again
    loop.updateNow();
    expect(loop.now()).toBe(clock.real);
  });

  it('a reschedule callback returning a time not in the future is a typed error, and stops the watcher', () => {
    const clock = new ManualClock();
    const loop = t.loop({ backend, clock });
    let calls = 0;
    const bad = loop
      .periodic(
        0,
        0,
        () => {},
        (_w: PeriodicWatcher, now: number) => (calls++ === 0 ? now + 1 : now),
      )
      .start();
    clock.advance(2);
    expect(() => loop.run('nowait')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    expect(bad.isActive).toBe(false);
    expect(loop.run('nowait')).toBe(false); // usable afterwards
  });
});

describe('the wait a loop asks of its backend', () => {
  function timersAt(clock: ManualClock): Timers {
    const pending = new PendingQueues({
      _pending: 0,
      _pendingQueue: 0,
      _queue: 0,
      _invoke(): void {},
    });
    return new Timers(clock, pending, () => true);
  }
  function due(at: number): TimerWatcher {
    return { _at: at, _heapIndex: -1 } as TimerWatcher;
  }

  it('is whole milliseconds, rounded up: never shorter than the time to the timer', () => {
    const clock = new ManualClock();
    const timers = timersAt(clock);
    expect(timers.waitMs()).toBe(Math.ceil(MAX_BLOCKTIME * 1000)); // nothing scheduled
    expect(timers.nextDueMs()).toBe(Number.POSITIVE_INFINITY);
    const w = due(clock.mono + 0.0123);
    timers.startTimer(Object.assign(w, { _left: 0.0123 }));
    expect(timers.waitMs()).toBe(13); // 12.3 ms: 13, not 12
    expect(timers.nextDueMs()).toBe(13);
    clock.advance(0.0122999);
    timers.update();
    expect(timers.waitMs()).toBe(1); // a sliver left is a millisecond, not 0
    clock.advance(0.01);
    timers.update();
    expect(timers.waitMs()).toBe(0); // overdue: no wait
    for (const ms of [1, 250, 59_000]) {
      const t = timersAt(clock);
      t.startTimer(Object.assign(due(0), { _left: ms / 1000 }));
      expect(Number.isInteger(t.waitMs())).toBe(true);
      expect(t.waitMs()).toBe(ms);
    }
  });
});
