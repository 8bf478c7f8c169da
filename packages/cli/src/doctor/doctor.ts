/**
 * `evring doctor`: what this kernel offers each backend, which one `auto`
 * picks and why, and what each switch-off option changes.
 *
 * @module
 */

import { arch } from 'node:os';
import type { BackendName } from '@evring/backend';
import { Loop } from '@evring/loop';
import * as sys from '@evring/sys';
import { type BackendFacts, backendFacts } from './backends.js';
import { type IoUringFacts, probeIoUring } from './iouring.js';
import { procNumber } from './proc.js';

/**
 * Everything `evring doctor` reports.
 *
 * @example
 * ```ts
 * import { type DoctorReport, runDoctor } from '@evring/cli';
 * const report: DoctorReport = runDoctor();
 * if (!report.iouring.available) console.log('io_uring refused:', report.iouring.refusal?.code);
 * ```
 */
export interface DoctorReport {
  kernel: { release: string; arch: string; node: string; nofile: { soft: number; hard: number } };
  /** How sys's hot calls are entered: straight from V8, or through Node-API (see `hotCallEntry`). */
  hotCalls: sys.HotCallEntry;
  iouring: IoUringFacts;
  aio: { maxNr?: number; nr?: number };
  epoll: { maxUserWatches?: number };
  backends: BackendFacts[];
  /** What a `new Loop()` picks here, and why; `env` is EVRING_BACKEND when set. */
  auto: { backend?: BackendName; reason: string; env?: string };
}

const ORDER: BackendName[] = ['epoll', 'linuxaio', 'iouring'];

/** Which backend a default loop gets, as the loop itself decides. */
function autoPick(): DoctorReport['auto'] {
  const env = process.env.EVRING_BACKEND;
  const out: DoctorReport['auto'] = { reason: '' };
  if (env !== undefined && env !== '') out.env = env;
  try {
    const loop = new Loop({ attach: false });
    out.backend = loop.backend;
    out.reason = loop.backendReason;
    loop.destroy();
  } catch (err) {
    out.reason = `no loop could be made: ${(err as Error).message}`;
  }
  return out;
}

/**
 * Gathers the report (opens and closes each backend a few times).
 *
 * @example
 * ```ts
 * import { runDoctor } from '@evring/cli';
 * const { auto, iouring } = runDoctor();
 * console.log(auto.backend, auto.reason, iouring.opcodes.supported.includes('POLL_ADD'));
 * ```
 */
export function runDoctor(): DoctorReport {
  const aio: DoctorReport['aio'] = {};
  const maxNr = procNumber('/proc/sys/fs/aio-max-nr');
  const nr = procNumber('/proc/sys/fs/aio-nr');
  if (maxNr !== undefined) aio.maxNr = maxNr;
  if (nr !== undefined) aio.nr = nr;
  const epoll: DoctorReport['epoll'] = {};
  const watches = procNumber('/proc/sys/fs/epoll/max_user_watches');
  if (watches !== undefined) epoll.maxUserWatches = watches;
  return {
    kernel: {
      release: sys.kernelRelease(),
      arch: arch(),
      node: process.version,
      nofile: sys.getrlimitNofile(),
    },
    hotCalls: sys.hotCallEntry,
    iouring: probeIoUring(),
    aio,
    epoll,
    backends: ORDER.map(backendFacts),
    auto: autoPick(),
  };
}
