import {
  AIO_RING_MAGIC,
  aio_ring,
  aioRingInvalidReason,
  errno,
  IOCB_CMD_PREAD,
  io_event,
  iocb,
  iocbSetData,
  iocbSetResfd,
  ioEventDataHi,
  ioEventDataLo,
  ioEventRes,
  O_CLOEXEC,
  O_NONBLOCK,
  POLLIN,
  POLLOUT,
  prepIocbPoll,
  readAioRingHeader,
} from '@evring/abi';
import { describe, expect, it } from 'vitest';
import { AioContext, close, eventfd, eventfdRead, pipe2, write } from '../src/index.js';

/** Reads completions straight from the kernel's ring, advancing head (acquire tail, release head). */
function reapRing(ctx: AioContext): { lo: number; hi: number; res: number }[] {
  const words = new Uint32Array(ctx.ring, 0, 8);
  const view = new DataView(ctx.ring);
  const hdr = readAioRingHeader(view, 0);
  const out = [];
  let head = Atomics.load(words, aio_ring.fields.head.offset / 4);
  const tail = Atomics.load(words, aio_ring.fields.tail.offset / 4);
  while (head !== tail) {
    const base = aio_ring.size + head * io_event.size;
    out.push({
      lo: ioEventDataLo(view, base),
      hi: ioEventDataHi(view, base),
      res: ioEventRes(view, base),
    });
    head = (head + 1) % hdr.nr;
  }
  Atomics.store(words, aio_ring.fields.head.offset / 4, head);
  return out;
}

