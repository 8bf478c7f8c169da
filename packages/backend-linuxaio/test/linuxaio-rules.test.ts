import { EPOLL_CLOEXEC, EPOLL_CTL_ADD, EPOLLIN } from '@evring/abi';
import { FdTable, Poller, READ, realSys, WRITE } from '@evring/backend';
import { drain, FaultInjector, FdScope, poke } from '@evring/backend/testing';
import * as sysCalls from '@evring/sys';
import { afterEach, describe, expect, it } from 'vitest';
import {
  contextSize,
  type LinuxAioBackend,
  type LinuxAioOptions,
  linuxaioBackend,
  parseRelease,
} from '../src/index.js';

const scope = new FdScope();
const pollers: Poller[] = [];
function open(options: LinuxAioOptions = {}) {
  const seen = new Map<number, number>();
  const p = new Poller(
    linuxaioBackend,
    (fd, r) => seen.set(fd, ((seen.get(fd) ?? 0) | r) >>> 0),
    options,
  );
  pollers.push(p);
  const until = (fd: number, ms = 2000) => {
    const end = performance.now() + ms;
    seen.delete(fd);
    while (!seen.has(fd) && performance.now() < end) p.poll(20);
    return seen.get(fd) ?? 0;
  };
  return { p, seen, until, aio: p.backend as LinuxAioBackend };
}
afterEach(async () => {
  for (const p of pollers.splice(0)) p.destroy();
  await scope.dispose();
});

describe('per-fd fallback to epoll (EINVAL)', () => {
  it('a pty the kernel will not aio-poll for POLLIN moves to epoll, transparently, and back', () => {
    const { p, until, aio } = open();
    const { master, slave } = scope.pty();
    p.set(master, READ);
    p.poll(0);
    expect(aio.isFallback(master)).toBe(true);
    expect(aio.stats.fallbacks).toBe(1);
    poke(slave);
    expect(until(master)).toBe(READ);
    drain(master);
    p.set(master, 0);
    p.poll(0);
    expect(aio.isFallback(master)).toBe(false);
  });

  it('an injected EINVAL does the same for a pipe', () => {
    const inj = new FaultInjector();
    const { p, until, seen, aio } = open({ sys: inj.sys });
    const { r, w } = scope.pipe();
    inj.inject({ call: 'ioSubmit', errno: 'EINVAL' });
    p.set(r, READ);
    p.poll(0);
    expect(aio.isFallback(r)).toBe(true);
    const waitsBefore = inj.count('epollWait');
    poke(w);
    // A non-blocking poll goes through the embedded epoll while a fd is there
    // (not the direct read of the completion eventfd).
    const end = performance.now() + 2000;
    while (!seen.has(r) && performance.now() < end) p.poll(0);
    expect(seen.get(r)).toBe(READ);
    expect(inj.count('epollWait') - waitsBefore).toBeGreaterThan(0);
    expect(until(r)).toBe(READ);
    expect(until(r)).toBe(READ); // level through epoll too
  });
});

describe('a full context (EAGAIN)', () => {
  it('a tiny context grows, then the whole backend switches to epoll with every watcher still delivering', () => {
    const { p, seen, aio } = open({ initialRequests: 1, maxRequests: 200 });
    const fds = Array.from({ length: 300 }, () => scope.eventfd());
    for (const fd of fds) p.set(fd, READ);
    for (let i = 0; i < 20; i++) p.poll(0);
    expect(aio.stats.grows).toBeGreaterThan(0);
    expect(aio.allEpoll).toBe(true);
    expect(aio.features.allEpoll).toBe(true);
    for (const fd of fds) poke(fd, true);
    for (const end = performance.now() + 5000; seen.size < fds.length && performance.now() < end; )
      p.poll(20);
    expect(seen.size).toBe(fds.length);
    for (const fd of fds) expect(seen.get(fd)).toBe(READ);
  });

  it('growing works without giving up when the kernel allows it', () => {
    const { p, seen, aio } = open({ initialRequests: 1 });
    const fds = Array.from({ length: 200 }, () => scope.eventfd());
    for (const fd of fds) p.set(fd, READ);
    for (let i = 0; i < 20; i++) p.poll(0);
    expect(aio.stats.grows).toBeGreaterThan(0);
    expect(aio.allEpoll).toBe(false);
    for (const fd of fds) poke(fd, true);
    for (const end = performance.now() + 5000; seen.size < fds.length && performance.now() < end; )
      p.poll(20);
    expect(seen.size).toBe(fds.length);
  });

  it('an injected EAGAIN that never clears ends in epoll for everything', () => {
    const inj = new FaultInjector();
    inj.inject({ call: 'ioSubmit', errno: 'EAGAIN', times: Number.POSITIVE_INFINITY });
    const { p, until, aio } = open({ sys: inj.sys, maxRequests: 4000 });
    const pipes = [scope.pipe(), scope.pipe()];
    for (const { r } of pipes) p.set(r, READ);
    for (let i = 0; i < 10; i++) p.poll(0);
    expect(aio.allEpoll).toBe(true);
    for (const { r, w } of pipes) {
      poke(w);
      expect(until(r)).toBe(READ);
    }
  });

  it('an injected io_setup failure while growing also ends in epoll', () => {
    const inj = new FaultInjector();
    const { p, until, aio } = open({ sys: inj.sys });
    inj.inject({ call: 'ioSubmit', errno: 'EAGAIN' });
    inj.inject({ call: 'ioSetup', errno: 'EAGAIN' });
    const { r, w } = scope.pipe();
    p.set(r, READ);
    for (let i = 0; i < 5; i++) p.poll(0);
    expect(aio.allEpoll).toBe(true);
    poke(w);
    expect(until(r)).toBe(READ);
  });
});

