/**
 * The raw-* (JS) rows: the raw C program's loops (`c/raw-bench.c`) written
 * in JavaScript straight on sys — epollWait, io_uring SQEs and CQEs in the
 * mapped ring, iocbs and io_getevents — with no Poller, backend or fd table
 * above them. The callbacks are the evring rows' own.
 *
 * So each is the floor of anything built on sys for its kernel interface:
 * raw-X (JS) ÷ raw-X (C) is what calling the kernel from JavaScript costs
 * on this machine, and evring-X ÷ raw-X (JS) what the backend adds. The
 * targets set the first beside every evring-X ÷ raw-X (C) target.
 *
 * @module
 */

import {
  CQE_FLAGS_WORD,
  CQE_USER_DATA_WORD,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLL_EVENT_SIZE,
  EPOLLET,
  EPOLLIN,
  epoll_event,
  IO_EVENT_DATA_WORD,
  IO_EVENT_WORDS,
  IORING_CQE_F_MORE,
  IORING_ENTER_EXT_ARG,
  IORING_ENTER_GETEVENTS,
  IORING_SETUP_CLAMP,
  IORING_SETUP_CQSIZE,
  iocb,
  iocbSetData,
  POLLIN,
  prepIocbPoll,
  prepPollAdd,
  sqeSetData,
  systemError,
} from '@evring/abi';
import * as sys from '@evring/sys';
import { closeRing, type FdRing, nextWakeByFd, openRing } from '../fd-ring.js';
import type { BenchJob, BenchMode, JobMissing, JobTimes } from '../job.js';
import { fdCallback, RoundState, STALL_MS, timeRounds } from '../sync-rounds.js';
import type { CallbackOrder } from './evring.js';

/**
 * The kernel interfaces a raw JS loop is written for.
 *
 * @example
 * ```ts
 * import { type RawJsBackend, rawJsJob } from '@evring/cli';
 * const rows = (['epoll', 'iouring'] satisfies RawJsBackend[]).map((b) => rawJsJob(b, ['level']));
 * ```
 */
export type RawJsBackend = 'epoll' | 'linuxaio' | 'iouring';

/*
 * Each wait is bounded by STALL_MS where the C program waits forever, so
 * that a lost event fails the job instead of hanging it; a bounded wait
 * costs no more syscalls.
 */

/** Events one wait takes at most, as the C program's arrays. */
const BATCH = 1024;
const IOCB_SIZE = iocb.size;

type Callback = (fd: number) => void;

/** One loop: a `turn` that waits once and runs the callbacks of what it reaped, and its cleanup. */
interface RawLoop {
  turn(): void;
  close(): void;
}

function check(r: number, syscall: string): number {
  if (r < 0) throw systemError(r, syscall);
  return r;
}

/** epoll: every fd registered once; one epoll_wait a turn. */
function epollLoop(ring: FdRing, callback: Callback, edge: boolean): RawLoop {
  const ep = check(sys.epollCreate1(EPOLL_CLOEXEC), 'epoll_create1');
  const events = new Uint8Array(BATCH * EPOLL_EVENT_SIZE);
  const words = new Uint32Array(events.buffer);
  const stride = EPOLL_EVENT_SIZE >>> 2;
  const dataWord = epoll_event.fields.data.offset >>> 2;
  try {
    for (const fd of ring.read) {
      check(
        sys.epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN | (edge ? EPOLLET : 0), fd, 0),
        'epoll_ctl',
      );
    }
  } catch (err) {
    sys.close(ep);
    throw err;
  }
  return {
    turn() {
      const m = sys.epollWait(ep, events, BATCH, STALL_MS);
      for (let j = 0; j < m; j++) callback(words[j * stride + dataWord]!);
    },
    close: () => sys.close(ep),
  };
}

/** A ring for `ring`'s fds and the function that arms a poll on one (multishot for edge). */
function pollRing(ring: FdRing, edge: boolean): { uring: sys.IoUring; arm: (fd: number) => void } {
  const n = ring.read.length;
  const uring = sys.IoUring.setup(1024, {
    flags: IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP,
    cqEntries: Math.max(2 * n + 64, 2048),
  });
  const sqes = uring.sqeWords;
  const multishot = { multishot: edge };
  const arm = (fd: number): void => {
    let at = uring.nextSqe();
    if (at < 0) {
      // The SQ is full: hand it over without waiting.
      uring.enter(uring.toSubmit, 0, 0);
      at = uring.nextSqe();
    }
    prepPollAdd(sqes, at, fd, POLLIN, multishot);
    sqeSetData(sqes, at, fd, 0);
    uring.advance();
  };
  for (const fd of ring.read) arm(fd);
  return { uring, arm };
}

/**
 * io_uring with the callbacks run once the wait has returned, as an event
 * loop runs them: every waiting completion is taken, then the callbacks run
 * and their re-arms go into the next enter, which returns at once when a
 * callback's write has completed another poll meanwhile. Level only.
 */
