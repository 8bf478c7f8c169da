/**
 * A {@link SysCalls} under which Linux AIO poll wake-ups complete late.
 *
 * Why: this kernel completes an IOCB_CMD_POLL woken by a write either inline,
 * in the writer's context, or from a kernel worker, milliseconds later
 * (measured here with a completion eventfd on the iocbs: 54–699 of 100,000
 * wake-ups late, up to 10 ms under load; none without one). A test that
 * counts on a wake-up being reported by the very next poll passes hundreds of
 * runs and then fails one. Under this wrapper wake-ups are late as often as
 * asked (every one, and in the least favourable order, with 'newest-first'),
 * so such a test fails in most runs, or every run.
 *
 * What is made late, and what is not, follows the kernel:
 * - a poll that completes as it is submitted (its fd already ready) is
 *   completed inside io_submit: the wrapper collects those right after the
 *   submit and never delays them;
 * - a completion that appears later came from a wake-up: with the chance
 *   given, it is held back for up to `maxDelayMs`. The kernel signals a
 *   completion's eventfd (IOCB_FLAG_RESFD) only once the completion is in
 *   the ring, so the signal it gave for a held one is taken back (the
 *   eventfd read, and what completed meanwhile collected), and given again
 *   when the completion is released;
 * - a sleep in epoll_wait or io_getevents lasts until a held completion is
 *   due, as the worker's signal would end it, and a wake-up that brought
 *   only completions now held sleeps on.
 *
 * All of a context's iocbs are taken to signal one eventfd, as this
 * backend's do.
 *
 * The backend must read completions through io_getevents (`useRing: false`):
 * a backend reading the mapped ring itself would not see the wrapper.
 *
 * @module
 */

import { decodeIocb, IOCB_FLAG_RESFD, io_event, iocb } from '@evring/abi';
import { realSys, type SysCalls } from '@evring/backend';

const IO_EVENT_SIZE = io_event.size;
const BATCH = 64;

/** How late, and how often. */
export interface LateWakeupOptions {
  /** The share of wake-up completions held back (0..1). */
  chance: number;
  /**
   * 'random': the longest a completion is held back. 'newest-first': the
   * time between two releases, so n completions held at once take
   * n × `maxDelayMs` to come out.
   */
  maxDelayMs: number;
  /** Seeds the choice of which completions, and for how long. */
  seed: number;
  /**
   * 'random' (the default): each held completion waits a random time up to
   * `maxDelayMs`. 'newest-first': held completions are released one at a
   * time, `maxDelayMs` apart, the last one the kernel completed first (an
   * older one waits for every newer one): the least favourable order.
   */
  order?: 'random' | 'newest-first';
}

interface Held {
  event: Uint8Array;
  due: number;
}

interface Context {
  handle: number;
  iocbs: DataView;
  /** The eventfd the context's iocbs signal (−1: none). */
  resfd: number;
  /** Completions the backend may read now, oldest first. */
  ready: Uint8Array[];
  held: Held[];
}

/** A small, seeded generator (mulberry32): the same seed, the same choices. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A wait in milliseconds for a sys call: until `until` (a performance.now() time), −1 for never. */
function waitUntil(until: number): number {
  if (!Number.isFinite(until)) return -1;
  return Math.max(0, Math.ceil(until - performance.now()));
}

/**
 * Wraps `base` so that Linux AIO poll wake-ups complete late.
 *
 * @example
 * ```ts
 * const sys = lateWakeups({ chance: 0.3, maxDelayMs: 3, seed: 1 });
 * const poller = new Poller(linuxaioBackend, onEvent, { sys, useRing: false });
 * ```
 */
