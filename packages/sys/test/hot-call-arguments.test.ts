/**
 * The hot calls (read, write, send, recv, eventfdRead, eventfdWrite,
 * epollWait) decode the common argument shapes on a fast path and hand everything else
 * to the checked path. Both must agree: every shape either works with the
 * same meaning or throws the same kind of error, and no offset or length
 * ever reaches outside the buffer.
 */

import {
  AF_UNIX,
  EFD_NONBLOCK,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLL_EVENT_SIZE,
  EPOLLIN,
  epollEventDataLo,
  epollEventEvents,
  errno,
  O_NONBLOCK,
  SOCK_NONBLOCK,
  SOCK_STREAM,
} from '@evring/abi';
import { afterEach, describe, expect, it } from 'vitest';
import {
  close,
  epollCreate1,
  epollCtl,
  epollWait,
  eventfd,
  eventfdRead,
  eventfdWrite,
  pipe2,
  read,
  recv,
  resetSyscallCounts,
  send,
  socketpair,
  syscallCounts,
  write,
} from '../src/index.js';

const open: number[] = [];
afterEach(() => {
  for (const fd of open.splice(0)) close(fd);
});
function pipe(): [number, number] {
  const p = pipe2(O_NONBLOCK);
  open.push(...p);
  return p;
}

