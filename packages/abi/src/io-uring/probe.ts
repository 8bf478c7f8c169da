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

/** Layout of `struct io_uring_probe` (the flexible `ops[]` starts at 16). */
export const io_uring_probe = defineStruct('io_uring_probe', 16, {
  last_op: [0, 1], // last opcode supported
  ops_len: [1, 1], // length of ops[] array below
  resv: [2, 2],
  resv2: [4, 12],
});

/** Layout of `struct io_uring_probe_op`. */
export const io_uring_probe_op = defineStruct('io_uring_probe_op', 8, {
  op: [0, 1],
  resv: [1, 1],
  flags: [2, 2], // IO_URING_OP_* flags
  resv2: [4, 4],
});

/** Bytes to allocate for a probe with room for `opsLen` ops (the kernel fills at most 256). */
export function probeSize(opsLen: number): number {
  return io_uring_probe.size + opsLen * io_uring_probe_op.size;
}

/** A decoded probe: the last opcode and the set of supported ones. */
export interface Probe {
  lastOp: number;
  opsLen: number;
  supported: ReadonlySet<number>;
}

/** Decodes a filled probe buffer. */
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