function iouringAfterLoop(ring: FdRing, callback: Callback): RawLoop {
  const { uring, arm } = pollRing(ring, false);
  const cq = uring.cqWords;
  const ready = new Int32Array(BATCH);
  return {
    turn() {
      uring.enter(uring.toSubmit, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, STALL_MS);
      let head = uring.cqHead;
      const tail = uring.cqTail;
      let count = 0;
      while (head !== tail && count < BATCH) {
        ready[count++] = cq[(uring.cqeAt(head) >>> 2) + CQE_USER_DATA_WORD]!;
        head = (head + 1) >>> 0;
      }
      uring.setCqHead(head);
      for (let j = 0; j < count; j++) {
        callback(ready[j]!);
        arm(ready[j]!);
      }
    },
    close: () => uring.close(),
  };
}

/**
 * io_uring: a one-shot POLL_ADD per fd re-armed after its event (level), or
 * a multishot one re-armed when a completion comes without F_MORE (edge);
 * the re-arms go into the enter that waits, and no enter is made while
 * completions are waiting.
 */
function iouringLoop(ring: FdRing, callback: Callback, edge: boolean): RawLoop {
  const { uring, arm } = pollRing(ring, edge);
  const cq = uring.cqWords;
  return {
    turn() {
      let head = uring.cqHead;
      if (head === uring.cqTail) {
        uring.enter(uring.toSubmit, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, STALL_MS);
      }
      const tail = uring.cqTail;
      while (head !== tail) {
        const at = uring.cqeAt(head) >>> 2;
        const fd = cq[at + CQE_USER_DATA_WORD]!;
        const more = (cq[at + CQE_FLAGS_WORD]! & IORING_CQE_F_MORE) !== 0;
        head = (head + 1) >>> 0;
        uring.setCqHead(head);
        callback(fd);
        if (!more) arm(fd);
      }
    },
    close: () => uring.close(),
  };
}

/**
 * Linux AIO (level only: a one-shot poll has no edge): one IOCB_CMD_POLL
 * per fd; a batch's re-arms go into one io_submit before the next
 * io_getevents.
 */
function linuxaioLoop(ring: FdRing, callback: Callback): RawLoop {
  const n = ring.read.length;
  const aio = sys.AioContext.setup(2 * n + 64, n);
  const iocbs = new Uint32Array(aio.iocbs);
  const pending = new Uint32Array(n);
  let pendingCount = 0;
  const events = new Uint32Array(BATCH * IO_EVENT_WORDS);
  const arm = (i: number): void => {
    const at = i * IOCB_SIZE;
    prepIocbPoll(iocbs, at, ring.read[i]!, POLLIN);
    iocbSetData(iocbs, at, i, 0);
    pending[pendingCount++] = i;
  };
  const flush = (): void => {
    while (pendingCount > 0) {
      const r = check(aio.submit(pending, pendingCount), 'io_submit');
      // What the kernel did not take moves to the front.
      pending.copyWithin(0, r, pendingCount);
      pendingCount -= r;
    }
  };
  for (let i = 0; i < n; i++) arm(i);
  try {
    flush();
  } catch (err) {
    aio.destroy();
    throw err;
  }
  return {
    turn() {
      flush();
      const m = aio.getevents(1, BATCH, events, STALL_MS);
      for (let j = 0; j < m; j++) {
        const i = events[j * IO_EVENT_WORDS + IO_EVENT_DATA_WORD]!;
        callback(ring.read[i]!);
        arm(i);
      }
    },
    close: () => aio.destroy(),
  };
}

/**
 * A raw loop in JavaScript on one kernel interface. `order: 'after poll'`
 * runs io_uring's callbacks once the wait has returned, as an event loop
 * does (row `raw-iouring, after poll (JS)`); the epoll and Linux AIO loops
 * run them so already.
 *
 * @example
 * ```ts
 * import { QUICK, rawJsJob, runBench } from '@evring/cli';
 * const report = await runBench({ matrix: QUICK, jobs: [rawJsJob('epoll', ['level'])] });
 * console.log(report.rows.map((r) => r.nsPerEvent));
 * ```
 */
export function rawJsJob(
  backend: RawJsBackend,
  modes: readonly BenchMode[],
  order: CallbackOrder = 'in reap',
): BenchJob {
  const after = backend === 'iouring' && order === 'after poll';
  return {
    name: after ? 'raw-iouring, after poll (JS)' : `raw-${backend} (JS)`,
    family: 'raw-js',
    modes,
    run(config, mode): JobTimes | JobMissing {
      const edge = mode === 'edge';
      const ring = openRing(config.kind, config.n);
      let loop: RawLoop | undefined;
      try {
        const state = new RoundState();
        const callback = fdCallback(state, nextWakeByFd(ring), config, edge);
        loop =
          backend === 'epoll'
            ? epollLoop(ring, callback, edge)
            : after
              ? iouringAfterLoop(ring, callback)
              : backend === 'iouring'
                ? iouringLoop(ring, callback, edge)
                : linuxaioLoop(ring, callback);
        const { turn } = loop;
        return timeRounds(config, ring, state, turn);
      } finally {
        loop?.close();
        closeRing(ring);
      }
    },
  };
}
