/**
 * Syscall economy when completions keep arriving: an owner that runs its
 * callbacks after poll returns (as @evring/loop does) queues each re-arm
 * while the next completion already sits in the user-space ring. poll() then
 * returns it without io_submit or epoll_wait; the queued iocbs go with a
 * later wait, a flush, or once 32 of them are queued. Fds served by the
 * embedded epoll (refused by aio) turn this off: they need the epoll_wait.
 */

import type { Poller } from '@evring/backend';
import { FdScope, tokenRing } from '@evring/backend/testing';
import * as sys from '@evring/sys';
import { afterEach, describe, expect, it } from 'vitest';
import { type LinuxAioBackend, linuxaioBackend } from '../src/index.js';

const scope = new FdScope();
const pollers: Poller[] = [];
afterEach(async () => {
  for (const p of pollers.splice(0)) p.destroy();
  await scope.dispose();
});

const ONE = Buffer.from('e');
const SCRATCH = Buffer.alloc(1);

function chain(n: number, others: number[] = []) {
  const ring = tokenRing(linuxaioBackend, scope, n, others);
  pollers.push(ring.poller);
  const served = () => [...ring.served.values()].reduce((a, b) => a + b, 0);
  return { ...ring, p: ring.poller, served, aio: ring.poller.backend as LinuxAioBackend };
}

const waitsAndSubmits = (): number => {
  const c = sys.syscallCounts();
  return c.io_submit! + c.epoll_wait! + c.io_getevents!;
};

describe('linuxaio: queued iocbs wait while completions are waiting', () => {
  it('one active fd: a small fraction of io_submit/epoll_wait per event instead of two', () => {
    const { pipes, iterate, served, aio } = chain(16);
    sys.write(pipes[0]!.w, ONE, 0, 1);
    iterate(1000);
    sys.resetSyscallCounts();
    const before = served();
    for (let i = 0; i < 2000; i++) iterate(1000);
    const events = served() - before;
    expect(events).toBeGreaterThan(1000);
    expect(waitsAndSubmits() / events).toBeLessThan(0.5);
    expect(aio.stats.submitsDeferred).toBeGreaterThan(events / 2);
  });

  it('a re-armed fd is watched again soon, while other fds keep completions coming', () => {
    const quiet = scope.pipe();
    const { pipes, iterate, otherEvents } = chain(4, [quiet.r]);
    sys.write(pipes[0]!.w, ONE, 0, 1);
    sys.write(quiet.w, ONE, 0, 1);
    for (let i = 0; i < 10 && otherEvents.length === 0; i++) iterate(1000);
    expect(otherEvents.splice(0)).toEqual([quiet.r]);
    expect(sys.read(quiet.r, SCRATCH, 0, 1)).toBe(1);
    sys.write(quiet.w, ONE, 0, 1);
    let iterations = 0;
    while (otherEvents.length === 0 && iterations < 200) {
      iterate(1000);
      iterations++;
    }
    expect(otherEvents).toEqual([quiet.r]);
    expect(iterations).toBeLessThanOrEqual(32 + 2);
  });

  it('with an fd on the embedded epoll, every poll still looks at epoll', () => {
    const { master, slave } = scope.pty(); // aio refuses to poll a pty: it falls back to epoll
    const { p, pipes, iterate, aio } = chain(4, [master]);
    for (let i = 0; i < 5; i++) iterate(0);
    expect(aio.isFallback(master)).toBe(true);
    sys.write(pipes[0]!.w, ONE, 0, 1);
    iterate(1000);
    const deferred0 = aio.stats.submitsDeferred;
    for (let i = 0; i < 50; i++) iterate(1000);
    expect(aio.stats.submitsDeferred).toBe(deferred0);
    expect(p.backend.destroyed).toBe(false);
    void slave;
  });

  it('flush() submits every queued iocb', () => {
    const { p, pipes, iterate, aio } = chain(8);
    sys.write(pipes[0]!.w, ONE, 0, 1);
    iterate(1000);
    const deferred0 = aio.stats.submitsDeferred;
    for (let i = 0; i < 4 && aio.stats.submitsDeferred === deferred0; i++) iterate(1000);
    expect(aio.stats.submitsDeferred).toBeGreaterThan(deferred0);
    sys.resetSyscallCounts();
    p.flush();
    expect(sys.syscallCounts().io_submit).toBe(1);
    sys.resetSyscallCounts();
    p.flush();
    expect(sys.syscallCounts().io_submit).toBe(0);
  });
});
