import { describe, expect, it } from 'vitest';
import {
  IORING_ASYNC_CANCEL_ALL,
  IORING_FSYNC_DATASYNC,
  IORING_POLL_UPDATE_EVENTS,
  IORING_POLL_UPDATE_USER_DATA,
  IORING_TIMEOUT_ABS,
  IOSQE_IO_LINK,
  MSG_NOSIGNAL,
  MSG_OOB,
  O_CLOEXEC,
  POLLIN,
  POLLOUT,
  prepAccept,
  prepCancel,
  prepClose,
  prepConnect,
  prepEpollCtl,
  prepFsync,
  prepNop,
  prepOpenat,
  prepPollAdd,
  prepPollAddParts,
  prepPollMultishot,
  prepPollRemove,
  prepPollRemoveParts,
  prepPollUpdate,
  prepRead,
  prepReadv,
  prepRecv,
  prepSend,
  prepStatx,
  prepTimeout,
  prepTimeoutRemove,
  prepWrite,
  prepWritev,
  SOCK_NONBLOCK,
  setSqeFlags,
  sqeOpcode,
} from '../src/index.js';
import { dirtyView, hex, rows, Z } from './helpers.js';

// Expected bytes are written by hand from linux/io_uring.h, row by row:
//   row 0: opcode flags ioprio(2) fd(4)   row 1: off/addr2      row 2: addr
//   row 3: len(4) op-flags(4)            row 4: user_data       row 5: buf_index personality splice_fd_in
//   row 6: addr3                         row 7: __pad2
// Each slot starts as 0xaa garbage: any byte a builder forgets shows up.
function build(fn: (view: DataView) => void): string {
  const view = dirtyView(64 + 16);
  fn(view);
  // The 16 bytes after the slot must stay untouched.
  expect(hex(view, 64, 16)).toBe('aa'.repeat(16));
  return hex(view, 0, 64);
}

