/**
 * Linux AIO (io_setup(2) and friends). An iocb array owned by sys is exposed
 * as an ArrayBuffer; iocbs are named by index, never by address. `submit`,
 * `cancel` and `getevents` are hot and return `-errno`; `setup` and
 * `destroy` throw.
 *
 * An ordinary context is for readiness polling: the kernel's completion ring
 * is exposed too (reaping without a syscall), and only IOCB_CMD_POLL iocbs
 * are submitted (others are refused with a RangeError). A *tracking*
 * context (`setup(n, count, { tracking: true })`) keeps its ring from
 * JavaScript, since a view of it could forge completions, and reaps only
 * through `getevents`. In exchange it also takes PREAD, PWRITE, PREADV,
 * PWRITEV, FSYNC and FDSYNC iocbs whose buffers (and iovec arrays) lie in
 * pinned memory, and it holds that memory until each iocb completes.
 *
 * @module
 */

import { errno, systemError } from '@evring/abi';
import { native } from './load.js';

const EBADF = errno.EBADF;

const destroyer = new FinalizationRegistry<number>((handle) => {
  try {
    native.ioDestroy(handle);
  } catch {
    // nothing more can be done for a context nobody references
  }
});

/**
 * An AIO context with its completion ring and iocb array mapped.
 *
 * @example
 * ```ts
 * import { AioContext, pipe2, write, close } from '@evring/sys';
 * import { prepIocbPoll, POLLIN, O_NONBLOCK } from '@evring/abi';
 * const aio = AioContext.setup(64, 16);
 * const [r, w] = pipe2(O_NONBLOCK);
 * prepIocbPoll(new Uint32Array(aio.iocbs), 0, r, POLLIN);
 * aio.submit(Uint32Array.of(0), 1); // 1
 * write(w, Buffer.from('x'));
 * // the completion appears in aio.ring (tail advances), or:
 * aio.getevents(1, 1, new Uint8Array(32), 1000); // 1
 * aio.destroy();
 * close(r); close(w);
 * ```
 */
export class AioContext {
  /** The handle sys knows this context by. */
  readonly handle: number;
  /** io_events the kernel's ring holds (at least the requested count). */
  readonly nr: number;
  /** Number of iocb slots. */
  readonly iocbCount: number;
  /** Whether this context tracks data operations (and keeps its ring from JavaScript). */
  readonly tracking: boolean;
  #ring: ArrayBuffer | undefined;
  #iocbs: ArrayBuffer;
  #destroyed = false;

  private constructor(
    handle: number,
    ring: ArrayBuffer | undefined,
    iocbs: ArrayBuffer,
    nr: number,
    iocbCount: number,
  ) {
    this.handle = handle;
    this.tracking = ring === undefined;
    this.#ring = ring;
    this.#iocbs = iocbs;
    this.nr = nr;
    this.iocbCount = iocbCount;
    destroyer.register(this, handle, this);
  }

  /**
   * io_setup(nrEvents) and `iocbCount` iocb slots; `tracking` makes a
   * context for data operations (see the module). Throws EAGAIN when
   * fs.aio-max-nr is exhausted.
   */
  static setup(
    nrEvents: number,
    iocbCount: number,
    options: { tracking?: boolean } = {},
  ): AioContext {
    const r = native.ioSetup(nrEvents, iocbCount, options.tracking === true);
    return new AioContext(r.handle, r.ring, r.iocbs, r.nr, iocbCount);
  }

  /**
   * The kernel's completion ring: a 32-byte aio_ring header, then `nr`
   * io_events. A tracking context has none for JavaScript (ERR_EVRING_NO_RING).
   */
  get ring(): ArrayBuffer {
    this.#check();
    if (this.#ring === undefined) {
      const err = new Error(
        'AioContext.ring: a tracking context keeps its ring to sys; reap with getevents()',
      ) as Error & { code: string };
      err.code = 'ERR_EVRING_NO_RING';
      throw err;
    }
    return this.#ring;
  }

  /** The iocb array (`iocbCount` × 64 bytes). */
  get iocbs(): ArrayBuffer {
    this.#check();
    return this.#iocbs;
  }

