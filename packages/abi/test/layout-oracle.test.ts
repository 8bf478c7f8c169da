import { describe, expect, it } from 'vitest';
import * as abi from '../src/index.js';
import { layouts } from '../src/index.js';
import { type Probe, runOracle } from './c-oracle.js';

// The C type behind each entry of `layouts`. aio_ring is kernel-internal
// (fs/aio.c), not UAPI: @evring/sys checks it against a live kernel ring.
const C_TYPES: Record<string, string | null> = {
  io_uring_sqe: 'struct io_uring_sqe',
  io_uring_cqe: 'struct io_uring_cqe',
  io_sqring_offsets: 'struct io_sqring_offsets',
  io_cqring_offsets: 'struct io_cqring_offsets',
  io_uring_params: 'struct io_uring_params',
  io_uring_getevents_arg: 'struct io_uring_getevents_arg',
  io_uring_probe: 'struct io_uring_probe',
  io_uring_probe_op: 'struct io_uring_probe_op',
  __kernel_timespec: 'struct __kernel_timespec',
  itimerspec: 'struct __kernel_itimerspec',
  iocb: 'struct iocb',
  io_event: 'struct io_event',
  aio_ring: null,
  epoll_event: 'struct epoll_event',
  signalfd_siginfo: 'struct signalfd_siginfo',
  statx: 'struct statx',
  inotify_event: 'struct inotify_event',
};

// Field names newer than a 6.1-era linux/io_uring.h (linux 6.5 NO_MMAP's
// user_addr, linux 6.12's min_wait_usec). Only these may be absent.
const NEWER_FIELDS = new Set([
  'io_sqring_offsets.user_addr',
  'io_cqring_offsets.user_addr',
  'io_uring_getevents_arg.min_wait_usec',
]);

const HEADERS = [
  'linux/io_uring.h',
  'linux/aio_abi.h',
  'linux/eventpoll.h',
  'linux/signalfd.h',
  'linux/time_types.h',
  'linux/stat.h',
  'linux/inotify.h',
];

