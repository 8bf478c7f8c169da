/**
 * Syscall economy when completions keep arriving: an owner that runs its
 * callbacks after poll returns (as @evring/loop does) queues each re-arm
 * while the next completion already waits. poll() then returns that
 * completion without entering the kernel, and the queued SQEs go with a
 * later wait, a flush, or once SUBMIT_DEFER_LIMIT (32) of them are queued.
 */

import type { Poller } from '@evring/backend';
import { FdScope, tokenRing } from '@evring/backend/testing';
import * as sys from '@evring/sys';
import { afterEach, describe, expect, it } from 'vitest';
import { type IoUringBackend, iouringBackend } from '../src/index.js';

const scope = new FdScope();
const pollers: Poller[] = [];
afterEach(async () => {
  for (const p of pollers.splice(0)) p.destroy();
  await scope.dispose();
});

const ONE = Buffer.from('e');
const SCRATCH = Buffer.alloc(1);

function chain(n: number, others: number[] = []) {
  const ring = tokenRing(iouringBackend, scope, n, others);
  pollers.push(ring.poller);
  return { ...ring, p: ring.poller, backend: ring.poller.backend as IoUringBackend };
}

function enters(): number {
  return sys.syscallCounts().io_uring_enter!;
}

describe('io_uring: queued SQEs wait while completions are waiting', () => {
  it('one active fd: about one io_uring_enter per 32 events instead of one per event', () => {
    const { pipes, served, iterate, backend } = chain(16);
    sys.write(pipes[0]!.w, ONE, 0, 1);
    iterate(1000);
    sys.resetSyscallCounts();
    const events = 2000;
    for (let i = 0; i < events; i++) iterate(1000);
    const perEvent = enters() / events;
    expect(perEvent).toBeLessThan(0.1);
    expect(backend.stats.submitsDeferred).toBeGreaterThan(events / 2);
    // Every fd in the ring was served in turn: nothing starved, nothing lost.
    for (const { r } of pipes) expect(served.get(r)).toBeGreaterThanOrEqual(events / 16 - 1);
  });

  it('with a zero timeout the kernel is entered only when no completion was waiting', () => {
    const { pipes, iterate, backend } = chain(8);
    sys.write(pipes[0]!.w, ONE, 0, 1);
    iterate(1000);
    sys.resetSyscallCounts();
    const deferred0 = backend.stats.submitsDeferred;
    const polls = 400;
    for (let i = 0; i < polls; i++) iterate(0);
    const deferred = backend.stats.submitsDeferred - deferred0;
    // Each poll either found a completion and deferred (no syscall), or found
    // none and entered once to submit and collect: never both, never more.
    expect(enters()).toBeLessThanOrEqual(polls - deferred);
    expect(deferred).toBeGreaterThan(polls / 2);
  });

  it('a re-armed fd is watched again soon, while other fds keep completions coming', () => {
    const quiet = scope.pipe();
    const { pipes, iterate, otherEvents, backend } = chain(4, [quiet.r]);
    sys.write(pipes[0]!.w, ONE, 0, 1);
    sys.write(quiet.w, ONE, 0, 1);
    for (let i = 0; i < 10 && otherEvents.length === 0; i++) iterate(1000);
    expect(otherEvents.splice(0)).toEqual([quiet.r]);
    // Its re-arm is now queued behind the chain's completions; data arrives again.
    expect(sys.read(quiet.r, SCRATCH, 0, 1)).toBe(1);
    sys.write(quiet.w, ONE, 0, 1);
    const deferred0 = backend.stats.submitsDeferred;
    let iterations = 0;
    while (otherEvents.length === 0 && iterations < 200) {
      iterate(1000);
      iterations++;
    }
    expect(otherEvents).toEqual([quiet.r]);
    expect(backend.stats.submitsDeferred).toBeGreaterThan(deferred0); // re-arms did wait behind the chain
    expect(iterations).toBeLessThanOrEqual(32 + 2);
  });

  it('flush() hands every queued SQE to the kernel, so an attached owner may sleep on the ring fd', () => {
    const { p, pipes, iterate, backend } = chain(8);
    sys.write(pipes[0]!.w, ONE, 0, 1);
    iterate(1000);
    const deferredBefore = backend.stats.submitsDeferred;
    iterate(1000); // leaves the last callback's re-arm queued
    expect(backend.stats.submitsDeferred).toBeGreaterThan(deferredBefore);
    sys.resetSyscallCounts();
    p.flush();
    expect(enters()).toBe(1);
    sys.resetSyscallCounts();
    p.flush();
    expect(enters()).toBe(0); // nothing left to hand over
  });
});
