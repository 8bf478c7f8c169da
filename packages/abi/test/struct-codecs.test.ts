import { describe, expect, it } from 'vitest';
import {
  AIO_RING_MAGIC,
  ARCH,
  aioRingInvalidReason,
  cqeFlags,
  cqeRes,
  cqeUserDataHi,
  cqeUserDataLo,
  decodeIocb,
  EPOLL_EVENT_SIZE,
  EPOLLET,
  EPOLLIN,
  encodeIocb,
  epollEventDataHi,
  epollEventDataLo,
  epollEventEvents,
  IOCB_CMD_FDSYNC,
  IOCB_CMD_FSYNC,
  IOCB_CMD_POLL,
  IOCB_CMD_PREAD,
  IOCB_CMD_PREADV,
  IOCB_CMD_PWRITE,
  IOCB_CMD_PWRITEV,
  IOCB_FLAG_RESFD,
  IORING_SETUP_CLAMP,
  IORING_SETUP_CQSIZE,
  type Iocb,
  iocbSetData,
  iocbSetResfd,
  ioEventDataHi,
  ioEventDataLo,
  ioEventRes,
  layouts,
  POLLIN,
  POLLOUT,
  POLLPRI,
  prepIocbFsync,
  prepIocbPoll,
  prepIocbPread,
  prepIocbPreadv,
  prepIocbPwrite,
  prepIocbPwritev,
  probeSize,
  readAioRingHeader,
  readCqe,
  readGeteventsArg,
  readIoEvent,
  readIoUringParams,
  readItimerspec,
  readProbe,
  readTimespec,
  writeAioRingHeader,
  writeCqe,
  writeEpollEvent,
  writeGeteventsArg,
  writeIoEvent,
  writeIoUringParams,
  writeIoUringParamsFull,
  writeItimerspec,
  writeTimespecMs,
} from '../src/index.js';
import { dirtyView, hex } from './helpers.js';

