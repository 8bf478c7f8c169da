import {
  IORING_CQE_F_MORE,
  IORING_POLL_ADD_MULTI,
  layouts,
  POLLIN,
  POLLOUT,
  POLLPRI,
  prepPollAddParts,
} from '@evring/abi';
import { describe, expect, it } from 'vitest';
import {
  CQE_FLAGS,
  CQE_RES,
  CQE_USER_DATA_HI,
  CQE_USER_DATA_LO,
  SQE_WORDS,
  writePollAddWords,
} from '../src/words.js';

const SQE_SIZE = layouts.io_uring_sqe.size;

describe('the per-event SQE writer matches abi byte for byte', () => {
  const cases: [fd: number, mask: number, multi: boolean, lo: number, hi: number][] = [
    [0, POLLIN, false, 0, 0],
    [5, POLLIN | POLLOUT | POLLPRI, true, 5, 1],
    [0x7fffffff, 0xffffffff, false, 0xffffffff, 0xfffffffe],
    [19_999, POLLOUT, true, 19_999, 0x8000_0000],
  ];
  for (const [fd, mask, multi, lo, hi] of cases) {
    it(`fd ${fd}, mask ${mask.toString(16)}, ${multi ? 'multishot' : 'one-shot'}, user_data ${hi}:${lo}`, () => {
      // Both start from garbage: every byte must be written, not left over.
      const expected = new Uint8Array(SQE_SIZE * 3).fill(0xa5);
      const got = new Uint8Array(SQE_SIZE * 3).fill(0x5a);
      prepPollAddParts(new DataView(expected.buffer), SQE_SIZE, fd, mask, multi, lo, hi);
      writePollAddWords(new Uint32Array(got.buffer), SQE_WORDS, fd, mask, multi, lo, hi);
      expect(Buffer.from(got.subarray(SQE_SIZE, 2 * SQE_SIZE))).toEqual(
        Buffer.from(expected.subarray(SQE_SIZE, 2 * SQE_SIZE)),
      );
      // The neighbours are untouched.
      expect(got.subarray(0, SQE_SIZE).every((b) => b === 0x5a)).toBe(true);
      expect(got.subarray(2 * SQE_SIZE).every((b) => b === 0x5a)).toBe(true);
    });
  }

  it('one SQE is 16 words, and multishot sets IORING_POLL_ADD_MULTI in len', () => {
    expect(SQE_WORDS).toBe(16);
    const w = new Uint32Array(SQE_WORDS);
    writePollAddWords(w, 0, 3, POLLIN, true, 3, 0);
    expect(new DataView(w.buffer).getUint32(layouts.io_uring_sqe.fields.len.offset, true)).toBe(
      IORING_POLL_ADD_MULTI,
    );
  });
});

describe('the CQE word indexes', () => {
  it('read what abi writes at the CQE field offsets', () => {
    const F = layouts.io_uring_cqe.fields;
    const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
    cqe.setUint32(F.user_data.offset, 0xdeadbeef, true);
    cqe.setUint32(F.user_data.offset + 4, 0x12345678, true);
    cqe.setInt32(F.res.offset, -9, true);
    cqe.setUint32(F.flags.offset, IORING_CQE_F_MORE, true);
    const w = new Uint32Array(cqe.buffer);
    expect(w[CQE_USER_DATA_LO]).toBe(0xdeadbeef);
    expect(w[CQE_USER_DATA_HI]).toBe(0x12345678);
    expect(w[CQE_RES]! | 0).toBe(-9);
    expect(w[CQE_FLAGS]).toBe(IORING_CQE_F_MORE);
  });
});