describe('reading completions', () => {
  it('from the mapped ring: no io_getevents at all', () => {
    const inj = new FaultInjector();
    const { p, until, aio } = open({ sys: inj.sys });
    expect(aio.features.ring).toBe(true);
    const { r, w } = scope.pipe();
    p.set(r, READ);
    poke(w);
    expect(until(r)).toBe(READ);
    expect(aio.stats.ringReaps).toBeGreaterThan(0);
    expect(inj.count('ioGetevents')).toBe(0);
  });

  it('through io_getevents when the ring is not used', () => {
    const inj = new FaultInjector();
    const { p, until, aio } = open({ sys: inj.sys, useRing: false });
    expect(aio.features.ring).toBe(false);
    const { r, w } = scope.pipe();
    p.set(r, READ);
    poke(w);
    expect(until(r)).toBe(READ);
    expect(aio.stats.geteventsReaps).toBeGreaterThan(0);
    expect(inj.count('ioGetevents')).toBeGreaterThan(0);
  });

  it('embedded, with only the completion eventfd to report: a non-blocking poll reads the eventfd, with no epoll_wait, and leaves the backend fd quiet', () => {
    const inj = new FaultInjector();
    const { p, seen } = open({ sys: inj.sys });
    const { r, w } = scope.pipe();
    p.set(r, READ);
    p.poll(0); // the poll iocb goes in
    const outer = sysCalls.epollCreate1(EPOLL_CLOEXEC); // as Node's loop watches the backend
    scope.track(outer);
    sysCalls.epollCtl(outer, EPOLL_CTL_ADD, p.backend.fd, EPOLLIN, 0, 0);
    const events = new Uint8Array(12 * 4);
    const waitsBefore = inj.count('epollWait');
    poke(w);
    const end = performance.now() + 2000;
    while (!seen.has(r) && performance.now() < end) {
      sysCalls.epollWait(outer, events, 4, 20); // sleeps until the eventfd says so
      p.poll(0);
    }
    expect(seen.get(r)).toBe(READ);
    expect(inj.count('epollWait') - waitsBefore).toBe(0);
    expect(inj.count('eventfdRead')).toBeGreaterThan(0);
    // The eventfd was read: Node's poll of the backend fd has nothing to wake for.
    drain(r);
    p.poll(0);
    expect(sysCalls.epollWait(outer, events, 4, 0)).toBe(0);
  });

  it('batches every change of an iteration into one io_submit', () => {
    const inj = new FaultInjector();
    const { p } = open({ sys: inj.sys });
    const fds = Array.from({ length: 50 }, () => scope.eventfd());
    for (const fd of fds) p.set(fd, READ | WRITE);
    const before = inj.count('ioSubmit');
    p.poll(0);
    expect(inj.count('ioSubmit') - before).toBe(1);
  });

  it('changing an armed fd cancels its poll (EINPROGRESS is success) and the old completion is dropped', () => {
    const inj = new FaultInjector();
    const { p, until, seen } = open({ sys: inj.sys });
    const { a, b } = scope.socketpair();
    p.set(a, READ);
    p.poll(0);
    const cancels = inj.count('ioCancel');
    p.set(a, WRITE);
    p.poll(0);
    expect(inj.count('ioCancel') - cancels).toBe(1);
    poke(b); // the cancelled READ poll must not surface
    seen.clear();
    expect(until(a)).toBe(WRITE);
    for (let i = 0; i < 3; i++) p.poll(10);
    expect(seen.get(a)).toBe(WRITE);
  });
});

describe('what the kernel must offer', () => {
  it('needs linux 4.19: an older kernel gives "unavailable" with the reason', () => {
    const sys = { ...realSys, kernelRelease: () => '4.18.20-old' };
    const owner = {
      fds: new FdTable(),
      fdEvent() {},
      fdKill() {},
      rearmAll() {},
    };
    const r = linuxaioBackend.open(owner, { sys });
    expect(r.backend).toBeUndefined();
    if (!r.backend) expect(r.reason).toMatch(/4\.18\.20-old is older than 4\.19/);
    expect(parseRelease('6.18.44-fc-v769')).toEqual([6, 18, 44]);
  });

  it('sizes contexts to fill whole ring pages', () => {
    for (const n of [1, 15, 100, 1000, 20000]) {
      const size = contextSize(n);
      expect(size).toBeGreaterThanOrEqual(Math.max(15, n));
      const used = 32 + (2 * size + 2) * 32; // header + the events the kernel keeps
      const unused = Math.ceil(used / 4096) * 4096 - used;
      expect(unused).toBeLessThan(64); // less than two io_events of the last page go to waste
    }
  });
});
