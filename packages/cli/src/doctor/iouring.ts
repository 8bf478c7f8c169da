/**
 * What io_uring offers here, asked of the kernel directly: a small ring's
 * IORING_FEAT_* bits and the opcodes IORING_REGISTER_PROBE reports.
 *
 * @module
 */

import * as abi from '@evring/abi';
import * as sys from '@evring/sys';
import { procNumber } from './proc.js';

/**
 * io_uring as the kernel answers for it.
 *
 * @example
 * ```ts
 * import { runDoctor } from '@evring/cli';
 * const { iouring } = runDoctor();
 * console.log(iouring.features.filter((f) => f.present).map((f) => f.name), iouring.opcodes.lastOp);
 * ```
 */
export interface IoUringFacts {
  /** `io_uring_setup` succeeded. */
  available: boolean;
  /** The kernel's refusal, when it refused. */
  refusal?: { code: string; message: string };
  /** kernel.io_uring_disabled (6.6+): 0 allowed, 1 only for io_uring_group, 2 off. */
  disabledSysctl?: number;
  /** Every IORING_FEAT_* the headers name, present or not. */
  features: Array<{ name: string; present: boolean }>;
  /** Opcodes by name, from the probe. */
  opcodes: { supported: string[]; unsupported: string[]; lastOp: number; newerThanHeaders: number };
}

/** Exported constants of `@evring/abi` with a prefix, by value. */
function named(prefix: string): Array<[string, number]> {
  return Object.entries(abi)
    .filter((e): e is [string, number] => e[0].startsWith(prefix) && typeof e[1] === 'number')
    .sort((a, b) => a[1] - b[1]);
}

/** Sets up a 4-entry ring, reads its features and probe, and closes it. */
export function probeIoUring(): IoUringFacts {
  const disabledSysctl = procNumber('/proc/sys/kernel/io_uring_disabled');
  const base: IoUringFacts = {
    available: false,
    features: [],
    opcodes: { supported: [], unsupported: [], lastOp: 0, newerThanHeaders: 0 },
  };
  if (disabledSysctl !== undefined) base.disabledSysctl = disabledSysctl;
  let ring: sys.IoUring;
  try {
    ring = sys.IoUring.setup(4);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    base.refusal = { code: e.code ?? 'UNKNOWN', message: e.message ?? String(err) };
    return base;
  }
  try {
    const { features } = ring.params;
    base.available = true;
    base.features = named('IORING_FEAT_').map(([name, bit]) => ({
      name,
      present: (features & bit) !== 0,
    }));
    const p = ring.probe();
    base.opcodes.lastOp = p.lastOp;
    let known = -1;
    for (const [name, op] of named('IORING_OP_')) {
      if (name === 'IORING_OP_LAST') continue;
      known = Math.max(known, op);
      (p.supported.has(op) ? base.opcodes.supported : base.opcodes.unsupported).push(
        name.slice('IORING_OP_'.length),
      );
    }
    for (const op of p.supported) if (op > known) base.opcodes.newerThanHeaders++;
    return base;
  } finally {
    ring.close();
  }
}