  /** True after {@link destroy}. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /**
   * io_submit of the iocbs at `indices[0 .. count)`; returns how many were
   * queued, or `-errno` (`-EBADF` once destroyed). On a tracking context an
   * iocb still in flight, or pointing outside pinned memory, is refused with
   * a RangeError (nothing of the batch is submitted); and a read or write
   * iocb on anything but a regular file or block device ends the batch
   * before it (`-ESPIPE`, `-EISDIR` or the fstat errno when it is the
   * first), since Linux AIO would do it inside io_submit and could block.
   */
  submit(indices: Uint32Array, count: number): number {
    if (this.#destroyed) return -EBADF;
    // The module's own binding, not `native.ioSubmit`: the binding's exports
    // object is in dictionary mode, a generic lookup on every call.
    return ioSubmit(this.handle, indices, count);
  }

  /** io_cancel of the iocb at `index`; `-EINPROGRESS` means cancelled (the completion still posts). */
  cancel(index: number): number {
    if (this.#destroyed) return -EBADF;
    return ioCancel(this.handle, index);
  }

  /** io_getevents into `out` (nr × 32 bytes); `timeoutMs` < 0 waits forever. Returns the count or `-errno`. */
  getevents(minNr: number, nr: number, out: ArrayBufferView, timeoutMs: number): number {
    if (this.#destroyed) return -EBADF;
    return ioGetevents(this.handle, minNr, nr, out, timeoutMs);
  }

  /** Detaches both buffers and destroys the context (cancelling what is in flight). Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    native.ioDestroy(this.handle);
    this.#destroyed = true;
    destroyer.unregister(this);
  }

  #check(): void {
    if (this.#destroyed) throw systemError(EBADF, 'io_setup', 'the AIO context is destroyed');
  }
}

/**
 * io_setup(2) without the {@link AioContext} wrapper: a handle and the two
 * buffers. The caller must {@link ioDestroy} it (no finalizer backstop).
 *
 * @example
 * ```ts
 * import { ioDestroy, ioSetup } from '@evring/sys';
 * const { handle, ring, iocbs, nr } = ioSetup(64, 16);
 * ring.byteLength >= 32 + nr * 32; // true: header, then nr io_events
 * ioDestroy(handle); // ring and iocbs are detached now
 * ```
 */
export const ioSetup: (
  nrEvents: number,
  iocbCount: number,
) => { handle: number; ring: ArrayBuffer; iocbs: ArrayBuffer; nr: number } = (
  nrEvents,
  iocbCount,
) =>
  native.ioSetup(nrEvents, iocbCount) as {
    handle: number;
    ring: ArrayBuffer;
    iocbs: ArrayBuffer;
    nr: number;
  };
/**
 * io_destroy(2) of a raw handle; detaches its buffers first. False if the handle was unknown.
 *
 * @example
 * ```ts
 * import { ioDestroy, ioSetup } from '@evring/sys';
 * const ctx = ioSetup(8, 8);
 * ioDestroy(ctx.handle); // true
 * ioDestroy(ctx.handle); // false: already gone
 * ctx.ring.byteLength;   // 0: detached
 * ```
 */
export const ioDestroy: (handle: number) => boolean = native.ioDestroy;
/**
 * io_submit(2) of the iocbs at `indices[0 .. count)`; count or `-errno`.
 *
 * @example
 * ```ts
 * import { ioDestroy, ioSetup, ioSubmit, pipe2, close } from '@evring/sys';
 * import { POLLIN, prepIocbPoll } from '@evring/abi';
 * const ctx = ioSetup(8, 8);
 * const [r, w] = pipe2(0);
 * prepIocbPoll(new Uint32Array(ctx.iocbs), 0, r, POLLIN);
 * ioSubmit(ctx.handle, Uint32Array.of(0), 1); // 1
 * ioDestroy(ctx.handle); close(r); close(w);
 * ```
 */
export const ioSubmit: (handle: number, indices: Uint32Array, count: number) => number =
  native.ioSubmit;
/**
 * io_cancel(2); 0, `-EINPROGRESS` (cancelled) or `-errno`.
 *
 * @example
 * ```ts
 * import { ioCancel, ioDestroy, ioSetup, ioSubmit, pipe2, close } from '@evring/sys';
 * import { POLLIN, errno, prepIocbPoll } from '@evring/abi';
 * const ctx = ioSetup(8, 8);
 * const [r, w] = pipe2(0);
 * prepIocbPoll(new Uint32Array(ctx.iocbs), 0, r, POLLIN);
 * ioSubmit(ctx.handle, Uint32Array.of(0), 1);
 * ioCancel(ctx.handle, 0) === -errno.EINPROGRESS; // true: cancelled, its completion still posts
 * ioDestroy(ctx.handle); close(r); close(w);
 * ```
 */
export const ioCancel: (handle: number, index: number) => number = native.ioCancel;
/**
 * io_getevents(2) into `out`; count or `-errno`.
 *
 * @example
 * ```ts
 * import { ioDestroy, ioGetevents, ioSetup, ioSubmit, pipe2, write, close } from '@evring/sys';
 * import { POLLIN, io_event, ioEventRes, prepIocbPoll } from '@evring/abi';
 * const ctx = ioSetup(8, 8);
 * const [r, w] = pipe2(0);
 * prepIocbPoll(new Uint32Array(ctx.iocbs), 0, r, POLLIN);
 * ioSubmit(ctx.handle, Uint32Array.of(0), 1);
 * write(w, Buffer.from('x'));
 * const out = new Uint8Array(4 * io_event.size);
 * ioGetevents(ctx.handle, 1, 4, out, 1000); // 1
 * ioEventRes(new DataView(out.buffer), 0);  // POLLIN
 * ioDestroy(ctx.handle); close(r); close(w);
 * ```
 */
export const ioGetevents: (
  handle: number,
  minNr: number,
  nr: number,
  out: ArrayBufferView,
  timeoutMs: number,
) => number = native.ioGetevents;
