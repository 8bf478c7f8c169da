import {
  closeSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  realpathSync,
  rmSync,
  statfsSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errno } from '@evring/abi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  access,
  chmod,
  chown,
  fchmod,
  fchown,
  ficlone,
  futimes,
  readlink,
  realpath,
  statfs,
  utimes,
} from '../src/index.js';

let dir: string;
let file: string;
let link: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evring-file-attrs-'));
  file = join(dir, 'file');
  link = join(dir, 'link');
  writeFileSync(file, 'x');
  symlinkSync('file', link);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A buffer of `size` bytes of 0xaa, to see which of them a call wrote. */
const canary = (size: number): Uint8Array => new Uint8Array(size).fill(0xaa);
const untouched = (b: Uint8Array, from: number, to = b.length): boolean =>
  b.subarray(from, to).every((x) => x === 0xaa);

describe('access', () => {
  it('answers 0 or -errno, for a path as a string or its bytes', () => {
    expect(access(file, 0)).toBe(0);
    expect(access(Buffer.from(dir), 4 | 2 | 1)).toBe(0);
    expect(access(join(dir, 'none'), 0)).toBe(-errno.ENOENT);
    expect(access('', 0)).toBe(-errno.ENOENT); // the kernel's answer, not a refusal
    const gone = new ArrayBuffer(4);
    const view = new Uint8Array(gone);
    structuredClone(gone, { transfer: [gone] });
    expect(access(view, 0)).toBe(-errno.ENOENT); // a view of a detached buffer: an empty path
    // X_OK on a file no one may execute: refused even to root.
    chmod(file, 0o644);
    expect(access(file, 1)).toBe(-errno.EACCES);
  });

  it('refuses a mode that is no integer in 0..7, a path that is none, and a NUL inside one', () => {
    expect(() => access(file, 8)).toThrow(RangeError);
    expect(() => access(file, -1)).toThrow(RangeError);
    expect(() => access(file, 1.5)).toThrow(TypeError); // not an integer
    expect(() => access(42 as never, 0)).toThrow(TypeError);
    expect(() => access('a\0b', 0)).toThrow(RangeError);
    expect(() => access(new Uint8Array([97, 0]), 0)).toThrow(RangeError);
  });
});

describe('chmod and fchmod', () => {
  it('set the permission bits, and only they may be given', () => {
    expect(chmod(file, 0o4750)).toBe(0);
    expect(statSync(file).mode & 0o7777).toBe(0o4750);
    const fd = openSync(file, 'r');
    try {
      expect(fchmod(fd, 0o600)).toBe(0);
      expect(statSync(file).mode & 0o7777).toBe(0o600);
      expect(() => fchmod(fd, 0o10000)).toThrow(RangeError);
    } finally {
      closeSync(fd);
    }
    expect(() => chmod(file, 0o10000)).toThrow(RangeError);
    expect(chmod(join(dir, 'none'), 0o600)).toBe(-errno.ENOENT);
    expect(fchmod(99_999, 0o600)).toBe(-errno.EBADF);
    expect(() => fchmod(-1, 0o600)).toThrow(RangeError);
  });
});

describe('chown, lchown and fchown', () => {
  it('set the owner and group (-1 keeps one), of the link itself with noFollow', () => {
    expect(chown(file, 1, 2)).toBe(0);
    expect([statSync(file).uid, statSync(file).gid]).toEqual([1, 2]);
    expect(chown(file, -1, 3)).toBe(0);
    expect([statSync(file).uid, statSync(file).gid]).toEqual([1, 3]);
    expect(chown(link, 4, 4, true)).toBe(0);
    expect([lstatSync(link).uid, statSync(file).uid]).toEqual([4, 1]);
    expect(chown(link, 5, 5)).toBe(0); // followed
    expect([lstatSync(link).uid, statSync(file).uid]).toEqual([4, 5]);
    const fd = openSync(file, 'r');
    try {
      expect(fchown(fd, 0, 0)).toBe(0);
      expect([statSync(file).uid, statSync(file).gid]).toEqual([0, 0]);
    } finally {
      closeSync(fd);
    }
    chown(link, 0, 0, true);
  });

  it('refuses ids that are no integer in -1..2^32-1', () => {
    expect(() => chown(file, -2, 0)).toThrow(RangeError);
    expect(() => chown(file, 0, 2 ** 32)).toThrow(RangeError);
    expect(() => fchown(0, 0.5, 0)).toThrow(TypeError);
  });
});

describe('utimes and futimes', () => {
  it('set times to the microsecond, as libuv does, borrowing a second for a negative fraction', () => {
    expect(utimes(file, 123456789.987654, -1.25)).toBe(0);
    const st = statSync(file, { bigint: true });
    expect(st.atimeNs).toBe(123_456_789_987_654_000n);
    expect(st.mtimeNs).toBe(-1_250_000_000n);
    const fd = openSync(file, 'r');
    try {
      expect(futimes(fd, 1.5, 2)).toBe(0);
      const after = statSync(file, { bigint: true });
      expect([after.atimeNs, after.mtimeNs]).toEqual([1_500_000_000n, 2_000_000_000n]);
      expect(futimes(fd, 2.0000015, 3)).toBe(0); // 1,500 ns past the second: 1 µs is kept
      expect(statSync(file, { bigint: true }).atimeNs).toBe(2_000_001_000n);
    } finally {
      closeSync(fd);
    }
  });

  it("sets a link's own times with noFollow, and the target's without", () => {
    expect(utimes(link, 10, 20, true)).toBe(0);
    expect(lstatSync(link).mtimeMs).toBe(20_000);
    expect(statSync(file).mtimeMs).not.toBe(20_000);
    expect(utimes(link, 30, 40)).toBe(0);
    expect(statSync(file).mtimeMs).toBe(40_000);
    expect(lstatSync(link).mtimeMs).toBe(20_000);
  });

  it('answers EINVAL for a time no 64-bit second holds, and refuses what is not a number', () => {
    expect(utimes(file, Number.NaN, 1)).toBe(-errno.EINVAL);
    expect(utimes(file, 1, 2 ** 63)).toBe(-errno.EINVAL);
    expect(utimes(file, Number.NEGATIVE_INFINITY, 1)).toBe(-errno.EINVAL);
    expect(statSync(file).mtimeMs).toBe(40_000); // nothing was set
    expect(() => utimes(file, '1' as never, 1)).toThrow(TypeError);
    expect(() => futimes(0, 1, undefined as never)).toThrow(TypeError);
  });
});

