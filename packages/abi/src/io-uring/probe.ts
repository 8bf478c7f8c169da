/**
 * `struct io_uring_probe` (16-byte header) followed by `ops_len`
 * `struct io_uring_probe_op` (8 bytes each): IORING_REGISTER_PROBE's output
 * (linux 5.6), the run-time answer to "does this kernel have opcode X".
 *
 * @module
 */

import { LE } from '../arch.js';
import { defineStruct } from '../layout.js';
import { IO_URING_OP_SUPPORTED } from './constants.js';

/**
 * Layout of `struct io_uring_probe` (the flexible `ops[]` starts at 16).
 *
 * @example
 * ```ts
 * import { io_uring_probe } from '@evring/abi';
 * io_uring_probe.size;                  // 16, then ops_len io_uring_probe_op
 * io_uring_probe.fields.last_op.offset; // 0
 * ```
 */
export const io_uring_probe = defineStruct('io_uring_probe', 16, {
  last_op: [0, 1], // last opcode supported
  ops_len: [1, 1], // length of ops[] array below
  resv: [2, 2],
  resv2: [4, 12],
});

/**
 * Layout of `struct io_uring_probe_op`.
 *
 * @example
 * ```ts
 * import { io_uring_probe_op } from '@evring/abi';
 * io_uring_probe_op.size;               // 8
 * io_uring_probe_op.fields.flags.offset; // 2
 * ```
 */
export const io_uring_probe_op = defineStruct('io_uring_probe_op', 8, {
  op: [0, 1],
  resv: [1, 1],
  flags: [2, 2], // IO_URING_OP_* flags
  resv2: [4, 4],
});

/**
 * Bytes to allocate for a probe with room for `opsLen` ops (the kernel fills at most 256).
 *
 * @example
 * ```ts
 * import { probeSize } from '@evring/abi';
 * probeSize(256); // 2064: 16 + 256 * 8 bytes, what IORING_REGISTER_PROBE fills
 * ```
 */
export function probeSize(opsLen: number): number {
  return io_uring_probe.size + opsLen * io_uring_probe_op.size;
}

/**
 * A decoded probe: the last opcode and the set of supported ones.
 *
 * @example
 * ```ts
 * import { IORING_OP_POLL_ADD, type Probe } from '@evring/abi';
 * declare const probe: Probe; // IoUring.probe() in @evring/sys
 * const pollable = probe.supported.has(IORING_OP_POLL_ADD);
 * ```
 */
export interface Probe {
  lastOp: number;
  opsLen: number;
  supported: ReadonlySet<number>;
}

/**
 * Decodes a filled probe buffer.
 *
 * @example
 * ```ts
 * import { IORING_OP_NOP, IO_URING_OP_SUPPORTED, io_uring_probe, io_uring_probe_op, probeSize, readProbe } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(probeSize(2)));
 * view.setUint8(io_uring_probe.fields.last_op.offset, 1); // as the kernel fills it: ops 0 and 1 known
 * view.setUint8(io_uring_probe.fields.ops_len.offset, 2);
 * view.setUint16(io_uring_probe.size + io_uring_probe_op.fields.flags.offset, IO_URING_OP_SUPPORTED, true);
 * readProbe(view, 0).supported.has(IORING_OP_NOP); // true
 * ```
 */
export function readProbe(view: DataView, base: number): Probe {
  const lastOp = view.getUint8(base + io_uring_probe.fields.last_op.offset);
  const opsLen = view.getUint8(base + io_uring_probe.fields.ops_len.offset);
  const supported = new Set<number>();
  for (let i = 0; i < opsLen; i++) {
    const at = base + io_uring_probe.size + i * io_uring_probe_op.size;
    const flags = view.getUint16(at + io_uring_probe_op.fields.flags.offset, LE);
    if (flags & IO_URING_OP_SUPPORTED)
      supported.add(view.getUint8(at + io_uring_probe_op.fields.op.offset));
  }
  return { lastOp, opsLen, supported };
}