async function until<T>(fn: () => T | undefined, ms = 2000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('AIO context', () => {
  it('maps the kernel ring, whose header is the layout @evring/abi describes', () => {
    const ctx = AioContext.setup(64, 8);
    try {
      const hdr = readAioRingHeader(new DataView(ctx.ring), 0);
      // This is the layout oracle for aio_ring, which no UAPI header declares.
      expect(hdr.magic >>> 0).toBe(AIO_RING_MAGIC);
      expect(hdr.headerLength).toBe(aio_ring.size);
      expect(hdr.incompatFeatures).toBe(0);
      expect(hdr.nr).toBe(ctx.nr);
      expect(hdr.nr).toBeGreaterThanOrEqual(64);
      expect(aioRingInvalidReason(hdr)).toBeUndefined();
      expect(ctx.ring.byteLength).toBeGreaterThanOrEqual(aio_ring.size + hdr.nr * io_event.size);
      expect(ctx.iocbs.byteLength).toBe(8 * iocb.size);
    } finally {
      ctx.destroy();
    }
  });

  it('a POLL iocb on a pipe completes into the mapped ring', async () => {
    const ctx = AioContext.setup(32, 4);
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    try {
      prepIocbPoll(new Uint32Array(ctx.iocbs), 2 * iocb.size, r, POLLIN);
      iocbSetData(new Uint32Array(ctx.iocbs), 2 * iocb.size, r, 7);
      expect(ctx.submit(Uint32Array.of(2), 1)).toBe(1);
      expect(reapRing(ctx)).toEqual([]);
      write(w, Buffer.from('x'));
      const events = await until(() => {
        const e = reapRing(ctx);
        return e.length ? e : undefined;
      });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ lo: r, hi: 7 });
      expect(events[0]!.res & POLLIN).toBe(POLLIN); // the kernel adds POLLRDNORM
    } finally {
      ctx.destroy();
      close(r);
      close(w);
    }
  });

  it('io_getevents waits with a timeout, and returns a completion', () => {
    const ctx = AioContext.setup(32, 4);
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const out = new Uint8Array(4 * io_event.size);
    try {
      prepIocbPoll(new Uint32Array(ctx.iocbs), 0, w, POLLOUT);
      iocbSetData(new Uint32Array(ctx.iocbs), 0, 1, 2);
      expect(ctx.getevents(1, 4, out, 20)).toBe(0);
      expect(ctx.submit(Uint32Array.of(0), 1)).toBe(1);
      expect(ctx.getevents(1, 4, out, 1000)).toBe(1);
      const view = new DataView(out.buffer);
      expect([
        ioEventDataLo(view, 0),
        ioEventDataHi(view, 0),
        ioEventRes(view, 0) & POLLOUT,
      ]).toEqual([1, 2, POLLOUT]);
    } finally {
      ctx.destroy();
      close(r);
      close(w);
    }
  });

  it('signals an eventfd through IOCB_FLAG_RESFD (what makes AIO embeddable)', async () => {
    const ctx = AioContext.setup(32, 4);
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const efd = eventfd(0, O_NONBLOCK | O_CLOEXEC);
    try {
      prepIocbPoll(new Uint32Array(ctx.iocbs), 0, r, POLLIN);
      iocbSetData(new Uint32Array(ctx.iocbs), 0, 3, 0);
      iocbSetResfd(new Uint32Array(ctx.iocbs), 0, efd);
      expect(ctx.submit(Uint32Array.of(0), 1)).toBe(1);
      expect(eventfdRead(efd)).toBe(-errno.EAGAIN);
      write(w, Buffer.from('x'));
      expect(await until(() => (eventfdRead(efd) > 0 ? true : undefined))).toBe(true);
    } finally {
      ctx.destroy();
      close(efd);
      close(r);
      close(w);
    }
  });

  it('io_cancel of a pending poll succeeds (0 or -EINPROGRESS) and posts a completion', async () => {
    const ctx = AioContext.setup(32, 4);
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    try {
      prepIocbPoll(new Uint32Array(ctx.iocbs), 0, r, POLLIN);
      iocbSetData(new Uint32Array(ctx.iocbs), 0, 9, 0);
      expect(ctx.submit(Uint32Array.of(0), 1)).toBe(1);
      const res = ctx.cancel(0);
      expect([0, -errno.EINPROGRESS]).toContain(res);
      const events = await until(() => {
        const e = reapRing(ctx);
        return e.length ? e : undefined;
      });
      expect(events[0]!.lo).toBe(9);
      // Cancelling again finds nothing.
      expect(ctx.cancel(0)).toBe(-errno.EINVAL);
    } finally {
      ctx.destroy();
      close(r);
      close(w);
    }
  });

  it('the kernel rejects a POLL iocb with a non-zero offset (EINVAL), as libev warns', () => {
    const ctx = AioContext.setup(32, 4);
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    try {
      const view = new DataView(ctx.iocbs);
      const words = new Uint32Array(ctx.iocbs);
      prepIocbPoll(words, 0, r, POLLIN);
      iocbSetData(words, 0, 1, 0);
      view.setUint32(iocb.fields.aio_offset.offset, 1, true);
      expect(ctx.submit(Uint32Array.of(0), 1)).toBe(-errno.EINVAL);
      prepIocbPoll(words, 0, 999, POLLIN);
      iocbSetData(words, 0, 1, 0);
      expect(ctx.submit(Uint32Array.of(0), 1)).toBe(-errno.EBADF);
    } finally {
      ctx.destroy();
      close(r);
      close(w);
    }
  });

  it('refuses non-POLL iocbs and out-of-range indices before the kernel sees them', () => {
    const ctx = AioContext.setup(32, 4);
    try {
      const view = new DataView(ctx.iocbs);
      view.setUint16(iocb.fields.aio_lio_opcode.offset, IOCB_CMD_PREAD, true);
      expect(() => ctx.submit(Uint32Array.of(0), 1)).toThrow(RangeError);
      expect(() => ctx.submit(Uint32Array.of(4), 1)).toThrow(RangeError);
      expect(() => ctx.submit(Uint32Array.of(0), 2)).toThrow(RangeError);
      expect(() => ctx.submit(new Int32Array(1) as never, 1)).toThrow(TypeError);
      expect(() => ctx.cancel(4)).toThrow(RangeError);
      expect(() => ctx.getevents(1, 4, new Uint8Array(32), 0)).toThrow(RangeError);
    } finally {
      ctx.destroy();
    }
  });

  it('destroy() detaches the ring and the iocbs; the context is gone; destroy is idempotent', () => {
    const ctx = AioContext.setup(32, 4);
    const ring = ctx.ring;
    const cbs = ctx.iocbs;
    const words = new Uint32Array(ring);
    ctx.destroy();
    expect(ring.byteLength).toBe(0);
    expect(cbs.byteLength).toBe(0);
    expect(words[0]).toBeUndefined();
    expect(() => ctx.ring).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(ctx.submit(Uint32Array.of(0), 1)).toBe(-errno.EBADF);
    expect(ctx.cancel(0)).toBe(-errno.EBADF);
    ctx.destroy();
    expect(ctx.destroyed).toBe(true);
  });
});
