import { closeSync, openSync } from 'node:fs';
import {
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLL_CTL_DEL,
  EPOLL_CTL_MOD,
  EPOLL_EVENT_SIZE,
  EPOLLET,
  EPOLLIN,
  EPOLLOUT,
  epollEventDataHi,
  epollEventDataLo,
  epollEventEvents,
  errno,
  O_CLOEXEC,
  O_NONBLOCK,
} from '@evring/abi';
import { describe, expect, it } from 'vitest';
import {
  close,
  epollCreate1,
  epollCtl,
  epollWait,
  fcntl,
  pipe2,
  read,
  write,
} from '../src/index.js';

describe('epoll', () => {
  it('creates close-on-exec', () => {
    const ep = epollCreate1(EPOLL_CLOEXEC);
    expect(fcntl(ep, 1 /* F_GETFD */) & 1).toBe(1);
    close(ep);
  });

  it('a pipe round trip: data halves come back as given', () => {
    const ep = epollCreate1(EPOLL_CLOEXEC);
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const out = new Uint8Array(8 * EPOLL_EVENT_SIZE);
    const view = new DataView(out.buffer);
    try {
      expect(epollCtl(ep, EPOLL_CTL_ADD, r, EPOLLIN, r, 0xdeadbeef)).toBe(0);
      expect(epollWait(ep, out, 8, 0)).toBe(0);
      write(w, Buffer.from('ab'));
      expect(epollWait(ep, out, 8, 100)).toBe(1);
      expect(epollEventEvents(view, 0)).toBe(EPOLLIN);
      expect(epollEventDataLo(view, 0)).toBe(r);
      expect(epollEventDataHi(view, 0)).toBe(0xdeadbeef);
      // Level-triggered: still readable.
      expect(epollWait(ep, out, 8, 0)).toBe(1);
      // Edge-triggered after MOD: reported once.
      expect(epollCtl(ep, EPOLL_CTL_MOD, r, EPOLLIN | EPOLLET, r, 1)).toBe(0);
      expect(epollWait(ep, out, 8, 0)).toBe(1);
      expect(epollWait(ep, out, 8, 0)).toBe(0);
      expect(read(r, Buffer.alloc(4))).toBe(2);
      expect(epollCtl(ep, EPOLL_CTL_DEL, r, 0, 0, 0)).toBe(0);
    } finally {
      close(r);
      close(w);
      close(ep);
    }
  });

  it('returns -errno for the error matrix backends rely on', () => {
    const ep = epollCreate1(EPOLL_CLOEXEC);
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const file = openSync('/proc/self/status', 'r');
    try {
      expect(epollCtl(ep, EPOLL_CTL_MOD, r, EPOLLIN, 0, 0)).toBe(-errno.ENOENT);
      expect(epollCtl(ep, EPOLL_CTL_ADD, r, EPOLLIN, 0, 0)).toBe(0);
      expect(epollCtl(ep, EPOLL_CTL_ADD, r, EPOLLIN, 0, 0)).toBe(-errno.EEXIST);
      expect(epollCtl(ep, EPOLL_CTL_ADD, file, EPOLLIN, 0, 0)).toBe(-errno.EPERM);
      expect(epollCtl(ep, EPOLL_CTL_ADD, 99999, EPOLLIN, 0, 0)).toBe(-errno.EBADF);
      expect(epollCtl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0, 0)).toBe(-errno.EINVAL);
      expect(epollWait(r, new Uint8Array(EPOLL_EVENT_SIZE), 1, 0)).toBe(-errno.EINVAL);
      expect(epollCtl(ep, EPOLL_CTL_ADD, w, EPOLLOUT, 0, 0)).toBe(0);
    } finally {
      closeSync(file);
      close(r);
      close(w);
      close(ep);
    }
  });

  it('times out after about the given milliseconds, rounding fractions up', () => {
    const ep = epollCreate1(EPOLL_CLOEXEC);
    const out = new Uint8Array(EPOLL_EVENT_SIZE);
    const t0 = performance.now();
    expect(epollWait(ep, out, 1, 20)).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
    const t1 = performance.now();
    expect(epollWait(ep, out, 1, 0.2)).toBe(0);
    expect(performance.now() - t1).toBeGreaterThanOrEqual(0.9);
    close(ep);
  });

  it('validates the output buffer against maxevents', () => {
    const ep = epollCreate1(EPOLL_CLOEXEC);
    expect(() => epollWait(ep, new Uint8Array(EPOLL_EVENT_SIZE), 2, 0)).toThrow(RangeError);
    expect(() => epollWait(ep, new Uint8Array(EPOLL_EVENT_SIZE), 0, 0)).toThrow(RangeError);
    expect(() => epollWait(ep, new Uint8Array(EPOLL_EVENT_SIZE), 1, Number.NaN)).toThrow(TypeError);
    close(ep);
  });
});