// Expected bytes below were produced independently with Python's struct.pack
// from the C declarations, e.g. iocb = '<QIIHhIQQqQII'.
function fromHex(s: string): DataView {
  const bytes = new Uint8Array(s.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return new DataView(bytes.buffer);
}

describe('io_uring_cqe', () => {
  const golden = '0807060504030201f5ffffff02000000';
  it('encodes', () => {
    const v = dirtyView(16);
    writeCqe(v, 0, { userData: 0x0102030405060708n, res: -11, flags: 2 });
    expect(hex(v, 0, 16)).toBe(golden);
  });
  it('decodes, including the u32 halves of user_data', () => {
    const v = fromHex(golden);
    expect(readCqe(v, 0)).toEqual({ userData: 0x0102030405060708n, res: -11, flags: 2 });
    expect(cqeUserDataLo(v, 0)).toBe(0x05060708);
    expect(cqeUserDataHi(v, 0)).toBe(0x01020304);
    expect(cqeRes(v, 0)).toBe(-11);
    expect(cqeFlags(v, 0)).toBe(2);
  });
});

describe('io_uring_params', () => {
  it('input: zeroes everything, then cq_entries and flags', () => {
    const v = dirtyView(120);
    writeIoUringParams(v, 0, { flags: IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP, cqEntries: 256 });
    expect(hex(v, 0, 120)).toBe(`000000000001000018000000${'0'.repeat(240 - 24)}`);
  });
  it('output: decodes both offset tables at 40 and 80', () => {
    const v = new DataView(new ArrayBuffer(120));
    const sq = {
      head: 0,
      tail: 64,
      ringMask: 256,
      ringEntries: 260,
      flags: 276,
      dropped: 272,
      array: 2112,
      userAddr: 0,
    };
    const cq = {
      head: 128,
      tail: 192,
      ringMask: 264,
      ringEntries: 268,
      overflow: 284,
      cqes: 320,
      flags: 280,
      userAddr: 0,
    };
    writeIoUringParamsFull(v, 0, {
      sqEntries: 32,
      cqEntries: 64,
      flags: 0,
      sqThreadCpu: 0,
      sqThreadIdle: 0,
      features: 0x3fff,
      wqFd: 0,
      sqOff: sq,
      cqOff: cq,
    });
    // Spot-check the raw bytes against the C layout: sq_off.array at 40+24, cq_off.cqes at 80+20.
    expect(v.getUint32(64, true)).toBe(2112);
    expect(v.getUint32(100, true)).toBe(320);
    expect(v.getUint32(20, true)).toBe(0x3fff);
    const p = readIoUringParams(v, 0);
    expect(p.sqOff).toEqual(sq);
    expect(p.cqOff).toEqual(cq);
    expect(p.sqEntries).toBe(32);
    expect(p.cqEntries).toBe(64);
  });
});

describe('io_uring_getevents_arg and __kernel_timespec', () => {
  it('getevents_arg', () => {
    const golden = '0000000000000000080000006400000000a00000fc7f0000';
    const v = dirtyView(24);
    writeGeteventsArg(v, 0, { sigmask: 0, sigmaskSz: 8, minWaitUsec: 100, ts: 0x7ffc0000a000 });
    expect(hex(v, 0, 24)).toBe(golden);
    expect(readGeteventsArg(fromHex(golden), 0)).toEqual({
      sigmask: 0,
      sigmaskSz: 8,
      minWaitUsec: 100,
      ts: 0x7ffc0000a000,
    });
  });
  it('timespec from fractional milliseconds', () => {
    const v = dirtyView(16);
    writeTimespecMs(v, 0, 1500.5);
    expect(hex(v, 0, 16)).toBe('01000000000000002006d51d00000000');
    expect(readTimespec(v, 0)).toEqual({ sec: 1, nsec: 500_500_000 });
    writeTimespecMs(v, 0, -5);
    expect(readTimespec(v, 0)).toEqual({ sec: 0, nsec: 0 });
    writeTimespecMs(v, 0, 999.9999999);
    expect(readTimespec(v, 0)).toEqual({ sec: 1, nsec: 0 });
  });
  it('itimerspec: interval first, then value', () => {
    const golden = '000000000000000080b2e60e0000000002000000000000000500000000000000';
    const v = dirtyView(32);
    const spec = { interval: { sec: 0, nsec: 250_000_000 }, value: { sec: 2, nsec: 5 } };
    writeItimerspec(v, 0, spec);
    expect(hex(v, 0, 32)).toBe(golden);
    expect(readItimerspec(fromHex(golden), 0)).toEqual(spec);
  });
});

describe('io_uring_probe', () => {
  it('decodes supported ops only', () => {
    const v = new DataView(new ArrayBuffer(probeSize(3)));
    v.setUint8(0, 2); // last_op
    v.setUint8(1, 3); // ops_len
    for (let i = 0; i < 3; i++) v.setUint8(16 + i * 8, i);
    v.setUint16(16 + 0 * 8 + 2, 1, true);
    v.setUint16(16 + 2 * 8 + 2, 1, true);
    const probe = readProbe(v, 0);
    expect(probe.lastOp).toBe(2);
    expect([...probe.supported]).toEqual([0, 2]);
  });
});

describe('iocb', () => {
  it('IOCB_CMD_POLL with an eventfd sets every field', () => {
    const v = dirtyView(64);
    const iocbs = new Uint32Array(v.buffer);
    prepIocbPoll(iocbs, 0, 5, POLLIN | POLLPRI);
    iocbSetData(iocbs, 0, 5, 9);
    iocbSetResfd(iocbs, 0, 7);
    expect(hex(v, 0, 64)).toBe(
      '05000000090000000000000000000000050000000500000003000000000000000000000000000000000000000000000000000000000000000100000007000000',
    );
  });
  it('without an eventfd clears aio_flags and aio_resfd, and keeps the mask to 16 bits', () => {
    const v = dirtyView(64);
    const iocbs = new Uint32Array(v.buffer);
    prepIocbPoll(iocbs, 0, 5, POLLOUT | 0x10000);
    iocbSetData(iocbs, 0, 5, 0);
    expect(hex(v, 0, 64)).toBe(
      '05000000000000000000000000000000050000000500000004000000000000000000000000000000000000000000000000000000000000000000000000000000',
    );
    const cb = decodeIocb(v, 0);
    expect(cb).toMatchObject({ data: 5n, opcode: 5, fildes: 5, buf: 4, flags: 0, resfd: 0 });
  });

  it('the writers and the reference codec agree byte for byte', () => {
    const cases: Array<[(q: Uint32Array) => void, Partial<Iocb>]> = [
      [(q) => prepIocbPoll(q, 0, 5, POLLIN), { opcode: IOCB_CMD_POLL, fildes: 5, buf: POLLIN }],
      [
        (q) => prepIocbPread(q, 0, 6, 2 ** 40 + 8, 4096, 2 ** 33),
        { opcode: IOCB_CMD_PREAD, fildes: 6, buf: 2 ** 40 + 8, nbytes: 4096, offset: 2 ** 33 },
      ],
      [
        (q) => prepIocbPwrite(q, 0, 6, 0x1000, 1, 0),
        { opcode: IOCB_CMD_PWRITE, fildes: 6, buf: 0x1000, nbytes: 1 },
      ],
      [
        (q) => prepIocbPreadv(q, 0, 6, 0x2000, 3, 512),
        { opcode: IOCB_CMD_PREADV, fildes: 6, buf: 0x2000, nbytes: 3, offset: 512 },
      ],
      [
        (q) => prepIocbPwritev(q, 0, 6, 0x2000, 2, 0),
        { opcode: IOCB_CMD_PWRITEV, fildes: 6, buf: 0x2000, nbytes: 2 },
      ],
      [(q) => prepIocbFsync(q, 0, 6), { opcode: IOCB_CMD_FSYNC, fildes: 6 }],
      [(q) => prepIocbFsync(q, 0, 6, { datasync: true }), { opcode: IOCB_CMD_FDSYNC, fildes: 6 }],
      [
        (q) => {
          prepIocbPoll(q, 0, 7, POLLOUT);
          iocbSetData(q, 0, 7, 3);
          iocbSetResfd(q, 0, 9);
        },
        {
          opcode: IOCB_CMD_POLL,
          fildes: 7,
          buf: POLLOUT,
          data: (3n << 32n) | 7n,
          flags: IOCB_FLAG_RESFD,
          resfd: 9,
        },
      ],
    ];
    for (const [write, fields] of cases) {
      const ours = dirtyView(64);
      write(new Uint32Array(ours.buffer));
      const ref = dirtyView(64);
      encodeIocb(ref, 0, fields);
      expect(hex(ours, 0, 64)).toBe(hex(ref, 0, 64));
    }
  });
});

describe('io_event', () => {
  const golden = '0400000002000000efbeadde007f0000eaffffffffffffff0000000000000000';
  it('round-trips', () => {
    const v = dirtyView(32);
    writeIoEvent(v, 0, { data: (2n << 32n) | 4n, obj: 0x7f00deadbeefn, res: -22n, res2: 0n });
    expect(hex(v, 0, 32)).toBe(golden);
    const g = fromHex(golden);
    expect(readIoEvent(g, 0)).toEqual({
      data: (2n << 32n) | 4n,
      obj: 0x7f00deadbeefn,
      res: -22n,
      res2: 0n,
    });
    expect(ioEventDataLo(g, 0)).toBe(4);
    expect(ioEventDataHi(g, 0)).toBe(2);
    expect(ioEventRes(g, 0)).toBe(-22);
  });
});

describe('aio_ring header', () => {
  const golden = '030000007e0000000a0000000c000000a1100aa1010000000000000020000000';
  const header = {
    id: 3,
    nr: 126,
    head: 10,
    tail: 12,
    magic: AIO_RING_MAGIC,
    compatFeatures: 1,
    incompatFeatures: 0,
    headerLength: 32,
  };
  it('round-trips', () => {
    const v = dirtyView(32);
    writeAioRingHeader(v, 0, header);
    expect(hex(v, 0, 32)).toBe(golden);
    expect(readAioRingHeader(fromHex(golden), 0)).toEqual(header);
  });
  it('names the field that makes a ring unreadable from user space', () => {
    expect(aioRingInvalidReason(header)).toBeUndefined();
    expect(aioRingInvalidReason({ ...header, magic: 0 })).toMatch(/magic/);
    expect(aioRingInvalidReason({ ...header, incompatFeatures: 1 })).toMatch(/incompat_features/);
    expect(aioRingInvalidReason({ ...header, headerLength: 64 })).toMatch(/header_length/);
  });
});

describe('epoll_event', () => {
  it(`is ${ARCH === 'x64' ? 'packed (12 bytes)' : 'aligned (16 bytes)'} on ${ARCH}`, () => {
    const v = dirtyView(EPOLL_EVENT_SIZE * 2);
    writeEpollEvent(v, EPOLL_EVENT_SIZE, EPOLLIN | EPOLLET, 10, 3);
    const golden = ARCH === 'x64' ? '010000800a00000003000000' : '01000080000000000a00000003000000';
    expect(hex(v, EPOLL_EVENT_SIZE, EPOLL_EVENT_SIZE)).toBe(golden);
    expect(layouts.epoll_event.size).toBe(ARCH === 'x64' ? 12 : 16);
    expect(epollEventEvents(v, 1)).toBe((EPOLLIN | EPOLLET) >>> 0);
    expect(epollEventDataLo(v, 1)).toBe(10);
    expect(epollEventDataHi(v, 1)).toBe(3);
  });
});
