import { EDGE, Poller, READ, WRITE } from '@evring/backend';
import {
  closeQuietly,
  drain,
  FaultInjector,
  FdScope,
  poke,
  readableNow,
} from '@evring/backend/testing';
import * as sys from '@evring/sys';
import { afterEach, describe, expect, it } from 'vitest';
import { type IoUringBackend, type IoUringOptions, iouringBackend } from '../src/index.js';

const scope = new FdScope();
const pollers: Poller[] = [];
function open(options: IoUringOptions = {}) {
  const seen = new Map<number, number>();
  let onEvent = (_fd: number, _r: number) => {};
  const p = new Poller(
    iouringBackend,
    (fd, r) => {
      seen.set(fd, ((seen.get(fd) ?? 0) | r) >>> 0);
      onEvent(fd, r);
    },
    options,
  );
  pollers.push(p);
  return {
    p,
    seen,
    ring: p.backend as IoUringBackend,
    on(fn: (fd: number, r: number) => void) {
      onEvent = fn;
    },
  };
}
afterEach(async () => {
  for (const p of pollers.splice(0)) p.destroy();
  await scope.dispose();
});

describe('level and edge under load', () => {
  it('level: a partial read is reported again, on every one of 100 pipes', () => {
    const { p, seen } = open();
    const pipes = Array.from({ length: 100 }, () => scope.pipe());
    for (const { r, w } of pipes) {
      p.set(r, READ);
      sys.write(w, Buffer.from('abc'));
    }
    for (let round = 0; round < 3; round++) {
      seen.clear();
      for (
        const end = performance.now() + 5000;
        seen.size < pipes.length && performance.now() < end;
      )
        p.poll(20);
      expect(seen.size).toBe(pipes.length);
      for (const { r } of pipes) expect(sys.read(r, Buffer.alloc(1))).toBe(1); // leave the rest
    }
  });

  it('EDGE on multishot: every arrival reported, nothing lost when arrivals coalesce', () => {
    const { p, ring, on } = open();
    expect(ring.features.multishot).toBe(true);
    const pipes = Array.from({ length: 100 }, () => scope.pipe());
    let drained = 0;
    on((fd) => {
      drained += drain(fd);
    });
    for (const { r } of pipes) p.set(r, READ | EDGE);
    p.poll(0);
    let written = 0;
    for (let round = 0; round < 20; round++) {
      for (const [i, { w }] of pipes.entries()) {
        for (let k = 0; k < 1 + ((i + round) % 3); k++) {
          poke(w);
          written++;
        }
      }
      for (const end = performance.now() + 5000; drained < written && performance.now() < end; )
        p.poll(20);
      expect(drained).toBe(written);
    }
    expect(ring.stats.multishotRearms).toBe(0); // the polls stayed armed all along
  });

  it("changing an EDGE watcher's mask updates its multishot poll in place (a plain ring)", () => {
    const { p, ring, seen } = open({ tracking: false });
    const { a, b } = scope.socketpair();
    p.set(a, READ | EDGE);
    p.poll(0);
    p.set(a, READ | WRITE | EDGE);
    p.poll(20);
    expect(ring.stats.pollUpdates).toBe(1);
    expect(seen.get(a)).toBe(WRITE);
    poke(b);
    seen.clear();
    for (const end = performance.now() + 5000; !seen.has(a) && performance.now() < end; )
      p.poll(20);
    expect((seen.get(a) ?? 0) & READ).toBe(READ);
  });
  it("on a tracking ring, an EDGE watcher's new mask that is ready at once is reported by the next poll", () => {
    // 6.18 answers an in-place update to a mask ready at once with EINVAL
    // on a DEFER_TASKRUN ring; a tracking ring removes and adds instead.
    const { p, ring, seen } = open({ tracking: true });
    expect(ring.features.tracking).toBe(true);
    expect(ring.config.pollUpdate).toBe(false);
    const { a } = scope.socketpair();
    p.set(a, READ | EDGE);
    p.poll(0);
    p.set(a, READ | WRITE | EDGE);
    p.poll(20);
    expect(seen.get(a)).toBe(WRITE);
    expect(ring.stats.pollUpdates).toBe(0);
  });
});