describe('readlink and realpath', () => {
  it('write the answer into the range given, and nothing outside it', () => {
    const buf = canary(64);
    const n = readlink(link, buf, 8, 16);
    expect(n).toBe(4);
    expect(Buffer.from(buf.subarray(8, 12)).toString()).toBe('file');
    expect(untouched(buf, 0, 8) && untouched(buf, 12)).toBe(true);
    const m = realpath(`${dir}/./link`, buf, 0);
    expect(Buffer.from(buf.subarray(0, m)).toString()).toBe(join(realpathSync(dir), 'file'));
    expect(buf[m]).toBe(0xaa); // no NUL written after it
  });

  it('answer ENAMETOOLONG when the answer fills the range, writing nothing past it', () => {
    const buf = canary(32);
    expect(readlink(link, buf, 0, 4)).toBe(-errno.ENAMETOOLONG); // 'file' fills 4 bytes: maybe cut
    expect(untouched(buf, 4)).toBe(true);
    const small = canary(32);
    expect(realpath(file, small, 2, 8)).toBe(-errno.ENAMETOOLONG);
    expect(untouched(small, 0)).toBe(true);
  });

  it("give the kernel's errors, and refuse a range outside the buffer", () => {
    const buf = new Uint8Array(64);
    expect(readlink(file, buf)).toBe(-errno.EINVAL); // not a link
    expect(readlink(join(dir, 'none'), buf)).toBe(-errno.ENOENT);
    expect(realpath(join(dir, 'none'), buf)).toBe(-errno.ENOENT);
    expect(realpath(join(file, 'x'), buf)).toBe(-errno.ENOTDIR);
    expect(() => readlink(link, buf, 65)).toThrow(RangeError);
    expect(() => realpath(link, buf, 0, 65)).toThrow(RangeError);
    const detached = new ArrayBuffer(8);
    structuredClone(detached, { transfer: [detached] });
    expect(readlink(link, detached)).toBe(-errno.EINVAL); // no room at all
  });
});

describe('ficlone', () => {
  it("shares a file's data where the filesystem has reflinks; elsewhere answers why not", () => {
    const from = openSync(file, 'r');
    const clone = join(dir, 'clone');
    const to = openSync(clone, 'w');
    try {
      writeFileSync(file, 'cloned bytes');
      const res = ficlone(to, from);
      if (res === 0) {
        expect(readFileSync(clone, 'utf8')).toBe('cloned bytes');
      } else {
        // This filesystem has no reflinks (ext4, tmpfs): the kernel says so, and nothing was written.
        expect([-errno.EOPNOTSUPP, -errno.EXDEV, -errno.EINVAL]).toContain(res);
        expect(statSync(clone).size).toBe(0);
      }
      expect(ficlone(to, 99_999)).toBe(-errno.EBADF);
      expect(() => ficlone(-1, from)).toThrow(RangeError);
    } finally {
      closeSync(from);
      closeSync(to);
    }
  });
});

describe('statfs', () => {
  it("writes Node's seven StatFs fields as 64-bit words into the range, and nothing outside it", () => {
    const buf = Buffer.alloc(8 + 56 + 8, 0xee);
    expect(statfs(dir, buf, 8, 56)).toBe(0);
    expect(buf.subarray(0, 8).every((b) => b === 0xee)).toBe(true);
    expect(buf.subarray(64).every((b) => b === 0xee)).toBe(true);
    const words = Array.from({ length: 7 }, (_, i) => buf.readBigUInt64LE(8 + 8 * i));
    const node = statfsSync(dir, { bigint: true });
    // The counts of free blocks and inodes move as anything writes; the rest stand.
    expect([words[0], words[1], words[2], words[5]]).toEqual([
      node.type,
      node.bsize,
      node.blocks,
      node.files,
    ]);
    expect(words[4]! <= words[3]! && words[3]! <= words[2]!).toBe(true); // bavail <= bfree <= blocks
    // proc's: its magic number, nothing free to count.
    const proc = new BigUint64Array(7);
    expect(statfs('/proc', proc)).toBe(0);
    expect(proc[0]).toBe(0x9fa0n);
    expect([...proc]).toEqual(
      Object.values(statfsSync('/proc', { bigint: true })).map((v) => BigInt(v)),
    );
  });

  it("gives the kernel's errors, and refuses a range that holds less than 56 bytes", () => {
    expect(statfs(join(dir, 'missing'), new BigUint64Array(7))).toBe(-errno.ENOENT);
    expect(statfs(join(file, 'below'), new BigUint64Array(7))).toBe(-errno.ENOTDIR);
    expect(() => statfs(dir, new Uint8Array(55))).toThrow(RangeError);
    expect(() => statfs(dir, new Uint8Array(64), 16)).toThrow(RangeError);
    expect(() => statfs('a\0b', new BigUint64Array(7))).toThrow(RangeError);
    expect(() => statfs(7 as never, new BigUint64Array(7))).toThrow(TypeError);
  });
});
