/**
 * The rest of `loop.fs`: open, close, stat, lstat, fstat, ftruncate, rename,
 * unlink, rmdir, mkdir, readv and writev, and the `fs/promises`-shaped
 * `loop.fs.promises` (FileHandles, readFile, writeFile, appendFile,
 * truncate) — the same results on every backend, natively or emulated,
 * errors shaped like Node's with their paths, aborts that leak no fd, and
 * a worker thread using them.
 */

import { spawnSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { O_CLOEXEC } from '@evring/abi';
import { pipe2 } from '@evring/sys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileStats, LoopFileHandle } from '../src/index.js';
import { BACKENDS, FILE_CONFIGS, testScope } from './helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-fs-api-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const fresh = (): string => {
  const dir = join(root, `d${n++}`);
  mkdirSync(dir);
  return dir;
};

describe.each(FILE_CONFIGS)('loop.fs on %s: the whole API', (_name, options) => {
  const t = testScope();

  it('callbacks: open, fstat, ftruncate, writev, readv, close; stat, lstat, rename, mkdir, rmdir, unlink', () => {
    const loop = t.loop(options);
    const dir = fresh();
    const path = join(dir, 'file');
    const log: string[] = [];
    let fd = -1;
    loop.fs.open(path, 'w+', 0o640, (err, got) => {
      log.push(`open ${err}`);
      fd = got;
    });
    loop.run();
    expect(fd).toBeGreaterThan(2);
    t.fds.track(fd);
    loop.fs.writev(fd, [Buffer.from('hello, '), Buffer.from('vectors')], 0, (err, bytes) =>
      log.push(`writev ${err} ${bytes}`),
    );
    loop.run();
    const a = Buffer.alloc(5);
    const b = Buffer.alloc(20);
    loop.fs.readv(fd, [a, b], 0, (err, bytes) => log.push(`readv ${err} ${bytes}`));
    loop.run();
    expect(`${a}|${b.subarray(0, 9)}`).toBe('hello|, vectors');
    loop.fs.ftruncate(fd, 5, (err) => log.push(`ftruncate ${err}`));
    loop.run();
    let stats: FileStats | null = null;
    loop.fs.fstat(fd, (err, s) => {
      log.push(`fstat ${err}`);
      stats = s;
    });
    loop.run();
    expect(stats!.size).toBe(5);
    expect(stats!.isFile()).toBe(true);
    expect(stats!.mode & 0o777).toBe(0o640 & ~process.umask());
    loop.fs.close(fd, (err) => log.push(`close ${err}`));
    loop.run();
    t.fds.untrack(fd);
    loop.fs.mkdir(join(dir, 'sub'), 0o700, (err) => log.push(`mkdir ${err}`));
    loop.run();
    loop.fs.rename(path, join(dir, 'sub', 'moved'), (err) => log.push(`rename ${err}`));
    loop.run();
    symlinkSync(join(dir, 'sub', 'moved'), join(dir, 'link'));
    loop.fs.stat(join(dir, 'link'), (err, s) => log.push(`stat ${err} ${s?.isFile()} ${s?.size}`));
    loop.run();
    loop.fs.lstat(join(dir, 'link'), (err, s) => log.push(`lstat ${err} ${s?.isSymbolicLink()}`));
    loop.run();
    loop.fs.rmdir(join(dir, 'sub'), (err) => log.push(`rmdir ${err?.code}`));
    loop.run();
    loop.fs.unlink(join(dir, 'sub', 'moved'), (err) => log.push(`unlink ${err}`));
    loop.run();
    loop.fs.rmdir(join(dir, 'sub'), (err) => log.push(`rmdir ${err}`));
    loop.run();
    expect(log).toEqual([
      'open null',
      'writev null 14',
      'readv null 14',
      'ftruncate null',
      'fstat null',
      'close null',
      'mkdir null',
      'rename null',
      'stat null true 5',
      'lstat null true',
      'rmdir ENOTEMPTY',
      'unlink null',
      'rmdir null',
    ]);
  });

  it('errors like Node: code, errno, syscall, path (and dest); a fd of -1 to the open callback', () => {
    const loop = t.loop(options);
    const dir = fresh();
    const missing = join(dir, 'missing');
    const errs: unknown[] = [];
    loop.fs.open(missing, 'r', (err, fd) => errs.push({ ...err, fd }));
    loop.fs.stat(missing, (err, s) => errs.push({ ...err, s }));
    loop.fs.mkdir(dir, (err) => errs.push({ ...err }));
    loop.fs.rename(missing, join(dir, 'to'), (err) => errs.push({ ...err }));
    loop.fs.open(dir, 'w', (err) => errs.push({ ...err }));
    loop.fs.close(19_999, (err) => errs.push({ ...err }));
    loop.run();
    // Completions are delivered in no promised order (as the kernel completes them).
    const key = (e: unknown) => JSON.stringify(e);
    expect(errs.map(key).sort()).toEqual(
      [
        { code: 'ENOENT', errno: -2, syscall: 'open', path: missing, fd: -1 },
        { code: 'ENOENT', errno: -2, syscall: 'stat', path: missing, s: null },
        { code: 'EEXIST', errno: -17, syscall: 'mkdir', path: dir },
        { code: 'ENOENT', errno: -2, syscall: 'rename', path: missing, dest: join(dir, 'to') },
        { code: 'EISDIR', errno: -21, syscall: 'open', path: dir },
        { code: 'EBADF', errno: -9, syscall: 'close' },
      ]
        .map(key)
        .sort(),
    );
  });

  it('fs/promises shapes: writeFile, appendFile, readFile (Buffer, encoding, URL), truncate, stat like fs.statSync', async () => {
    const loop = t.loop({ ...options, attach: true });
    const fs = loop.fs.promises;
    const path = join(fresh(), 'notes.txt');
    await fs.writeFile(path, 'first line\n');
    await fs.appendFile(path, Buffer.from('second line\n'));
    expect(await fs.readFile(path, 'utf8')).toBe('first line\nsecond line\n');
    expect(await fs.readFile(pathToFileURL(path), { encoding: 'utf8' })).toBe(
      'first line\nsecond line\n',
    );
    const buf = await fs.readFile(path);
    expect(Buffer.isBuffer(buf)).toBe(true);
    expect(buf.toString()).toBe(readFileSync(path, 'utf8'));
    await fs.truncate(path, 5);
    expect(readFileSync(path, 'utf8')).toBe('first');
    // An encoding Buffer does not know is refused before anything starts,
    // as Node refuses it; 'buffer' is a Buffer.
    for (const call of [
      () => fs.readFile(path, 'nope' as never),
      () => fs.writeFile(path, 'x', { encoding: 'nope' as never }),
      () => fs.appendFile(path, 'x', 'nope' as never),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: 'ERR_INVALID_ARG_VALUE',
        message: "The argument 'encoding' is invalid encoding. Received 'nope'",
      });
    }
    expect(Buffer.isBuffer(await fs.readFile(path, 'buffer' as never))).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('first');
    const copy = join(fresh(), 'copy.txt');
    writeFileSync(copy, 'first');
    // A negative length is 0, as Node takes it; a fraction is refused.
    const fh = await fs.open(copy, 'r+');
    t.fds.track(fh.fd);
    await fh.truncate(-1);
    expect(readFileSync(copy, 'utf8')).toBe('');
    await expect(fh.truncate(1.5)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    const fd = fh.fd;
    await fh.close();
    t.fds.untrack(fd);
    const ours = await fs.stat(path);
    const node = statSync(path);
    for (const k of [
      'dev',
      'ino',
      'mode',
      'nlink',
      'uid',
      'gid',
      'rdev',
      'size',
      'blksize',
      'blocks',
    ] as const) {
      expect(ours[k], k).toBe(node[k]);
    }
    expect(Math.abs(ours.mtimeMs - node.mtimeMs)).toBeLessThan(0.001);
    expect(ours.mtime.getTime()).toBe(node.mtime.getTime());
    await expect(fs.writeFile(path, 'x', { flag: 'wx' })).rejects.toMatchObject({
      code: 'EEXIST',
      syscall: 'open',
      path,
    });
    await fs.unlink(path);
    await expect(fs.readFile(path)).rejects.toMatchObject({ code: 'ENOENT', path });
  });

  it('readFile of more than a bounce buffer holds (3 MiB), and of a file whose size says 0 (/proc)', async () => {
    const loop = t.loop({ ...options, attach: true });
    const path = join(fresh(), 'big');
    const big = Buffer.alloc(3 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    writeFileSync(path, big);
    expect((await loop.fs.promises.readFile(path)).equals(big)).toBe(true);
    const proc = await loop.fs.promises.readFile('/proc/self/status', 'utf8');
    expect(proc).toMatch(/^Name:/);
    await loop.fs.promises.writeFile(path, big.subarray(0, 2 * 1024 * 1024 + 5));
    expect(readFileSync(path).equals(big.subarray(0, 2 * 1024 * 1024 + 5))).toBe(true);
  });

  it('readFile at the sizes around its first read (64 KiB): the same bytes as Node, no fstat for a file that fits, no view on a bigger allocation', async () => {
    const loop = t.loop({ ...options, attach: true });
    const fs = loop.fs.promises;
    const dir = fresh();
    let fstats = 0;
    const fstat = fs.fstat.bind(fs);
    fs.fstat = ((...args: Parameters<typeof fs.fstat>) => {
      fstats++;
      return fstat(...args);
    }) as typeof fs.fstat;
    const K64 = 64 * 1024;
    for (const size of [0, 1, 4095, K64 - 1, K64, K64 + 1, 3 * K64 + 7, 1024 * 1024 + 3]) {
      const path = join(dir, `s${size}`);
      const content = Buffer.alloc(size);
      for (let i = 0; i < size; i += 251) content[i] = (i / 251) & 0xff;
      content[size - 1] = 0x5a;
      writeFileSync(path, content);
      fstats = 0;
      const got = await fs.readFile(path);
      expect(got.equals(readFileSync(path)), `${size}`).toBe(true);
      // A file shorter than the first read ends with a read of 0 bytes, not an fstat.
      expect(fstats, `${size}`).toBe(size < K64 ? 0 : 1);
      // What is returned is the file's bytes, not a window on 64 KiB (a
      // small Buffer may sit in Node's 8 KiB pool, as Buffer.alloc's do).
      expect(got.buffer.byteLength, `${size}`).toBeLessThanOrEqual(Math.max(size, 8192));
      // From a FileHandle's current position: the rest of the file.
      const fh = await fs.open(path, 'r');
      t.fds.track(fh.fd);
      const skip = Math.min(size, 3);
      await fh.read(Buffer.alloc(skip), 0, skip, null);
      expect(((await fh.readFile()) as Buffer).equals(content.subarray(skip)), `${size}`).toBe(
        true,
      );
      const fd = fh.fd;
      await fh.close();
      t.fds.untrack(fd);
    }
  });

  it('a FileHandle: read and write in all their forms, the current position, stat, sync, close, then EBADF', async () => {
    const loop = t.loop({ ...options, attach: true });
    const path = join(fresh(), 'handle');
    const fh = await loop.fs.promises.open(path, 'w+');
    expect(fh).toBeInstanceOf(LoopFileHandle);
    t.fds.track(fh.fd);
    expect(await fh.write('abc')).toEqual({ bytesWritten: 3, buffer: 'abc' });
    expect((await fh.write(Buffer.from('xxdefxx'), 2, 3)).bytesWritten).toBe(3); // 'def' at the position
    expect((await fh.write(Buffer.from('ghi'), { position: 6 })).bytesWritten).toBe(3);
    await fh.writev([Buffer.from('j'), Buffer.from('k')], 9);
    await fh.sync();
    await fh.datasync();
    const r1 = await fh.read(Buffer.alloc(4), 0, 4, 0);
    expect([r1.bytesRead, r1.buffer.toString()]).toEqual([4, 'abcd']);
    const r2 = await fh.read({ buffer: Buffer.alloc(8), position: 4 });
    expect(r2.buffer.subarray(0, r2.bytesRead).toString()).toBe('efghijk');
    const r3 = await fh.read(); // a new 16 KiB buffer, from the current position (6: only 'abc' and 'def' moved it)
    expect(r3.buffer.subarray(0, r3.bytesRead).toString()).toBe('ghijk');
    const [x, y] = [Buffer.alloc(2), Buffer.alloc(2)];
    expect((await fh.readv([x, y], 1)).bytesRead).toBe(4);
    expect(`${x}${y}`).toBe('bcde');
    expect((await fh.stat()).size).toBe(11);
    await fh.truncate(3);
    expect((await fh.readFile('utf8')) as string).toBe(''); // from the current position (the end)
    const fd = fh.fd;
    await fh.close();
    t.fds.untrack(fd);
    expect(fh.fd).toBe(-1);
    await fh.close(); // a second close does nothing
    await expect(fh.read(Buffer.alloc(1))).rejects.toMatchObject({
      code: 'EBADF',
      syscall: 'read',
    });
    await expect(fh.stat()).rejects.toMatchObject({ code: 'EBADF' });
    expect(readFileSync(path, 'utf8')).toBe('abc');
  });

  it("a FileHandle's close() waits for its calls under way, as Node's does: they end on their own file, never on one that takes the number", async () => {
    const loop = t.loop({ ...options, attach: true });
    const dir = fresh();
    const mine = Buffer.alloc(3 << 20, 'm'); // many reads and writes: readFile and writeFile go on after close() is called
    const theirs = Buffer.alloc(3 << 20, 't');
    writeFileSync(join(dir, 'mine'), mine);
    writeFileSync(join(dir, 'theirs'), theirs);
    // A read, a readFile and a write under way, then close(): each ends on the handle's file.
    const fh = await loop.fs.promises.open(join(dir, 'mine'), 'r+');
    const fd = fh.fd;
    const reading = fh.readFile();
    const one = fh.read(Buffer.alloc(4), 0, 4, 0);
    const writing = fh.write(Buffer.from('MINE'), 0, 4, 8);
    const closing = fh.close();
    expect(fh.close()).toBe(closing); // a second close() while waiting: the same promise
    await expect(fh.read(Buffer.alloc(1), 0, 1, 0)).rejects.toMatchObject({ code: 'EBADF' }); // nothing new starts
    await closing;
    expect(fh.fd).toBe(-1);
    // Nothing holds the file any more: the handle's tie to its environment
    // (sys's ownFd, a private duplicate) ended with its close, a kernel one too.
    const holding = readdirSync('/proc/self/fd').filter((f) => {
      try {
        return readlinkSync(`/proc/self/fd/${f}`) === join(dir, 'mine');
      } catch {
        return false;
      }
    });
    expect(holding).toEqual([]);
    // The number is free now: whatever takes it is not the handle's to touch.
    const other = openSync(join(dir, 'theirs'), 'r+');
    t.fds.track(other);
    expect((await one).buffer.toString()).toBe('mmmm');
    expect((await writing).bytesWritten).toBe(4);
    const got = (await reading) as Buffer;
    expect(got.length).toBe(mine.length);
    expect(got.subarray(0, 8).equals(mine.subarray(0, 8))).toBe(true);
    expect(got.subarray(12).equals(mine.subarray(12))).toBe(true);
    // And writeFile: all its bytes go to its own file, none to the other.
    const wh = await loop.fs.promises.open(join(dir, 'written'), 'w');
    const writingAll = wh.writeFile(mine);
    await wh.close();
    const another = openSync(join(dir, 'theirs'), 'r+');
    t.fds.track(another);
    await writingAll;
    expect(readFileSync(join(dir, 'written')).equals(mine)).toBe(true);
    expect(readFileSync(join(dir, 'theirs')).equals(theirs)).toBe(true);
    expect(fd).toBeGreaterThan(2);
  });

  it('one AbortSignal for a batch: one listener however many operations share it, each aborted, none left after', async () => {
    const loop = t.loop({ ...options, attach: true });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const path = join(fresh(), 'f');
      writeFileSync(path, 'x'.repeat(4096));
      const fd = openSync(path, 'r');
      t.fds.track(fd);
      // Reads that complete: the group empties, the signal is let go of.
      const batch = new AbortController();
      const reads = Array.from({ length: 40 }, (_, i) =>
        loop.fs.promises.read(fd, Buffer.alloc(8), i * 8, { signal: batch.signal }),
      );
      expect(getEventListeners(batch.signal, 'abort')).toHaveLength(1);
      expect(await Promise.all(reads)).toEqual(new Array(40).fill(8));
      expect(getEventListeners(batch.signal, 'abort')).toHaveLength(0);
      // Reads that wait on a pipe: one abort ends them all.
      const [r, w] = pipe2(O_CLOEXEC);
      t.fds.track(r, w);
      const cancel = new AbortController();
      const waiting = Array.from({ length: 20 }, () =>
        loop.fs.promises.read(r, Buffer.alloc(8), null, { signal: cancel.signal }),
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
      cancel.abort();
      const ends = await Promise.allSettled(waiting);
      expect(
        ends.map((e) => (e.status === 'rejected' ? (e.reason as Error).name : 'fulfilled')),
      ).toEqual(new Array(20).fill('AbortError'));
      expect(getEventListeners(cancel.signal, 'abort')).toHaveLength(0);
      expect(loop.fs.inFlight).toBe(0);
      await new Promise((resolve) => setImmediate(resolve)); // a warning is emitted on the next tick
      expect(warnings).toEqual([]); // no MaxListenersExceededWarning
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('an abort: before the call, or while an open is in flight (the fd it may have opened is closed)', async () => {
    const loop = t.loop({ ...options, attach: true });
    const dir = fresh();
    const path = join(dir, 'f');
    writeFileSync(path, 'data');
    const before = new AbortController();
    before.abort();
    await expect(loop.fs.promises.stat(path, { signal: before.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    await expect(loop.fs.promises.readFile(path, { signal: before.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    for (let i = 0; i < 20; i++) {
      const ac = new AbortController();
      const p = loop.fs.promises.open(path, 'r', undefined, { signal: ac.signal });
      ac.abort();
      await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    }
    expect(loop.fs.inFlight).toBe(0);
    // The shared leak check (test-support/leak-check.ts) fails the test if any fd stayed open.
  });

  it('a loop destroyed with opens in flight closes the fds they opened; promises reject, callbacks never run', async () => {
    const loop = t.loop(options);
    const path = join(fresh(), 'f');
    writeFileSync(path, 'data');
    const ran: string[] = [];
    for (let i = 0; i < 4; i++) loop.fs.open(path, 'r', () => ran.push('ran'));
    const p = loop.fs.promises.open(path, 'r');
    loop.destroy(); // emulated opens are already done, kernel ones maybe: either way, no fd is left
    await expect(p).rejects.toMatchObject({ code: 'ERR_EVRING_LOOP_DESTROYED' });
    expect(ran).toEqual([]);
    // The shared leak check fails the test if any fd stayed open.
  });

  it('a FileHandle outliving its loop: its read rejects, its close still releases the fd', async () => {
    const loop = t.loop({ ...options, attach: true });
    const path = join(fresh(), 'f');
    writeFileSync(path, 'data');
    const fh = await loop.fs.promises.open(path, 'r');
    const fd = fh.fd;
    const { ino } = statSync(path);
    // (By identity: another test's thread may take the number once it is free.)
    const stillOurs = () => {
      try {
        return fstatSync(fd).ino === ino;
      } catch {
        return false;
      }
    };
    expect(stillOurs()).toBe(true);
    loop.destroy();
    await expect(fh.read(Buffer.alloc(4), 0, 4, 0)).rejects.toMatchObject({
      code: 'ERR_EVRING_LOOP_DESTROYED',
    });
    await fh.close(); // resolves: nothing of the loop is needed to close
    expect(fh.fd).toBe(-1);
    expect(stillOurs()).toBe(false);
    await fh.close(); // a second close does nothing
    // The shared leak check fails the test if the fd stayed open.
  });

  it.each([
    ['at once', 0],
    ['a Node turn later', 1],
  ])(
    "a FileHandle's close under way when its loop is destroyed (%s): the fd is closed once, never the file that took its number",
    async (_when, turns) => {
      const loop = t.loop({ ...options, attach: true });
      const dir = fresh();
      writeFileSync(join(dir, 'mine'), 'mine');
      writeFileSync(join(dir, 'next'), 'next');
      const fh = await loop.fs.promises.open(join(dir, 'mine'), 'r');
      const closing = fh.close(); // emulated: closed now; io_uring: once its SQE is handed over
      for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
      // The lowest free number: the handle's, if its close has run by now.
      const next = openSync(join(dir, 'next'), 'r');
      try {
        loop.destroy();
        await closing; // resolves: the close ran, or the handle made it itself
        expect(readFileSync(next, 'utf8')).toBe('next'); // still open, still its file
        const holding = readdirSync('/proc/self/fd').filter((f) => {
          try {
            return readlinkSync(`/proc/self/fd/${f}`) === join(dir, 'mine');
          } catch {
            return false;
          }
        });
        expect(holding).toEqual([]); // and the handle's file is closed
      } finally {
        closeSync(next);
      }
    },
  );

  it('a pipe: a read waits for data without blocking the thread, attached to Node; a write goes through', async () => {
    const loop = t.loop({ ...options, attach: true });
    const [r, w] = pipe2(O_CLOEXEC); // blocking fds: the loop must not block on them
    t.fds.track(r, w);
    const buf = Buffer.alloc(16);
    const reading = loop.fs.promises.read(r, buf, null);
    let timerRan = false;
    await new Promise((resolve) => setTimeout(resolve, 30)); // Node's own timers still run meanwhile
    timerRan = true;
    expect(loop.fs.inFlight).toBe(1);
    expect(await loop.fs.promises.write(w, Buffer.from('through a pipe'), null)).toBe(14);
    expect(await reading).toBe(14);
    expect(timerRan).toBe(true);
    expect(buf.subarray(0, 14).toString()).toBe('through a pipe');
  });

  it('argument errors are typed and thrown before anything starts', () => {
    const loop = t.loop(options);
    expect(() => loop.fs.open('/x', 'bogus', () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
    );
    expect(() => loop.fs.open('/x\0y', 'r', () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
    );
    expect(() => loop.fs.stat(42 as never, () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    // A mode is a uint32, as Node's parseFileMode takes it; a negative one is out of range.
    expect(() => loop.fs.mkdir('/x', -1, () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
    );
    expect(() => loop.fs.mkdir('/x', 'rwx' as never, () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
    );
    expect(() => loop.fs.readv(0, ['no'] as never, 0, () => {})).toThrow(TypeError);
    expect(() => loop.fs.ftruncate(0, 1.5, () => {})).toThrow(RangeError);
    expect(() => loop.fs.open('/x', 'r', 0o644, 'nope' as never)).toThrow(TypeError);
    expect(loop.fs.inFlight).toBe(0);
  });
});

describe('loop.fs in a worker thread', () => {
  it('a worker that ends (process.exit, terminate) without destroying its loops leaves no fd behind, on any backend', () => {
    const r = spawnSync(
      process.execPath,
      [new URL('./fixtures/worker-leaves-loops.mjs', import.meta.url).pathname],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['exit: nothing left', 'terminate: nothing left']);
  });

  it('a worker terminated after an open completed and before its fd reached the caller leaves no fd behind, on any file configuration', () => {
    const r = spawnSync(
      process.execPath,
      [new URL('./fixtures/worker-stalls-after-open.mjs', import.meta.url).pathname],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(16); // 4 configurations × attached/standalone × callback/promise
    // Each worker reached the window (the fd open, its callback or handle not
    // made) and the fd was closed at the worker's end.
    for (const line of lines) expect(line).toMatch(/: stalled, 0 left$/);
  }, 90_000);

  it('attached and standalone, readFile and writeFile work; the worker exits cleanly', async () => {
    const dir = fresh();
    const script = `
      const { parentPort, workerData } = require('node:worker_threads');
      (async () => {
        const { Loop } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
        const out = [];
        for (const attach of [true, false]) {
          const loop = new Loop({ attach, env: false, backend: workerData.backend });
          const file = workerData.dir + '/w-' + attach;
          if (attach) {
            await loop.fs.promises.writeFile(file, 'from a worker');
            out.push(await loop.fs.promises.readFile(file, 'utf8'));
          } else {
            let text = '';
            loop.fs.open(file, 'w', (err, fd) => {
              loop.fs.write(fd, Buffer.from('standalone'), 0, () => loop.fs.close(fd, () => {}));
            });
            loop.run();
            loop.fs.stat(file, (err, s) => { text = String(s.size); });
            loop.run();
            out.push(text);
          }
          loop.destroy();
        }
        parentPort.postMessage(out);
      })().catch((err) => parentPort.postMessage(String(err && err.stack)));
    `;
    for (const backend of BACKENDS) {
      const worker = new Worker(script, { eval: true, workerData: { dir, backend }, execArgv: [] });
      const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
      const message = await new Promise((resolve) => worker.once('message', resolve));
      expect(message, backend).toEqual(['from a worker', '10']);
      expect(await exited).toBe(0);
    }
  }, 20_000);
});
