import { describe, expect, it } from 'vitest';
import {
  AT_FDCWD,
  AT_REMOVEDIR,
  AT_SYMLINK_NOFOLLOW,
  decodeSqe,
  encodeSqe,
  IORING_ASYNC_CANCEL_ALL,
  IORING_OP_FSYNC,
  IORING_OP_NOP,
  IORING_OP_OPENAT,
  IORING_OP_POLL_ADD,
  IORING_OP_POLL_REMOVE,
  IORING_OP_READ,
  IORING_OP_TIMEOUT,
  IORING_OP_WRITE,
  IORING_POLL_ADD_MULTI,
  IORING_POLL_UPDATE_EVENTS,
  IORING_POLL_UPDATE_USER_DATA,
  IORING_TIMEOUT_ABS,
  IORING_TIMEOUT_UPDATE,
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
  prepFallocate,
  prepFsync,
  prepFtruncate,
  prepLinkat,
  prepLinkTimeout,
  prepMkdirat,
  prepNop,
  prepOpenat,
  prepPollAdd,
  prepPollRemove,
  prepPollUpdate,
  prepRead,
  prepReadFixed,
  prepReadv,
  prepRecv,
  prepRenameat,
  prepSend,
  prepStatx,
  prepSymlinkat,
  prepTimeout,
  prepTimeoutRemove,
  prepUnlinkat,
  prepWrite,
  prepWriteFixed,
  prepWritev,
  SOCK_NONBLOCK,
  type Sqe,
  sqeOpcode,
  sqeSetAddr3,
  sqeSetBufIndex,
  sqeSetData64,
  sqeSetFileIndex,
  sqeSetFlags,
} from '../src/index.js';
import { dirtyView, hex, rows, Z } from './helpers.js';

// Expected bytes are written by hand from linux/io_uring.h (and liburing's
// prep helpers for where each opcode keeps what), row by row:
//   row 0: opcode flags ioprio(2) fd(4)   row 1: off/addr2      row 2: addr
//   row 3: len(4) op-flags(4)            row 4: user_data       row 5: buf_index personality splice_fd_in
//   row 6: addr3                         row 7: __pad2
// Each slot starts as 0xaa garbage: any byte a builder forgets shows up.
function build(fn: (sqes: Uint32Array) => void, userData: number | bigint = 0): string {
  const view = dirtyView(64 + 16);
  const sqes = new Uint32Array(view.buffer);
  fn(sqes);
  sqeSetData64(sqes, 0, userData);
  // The 16 bytes after the slot must stay untouched.
  expect(hex(view, 64, 16)).toBe('aa'.repeat(16));
  return hex(view, 0, 64);
}