describe("layout oracle: sizes and offsets agree with this machine's /usr/include/linux", () => {
  const probes: Probe[] = [];
  for (const [name, layout] of Object.entries(layouts)) {
    const ctype = C_TYPES[name];
    if (ctype === undefined) throw new Error(`no C type known for layouts.${name}`);
    if (ctype === null) continue;
    probes.push({ key: `${name}#size`, expr: `sizeof(${ctype})`, ident: name });
    for (const field of Object.keys(layout.fields)) {
      probes.push({
        key: `${name}.${field}#offset`,
        expr: `offsetof(${ctype}, ${field})`,
        ident: field,
      });
      probes.push({
        key: `${name}.${field}#size`,
        expr: `sizeof(((${ctype} *)0)->${field})`,
        ident: field,
      });
    }
  }
  const result = runOracle(HEADERS, probes);

  it('every entry of layouts has a C counterpart or a stated reason', () => {
    expect(Object.keys(C_TYPES).sort()).toEqual(Object.keys(layouts).sort());
  });

  it('only fields newer than the installed headers are missing from them', () => {
    const missingFields = new Set(result.missing.map((k) => k.replace(/#.*$/, '')));
    for (const f of missingFields)
      expect(NEWER_FIELDS.has(f), `${f} missing from headers`).toBe(true);
  });

  for (const [name, layout] of Object.entries(layouts)) {
    if (!C_TYPES[name]) continue;
    it(`${name}: size ${layout.size} and every field`, () => {
      expect(result.values.get(`${name}#size`)).toBe(layout.size);
      for (const [field, f] of Object.entries(layout.fields)) {
        const off = result.values.get(`${name}.${field}#offset`);
        if (off === undefined) continue; // newer than the headers (checked above)
        expect(off, `${name}.${field} offset`).toBe(f.offset);
        expect(result.values.get(`${name}.${field}#size`), `${name}.${field} size`).toBe(f.size);
      }
    });
  }
});

// Constants newer than the installed headers (and glibc) may be missing there;
// their values come from the kernel's current UAPI and are used behind probes.
const NEWER_CONSTANT =
  /^(IORING_OP_(READ_MULTISHOT|WAITID|FUTEX_\w+|FIXED_FD_INSTALL|FTRUNCATE|BIND|LISTEN)|IORING_SETUP_(NO_MMAP|REGISTERED_FD_ONLY|NO_SQARRAY|HYBRID_IOPOLL)|IORING_FEAT_(REG_REG_RING|RECVSEND_BUNDLE|MIN_TIMEOUT|RW_ATTR|NO_IOWAIT)|IORING_ENTER_(ABS_TIMER|EXT_ARG_REG|NO_IOWAIT)|IORING_CQE_F_BUF_MORE|IORING_OFF_PBUF_\w+|IORING_TIMEOUT_MULTISHOT|IORING_REGISTER_(PBUF_STATUS|NAPI|CLOCK|CLONE_BUFFERS|SEND_MSG_RING|ZCRX_IFQ|RESIZE_RINGS|USE_REGISTERED_RING)|IORING_UNREGISTER_NAPI|EPOLL_URING_WAKE|EPOLLNVAL|IORING_MAX_(CQ_)?ENTRIES|AIO_RING_\w+)$/;

describe('constant oracle: values agree with the C headers', () => {
  const names = Object.entries(abi)
    .filter(
      ([n, v]) =>
        typeof v === 'number' &&
        !n.endsWith('_SIZE') &&
        /^(IORING_|IOSQE_|IOCB_|IO_URING_|EPOLL|POLL|EFD_|TFD_|SFD_|IN_|O_|F_|FD_|CLOCK_|AF_|SOCK_|MSG_|RLIMIT_|AIO_RING_|DT_)/.test(
          n,
        ),
    )
    .map(([n]) => n);
  const probes = names.map((n) => ({ key: n, expr: n, ident: n }));
  const result = runOracle(
    [
      'dirent.h',
      'fcntl.h',
      'poll.h',
      'sys/epoll.h',
      'sys/eventfd.h',
      'sys/timerfd.h',
      'sys/signalfd.h',
      'sys/inotify.h',
      'sys/socket.h',
      'sys/resource.h',
      'time.h',
      'linux/io_uring.h',
      'linux/aio_abi.h',
    ],
    probes,
  );

  it(`checks ${names.length} constants; only known-newer ones are absent from the headers`, () => {
    expect(names.length).toBeGreaterThan(200);
    const unexpected = result.missing.filter((n) => !NEWER_CONSTANT.test(n));
    expect(unexpected).toEqual([]);
  });

  it('every constant the headers define has the same value', () => {
    const mismatches: string[] = [];
    for (const n of names) {
      const c = result.values.get(n);
      if (c === undefined) continue;
      const js = (abi as unknown as Record<string, number>)[n]!;
      if (c !== js >>> 0 && c !== js) mismatches.push(`${n}: C ${c}, JS ${js}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe("dirent64 oracle: getdents64's record offsets agree with glibc's struct dirent64", () => {
  // The kernel's struct linux_dirent64 is not UAPI; glibc's struct dirent64
  // is the same record (d_name a fixed array there, a flexible one in the kernel).
  const fields: [string, number][] = [
    ['d_ino', abi.DIRENT64_INO],
    ['d_off', abi.DIRENT64_OFF],
    ['d_reclen', abi.DIRENT64_RECLEN],
    ['d_type', abi.DIRENT64_TYPE],
    ['d_name', abi.DIRENT64_NAME],
  ];
  const result = runOracle(
    ['dirent.h'],
    fields.map(([f]) => ({ key: f, expr: `offsetof(struct dirent64, ${f})`, ident: f })),
  );
  it.each(fields)('%s is at %i', (field, offset) => {
    expect(result.values.get(field)).toBe(offset);
  });
});
