/**
 * Which backend a loop gets: the one asked for (or named by EVRING_BACKEND,
 * as LIBEV_FLAGS does for libev), else `auto`'s order, falling back to the
 * next when the kernel refuses one — with the reason kept, so the loop can
 * say why it runs on what it runs on.
 *
 * `auto` tries epoll first, as libev does since it moved io_uring behind
 * epoll: on this project's benchmark epoll is the fastest level-triggered
 * backend (docs/benchmarks.md); io_uring is a request away.
 *
 * @module
 */

import {
  type BackendFactory,
  type BackendName,
  BackendUnavailableError,
  type FdEventHandler,
  type OpCompletionHandler,
  Poller,
  type PollerOptions,
} from '@evring/backend';
import { type EpollOptions, epollBackend } from '@evring/backend-epoll';
import { type IoUringOptions, iouringBackend } from '@evring/backend-iouring';
import { type LinuxAioOptions, linuxaioBackend } from '@evring/backend-linuxaio';
import { invalidValue } from './errors.js';

/**
 * What `backend` (and EVRING_BACKEND) may name.
 *
 * @example
 * ```ts
 * import { type BackendChoice, Loop } from '@evring/loop';
 * const backend: BackendChoice = process.env.MY_BACKEND === 'iouring' ? 'iouring' : 'auto';
 * const loop = new Loop({ backend });
 * ```
 */
export type BackendChoice = 'auto' | BackendName;

/**
 * Per-backend options: the kernel features each one may use (the `sys` seam excluded).
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * // Old-kernel paths on a new kernel: no multishot, timerfd waits.
 * const loop = new Loop({ backend: 'iouring', iouring: { multishot: false, extArg: false, opTimeout: false } });
 * ```
 */
export interface BackendTuning {
  epoll?: Omit<EpollOptions, 'sys'>;
  iouring?: Omit<IoUringOptions, 'sys' | 'faultCqe'>;
  linuxaio?: Omit<LinuxAioOptions, 'sys'>;
}

const FACTORIES: Record<BackendName, BackendFactory> = {
  epoll: epollBackend,
  iouring: iouringBackend as BackendFactory,
  linuxaio: linuxaioBackend as BackendFactory,
};

const AUTO_ORDER: readonly BackendName[] = ['epoll', 'iouring', 'linuxaio'];

/** Why auto takes epoll when the kernel refuses nothing. */
const EPOLL_FIRST =
  'the fastest level-triggered backend in the benchmark here (docs/benchmarks.md); io_uring and linuxaio on request (the backend option or EVRING_BACKEND)';

/** Validates a backend name. */
export function checkBackendChoice(name: unknown, source: string): BackendChoice {
  if (name === 'auto' || name === 'epoll' || name === 'iouring' || name === 'linuxaio') return name;
  throw invalidValue(source, "must be 'auto', 'epoll', 'linuxaio' or 'iouring'", name);
}

/** The poller made, and why its backend was chosen. */
export interface BackendPick {
  poller: Poller;
  name: BackendName;
  reason: string;
}

/**
 * Opens the requested backend, or the next in `auto`'s order when the kernel
 * refuses it (unless `fallback` is false: then the refusal is thrown).
 */
export function pickBackend(
  choice: BackendChoice,
  source: string,
  fallback: boolean,
  tuning: BackendTuning,
  onEvent: FdEventHandler,
  embedded: boolean,
  onOpComplete: OpCompletionHandler,
): BackendPick {
  const order =
    choice === 'auto' ? AUTO_ORDER : [choice, ...AUTO_ORDER.filter((n) => n !== choice)];
  const refused: string[] = [];
  for (const name of order) {
    try {
      // io_uring on a tracking ring, so that loop.fs runs in the kernel
      // (without NODROP, an overflow would cancel operations: a plain ring).
      const iouring = tuning.iouring;
      const own =
        name === 'iouring'
          ? { ...iouring, tracking: iouring?.tracking ?? iouring?.nodrop !== false }
          : tuning[name];
      const options: PollerOptions = { ...own, embedded, onOpComplete };
      const poller = new Poller(FACTORIES[name], onEvent, options);
      let reason: string;
      if (refused.length > 0) {
        const order = choice === 'auto' ? "auto's order" : 'the fallback order';
        reason = `${name}: ${refused.join('; ')}; ${name} is next in ${order}`;
      } else if (choice !== 'auto') {
        reason = `${name}: requested by ${source}`;
      } else {
        reason = `${name}: ${EPOLL_FIRST}`;
      }
      return { poller, name, reason };
    } catch (err) {
      if (!(err instanceof BackendUnavailableError)) throw err;
      if (!fallback && choice !== 'auto') throw err;
      refused.push(`${name} unavailable (${err.reason})`);
    }
  }
  throw new BackendUnavailableError('epoll', `no backend available: ${refused.join('; ')}`);
}
