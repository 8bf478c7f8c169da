import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AF_UNIX,
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_REMOVEDIR,
  CLOCK_MONOTONIC,
  DT_DIR,
  DT_REG,
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EFD_SEMAPHORE,
  errno,
  F_GETFL,
  MSG_OOB,
  O_CLOEXEC,
  O_CREAT,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  readDirents64,
  readItimerspec,
  readStatx,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  TFD_CLOEXEC,
  TFD_NONBLOCK,
  writeItimerspec,
} from '@evring/abi';
import { describe, expect, it } from 'vitest';
import {
  close,
  dup,
  dup2,
  eventfd,
  eventfdRead,
  eventfdWrite,
  fcntl,
  fileIoSync,
  getdents64,
  getrlimitNofile,
  ioNowait,
  kernelRelease,
  openpty,
  pinnedAlloc,
  pinnedFree,
  pipe2,
  read,
  recv,
  send,
  setCloexec,
  setNonblocking,
  setrlimitNofile,
  socketpair,
  timerfdCreate,
  timerfdGettime,
  timerfdSettime,
  write,
} from '../src/index.js';

describe('eventfd', () => {
  it('counts, reads back and reports EAGAIN when empty', () => {
    const fd = eventfd(2, EFD_NONBLOCK | EFD_CLOEXEC);
    expect(eventfdWrite(fd, 5)).toBe(0);
    expect(eventfdRead(fd)).toBe(7);
    expect(eventfdRead(fd)).toBe(-errno.EAGAIN);
    close(fd);
    const sem = eventfd(3, EFD_NONBLOCK | EFD_SEMAPHORE | EFD_CLOEXEC);
    expect(eventfdRead(sem)).toBe(1);
    close(sem);
  });
  it('throws for bad flags and values', () => {
    expect(() => eventfd(0, 0x12345)).toThrow(RangeError);
    const fd = eventfd(0, EFD_CLOEXEC);
    expect(() => eventfdWrite(fd, 0)).toThrow(RangeError);
    expect(eventfdRead(99999)).toBe(-errno.EBADF);
    close(fd);
  });
});

