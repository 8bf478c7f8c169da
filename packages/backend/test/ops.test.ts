/**
 * checkOpArguments: what fits passes (the short path a read or write takes,
 * and the full check every other opcode takes), and every argument that
 * does not fit is a RangeError naming it, on either path.
 */

import { pinnedAlloc, pinnedFree } from '@evring/sys';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkOpArguments,
  isPathOp,
  OP_FSYNC,
  OP_LINKAT,
  OP_MKDIRAT,
  OP_OPENAT,
  OP_READ,
  OP_RENAMEAT,
  OP_STATX,
  OP_SYMLINKAT,
  OP_WRITE,
  type OpCode,
  STATX_SIZE,
} from '../src/index.js';

const mem = pinnedAlloc(512);
afterAll(() => pinnedFree(mem.buffer));

function check(op: number, offset: number, length: number, position: number, token: number): void {
  checkOpArguments(op as OpCode, mem, offset, length, position, token);
}

describe('checkOpArguments', () => {
  it('passes reads and writes that fit, at a position or at the file offset (−1)', () => {
    for (const op of [OP_READ, OP_WRITE]) {
      expect(() => check(op, 0, 512, 0, 0)).not.toThrow();
      expect(() => check(op, 500, 12, -1, 0x7fffffff)).not.toThrow();
      expect(() => check(op, 512, 0, Number.MAX_SAFE_INTEGER, 1)).not.toThrow();
    }
  });

  it('refuses a read or write whose range, position, length or token does not fit, naming it', () => {
    for (const op of [OP_READ, OP_WRITE]) {
      expect(() => check(op, 8, 512, 0, 1)).toThrow(/the range 8\+512 is not inside the buffer/);
      expect(() => check(op, 8, 512, 0, 1)).toThrow(
        expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
      );
      expect(() => check(op, -1, 4, 0, 1)).toThrow(/the range -1\+4/);
      expect(() => check(op, 0.5, 4, 0, 1)).toThrow(RangeError);
      expect(() => check(op, 0, 4, -2, 1)).toThrow(/position -2 is not an integer ≥ −1/);
      expect(() => check(op, 0, 4, 1.5, 1)).toThrow(/position 1.5/);
      expect(() => check(op, 0, -4, 0, 1)).toThrow(/length -4 is not an integer/);
      expect(() => check(op, 0, 2 ** 32, 0, 1)).toThrow(/length 4294967296/);
      expect(() => check(op, 0, 4, 0, 2 ** 31)).toThrow(/token 2147483648 is not an integer/);
      expect(() => check(op, 0, 4, 0, -1)).toThrow(/token -1/);
      expect(() => check(op, 0, 4, 0, 1.5)).toThrow(/token 1.5/);
      expect(() => check(op, 0, 4, Number.NaN, 1)).toThrow(/position NaN/);
      expect(() => check(op, 0, 4, 0, '1' as never)).toThrow(/token 1 is not/);
    }
  });

  it('checks the other opcodes in full: paths NUL-terminated inside the buffer, statx room, known opcodes', () => {
    const bytes = new Uint8Array(mem.buffer);
    bytes.fill(0x61);
    bytes[10] = 0; // a path from 0 to 10
    expect(() => check(OP_FSYNC, 0, 0, 0, 1)).not.toThrow();
    expect(() => check(OP_OPENAT, 0, 0, 0o644, 1)).not.toThrow();
    expect(() => check(OP_MKDIRAT, 11, 0o755, 0, 1)).toThrow(/no NUL-terminated path at 11/);
    for (const op of [OP_RENAMEAT, OP_LINKAT, OP_SYMLINKAT] as const) {
      expect(() => check(op, 0, 0, 11, 1)).toThrow(/no NUL-terminated second path at 11/);
      expect(() => check(op, 0, 0, 0, 1)).not.toThrow();
      expect(() => check(op, 11, 0, 0, 1)).toThrow(/no NUL-terminated path at 11/);
      expect(isPathOp(op)).toBe(true);
    }
    expect(() => check(OP_STATX, 0, 0, 0, 1)).not.toThrow();
    expect(() => check(OP_STATX, 0, 0, 512 - STATX_SIZE + 1, 1)).toThrow(/statx buffer/);
    expect(() => check(99, 0, 0, 0, 1)).toThrow(/unknown opcode/);
    expect(() => check(15, 0, 0, 0, 1)).toThrow(/unknown opcode/);
    expect(() => check(OP_OPENAT, 0, 0, 0, -1)).toThrow(/token -1/);
  });

  it("reads a record's size when it has one (pinnedAlloc's, 0 once freed), else the ArrayBuffer's length", () => {
    const block = pinnedAlloc(64);
    const plain = { buffer: block.buffer, address: block.address }; // no size: the ArrayBuffer is asked
    for (const op of [OP_READ, OP_WRITE] as const) {
      expect(() => checkOpArguments(op, block, 0, 64, 0, 1)).not.toThrow();
      expect(() => checkOpArguments(op, plain, 0, 64, 0, 1)).not.toThrow();
      expect(() => checkOpArguments(op, block, 1, 64, 0, 1)).toThrow(/its buffer has 64 bytes/);
    }
    pinnedFree(block.buffer);
    for (const m of [block, plain]) {
      expect(() => checkOpArguments(OP_READ, m, 0, 64, 0, 1)).toThrow(
        expect.objectContaining({
          code: 'ERR_OUT_OF_RANGE',
          message: expect.stringMatching(/has 0 bytes/),
        }),
      );
      expect(() => checkOpArguments(OP_READ, m, 0, 0, 0, 1)).not.toThrow(); // nothing to touch
    }
    // A record that says more than its buffer holds: the full check goes by the buffer.
    const small = pinnedAlloc(16);
    const liar = { buffer: small.buffer, address: small.address, size: 1 << 20 };
    expect(() => checkOpArguments(OP_STATX, liar, 0, 0, 0, 1)).toThrow(/its buffer has 16 bytes/);
    pinnedFree(small.buffer);
  });
});
