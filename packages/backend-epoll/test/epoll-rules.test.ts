import { KILLED, Poller, READ, WRITE } from '@evring/backend';
import { FaultInjector, FdScope, poke, readableNow } from '@evring/backend/testing';
import * as sys from '@evring/sys';
import { afterEach, describe, expect, it } from 'vitest';
import { type EpollBackend, epollBackend } from '../src/index.js';

const scope = new FdScope();
const pollers: Poller[] = [];
function open(options: Parameters<typeof epollBackend.open>[1] = {}) {
  const seen = new Map<number, number>();
  const p = new Poller(
    epollBackend,
    (fd, r) => seen.set(fd, ((seen.get(fd) ?? 0) | r) >>> 0),
    options,
  );
  pollers.push(p);
  return { p, seen, backend: p.backend as EpollBackend };
}
afterEach(async () => {
  for (const p of pollers.splice(0)) p.destroy();
  await scope.dispose();
});

describe('epoll backend rules', () => {
  it('wakeFd: signalling it makes the epoll fd readable and reports nothing; it survives recreate()', async () => {
    const wake = scope.eventfd();
    const { p, seen, backend } = open({ wakeFd: wake });
    const { r, w } = scope.pipe();
    p.set(r, READ);
    p.poll(0); // the change reaches the kernel
    expect(backend.watching).toBe(true);
    for (let round = 0; round < 2; round++) {
      expect(readableNow(backend.fd)).toBe(false);
      sys.eventfdWrite(wake, 1);
      expect(readableNow(backend.fd)).toBe(true);
      p.poll(0); // takes the wake-up (edge-triggered: unread, it does not come back)
      expect(seen.size).toBe(0);
      expect(readableNow(backend.fd)).toBe(false);
      sys.eventfdRead(wake); // as an owner clears it before sleeping
      p.recreate(); // a new epoll set: the wake fd is registered in it again
    }
    poke(w);
    p.poll(0);
    expect(seen.get(r)).toBe(READ);
    p.set(r, 0);
    p.poll(0);
    expect(backend.watching).toBe(false);
  });

  it('(c) files epoll refuses (EPERM) go on the always-ready list and leave it with their interest', () => {
    const { p, seen, backend } = open();
    const file = scope.regularFile();
    const nul = scope.devNull();
    p.set(file, READ);
    p.set(nul, WRITE);
    p.poll(0);
    expect([...backend.alwaysReady].sort()).toEqual([file, nul].sort());
    expect(seen.get(file)).toBe(READ);
    expect(seen.get(nul)).toBe(WRITE);
    p.set(file, 0);
    p.set(nul, 0);
    p.poll(0);
    expect(backend.alwaysReady).toEqual([]);
    const t0 = performance.now();
    p.poll(30); // blocks again once the list is empty
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29);
  });

  it('(b) MOD on a number whose file the kernel dropped falls back to ADD', () => {
    const inj = new FaultInjector();
    const { p, seen } = open({ sys: inj.sys });
    const s = scope.socketpair();
    p.set(s.a, READ);
    p.poll(0);
    // Reopen the same number without telling the poller: it still thinks it is registered.
    scope.close(s.a);
    const extra: number[] = [];
    let e = -1;
    for (let i = 0; i < 32 && e !== s.a; i++) {
      e = sys.eventfd(0, 0o4000);
      if (e !== s.a) extra.push(e);
    }
    for (const x of extra) sys.close(x);
    scope.track(e);
    const before = inj.count('epollCtl');
    p.set(e, WRITE); // interest change -> MOD -> ENOENT -> ADD
    p.poll(0);
    expect(inj.count('epollCtl') - before).toBe(2);
    expect(seen.get(e)).toBe(WRITE);
  });

  it('(e) a full event buffer grows for the next wait', () => {
    const { p, seen } = open({ initialEvents: 2 });
    const fds = Array.from({ length: 40 }, () => scope.eventfd());
    for (const fd of fds) {
      p.set(fd, READ);
      poke(fd, true);
    }
    for (let i = 0; i < 10; i++) p.poll(0);
    expect(seen.size).toBe(40);
    seen.clear();
    p.poll(0); // by now one wait holds every ready fd
    expect(seen.size).toBe(40);
  });

  it('(g) removal is immediate: dropping interest costs one EPOLL_CTL_DEL, stop+restart in one iteration none', () => {
    const inj = new FaultInjector();
    const { p } = open({ sys: inj.sys });
    const { r } = scope.pipe();
    p.set(r, READ);
    p.poll(0);
    let before = inj.count('epollCtl');
    p.set(r, 0);
    p.set(r, READ);
    p.poll(0);
    expect(inj.count('epollCtl') - before).toBe(0);
    before = inj.count('epollCtl');
    p.set(r, 0);
    p.poll(0);
    expect(inj.count('epollCtl') - before).toBe(1);
  });

  it('(a) an event from a registration it no longer owns rebuilds the epoll set', () => {
    const { p, seen, backend } = open();
    const { r, w } = scope.pipe();
    const keep = sys.dup(r);
    scope.track(keep);
    p.set(r, READ);
    p.poll(0);
    scope.close(r); // the registration lives on through `keep`
    // The number comes back as an eventfd; its owner says so (touch) and wants WRITE.
    const extra: number[] = [];
    let e = -1;
    for (let i = 0; i < 32 && e !== r; i++) {
      e = sys.eventfd(0, 0o4000);
      if (e !== r) extra.push(e);
    }
    for (const x of extra) sys.close(x);
    scope.track(e);
    p.touch(e);
    p.set(e, WRITE);
    const epfdBefore = backend.fd;
    poke(w); // the old pipe registration fires with the old generation
    p.poll(50);
    expect(seen.get(e)).toBe(WRITE);
    expect(backend.fd).not.toBe(epfdBefore); // rebuilt
    seen.clear();
    p.set(e, 0);
    p.poll(0);
    // The stale registration is gone with the old set: an idle wait blocks again.
    const t0 = performance.now();
    p.poll(30);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29);
    expect(seen.size).toBe(0);
  });

  it('(h) EBADF from EPOLL_CTL kills the fd; the loop goes on', () => {
    const { p, seen } = open();
    const a = scope.pipe();
    p.set(99_999, READ);
    p.set(a.r, READ);
    poke(a.w);
    p.poll(0);
    expect(seen.get(99_999)).toBe(KILLED);
    expect(seen.get(a.r)).toBe(READ);
  });

  it('(f) an epoll_wait failure other than EINTR/EBADF/EINVAL surfaces as a typed error, state intact', () => {
    const inj = new FaultInjector();
    const { p, seen } = open({ sys: inj.sys });
    const { r, w } = scope.pipe();
    p.set(r, READ);
    poke(w);
    inj.inject({ call: 'epollWait', errno: 'ENOMEM' });
    expect(() => p.poll(0)).toThrow(
      expect.objectContaining({ code: 'ENOMEM', syscall: 'epoll_wait' }),
    );
    p.poll(0);
    expect(seen.get(r)).toBe(READ);
  });

  it('is created close-on-exec', () => {
    const { backend } = open();
    expect(sys.fcntl(backend.fd, 1) & 1).toBe(1);
  });
});