describe('timerfd', () => {
  it('arms, reports the remaining time and expires', async () => {
    const fd = timerfdCreate(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    const spec = new Uint8Array(32);
    writeItimerspec(new DataView(spec.buffer), 0, {
      interval: { sec: 0, nsec: 0 },
      value: { sec: 0, nsec: 20_000_000 },
    });
    timerfdSettime(fd, 0, spec);
    const cur = new Uint8Array(32);
    timerfdGettime(fd, cur);
    const left = readItimerspec(new DataView(cur.buffer), 0).value;
    expect(left.sec).toBe(0);
    expect(left.nsec).toBeGreaterThan(0);
    expect(left.nsec).toBeLessThanOrEqual(20_000_000);
    expect(eventfdRead(fd)).toBe(-errno.EAGAIN); // the 8-byte read of a timerfd works the same way
    await new Promise((r) => setTimeout(r, 40));
    expect(eventfdRead(fd)).toBe(1);
    close(fd);
  });
  it('validates buffers', () => {
    const fd = timerfdCreate(CLOCK_MONOTONIC, TFD_CLOEXEC);
    expect(() => timerfdSettime(fd, 0, new Uint8Array(16))).toThrow(RangeError);
    expect(() => timerfdCreate(12345, 0)).toThrow(RangeError);
    expect(() => timerfdCreate(CLOCK_MONOTONIC, 0x4)).toThrow(/unknown flag bits 0x4/);
    close(fd);
  });
});

describe('pipes, sockets and plain I/O', () => {
  it('pipe2 honours O_NONBLOCK and O_CLOEXEC; read/write return -errno', () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    expect(fcntl(r, F_GETFL) & O_NONBLOCK).toBe(O_NONBLOCK);
    expect(fcntl(r, 1) & 1).toBe(1);
    expect(read(r, Buffer.alloc(4))).toBe(-errno.EAGAIN);
    expect(write(w, Buffer.from('hello'), 1, 3)).toBe(3);
    const buf = Buffer.alloc(8);
    expect(read(r, buf, 2)).toBe(3);
    expect(buf.subarray(2, 5).toString()).toBe('ell');
    close(w);
    expect(read(r, buf)).toBe(0);
    close(r);
    expect(read(r, buf)).toBe(-errno.EBADF);
  });

  it('rejects offsets and lengths outside the buffer', () => {
    const [r, w] = pipe2(O_CLOEXEC);
    expect(() => write(w, Buffer.alloc(4), 5)).toThrow(RangeError);
    expect(() => write(w, Buffer.alloc(4), 2, 3)).toThrow(RangeError);
    expect(() => read(r, Buffer.alloc(4), -1)).toThrow(RangeError);
    expect(() => read(r, 'nope' as never)).toThrow(TypeError);
    expect(() => read(1.5, Buffer.alloc(1))).toThrow(TypeError);
    close(r);
    close(w);
  });

  it('takes views over a SharedArrayBuffer (any element type, DataViews too) as bytes', () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    try {
      const shared = new SharedArrayBuffer(16);
      new Uint8Array(shared).set([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(write(w, new DataView(shared, 0, 8))).toBe(8);
      expect(write(w, new Uint16Array(shared, 0, 2))).toBe(4);
      const into = new Float64Array(new SharedArrayBuffer(16));
      expect(read(r, into)).toBe(12);
      expect([...new Uint8Array(into.buffer, 0, 12)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4]);
    } finally {
      close(r);
      close(w);
    }
  });

  it('dup2 puts a file under a chosen number and returns it', () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const e = eventfd(0, O_CLOEXEC);
    try {
      expect(dup2(r, e)).toBe(e);
      write(w, Buffer.from('x'));
      expect(read(e, Buffer.alloc(4))).toBe(1); // e names the pipe now
      expect(dup2(r, r)).toBe(r);
      expect(() => dup2(99999, e)).toThrow(
        expect.objectContaining({ code: 'EBADF', syscall: 'dup2' }),
      );
    } finally {
      close(r);
      close(w);
      close(e);
    }
  });

  it('socketpair, send and recv', () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    expect(send(a, Buffer.from('ping'), 0, 4, 0)).toBe(4);
    const buf = Buffer.alloc(8);
    expect(recv(b, buf, 0, 8, 0)).toBe(4);
    expect(recv(b, buf, 0, 8, 0)).toBe(-errno.EAGAIN);
    close(a);
    close(b);
  });

  it('sends out-of-band data over TCP (the POLLPRI case)', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const accepted = new Promise<Socket>((r) => server.once('connection', r));
    const client = connect(port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    const peer = await accepted;
    peer.pause();
    const fd = (client as unknown as { _handle: { fd: number } })._handle.fd;
    expect(send(fd, Buffer.from('!'), 0, 1, MSG_OOB)).toBe(1);
    client.destroy();
    peer.destroy();
    await new Promise((r) => server.close(r));
  });

  it('close throws EBADF for an fd that is not open; dup and flags', () => {
    const [r, w] = pipe2(0);
    const d = dup(r);
    expect(d).not.toBe(r);
    expect(fcntl(d, 1) & 1).toBe(1);
    setCloexec(d, false);
    expect(fcntl(d, 1) & 1).toBe(0);
    setNonblocking(d, true);
    expect(fcntl(r, F_GETFL) & O_NONBLOCK).toBe(O_NONBLOCK); // shared file description
    close(d);
    expect(() => close(d)).toThrow(
      expect.objectContaining({ code: 'EBADF', syscall: 'close', errno: -errno.EBADF }),
    );
    expect(() => fcntl(r, 1234)).toThrow(RangeError);
    close(r);
    close(w);
  });
});

