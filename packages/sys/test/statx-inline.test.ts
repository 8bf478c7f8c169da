/**
 * statxInline: true only where a statx cannot wait (the path in the dentry
 * cache, the file on a filesystem that keeps its attributes in memory),
 * false for anything else, and nothing left behind.
 */

import { spawn } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, O_CLOEXEC } from '@evring/abi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, eventfd, pipe2, statxInline } from '../src/index.js';

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evring-statx-inline-'));
  file = join(dir, 'file');
  writeFileSync(file, 'x');
  symlinkSync('nowhere', join(dir, 'dangling'));
  statSync(file); // looked up: in the dentry cache
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('statxInline', () => {
  it('is true for a looked-up path on a local filesystem: absolute, relative to a directory fd, or an fd itself', () => {
    expect(statxInline(AT_FDCWD, file, 0)).toBe(true);
    expect(statxInline(AT_FDCWD, Buffer.from(file), 0)).toBe(true);
    const d = openSync(dir, 'r');
    try {
      expect(statxInline(d, 'file', 0)).toBe(true);
    } finally {
      closeSync(d);
    }
    const fd = openSync(file, 'r');
    try {
      expect(statxInline(fd, '', AT_EMPTY_PATH)).toBe(true);
    } finally {
      closeSync(fd);
    }
  });

  it("is true for a pipe's and an eventfd's fd (the kernel's in-memory filesystems)", () => {
    const [r, w] = pipe2(O_CLOEXEC);
    const e = eventfd(0, 0);
    try {
      expect(statxInline(r, '', AT_EMPTY_PATH)).toBe(true);
      expect(statxInline(e, '', AT_EMPTY_PATH)).toBe(true);
    } finally {
      for (const fd of [r, w, e]) close(fd);
    }
  });

  it('follows a link as statx would: a dangling one is true only for the link itself (AT_SYMLINK_NOFOLLOW)', () => {
    const dangling = join(dir, 'dangling');
    expect(statxInline(AT_FDCWD, dangling, AT_SYMLINK_NOFOLLOW)).toBe(true);
    expect(statxInline(AT_FDCWD, dangling, 0)).toBe(false); // the statx answers ENOENT itself
  });

  it('is false for what the statx must answer itself: a missing path, an empty one, a bad fd', () => {
    expect(statxInline(AT_FDCWD, join(dir, 'missing'), 0)).toBe(false);
    expect(statxInline(AT_FDCWD, '', 0)).toBe(false);
    expect(statxInline(-1, '', AT_EMPTY_PATH)).toBe(false);
    expect(statxInline(-1, 'relative', 0)).toBe(false);
  });

  it('is false for a file on a filesystem not listed (nsfs)', () => {
    const ns = openSync('/proc/self/ns/net', 'r');
    try {
      expect(statxInline(ns, '', AT_EMPTY_PATH)).toBe(false);
    } finally {
      closeSync(ns);
    }
  });

  it('is false for a path not yet in the dentry cache, and true once it has been looked up', async () => {
    // A new process's /proc entries exist only once something looks them up.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], {
      stdio: 'ignore',
    });
    try {
      const status = `/proc/${child.pid}/status`;
      expect(statxInline(AT_FDCWD, status, 0)).toBe(false);
      statSync(status);
      expect(statxInline(AT_FDCWD, status, 0)).toBe(true);
    } finally {
      child.kill();
    }
  });

  it('leaves no fd behind, and refuses bad arguments with a typed error', () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    const before = fds();
    for (let i = 0; i < 1000; i++) statxInline(AT_FDCWD, file, i % 2 ? AT_SYMLINK_NOFOLLOW : 0);
    expect(fds()).toBe(before);
    expect(() => statxInline(AT_FDCWD, 42 as never, 0)).toThrow(TypeError);
    expect(() => statxInline(AT_FDCWD, 'a\0b', 0)).toThrow(RangeError);
    expect(() => statxInline(AT_FDCWD, file, -1)).toThrow(RangeError);
    expect(() => statxInline('3' as never, file, 0)).toThrow(TypeError);
  });
});