describe('SQE builders write every byte of the slot', () => {
  it('nop', () => {
    expect(build((v) => prepNop(v, 0, 0x1122334455667788n))).toBe(
      rows('00000000ffffffff', Z, Z, Z, '8877665544332211', Z, Z, Z),
    );
  });

  it('poll_add one-shot, 32-bit mask', () => {
    expect(build((v) => prepPollAdd(v, 0, 5, POLLIN | POLLOUT, 42))).toBe(
      rows('0600000005000000', Z, Z, '0000000005000000', '2a00000000000000', Z, Z, Z),
    );
  });

  it('poll_add multishot sets IORING_POLL_ADD_MULTI in len', () => {
    expect(build((v) => prepPollMultishot(v, 0, 7, POLLIN, 1))).toBe(
      rows('0600000007000000', Z, Z, '0100000001000000', '0100000000000000', Z, Z, Z),
    );
  });

  it('poll_add from u32 halves matches the number form', () => {
    const a = build((v) => prepPollAddParts(v, 0, 9, POLLIN, true, 9, 3));
    const b = build((v) => prepPollMultishot(v, 0, 9, POLLIN, 3 * 2 ** 32 + 9));
    expect(a).toBe(b);
    expect(a.slice(64, 80)).toBe('0900000003000000');
  });

  it('poll_remove addresses the target by user_data in addr', () => {
    const target = (5n << 32n) | 3n;
    expect(build((v) => prepPollRemove(v, 0, target, 0xffffffffffffffffn))).toBe(
      rows('07000000ffffffff', Z, '0300000005000000', Z, 'ffffffffffffffff', Z, Z, Z),
    );
    expect(build((v) => prepPollRemoveParts(v, 0, 3, 5, 0xffffffff, 0xffffffff))).toBe(
      rows('07000000ffffffff', Z, '0300000005000000', Z, 'ffffffffffffffff', Z, Z, Z),
    );
  });

  it('poll_update: old user_data in addr, new in off, flags in len, mask in poll32_events', () => {
    const flags = IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA;
    expect(build((v) => prepPollUpdate(v, 0, 10, 11, POLLIN, flags, 12))).toBe(
      rows(
        '07000000ffffffff',
        '0b00000000000000',
        '0a00000000000000',
        '0600000001000000',
        '0c00000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('timeout: timespec address in addr, len 1, count in off', () => {
    expect(build((v) => prepTimeout(v, 0, 0x7f0000001000, 0, IORING_TIMEOUT_ABS, 99))).toBe(
      rows(
        '0b000000ffffffff',
        Z,
        '00100000007f0000',
        '0100000001000000',
        '6300000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('timeout_remove', () => {
    expect(build((v) => prepTimeoutRemove(v, 0, 99, 0, 100))).toBe(
      rows('0c000000ffffffff', Z, '6300000000000000', Z, '6400000000000000', Z, Z, Z),
    );
  });

  it('async_cancel', () => {
    expect(build((v) => prepCancel(v, 0, 5, IORING_ASYNC_CANCEL_ALL, 6))).toBe(
      rows(
        '0e000000ffffffff',
        Z,
        '0500000000000000',
        '0000000001000000',
        '0600000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('read at the current position (-1) stores all ones in off', () => {
    expect(build((v) => prepRead(v, 0, 3, 0x1000, 4096, -1, 7))).toBe(
      rows(
        '1600000003000000',
        'ffffffffffffffff',
        '0010000000000000',
        '0010000000000000',
        '0700000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('write', () => {
    expect(build((v) => prepWrite(v, 0, 4, 0x2000, 1, 8, 8))).toBe(
      rows(
        '1700000004000000',
        '0800000000000000',
        '0020000000000000',
        '0100000000000000',
        '0800000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('readv and writev', () => {
    expect(build((v) => prepReadv(v, 0, 3, 0x3000, 2, 0, 9))).toBe(
      rows(
        '0100000003000000',
        Z,
        '0030000000000000',
        '0200000000000000',
        '0900000000000000',
        Z,
        Z,
        Z,
      ),
    );
    expect(build((v) => prepWritev(v, 0, 3, 0x3000, 2, 16, 10))).toBe(
      rows(
        '0200000003000000',
        '1000000000000000',
        '0030000000000000',
        '0200000000000000',
        '0a00000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('fsync', () => {
    expect(build((v) => prepFsync(v, 0, 9, IORING_FSYNC_DATASYNC, 11))).toBe(
      rows('0300000009000000', Z, Z, '0000000001000000', '0b00000000000000', Z, Z, Z),
    );
  });

  it('accept: sockaddr in addr, socklen pointer in off, accept4 flags', () => {
    expect(build((v) => prepAccept(v, 0, 10, 0x4000, 0x4100, SOCK_NONBLOCK, 12))).toBe(
      rows(
        '0d0000000a000000',
        '0041000000000000',
        '0040000000000000',
        '0000000000080000',
        '0c00000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('connect: socklen in off', () => {
    expect(build((v) => prepConnect(v, 0, 10, 0x4000, 16, 13))).toBe(
      rows(
        '100000000a000000',
        '1000000000000000',
        '0040000000000000',
        Z,
        '0d00000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('recv and send carry msg_flags', () => {
    expect(build((v) => prepRecv(v, 0, 11, 0x5000, 100, MSG_OOB, 14))).toBe(
      rows(
        '1b0000000b000000',
        Z,
        '0050000000000000',
        '6400000001000000',
        '0e00000000000000',
        Z,
        Z,
        Z,
      ),
    );
    expect(build((v) => prepSend(v, 0, 11, 0x5000, 3, MSG_NOSIGNAL, 15))).toBe(
      rows(
        '1a0000000b000000',
        Z,
        '0050000000000000',
        '0300000000400000',
        '0f00000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('close', () => {
    expect(build((v) => prepClose(v, 0, 12, 16))).toBe(
      rows('130000000c000000', Z, Z, Z, '1000000000000000', Z, Z, Z),
    );
  });

  it('openat: mode in len, flags in open_flags, AT_FDCWD as -100', () => {
    expect(build((v) => prepOpenat(v, 0, -100, 0x6000, O_CLOEXEC, 0o644, 17))).toBe(
      rows(
        '120000009cffffff',
        Z,
        '0060000000000000',
        'a401000000000800',
        '1100000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('statx: mask in len, statx buffer in off', () => {
    expect(build((v) => prepStatx(v, 0, -100, 0x6000, 0x100, 0x7ff, 0x7000, 18))).toBe(
      rows(
        '150000009cffffff',
        '0070000000000000',
        '0060000000000000',
        'ff07000000010000',
        '1200000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('epoll_ctl: op in len, target fd in off', () => {
    expect(build((v) => prepEpollCtl(v, 0, 4, 9, 1, 0x8000, 19))).toBe(
      rows(
        '1d00000004000000',
        '0900000000000000',
        '0080000000000000',
        '0100000000000000',
        '1300000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('builders write at any slot offset and flags can be set after', () => {
    const view = dirtyView(192);
    prepNop(view, 128, 1);
    setSqeFlags(view, 128, IOSQE_IO_LINK);
    expect(hex(view, 0, 128)).toBe('aa'.repeat(128));
    expect(hex(view, 128, 8)).toBe('00040000ffffffff');
    expect(sqeOpcode(view, 128)).toBe(0);
  });
});