describe('fileIoSync: the direct file syscall the backends emulate operations with', () => {
  it('preads and pwrites at a position or the file offset, syncs, and answers errors as -errno', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evring-fileio-'));
    const path = join(dir, 'f');
    writeFileSync(path, 'hello, file');
    const fd = openSync(path, 'r+');
    try {
      const mem = new ArrayBuffer(32);
      const bytes = new Uint8Array(mem);
      expect(fileIoSync(0, fd, mem, 4, 5, 7)).toBe(4); // short: the file ends
      expect(Buffer.from(bytes.subarray(4, 8)).toString()).toBe('file');
      expect(fileIoSync(0, fd, mem, 0, 5, -1)).toBe(5); // at the file's offset, which moves
      expect(fileIoSync(0, fd, mem, 0, 5, -1)).toBe(5);
      expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe(', fil');
      expect(fileIoSync(0, fd, mem, 0, 5, 100)).toBe(0); // EOF
      bytes.set(Buffer.from('HELLO'));
      expect(fileIoSync(1, fd, mem, 0, 5, 0)).toBe(5);
      expect(fileIoSync(2, fd, mem, 0, 0, 0)).toBe(0);
      expect(fileIoSync(3, fd, mem, 0, 0, 0)).toBe(0);
      expect(readFileSync(path, 'utf8')).toBe('HELLO, file');
      const dirFd = openSync(dir, 'r');
      expect(fileIoSync(0, dirFd, mem, 0, 4, 0)).toBe(-errno.EISDIR);
      closeSync(dirFd);
      expect(fileIoSync(0, 19_999, mem, 0, 4, 0)).toBe(-errno.EBADF);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what could block the thread (pipes, sockets, ttys) with -EOPNOTSUPP, before any syscall on it', () => {
    const [r, w] = pipe2(O_CLOEXEC); // blocking: a read here would hang
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const buf = new Uint8Array(8);
    for (const fd of [r, w, a]) {
      expect(fileIoSync(0, fd, buf, 0, 8, -1)).toBe(-errno.EOPNOTSUPP);
      expect(fileIoSync(1, fd, buf, 0, 8, -1)).toBe(-errno.EOPNOTSUPP);
    }
    for (const fd of [r, w, a, b]) close(fd);
  });

  it('path operations: openat, statx, ftruncate, renameat, unlinkat, mkdirat, close', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evring-pathops-'));
    try {
      const mem = new ArrayBuffer(1024);
      const put = (at: number, text: string) => {
        new Uint8Array(mem).set(Buffer.from(`${text}\0`), at);
        return at;
      };
      const view = new DataView(mem);
      const path = put(0, join(dir, 'made'));
      const fd = fileIoSync(4, AT_FDCWD, mem, path, O_CREAT | O_RDWR | O_CLOEXEC, 0o640);
      expect(fd).toBeGreaterThan(2);
      expect(fileIoSync(1, fd, Buffer.from('twelve bytes'), 0, 12, 0)).toBe(12);
      expect(fileIoSync(7, fd, mem, 0, 0, 5)).toBe(0); // ftruncate to 5
      expect(fileIoSync(6, AT_FDCWD, mem, path, 0, 512)).toBe(0);
      expect(readStatx(view, 512)).toMatchObject({ size: 5, mode: 0o100640, nlink: 1 });
      const empty = put(300, '');
      expect(fileIoSync(6, fd, mem, empty, AT_EMPTY_PATH, 512)).toBe(0); // of the fd itself
      expect(readStatx(view, 512).size).toBe(5);
      expect(fileIoSync(5, fd, mem, 0, 0, 0)).toBe(0);
      expect(fileIoSync(5, fd, mem, 0, 0, 0)).toBe(-errno.EBADF);
      const sub = put(400, join(dir, 'sub'));
      expect(fileIoSync(10, AT_FDCWD, mem, sub, 0o755, 0)).toBe(0);
      expect(fileIoSync(10, AT_FDCWD, mem, sub, 0o755, 0)).toBe(-errno.EEXIST);
      const moved = put(600, join(dir, 'sub', 'moved'));
      expect(fileIoSync(8, AT_FDCWD, mem, path, 0, moved)).toBe(0);
      expect(readFileSync(join(dir, 'sub', 'moved'), 'utf8')).toBe('twelv');
      expect(fileIoSync(4, AT_FDCWD, mem, path, O_RDONLY, 0)).toBe(-errno.ENOENT);
      expect(fileIoSync(9, AT_FDCWD, mem, sub, AT_REMOVEDIR, 0)).toBe(-errno.ENOTEMPTY);
      expect(fileIoSync(9, AT_FDCWD, mem, moved, 0, 0)).toBe(0);
      expect(fileIoSync(9, AT_FDCWD, mem, sub, AT_REMOVEDIR, 0)).toBe(0);
      // linkat and symlinkat: two paths each; a symlink's target is stored as written.
      writeFileSync(join(dir, 'one'), 'x');
      const one = put(700, join(dir, 'one'));
      const two = put(760, join(dir, 'two'));
      expect(fileIoSync(13, AT_FDCWD, mem, one, 0, two)).toBe(0);
      expect(statSync(join(dir, 'two')).nlink).toBe(2);
      expect(fileIoSync(13, AT_FDCWD, mem, one, 0, two)).toBe(-errno.EEXIST);
      const target = put(820, 'one');
      const link = put(830, join(dir, 'link'));
      expect(fileIoSync(14, AT_FDCWD, mem, target, 0, link)).toBe(0);
      expect(readlinkSync(join(dir, 'link'))).toBe('one');
      expect(fileIoSync(14, AT_FDCWD, mem, target, 0, link)).toBe(-errno.EEXIST);
      // A path must end inside the buffer; the statx buffer must fit.
      new Uint8Array(mem).fill(0x41, 1000);
      expect(() => fileIoSync(4, AT_FDCWD, mem, 1000, O_RDONLY, 0)).toThrow(RangeError);
      expect(() => fileIoSync(6, AT_FDCWD, mem, path, 0, 900)).toThrow(RangeError);
      expect(() => fileIoSync(4, -5, mem, path, O_RDONLY, 0)).toThrow(RangeError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad arguments are typed errors; the range stays inside the buffer', () => {
    const buf = new Uint8Array(8);
    expect(() => fileIoSync(15, 0, buf, 0, 1, 0)).toThrow(RangeError);
    expect(() => fileIoSync(11, 0, buf, 0, 1, 0)).toThrow(RangeError); // a 16-byte iovec in 8 bytes
    expect(() => fileIoSync(11, 0, new Uint8Array(32 * 1024), 0, 1025, 0)).toThrow(RangeError);
    expect(() => fileIoSync(0, -1, buf, 0, 1, 0)).toThrow(RangeError);
    expect(() => fileIoSync(0, 0, buf, 4, 5, 0)).toThrow(RangeError);
    expect(() => fileIoSync(0, 0, buf, 9, 0, 0)).toThrow(RangeError);
    expect(() => fileIoSync(0, 0, buf, 0, 1, -2)).toThrow(RangeError);
    expect(() => fileIoSync(0, 0, 'x' as never, 0, 1, 0)).toThrow(TypeError);
  });
});

describe('vectored reads and writes over pinned memory (ops 11, 12)', () => {
  /** An iovec array in a plain buffer: [address, length] pairs. */
  function iovecs(entries: [number, number][]): Uint8Array {
    const out = new Uint8Array(entries.length * 16);
    const view = new DataView(out.buffer);
    entries.forEach(([addr, len], i) => {
      view.setBigUint64(i * 16, BigInt(addr), true);
      view.setBigUint64(i * 16 + 8, BigInt(len), true);
    });
    return out;
  }

  it('fileIoSync preadv/pwritev scatter and gather in order; an entry outside pinned memory is -EINVAL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evring-fileiov-'));
    const path = join(dir, 'f');
    writeFileSync(path, 'scattered bytes');
    const fd = openSync(path, 'r+');
    const a = pinnedAlloc(16);
    const b = pinnedAlloc(16);
    try {
      const array = iovecs([
        [a.address + 2, 4],
        [b.address, 0], // empty: touches nothing
        [b.address + 8, 8],
      ]);
      expect(fileIoSync(11, fd, array, 0, 3, 2)).toBe(12);
      expect(Buffer.from(a.buffer, 2, 4).toString()).toBe('atte');
      expect(Buffer.from(b.buffer, 8, 8).toString()).toBe('red byte');
      expect(
        fileIoSync(
          12,
          fd,
          iovecs([
            [b.address + 8, 3],
            [a.address + 2, 4],
          ]),
          0,
          2,
          0,
        ),
      ).toBe(7);
      expect(readFileSync(path, 'utf8')).toBe('redatteed bytes');
      // At the file's offset (0 here, then moved by 4).
      expect(fileIoSync(11, fd, iovecs([[a.address, 4]]), 0, 1, -1)).toBe(4);
      expect(fileIoSync(11, fd, iovecs([[a.address, 4]]), 0, 1, -1)).toBe(4);
      expect(Buffer.from(a.buffer, 0, 4).toString()).toBe('ttee'); // 'reda', then 'ttee'
      // An array at an offset inside a bigger buffer.
      const padded = new Uint8Array(40);
      padded.set(iovecs([[a.address, 2]]), 24);
      expect(fileIoSync(11, fd, padded, 24, 1, 0)).toBe(2);
      // Not pinned, past a block's end, no entries: refused before any syscall.
      const heap = new Uint8Array(16);
      expect(fileIoSync(11, fd, iovecs([[0x1000, 4]]), 0, 1, 0)).toBe(-errno.EINVAL);
      expect(fileIoSync(11, fd, iovecs([[a.address + 12, 8]]), 0, 1, 0)).toBe(-errno.EINVAL);
      expect(fileIoSync(11, fd, iovecs([]), 0, 0, 0)).toBe(-errno.EINVAL);
      expect(heap.every((x) => x === 0)).toBe(true);
      const dirFd = openSync(dir, 'r');
      expect(fileIoSync(11, dirFd, iovecs([[a.address, 4]]), 0, 1, 0)).toBe(-errno.EISDIR);
      closeSync(dirFd);
    } finally {
      closeSync(fd);
      pinnedFree(a.buffer);
      pinnedFree(b.buffer);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ioNowait readv/writev on pipes and sockets: never blocks; a position is ESPIPE there', () => {
    const [r, w] = pipe2(O_CLOEXEC); // blocking fds: RWF_NOWAIT keeps the thread running
    const [s1, s2] = socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const a = pinnedAlloc(64);
    try {
      Buffer.from(a.buffer).write('0123456789');
      const two = iovecs([
        [a.address + 10, 3],
        [a.address + 20, 3],
      ]);
      expect(ioNowait(11, r, two, 0, 2, -1)).toBe(-errno.EAGAIN);
      expect(
        ioNowait(
          12,
          w,
          iovecs([
            [a.address, 2],
            [a.address + 5, 3],
          ]),
          0,
          2,
          -1,
        ),
      ).toBe(5);
      expect(ioNowait(11, r, two, 0, 2, -1)).toBe(5);
      expect(Buffer.from(a.buffer, 10, 3).toString()).toBe('015');
      expect(Buffer.from(a.buffer, 20, 2).toString()).toBe('67');
      expect(ioNowait(12, s1, iovecs([[a.address + 1, 4]]), 0, 1, -1)).toBe(4);
      expect(ioNowait(11, s2, iovecs([[a.address + 40, 8]]), 0, 1, -1)).toBe(4);
      expect(Buffer.from(a.buffer, 40, 4).toString()).toBe('1234');
      expect(ioNowait(11, s2, iovecs([[a.address + 40, 8]]), 0, 1, -1)).toBe(-errno.EAGAIN);
      // At a position: pread(2)'s answer, ESPIPE on a pipe and a socket.
      expect(ioNowait(11, r, two, 0, 2, 0)).toBe(-errno.ESPIPE);
      expect(ioNowait(12, w, two, 0, 2, 3)).toBe(-errno.ESPIPE);
      expect(ioNowait(11, s2, two, 0, 2, 0)).toBe(-errno.ESPIPE);
      expect(ioNowait(0, s1, Buffer.alloc(4), 0, 4, 7)).toBe(-errno.ESPIPE);
      expect(ioNowait(11, r, iovecs([[0x1000, 8]]), 0, 1, -1)).toBe(-errno.EINVAL);
    } finally {
      for (const fd of [r, w, s1, s2]) close(fd);
      pinnedFree(a.buffer);
    }
  });

  it('ioNowait at a position on a character device that has positions: what pread(2) and pwrite(2) give', () => {
    const zero = openSync('/dev/zero', 'r');
    const nul = openSync('/dev/null', 'r+');
    const a = pinnedAlloc(16);
    try {
      const bytes = Buffer.alloc(8, 0xaa);
      expect(ioNowait(0, zero, bytes, 2, 4, 4096)).toBe(4);
      expect([...bytes]).toEqual([0xaa, 0xaa, 0, 0, 0, 0, 0xaa, 0xaa]);
      Buffer.from(a.buffer).fill(0xbb);
      expect(ioNowait(11, zero, iovecs([[a.address + 1, 2]]), 0, 1, 9)).toBe(2);
      expect([...new Uint8Array(a.buffer, 0, 4)]).toEqual([0xbb, 0, 0, 0xbb]);
      expect(ioNowait(1, nul, bytes, 0, 8, 100)).toBe(8);
      expect(ioNowait(0, nul, bytes, 0, 8, 100)).toBe(0);
      // Open for reading only: pwrite(2)'s EBADF.
      expect(ioNowait(1, zero, bytes, 0, 8, 0)).toBe(-errno.EBADF);
    } finally {
      closeSync(zero);
      closeSync(nul);
      pinnedFree(a.buffer);
    }
  });
});