describe('overflow and a full SQ', () => {
  for (const nodrop of [true, false]) {
    it(`more ready fds than CQ entries: all reported (${nodrop ? 'NODROP flush' : 'ring re-created with a bigger CQ'})`, () => {
      const { p, seen, ring, on } = open({ entries: 8, cqEntries: 16, nodrop });
      const fds = Array.from({ length: 300 }, () => scope.eventfd());
      on((fd) => sys.eventfdRead(fd));
      for (const fd of fds) p.set(fd, READ);
      p.poll(0);
      for (const fd of fds) poke(fd, true);
      for (
        const end = performance.now() + 5000;
        seen.size < fds.length && performance.now() < end;
      )
        p.poll(20);
      expect(seen.size).toBe(fds.length);
      if (nodrop) expect(ring.stats.overflowFlushes).toBeGreaterThan(0);
      else expect(ring.stats.recreates).toBeGreaterThan(0);
    });
  }

  it('thousands of interest changes in one iteration: the SQ is flushed, never overflowed', () => {
    const { p, seen, ring } = open({ entries: 8, cqEntries: 16 });
    const fds = Array.from({ length: 3000 }, () => scope.eventfd());
    for (const fd of fds) p.set(fd, WRITE);
    for (
      const end = performance.now() + 5000;
      seen.size < fds.length && performance.now() < end;
    ) {
      seen.clear();
      p.poll(10);
    }
    expect(ring.stats.sqFlushes).toBeGreaterThan(100);
    seen.clear();
    for (const end = performance.now() + 5000; seen.size < fds.length && performance.now() < end; )
      p.poll(10);
    expect(seen.size).toBe(fds.length);
  }, 60_000);
});

describe('fallbacks and lost completions', () => {
  it('a poll the kernel refuses (EINVAL in the CQE) moves that fd to epoll', () => {
    let refuse = -1;
    const { p, seen, ring } = open({ faultCqe: (fd, res) => (fd === refuse ? -22 : res) });
    const { r, w } = scope.pipe();
    refuse = r;
    p.set(r, READ);
    poke(w);
    for (const end = performance.now() + 5000; !seen.has(r) && performance.now() < end; )
      p.poll(20);
    expect(ring.isFallback(r)).toBe(true);
    expect(ring.stats.fallbacks).toBe(1);
    expect(seen.get(r)).toBe(READ);
  });

  it('PRI watchers are served by the embedded epoll (io_uring misses urgent-data wake-ups)', async () => {
    const { p, seen, ring } = open();
    const tcp = await scope.tcp();
    p.set(tcp.server, READ | PRI_BIT);
    p.poll(0);
    expect(ring.isFallback(tcp.server)).toBe(true);
    tcp.sendOob();
    for (
      const end = performance.now() + 5000;
      !((seen.get(tcp.server) ?? 0) & PRI_BIT) && performance.now() < end;
    )
      p.poll(20);
    expect((seen.get(tcp.server) ?? 0) & PRI_BIT).toBe(PRI_BIT);
    p.set(tcp.server, READ);
    p.poll(0);
    expect(ring.isFallback(tcp.server)).toBe(false); // back on the ring
  });

  it('-EBADR (completions lost) re-creates the ring and re-arms everything', () => {
    const inj = new FaultInjector();
    const { p, seen, ring } = open({ sys: inj.sys });
    const pipes = [scope.pipe(), scope.pipe()];
    for (const { r } of pipes) p.set(r, READ);
    p.poll(0);
    inj.inject({ call: 'ioUringEnter', errno: 'EBADR' });
    p.poll(10);
    expect(ring.stats.recreates).toBe(1);
    for (const { w } of pipes) poke(w);
    for (const end = performance.now() + 5000; seen.size < 2 && performance.now() < end; )
      p.poll(20);
    for (const { r } of pipes) expect(seen.get(r)).toBe(READ);
  });
});

