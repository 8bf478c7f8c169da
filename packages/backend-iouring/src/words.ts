/**
 * The per-event SQE and CQE accesses, through 32-bit words.
 *
 * `@evring/abi`'s DataView codecs are the reference, and everything rare
 * (removals, updates, timeouts) still goes through them. The two accesses
 * made once per event do not: V8 compiles abi's poll SQE writer (fifteen
 * DataView stores through shared helpers) to code that takes about 40 ns
 * here, where sixteen typed-array stores take about 4. Offsets are taken
 * from abi's layouts, and test/words.test.ts checks each writer byte for
 * byte against abi's encoder. Words are little-endian, as abi requires.
 *
 * @module
 */

import { IORING_OP_POLL_ADD, IORING_POLL_ADD_MULTI, layouts } from '@evring/abi';

const SQE = layouts.io_uring_sqe.fields;
const CQE = layouts.io_uring_cqe.fields;

/** Words in one SQE (64 bytes). */
export const SQE_WORDS = layouts.io_uring_sqe.size >>> 2;

// SQE word indexes. Word 0 holds opcode, flags and ioprio (all 0 but the opcode).
const S_FD = SQE.fd.offset >>> 2;
const S_LEN = SQE.len.offset >>> 2;
const S_POLL32 = SQE.poll32_events.offset >>> 2;
const S_USER_DATA = SQE.user_data.offset >>> 2;

/** CQE word indexes, from the CQE's first word. */
export const CQE_USER_DATA_LO = CQE.user_data.offset >>> 2;
export const CQE_USER_DATA_HI = CQE_USER_DATA_LO + 1;
export const CQE_RES = CQE.res.offset >>> 2;
export const CQE_FLAGS = CQE.flags.offset >>> 2;

/**
 * Writes IORING_OP_POLL_ADD into the SQE at word `i` of `sqes`, every other
 * field zero: the same bytes as abi's `prepPollAddParts`.
 */
export function writePollAddWords(
  sqes: Uint32Array,
  i: number,
  fd: number,
  pollMask: number,
  multishot: boolean,
  userDataLo: number,
  userDataHi: number,
): void {
  sqes[i] = IORING_OP_POLL_ADD;
  sqes[i + 1] = 0;
  sqes[i + 2] = 0;
  sqes[i + 3] = 0;
  sqes[i + 4] = 0;
  sqes[i + 5] = 0;
  sqes[i + 6] = 0;
  sqes[i + 7] = 0;
  sqes[i + 8] = 0;
  sqes[i + 9] = 0;
  sqes[i + 10] = 0;
  sqes[i + 11] = 0;
  sqes[i + 12] = 0;
  sqes[i + 13] = 0;
  sqes[i + 14] = 0;
  sqes[i + 15] = 0;
  sqes[i + S_FD] = fd;
  sqes[i + S_LEN] = multishot ? IORING_POLL_ADD_MULTI : 0;
  sqes[i + S_POLL32] = pollMask;
  sqes[i + S_USER_DATA] = userDataLo;
  sqes[i + S_USER_DATA + 1] = userDataHi;
}
