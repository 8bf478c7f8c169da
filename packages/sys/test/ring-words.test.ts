/**
 * The ring words' acquire loads and release stores: the same values as
 * `Atomics` reads and writes, over the whole 32-bit range, on a plain
 * buffer and on a real ring's shared words.
 */

import { describe, expect, it } from 'vitest';
import { IoUring, loadAcquire, storeRelease } from '../src/index.js';

const VALUES = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

describe('ring words', () => {
  it('loadAcquire reads what Atomics.store wrote, unsigned', () => {
    const words = new Uint32Array(4);
    for (const v of VALUES) {
      Atomics.store(words, 3, v);
      expect(loadAcquire(words, 3)).toBe(v);
    }
  });

  it('storeRelease writes what Atomics.load reads, and only its own word', () => {
    const words = new Uint32Array(4);
    for (const v of VALUES) {
      storeRelease(words, 1, v);
      expect(Atomics.load(words, 1)).toBe(v);
      expect([words[0], words[2], words[3]]).toEqual([0, 0, 0]);
    }
  });

  it("a ring's heads and tails move through them: a NOP's completion is seen and released", () => {
    const ring = IoUring.setup(4);
    try {
      const head = ring.cqHead;
      const at = ring.nextSqe();
      ring.sqeWords.fill(0, at >>> 2, (at >>> 2) + 16); // IORING_OP_NOP is opcode 0
      ring.advance();
      expect(ring.enter(1, 1, 1 /* IORING_ENTER_GETEVENTS */)).toBe(1);
      expect(ring.cqTail - head).toBe(1);
      ring.setCqHead(head + 1);
      expect(ring.cqHead).toBe(head + 1);
      expect(ring.toSubmit).toBe(0);
    } finally {
      ring.close();
    }
  });
});