describe('syscall economy (counted through the sys layer)', () => {
  it('no io_uring_enter when completions are already waiting and the timeout is zero (a plain ring)', async () => {
    const inj = new FaultInjector();
    const { p, seen } = open({ sys: inj.sys, tracking: false });
    const pipes = Array.from({ length: 10 }, () => scope.pipe());
    for (const { r } of pipes) p.set(r, READ | EDGE);
    p.poll(0);
    for (const { w } of pipes) poke(w);
    await new Promise((res) => setTimeout(res, 20)); // completions land in the CQ meanwhile
    const before = inj.count('ioUringEnter');
    p.poll(0);
    expect(inj.count('ioUringEnter') - before).toBe(0);
    expect(seen.size).toBe(10);
  });

  it('on a tracking ring, one io_uring_enter collects completions the kernel deferred to it', async () => {
    // DEFER_TASKRUN on purpose: the kernel posts completions only inside an
    // enter of the ring's own thread, so a zero-timeout poll makes exactly one.
    // Not embedded: an embedded tracking ring watches fds through epoll (note p).
    const inj = new FaultInjector();
    const { p, seen, ring } = open({ sys: inj.sys, tracking: true, embedded: false });
    expect(ring.features.tracking).toBe(true);
    const pipes = Array.from({ length: 10 }, () => scope.pipe());
    for (const { r } of pipes) p.set(r, READ | EDGE);
    p.poll(0);
    for (const { w } of pipes) poke(w);
    await new Promise((res) => setTimeout(res, 20));
    const before = inj.count('ioUringEnter');
    p.poll(0);
    expect(inj.count('ioUringEnter') - before).toBe(1);
    expect(seen.size).toBe(10);
  });

  it('at most one io_uring_enter per iteration with ready fds (level, re-arms included)', () => {
    const inj = new FaultInjector();
    const { p, on } = open({ sys: inj.sys });
    const pipes = Array.from({ length: 50 }, () => scope.pipe());
    for (const { r, w } of pipes) {
      p.set(r, READ);
      poke(w);
    }
    p.poll(0);
    on(() => {});
    let worst = 0;
    for (let i = 0; i < 20; i++) {
      const before = inj.count('ioUringEnter');
      p.poll(50);
      worst = Math.max(worst, inj.count('ioUringEnter') - before);
    }
    expect(worst).toBe(1);
  });
});

const PRI_BIT = 4;

describe('an embedded tracking ring (what an attached loop sleeps on)', () => {
  // Measured on 6.18, in C too: a DEFER_TASKRUN ring signals its registered
  // eventfd 15-30 ms after a POLL_ADD completes, and never wakes a poller
  // of its own fd. Readiness goes through the embedded epoll (note p).
  it('its pollable fd is readable the instant a watched fd is ready, not after a deferred signal', () => {
    const { p, seen, ring } = open({ tracking: true });
    expect(ring.features.tracking).toBe(true);
    expect(ring.features.epollReadiness).toBe(true);
    const { r, w } = scope.pipe();
    p.set(r, READ);
    p.poll(0);
    expect(p.flush()).toBe(false); // about to sleep on the fd: nothing waiting
    expect(readableNow(ring.fd)).toBe(false);
    poke(w);
    expect(readableNow(ring.fd)).toBe(true);
    p.poll(0);
    expect(seen.get(r)).toBe(READ);
  });

  it('a readiness event costs no io_uring_enter while no operation is in flight', () => {
    const inj = new FaultInjector();
    const { p, seen } = open({ sys: inj.sys, tracking: true });
    const { r, w } = scope.pipe();
    p.set(r, READ);
    p.poll(0);
    p.flush();
    poke(w);
    const before = inj.count('ioUringEnter');
    p.poll(0);
    expect(seen.get(r)).toBe(READ);
    expect(inj.count('ioUringEnter') - before).toBe(0);
  });

  it('a standalone tracking ring keeps readiness on the ring', () => {
    const { ring } = open({ tracking: true, embedded: false });
    expect(ring.features.epollReadiness).toBe(false);
  });
});

describe('how the ring is entered', () => {
  for (const registerRing of [true, false]) {
    it(`through ${registerRing ? 'a registered ring slot (the default on 5.18+)' : "sys's private fd (registerRing: false)"}, whatever happens to the public fd`, () => {
      const { p, seen, ring } = open({ registerRing });
      expect(ring.features.registeredRing).toBe(registerRing);
      const { r, w } = scope.pipe();
      p.set(r, READ);
      poke(w);
      const deadline = performance.now() + 2000;
      while (!seen.has(r) && performance.now() < deadline) p.poll(20);
      expect(seen.get(r)).toBe(READ);
      closeQuietly(ring.fd); // behind sys's back: only polling the ring fd is lost
      seen.clear();
      const deadline2 = performance.now() + 2000;
      while (!seen.has(r) && performance.now() < deadline2) p.poll(20);
      expect(seen.get(r)).toBe(READ);
    });
  }
});
