import { IOCB_CMD_POLL, layouts, POLLIN, POLLOUT, POLLPRI, prepIocbPoll } from '@evring/abi';
import { describe, expect, it } from 'vitest';
import {
  EV_DATA_HI,
  EV_DATA_LO,
  EV_RES_LO,
  IO_EVENT_WORDS,
  IOCB_WORDS,
  writeIocbPollWords,
} from '../src/words.js';

const IOCB_SIZE = layouts.iocb.size;

describe('the per-event iocb writer matches abi byte for byte', () => {
  const cases: [fd: number, mask: number, lo: number, hi: number, resfd: number][] = [
    [0, POLLIN, 0, 0, -1],
    [5, POLLIN | POLLOUT | POLLPRI, 5, 1, 9],
    [0x7fffffff, 0x1ffff, 0xffffffff, 0xfffffffe, 0],
    [19_999, POLLOUT, 19_999, 0x8000_0000, 19_998],
  ];
  for (const [fd, mask, lo, hi, resfd] of cases) {
    it(`fd ${fd}, mask ${mask.toString(16)}, data ${hi}:${lo}, resfd ${resfd}`, () => {
      // Both start from garbage: every byte must be written, not left over.
      const expected = new Uint8Array(IOCB_SIZE * 3).fill(0xa5);
      const got = new Uint8Array(IOCB_SIZE * 3).fill(0x5a);
      prepIocbPoll(new DataView(expected.buffer), IOCB_SIZE, fd, mask, lo, hi, resfd);
      writeIocbPollWords(new Uint32Array(got.buffer), IOCB_WORDS, fd, mask, lo, hi, resfd);
      expect(Buffer.from(got.subarray(IOCB_SIZE, 2 * IOCB_SIZE))).toEqual(
        Buffer.from(expected.subarray(IOCB_SIZE, 2 * IOCB_SIZE)),
      );
      expect(got.subarray(0, IOCB_SIZE).every((b) => b === 0x5a)).toBe(true);
      expect(got.subarray(2 * IOCB_SIZE).every((b) => b === 0x5a)).toBe(true);
    });
  }

  it('the opcode lands in aio_lio_opcode', () => {
    const w = new Uint32Array(IOCB_WORDS);
    writeIocbPollWords(w, 0, 3, POLLIN, 3, 0, -1);
    expect(new DataView(w.buffer).getUint16(layouts.iocb.fields.aio_lio_opcode.offset, true)).toBe(
      IOCB_CMD_POLL,
    );
  });
});

describe('the io_event word indexes', () => {
  it('read what abi writes at the io_event field offsets, res signed', () => {
    const F = layouts.io_event.fields;
    expect(IO_EVENT_WORDS).toBe(8);
    const ev = new DataView(new ArrayBuffer(layouts.io_event.size));
    ev.setUint32(F.data.offset, 0xdeadbeef, true);
    ev.setUint32(F.data.offset + 4, 0x12345678, true);
    ev.setBigInt64(F.res.offset, -9n, true);
    const w = new Uint32Array(ev.buffer);
    expect(w[EV_DATA_LO]).toBe(0xdeadbeef);
    expect(w[EV_DATA_HI]).toBe(0x12345678);
    expect(w[EV_RES_LO]! | 0).toBe(-9);
    ev.setBigInt64(F.res.offset, BigInt(POLLIN | POLLOUT), true);
    expect(w[EV_RES_LO]! | 0).toBe(POLLIN | POLLOUT);
  });
});