describe('hot calls: the fast and the checked path agree', () => {
  it('every byte-sized view works, with its own offset into the ArrayBuffer', () => {
    const [r, w] = pipe();
    const backing = new ArrayBuffer(16);
    new Uint8Array(backing).set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const view of [
      new Uint8Array(backing, 4, 4),
      new Int8Array(backing, 4, 4),
      new Uint8ClampedArray(backing, 4, 4),
      Buffer.from(backing, 4, 4),
    ]) {
      expect(write(w, view, 1, 2)).toBe(2);
      const out = new Uint8Array(4);
      expect(read(r, out)).toBe(2);
      expect([...out.subarray(0, 2)]).toEqual([5, 6]);
    }
  });

  it('wider typed arrays and DataViews are bytes too (the fast path), ArrayBuffers the checked path', () => {
    const [r, w] = pipe();
    const words = Uint16Array.of(0x0201, 0x0403);
    expect(write(w, words)).toBe(4);
    expect(write(w, new DataView(words.buffer, 1, 2))).toBe(2);
    expect(write(w, words.buffer, 3)).toBe(1);
    const out = new Uint8Array(8);
    expect(read(r, out)).toBe(7);
    expect([...out.subarray(0, 7)]).toEqual([1, 2, 3, 4, 2, 3, 4]);
  });

  it('undefined offset and length mean "from 0" and "to the end"; length 0 at the end is allowed', () => {
    const [r, w] = pipe();
    expect(write(w, Buffer.from('abcd'), undefined, undefined)).toBe(4);
    expect(write(w, Buffer.from('ef'), 1, undefined)).toBe(1);
    expect(write(w, Buffer.from('xy'), undefined, 1)).toBe(1);
    expect(write(w, Buffer.from('zz'), 2, 0)).toBe(0);
    const out = Buffer.alloc(8);
    expect(read(r, out)).toBe(6);
    expect(out.subarray(0, 6).toString()).toBe('abcdfx');
  });

  it('every out-of-range or mistyped argument throws, whichever path saw it first', () => {
    const [r, w] = pipe();
    const buf = Buffer.alloc(4);
    const cases: Array<[() => unknown, ErrorConstructor]> = [
      [() => read(r, buf, 5), RangeError],
      [() => read(r, buf, 4, 1), RangeError],
      [() => read(r, buf, 0, 5), RangeError],
      [() => read(r, buf, -1), RangeError],
      [() => read(r, buf, 0.5), TypeError],
      [() => read(r, buf, Number.NaN), TypeError],
      [() => read(r, buf, '1' as never), TypeError],
      [() => read(r, buf, null as never), TypeError],
      [() => read(-1, buf), RangeError],
      [() => read(2 ** 31, buf), RangeError],
      [() => read(1.5, buf), TypeError],
      [() => read('3' as never, buf), TypeError],
      [() => read(r, [1, 2] as never), TypeError],
      [() => read(r, undefined as never), TypeError],
      [() => write(w, new Uint16Array(2), 0, 5), RangeError],
      [() => send(w, buf, 0, 4, undefined as never), TypeError],
      [() => send(w, buf, 0, 4, -1), RangeError],
      [() => recv(r, buf, 0, 4, 0.5), TypeError],
      [() => eventfdWrite(r, 0), RangeError],
      [() => eventfdWrite(r, 2 ** 53 + 2), RangeError],
      [() => eventfdWrite(r, 1.5), TypeError],
      [() => eventfdWrite(r, undefined as never), TypeError],
      [() => eventfdRead(-5), RangeError],
      [() => (read as (...a: unknown[]) => number)(), TypeError],
    ];
    for (const [call, kind] of cases) {
      expect(call, String(call)).toThrow(kind);
    }
    // Nothing was read or written by the refused calls.
    expect(read(r, buf)).toBe(-errno.EAGAIN);
  });

  it('a detached buffer is an empty buffer, never a dangling pointer', () => {
    const [r, w] = pipe();
    const ab = new ArrayBuffer(8);
    const view = new Uint8Array(ab);
    structuredClone(ab, { transfer: [ab] }); // detaches `ab`
    expect(view.length).toBe(0);
    expect(write(w, view)).toBe(0);
    expect(read(r, view)).toBe(0);
    expect(() => write(w, view, 1)).toThrow(RangeError);
  });

  it('send/recv and the eventfd calls return results and -errno, and count their syscalls', () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    open.push(a, b);
    const efd = eventfd(0, EFD_NONBLOCK);
    open.push(efd);
    resetSyscallCounts();
    expect(send(a, Buffer.from('hey'), 0, 3, 0)).toBe(3);
    expect(recv(b, Buffer.alloc(3), 0, 3, 0)).toBe(3);
    expect(recv(b, Buffer.alloc(3), 0, 3, 0)).toBe(-errno.EAGAIN);
    expect(eventfdRead(efd)).toBe(-errno.EAGAIN);
    expect(eventfdWrite(efd, 2 ** 53)).toBe(0);
    expect(eventfdRead(efd)).toBe(2 ** 53);
    const counts = syscallCounts();
    expect(counts.read).toBe(4);
    expect(counts.write).toBe(2);
  });

  it('epollWait: the same results, limits and rounding on either path', () => {
    const ep = epollCreate1(EPOLL_CLOEXEC);
    open.push(ep);
    const [r, w] = pipe();
    expect(epollCtl(ep, EPOLL_CTL_ADD, r, EPOLLIN, r, 7)).toBe(0);
    const out = new Uint8Array(4 * EPOLL_EVENT_SIZE);
    const view = new DataView(out.buffer);
    resetSyscallCounts();
    expect(epollWait(ep, out, 4, 0)).toBe(0);
    write(w, Buffer.from('x'));
    expect(epollWait(ep, out, 4, undefined as never)).toBe(1); // no timeout: waits, and the pipe is ready
    expect(epollEventDataLo(view, 0)).toBe(r);
    expect(epollEventEvents(view, 0) & EPOLLIN).toBe(EPOLLIN);
    // A fraction of a millisecond rounds up, not down to a busy poll; null waits like undefined.
    expect(epollWait(ep, out, 1, 0.25)).toBe(1);
    expect(epollWait(ep, out, 1, null as never)).toBe(1);
    // A DataView and an ArrayBuffer get the same answer (the fast path and the checked one).
    expect(epollWait(ep, new DataView(out.buffer), 4, 0)).toBe(1);
    expect(epollWait(ep, out.buffer as never, 4, 0)).toBe(1);
    expect(epollWait(99_999, out, 4, 0)).toBe(-errno.EBADF);
    expect(syscallCounts().epoll_wait).toBe(7); // the write is counted apart
    read(r, Buffer.alloc(1));
    const t0 = performance.now();
    expect(epollWait(ep, out, 1, 0.25)).toBe(0); // nothing ready: sleeps a whole millisecond
    expect(performance.now() - t0).toBeGreaterThan(0.5);
    const cases: Array<[() => unknown, ErrorConstructor]> = [
      [() => epollWait(ep, out, 5, 0), RangeError], // out too small for 5 events
      [() => epollWait(ep, out, 0, 0), RangeError],
      [() => epollWait(ep, out, 1.5, 0), TypeError],
      [() => epollWait(ep, out, 1, Number.NaN), TypeError],
      [() => epollWait(ep, out, 1, '0' as never), TypeError],
      [() => epollWait(ep, [1] as never, 1, 0), TypeError],
      [() => epollWait(-1, out, 1, 0), RangeError],
    ];
    for (const [call, kind] of cases) expect(call, String(call)).toThrow(kind);
    const ab = new ArrayBuffer(4 * EPOLL_EVENT_SIZE);
    const detached = new Uint8Array(ab);
    structuredClone(ab, { transfer: [ab] });
    expect(() => epollWait(ep, detached, 1, 0)).toThrow(RangeError); // 0 bytes hold no event
  });
});