describe('process facts', () => {
  it('reads and sets RLIMIT_NOFILE', () => {
    const { soft, hard } = getrlimitNofile();
    expect(soft).toBeGreaterThan(0);
    expect(hard).toBeGreaterThanOrEqual(soft);
    setrlimitNofile(soft, hard);
    expect(getrlimitNofile()).toEqual({ soft, hard });
    expect(() => setrlimitNofile(hard + 1, hard)).toThrow(
      expect.objectContaining({ code: 'EINVAL' }),
    );
  });

  it('names the kernel release', () => {
    expect(kernelRelease()).toMatch(/^\d+\.\d+/);
  });

  it('opens a pty pair whose slave is the named /dev/pts device', () => {
    const pty = openpty();
    expect(pty.name).toMatch(/^\/dev\/pts\/\d+$/);
    expect(readlinkSync(`/proc/self/fd/${pty.slave}`)).toBe(pty.name);
    expect(write(pty.slave, Buffer.from('x'))).toBe(1);
    close(pty.slave);
    close(pty.master);
  });

  it('regular files stay usable through plain read', () => {
    const fd = openSync('/proc/self/stat', 'r');
    expect(read(fd, Buffer.alloc(16))).toBe(16);
    closeSync(fd);
  });
});

describe('fcntl refuses what would let the kernel kill the process', () => {
  it('O_ASYNC (SIGIO) is a RangeError; FD_CLOEXEC is the only F_SETFD flag', () => {
    const [r, w] = pipe2(O_CLOEXEC);
    expect(() => fcntl(r, 4 /* F_SETFL */, 0o20000 /* O_ASYNC */)).toThrow(/O_ASYNC/);
    expect(() => fcntl(r, 2 /* F_SETFD */, 2)).toThrow(RangeError);
    close(r);
    close(w);
  });
});