export function lateWakeups(
  options: LateWakeupOptions,
  base: SysCalls = realSys,
): SysCalls & {
  /** How many completions were held back so far. */
  readonly heldCount: () => number;
} {
  const random = generator(options.seed);
  const contexts = new Map<number, Context>();
  const scratch = new Uint8Array(BATCH * IO_EVENT_SIZE);
  let heldCount = 0;

  const newestFirst = options.order === 'newest-first';

  /** Sorts the `n` completions in the scratch buffer: ready, or (not `prompt`) maybe held. */
  const sort = (ctx: Context, n: number, prompt: boolean): number => {
    let held = 0;
    const now = performance.now();
    for (let i = 0; i < n; i++) {
      const event = scratch.slice(i * IO_EVENT_SIZE, (i + 1) * IO_EVENT_SIZE);
      if (!prompt && random() < options.chance) {
        ctx.held.push({ event, due: now + (newestFirst ? 1 : random()) * options.maxDelayMs });
        // Newest first: each older held completion waits for the one after it.
        if (newestFirst) {
          for (let k = ctx.held.length - 2; k >= 0; k--) {
            ctx.held[k]!.due = Math.max(
              ctx.held[k]!.due,
              ctx.held[k + 1]!.due + options.maxDelayMs,
            );
          }
        }
        heldCount++;
        held++;
      } else {
        ctx.ready.push(event);
      }
    }
    return held;
  };

  /** Takes every completion the kernel has for `ctx`; returns how many were held back. */
  const absorb = (ctx: Context, prompt: boolean): number => {
    let held = 0;
    for (;;) {
      const n = base.ioGetevents(ctx.handle, 0, BATCH, scratch, 0);
      if (n <= 0) return held;
      held += sort(ctx, n, prompt);
      if (n < BATCH) return held;
    }
  };

  /**
   * Brings `ctx` up to date: what is due released, the kernel's new
   * completions sorted, and the eventfd signalled exactly when the backend
   * has something to read.
   */
  const settle = (ctx: Context): void => {
    const now = performance.now();
    const due = ctx.held.filter((h) => h.due <= now).sort((x, y) => x.due - y.due);
    if (due.length > 0) {
      ctx.held = ctx.held.filter((h) => h.due > now);
      for (const h of due) ctx.ready.push(h.event);
    }
    // A signal given for a completion now held is taken back; what completes
    // after the read signals again, and what completed before it is absorbed.
    while (absorb(ctx, false) > 0 && ctx.resfd >= 0) base.eventfdRead(ctx.resfd);
    if (ctx.ready.length > 0 && ctx.resfd >= 0) base.eventfdWrite(ctx.resfd, 1);
  };

  const settleAll = (): void => {
    for (const ctx of contexts.values()) settle(ctx);
  };

  const anyReady = (): boolean => {
    for (const ctx of contexts.values()) if (ctx.ready.length > 0) return true;
    return false;
  };

  const earliestDue = (): number => {
    let due = Number.POSITIVE_INFINITY;
    for (const ctx of contexts.values()) for (const h of ctx.held) due = Math.min(due, h.due);
    return due;
  };

  const hand = (ctx: Context, nr: number, out: ArrayBufferView): number => {
    const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    const n = Math.min(nr, ctx.ready.length);
    for (let i = 0; i < n; i++) bytes.set(ctx.ready[i]!, i * IO_EVENT_SIZE);
    ctx.ready.splice(0, n);
    return n;
  };

  return {
    ...base,
    heldCount: () => heldCount,

    ioSetup(nrEvents, iocbCount) {
      const r = base.ioSetup(nrEvents, iocbCount);
      contexts.set(r.handle, {
        handle: r.handle,
        iocbs: new DataView(r.iocbs),
        resfd: -1,
        ready: [],
        held: [],
      });
      return r;
    },

    ioDestroy(handle) {
      contexts.delete(handle);
      return base.ioDestroy(handle);
    },

    ioSubmit(handle, indices, count) {
      const ctx = contexts.get(handle);
      if (ctx) settle(ctx); // what was already waiting is not mistaken for what this submit completes
      const r = base.ioSubmit(handle, indices, count);
      if (!ctx || r <= 0) return r;
      for (let i = 0; i < r; i++) {
        const submitted = decodeIocb(ctx.iocbs, indices[i]! * iocb.size);
        if (submitted.flags & IOCB_FLAG_RESFD) ctx.resfd = submitted.resfd;
      }
      absorb(ctx, true); // completed inside io_submit: never late
      return r;
    },

    ioGetevents(handle, minNr, nr, out, timeoutMs) {
      const ctx = contexts.get(handle);
      if (!ctx) return base.ioGetevents(handle, minNr, nr, out, timeoutMs);
      const deadline = timeoutMs < 0 ? Number.POSITIVE_INFINITY : performance.now() + timeoutMs;
      for (;;) {
        settle(ctx);
        if (ctx.ready.length > 0 || minNr === 0 || performance.now() >= deadline) {
          return hand(ctx, nr, out);
        }
        // Sleep until a completion arrives, the next held one is due, or the time is up.
        const n = base.ioGetevents(
          handle,
          1,
          BATCH,
          scratch,
          waitUntil(Math.min(deadline, earliestDue())),
        );
        if (n < 0) return n;
        sort(ctx, n, false);
      }
    },

    epollWait(epfd, out, maxevents, timeoutMs) {
      const deadline = timeoutMs < 0 ? Number.POSITIVE_INFINITY : performance.now() + timeoutMs;
      for (;;) {
        settleAll();
        const n = base.epollWait(
          epfd,
          out,
          maxevents,
          waitUntil(Math.min(deadline, earliestDue())),
        );
        if (n < 0) return n;
        const heldBefore = heldCount;
        settleAll();
        if (n > 0 && (heldCount === heldBefore || anyReady())) return n;
        if (n > 0 || anyReady()) {
          // The wake-up brought only completions now held (their signal taken
          // back), or one fell due: look again without sleeping.
          const again = base.epollWait(epfd, out, maxevents, 0);
          if (again !== 0) return again;
        }
        if (performance.now() >= deadline) return 0;
      }
    },

    eventfdRead(fd) {
      settleAll();
      return base.eventfdRead(fd);
    },
  };
}
