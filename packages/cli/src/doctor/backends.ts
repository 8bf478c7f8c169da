/**
 * Each backend opened as the loop would open it: available or refused (and
 * why), the features it runs with, and — for every switch-off option — what
 * opening it with that option changes, found by doing exactly that.
 *
 * @module
 */

import {
  type BackendFactory,
  type BackendName,
  type BackendOptions,
  BackendUnavailableError,
  Poller,
} from '@evring/backend';
import { epollBackend } from '@evring/backend-epoll';
import { type IoUringBackend, iouringBackend } from '@evring/backend-iouring';
import { linuxaioBackend } from '@evring/backend-linuxaio';

/** An option a user can pass to turn a kernel feature off (or on), and what it is for. */
export interface SwitchSpec {
  options: Record<string, unknown>;
  /** What the option trades, in a line. */
  meaning: string;
}

/**
 * A switch, opened for real: the features that differ from the defaults.
 *
 * @example
 * ```ts
 * import { runDoctor } from '@evring/cli';
 * const iouring = runDoctor().backends.find((b) => b.name === 'iouring')!;
 * for (const s of iouring.switches) console.log(s.option, s.changes.join(', ') || 'no change');
 * ```
 */
export interface SwitchEffect {
  /** The option as a user writes it, e.g. `{ multishot: false }`. */
  option: string;
  meaning: string;
  /** `feature: before → after`, empty when nothing changes on this kernel. */
  changes: string[];
  /** Set when the backend refused to open with it. */
  refused?: string;
}

/**
 * One backend on this kernel.
 *
 * @example
 * ```ts
 * import { runDoctor } from '@evring/cli';
 * for (const b of runDoctor().backends) console.log(b.name, b.available ? b.features : b.refusal);
 * ```
 */
export interface BackendFacts {
  name: BackendName;
  available: boolean;
  /** Why the kernel refused it. */
  refusal?: string;
  /** Features in use with the default options. */
  features: Record<string, boolean | string>;
  switches: SwitchEffect[];
  /** File operations (`loop.fs`, `Poller.submitOp`): which the kernel does, and with which options. */
  operations?: OperationFacts;
}

/**
 * Which file operations a backend hands to the kernel; the Poller emulates
 * the rest with a direct syscall (regular files, block devices, directories).
 *
 * @example
 * ```ts
 * import { runDoctor } from '@evring/cli';
 * for (const b of runDoctor().backends) console.log(b.name, b.operations?.native.join(' ') || 'none native');
 * ```
 */
export interface OperationFacts {
  native: string[];
  emulated: string[];
  /** The options the native ones need, when not the backend's defaults. */
  options?: string;
}

/** Operation names by opcode (OP_READ = 0 … OP_SYMLINKAT = 14). */
const OP_NAMES = [
  'read',
  'write',
  'fsync',
  'fdatasync',
  'open',
  'close',
  'stat',
  'ftruncate',
  'rename',
  'unlink',
  'mkdir',
  'readv',
  'writev',
  'link',
  'symlink',
];
const SWITCHES: Record<BackendName, SwitchSpec[]> = {
  epoll: [],
  linuxaio: [
    {
      options: { useRing: false },
      meaning:
        'completions read with io_getevents instead of from the mapped ring (one more syscall per wait)',
    },
  ],
  iouring: [
    {
      options: { tracking: true },
      meaning:
        "a tracking ring (SINGLE_ISSUER | DEFER_TASKRUN, 6.1; a Loop's default): file operations in the kernel; a Poller's callbacks no longer complete the next poll inline; attached, fds are watched through epoll (the kernel signals such a ring's eventfd for poll completions late)",
    },
    {
      options: { singleMmap: false },
      meaning: 'SQ and CQ rings mapped separately (pre-5.4 layout)',
    },
    {
      options: { multishot: false },
      meaning: 'EDGE watchers get one-shot polls re-armed per event, as level ones (pre-5.13)',
    },
    {
      options: { pollUpdate: false },
      meaning: 'a multishot poll whose mask changes is removed and added again (pre-5.13)',
    },
    {
      options: { extArg: false },
      meaning:
        'wait timeouts through an IORING_OP_TIMEOUT SQE instead of inside io_uring_enter (pre-5.11)',
    },
    {
      options: { extArg: false, opTimeout: false },
      meaning:
        "wait timeouts through a timerfd, as libev's first io_uring backend (one more syscall per timed wait)",
    },
    {
      options: { nodrop: false },
      meaning:
        'on CQ overflow the ring is re-created larger instead of relying on the kernel to keep completions (pre-5.5)',
    },
    {
      options: { registerRing: false },
      meaning:
        "enters go through sys's private duplicate of the ring fd instead of a registered ring slot (5.18): one fd lookup more per enter",
    },
  ],
};

const FACTORIES: Record<BackendName, BackendFactory> = {
  epoll: epollBackend,
  linuxaio: linuxaioBackend as BackendFactory,
  iouring: iouringBackend as BackendFactory,
};

/** The backend's native opcodes with `options` (empty when refused). */
function nativeOps(name: BackendName, options: BackendOptions): number[] {
  try {
    const poller = new Poller(FACTORIES[name], () => {}, options);
    try {
      return [...(poller.backend.ops?.native ?? [])];
    } finally {
      poller.destroy();
    }
  } catch (err) {
    if (err instanceof BackendUnavailableError) return [];
    throw err;
  }
}

function operationFacts(name: BackendName): OperationFacts {
  let native = nativeOps(name, {});
  let options: string | undefined;
  if (name === 'iouring' && native.length === 0) {
    native = nativeOps(name, { tracking: true } as BackendOptions);
    if (native.length > 0) options = "{ tracking: true }, a Loop's default";
  }
  const facts: OperationFacts = {
    native: OP_NAMES.filter((_, op) => native.includes(op)),
    emulated: OP_NAMES.filter((_, op) => !native.includes(op)),
  };
  if (options !== undefined) facts.options = options;
  return facts;
}

/** Features of a backend opened with `options`, or why it was refused. */
function open(
  name: BackendName,
  options: BackendOptions,
): Record<string, boolean | string> | { refused: string } {
  let poller: Poller;
  try {
    poller = new Poller(FACTORIES[name], () => {}, options);
  } catch (err) {
    if (err instanceof BackendUnavailableError) return { refused: err.reason };
    throw err;
  }
  try {
    const features: Record<string, boolean | string> = { ...poller.backend.features };
    if (name === 'iouring') features.waitMode = (poller.backend as IoUringBackend).config.waitMode;
    return features;
  } finally {
    poller.destroy();
  }
}

function optionText(options: Record<string, unknown>): string {
  return `{ ${Object.entries(options)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ')} }`;
}

/** Opens `name` with its defaults and with each of its switches. */
export function backendFacts(name: BackendName): BackendFacts {
  const base = open(name, {});
  if ('refused' in base)
    return { name, available: false, refusal: String(base.refused), features: {}, switches: [] };
  const switches = SWITCHES[name].map((spec): SwitchEffect => {
    const effect: SwitchEffect = {
      option: optionText(spec.options),
      meaning: spec.meaning,
      changes: [],
    };
    const got = open(name, spec.options as BackendOptions);
    if ('refused' in got) effect.refused = String(got.refused);
    else {
      for (const key of new Set([...Object.keys(base), ...Object.keys(got)])) {
        if (base[key] !== got[key])
          effect.changes.push(`${key}: ${String(base[key])} → ${String(got[key])}`);
      }
    }
    return effect;
  });
  return { name, available: true, features: base, switches, operations: operationFacts(name) };
}