describe('getdents64', () => {
  it("a directory's entries, as readdirSync names them (with . and ..), with their types; ENOTDIR on a file; EINVAL for a range too small; argument errors thrown", () => {
    const dir = mkdtempSync(join(tmpdir(), 'evring-getdents-'));
    try {
      const names = Array.from({ length: 300 }, (_, i) => `entry-${i}-${'n'.repeat(i % 50)}`);
      for (const n of names) writeFileSync(join(dir, n), '');
      mkdirSync(join(dir, 'sub'));
      const fd = openSync(dir, 'r');
      try {
        const seen = new Map<string, number>();
        const buf = new Uint8Array(4096); // several calls: 300 names do not fit
        let calls = 0;
        for (let n = getdents64(fd, buf); n !== 0; n = getdents64(fd, buf)) {
          expect(n).toBeGreaterThan(0);
          calls++;
          readDirents64(buf, n, (e) => seen.set(new TextDecoder().decode(e.name), e.type));
        }
        expect(calls).toBeGreaterThan(1);
        expect([...seen.keys()].sort()).toEqual(['.', '..', ...readdirSync(dir)].sort());
        expect(seen.get('sub')).toBe(DT_DIR);
        expect(seen.get(names[7]!)).toBe(DT_REG);
      } finally {
        closeSync(fd);
      }
      const again = openSync(dir, 'r');
      try {
        expect(getdents64(again, new Uint8Array(8))).toBe(-errno.EINVAL);
        expect(getdents64(again, new Uint8Array(64), 60)).toBe(-errno.EINVAL); // 4 bytes left
        expect(getdents64(again, new Uint8Array(0))).toBe(-errno.EINVAL);
        expect(() => getdents64(again, new Uint8Array(64), 65)).toThrow(RangeError);
        expect(() => getdents64(again, 'x' as never)).toThrow(TypeError);
      } finally {
        closeSync(again);
      }
      const file = openSync(join(dir, names[0]!), 'r');
      expect(getdents64(file, new Uint8Array(4096))).toBe(-errno.ENOTDIR);
      closeSync(file);
      expect(getdents64(99999, new Uint8Array(4096))).toBe(-errno.EBADF);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