describe('SQE builders write every byte of the slot', () => {
  it('nop', () => {
    expect(build((q) => prepNop(q, 0), 0x1122334455667788n)).toBe(
      rows('00000000ffffffff', Z, Z, Z, '8877665544332211', Z, Z, Z),
    );
  });

  it('poll_add one-shot, 32-bit mask', () => {
    expect(build((q) => prepPollAdd(q, 0, 5, POLLIN | POLLOUT), 42)).toBe(
      rows('0600000005000000', Z, Z, '0000000005000000', '2a00000000000000', Z, Z, Z),
    );
  });

  it('poll_add multishot sets IORING_POLL_ADD_MULTI in len', () => {
    expect(build((q) => prepPollAdd(q, 0, 7, POLLIN, { multishot: true }), 1)).toBe(
      rows('0600000007000000', Z, Z, '0100000001000000', '0100000000000000', Z, Z, Z),
    );
  });

  it('poll_remove addresses the target by user_data in addr', () => {
    expect(build((q) => prepPollRemove(q, 0, 3, 5), 0xffffffffffffffffn)).toBe(
      rows('07000000ffffffff', Z, '0300000005000000', Z, 'ffffffffffffffff', Z, Z, Z),
    );
  });

  it('poll_update: old user_data in addr, new in off, flags in len, mask in poll32_events', () => {
    expect(
      build((q) => prepPollUpdate(q, 0, 10, 0, { events: POLLIN, userData: [11, 0] }), 12),
    ).toBe(
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
    expect(build((q) => prepTimeout(q, 0, 0x7f0000001000, { flags: IORING_TIMEOUT_ABS }), 99)).toBe(
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
    expect(build((q) => prepTimeoutRemove(q, 0, 99, 0), 100)).toBe(
      rows('0c000000ffffffff', Z, '6300000000000000', Z, '6400000000000000', Z, Z, Z),
    );
  });

  it('async_cancel', () => {
    expect(build((q) => prepCancel(q, 0, 5, 0, { flags: IORING_ASYNC_CANCEL_ALL }), 6)).toBe(
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
    expect(build((q) => prepRead(q, 0, 3, 0x1000, 4096, -1), 7)).toBe(
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
    expect(build((q) => prepWrite(q, 0, 4, 0x2000, 1, 8), 8)).toBe(
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
    expect(build((q) => prepReadv(q, 0, 3, 0x3000, 2, 0), 9)).toBe(
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
    expect(build((q) => prepWritev(q, 0, 3, 0x3000, 2, 16), 10)).toBe(
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
    expect(build((q) => prepFsync(q, 0, 9, { datasync: true }), 11)).toBe(
      rows('0300000009000000', Z, Z, '0000000001000000', '0b00000000000000', Z, Z, Z),
    );
  });

  it('accept: sockaddr in addr, socklen pointer in off, accept4 flags', () => {
    expect(build((q) => prepAccept(q, 0, 10, 0x4000, 0x4100, SOCK_NONBLOCK), 12)).toBe(
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
    expect(build((q) => prepConnect(q, 0, 10, 0x4000, 16), 13)).toBe(
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
    expect(build((q) => prepRecv(q, 0, 11, 0x5000, 100, MSG_OOB), 14)).toBe(
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
    expect(build((q) => prepSend(q, 0, 11, 0x5000, 3, MSG_NOSIGNAL), 15)).toBe(
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
    expect(build((q) => prepClose(q, 0, 12), 16)).toBe(
      rows('130000000c000000', Z, Z, Z, '1000000000000000', Z, Z, Z),
    );
  });

  it('openat: mode in len, flags in open_flags, AT_FDCWD as -100', () => {
    expect(build((q) => prepOpenat(q, 0, AT_FDCWD, 0x6000, O_CLOEXEC, 0o644), 17)).toBe(
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
    expect(
      build((q) => prepStatx(q, 0, AT_FDCWD, 0x6000, AT_SYMLINK_NOFOLLOW, 0x7ff, 0x7000), 18),
    ).toBe(
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
    expect(build((q) => prepEpollCtl(q, 0, 4, 9, 1, 0x8000), 19)).toBe(
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

  it('read_fixed and write_fixed carry the registered buffer in buf_index', () => {
    expect(build((q) => prepReadFixed(q, 0, 3, 0x1000, 512, 4096, 2), 20)).toBe(
      rows(
        '0400000003000000',
        '0010000000000000',
        '0010000000000000',
        '0002000000000000',
        '1400000000000000',
        '0200000000000000',
        Z,
        Z,
      ),
    );
    expect(build((q) => prepWriteFixed(q, 0, 3, 0x1000, 512, 0, 1), 21)).toBe(
      rows(
        '0500000003000000',
        Z,
        '0010000000000000',
        '0002000000000000',
        '1500000000000000',
        '0100000000000000',
        Z,
        Z,
      ),
    );
  });

  it('fallocate: length in addr, mode in len, offset in off', () => {
    expect(build((q) => prepFallocate(q, 0, 6, 1, 4096, 0x100000), 22)).toBe(
      rows(
        '1100000006000000',
        '0010000000000000',
        '0000100000000000',
        '0100000000000000',
        '1600000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('ftruncate: length in off', () => {
    expect(build((q) => prepFtruncate(q, 0, 6, 65536), 23)).toBe(
      rows('3700000006000000', '0000010000000000', Z, Z, '1700000000000000', Z, Z, Z),
    );
  });

  it('symlinkat: target in addr, the link path in off, its dirfd in fd', () => {
    expect(build((q) => prepSymlinkat(q, 0, 0x6000, AT_FDCWD, 0x6100), 25)).toBe(
      rows(
        '260000009cffffff',
        '0061000000000000',
        '0060000000000000',
        Z,
        '1900000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('linkat: old path in addr, new dirfd in len, new path in off, flags in the op flags', () => {
    expect(build((q) => prepLinkat(q, 0, 3, 0x6000, AT_FDCWD, 0x6100, 0x400), 26)).toBe(
      rows(
        '2700000003000000',
        '0061000000000000',
        '0060000000000000',
        '9cffffff00040000',
        '1a00000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('renameat: old path in addr, new dirfd in len, new path in off', () => {
    expect(build((q) => prepRenameat(q, 0, AT_FDCWD, 0x6000, 7, 0x6100, 1), 24)).toBe(
      rows(
        '230000009cffffff',
        '0061000000000000',
        '0060000000000000',
        '0700000001000000',
        '1800000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('unlinkat and mkdirat', () => {
    expect(build((q) => prepUnlinkat(q, 0, AT_FDCWD, 0x6000, AT_REMOVEDIR), 25)).toBe(
      rows(
        '240000009cffffff',
        Z,
        '0060000000000000',
        '0000000000020000',
        '1900000000000000',
        Z,
        Z,
        Z,
      ),
    );
    expect(build((q) => prepMkdirat(q, 0, AT_FDCWD, 0x6000, 0o755), 26)).toBe(
      rows(
        '250000009cffffff',
        Z,
        '0060000000000000',
        'ed01000000000000',
        '1a00000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('link_timeout and timeout_remove as an update', () => {
    expect(build((q) => prepLinkTimeout(q, 0, 0x9000), 27)).toBe(
      rows(
        '0f000000ffffffff',
        Z,
        '0090000000000000',
        '0100000000000000',
        '1b00000000000000',
        Z,
        Z,
        Z,
      ),
    );
    expect(
      build(
        (q) =>
          prepTimeoutRemove(q, 0, 5, 0, { flags: IORING_TIMEOUT_UPDATE, timespecAddr: 0x9000 }),
        28,
      ),
    ).toBe(
      rows(
        '0c000000ffffffff',
        '0090000000000000',
        '0500000000000000',
        '0000000002000000',
        '1c00000000000000',
        Z,
        Z,
        Z,
      ),
    );
  });

  it('writers write at any slot offset, and flags, buf_index, file_index and addr3 can be set after', () => {
    const view = dirtyView(192);
    const sqes = new Uint32Array(view.buffer);
    prepNop(sqes, 128);
    sqeSetFlags(sqes, 128, IOSQE_IO_LINK);
    sqeSetBufIndex(sqes, 128, 0x1234);
    sqeSetFileIndex(sqes, 128, 7);
    sqeSetAddr3(sqes, 128, 0x5000);
    expect(hex(view, 0, 128)).toBe('aa'.repeat(128));
    expect(hex(view, 128, 64)).toBe(
      rows('00040000ffffffff', Z, Z, Z, Z, '3412000007000000', '0050000000000000', Z),
    );
    expect(sqeOpcode(sqes, 128)).toBe(0);
  });
});

describe('the writers and the reference codec agree byte for byte', () => {
  // Each writer, and encodeSqe of the fields it should set, from garbage.
  const cases: Array<[string, (q: Uint32Array) => void, Partial<Sqe>]> = [
    ['nop', (q) => prepNop(q, 0), { opcode: IORING_OP_NOP, fd: -1 }],
    [
      'poll_add',
      (q) => prepPollAdd(q, 0, 5, POLLIN, { multishot: true }),
      { opcode: IORING_OP_POLL_ADD, fd: 5, len: IORING_POLL_ADD_MULTI, opFlags: POLLIN },
    ],
    [
      'poll_remove',
      (q) => prepPollRemove(q, 0, 3, 5),
      { opcode: IORING_OP_POLL_REMOVE, fd: -1, addr: (5n << 32n) | 3n },
    ],
    [
      'poll_update',
      (q) => prepPollUpdate(q, 0, 1, 2, { events: POLLOUT, userData: [3, 4], multishot: true }),
      {
        opcode: IORING_OP_POLL_REMOVE,
        fd: -1,
        addr: (2n << 32n) | 1n,
        off: (4n << 32n) | 3n,
        len: IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA | IORING_POLL_ADD_MULTI,
        opFlags: POLLOUT,
      },
    ],
    [
      'timeout',
      (q) => prepTimeout(q, 0, 0x1000, { count: 2, flags: IORING_TIMEOUT_ABS }),
      {
        opcode: IORING_OP_TIMEOUT,
        fd: -1,
        addr: 0x1000,
        len: 1,
        off: 2,
        opFlags: IORING_TIMEOUT_ABS,
      },
    ],
    [
      'read at -1',
      (q) => prepRead(q, 0, 3, 2 ** 47 + 5, 4096, -1),
      { opcode: IORING_OP_READ, fd: 3, addr: 2 ** 47 + 5, len: 4096, off: -1 },
    ],
    [
      'write at 2^40',
      (q) => prepWrite(q, 0, 3, 0x1000, 1, 2 ** 40),
      { opcode: IORING_OP_WRITE, fd: 3, addr: 0x1000, len: 1, off: 2 ** 40 },
    ],
    [
      'openat',
      (q) => prepOpenat(q, 0, AT_FDCWD, 0x2000, O_CLOEXEC, 0o600),
      { opcode: IORING_OP_OPENAT, fd: AT_FDCWD, addr: 0x2000, len: 0o600, opFlags: O_CLOEXEC },
    ],
    ['fsync', (q) => prepFsync(q, 0, 4), { opcode: IORING_OP_FSYNC, fd: 4 }],
  ];
  for (const [name, write, fields] of cases) {
    it(name, () => {
      const ours = dirtyView(64);
      write(new Uint32Array(ours.buffer));
      const ref = dirtyView(64);
      encodeSqe(ref, 0, fields);
      expect(hex(ours, 0, 64)).toBe(hex(ref, 0, 64));
      expect(decodeSqe(ours, 0)).toEqual(decodeSqe(ref, 0));
    });
  }

  it('encodeSqe writes every byte, and decodeSqe reads back what it wrote', () => {
    const view = dirtyView(64);
    const sqe: Sqe = {
      opcode: 1,
      flags: 2,
      ioprio: 3,
      fd: -4,
      off: 5n,
      addr: 6n,
      len: 7,
      opFlags: 8,
      userData: 9n,
      bufIndex: 10,
      personality: 11,
      spliceFdIn: 12,
      addr3: 13n,
      pad2: 14n,
    };
    encodeSqe(view, 0, sqe);
    expect(hex(view, 0, 64)).toBe(
      rows(
        '01020300fcffffff',
        '0500000000000000',
        '0600000000000000',
        '0700000008000000',
        '0900000000000000',
        '0a000b000c000000',
        '0d00000000000000',
        '0e00000000000000',
      ),
    );
    expect(decodeSqe(view, 0)).toEqual(sqe);
  });
});
