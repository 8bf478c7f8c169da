/**
 * `loop.fs`: file operations with the same results on every backend,
 * whether the kernel does them (io_uring on a tracking ring) or the backend
 * emulates them; callbacks in the loop's deliver phase; promise forms with
 * AbortSignal; errors shaped like Node's; the loop kept alive while they
 * are in flight; nothing allocated for pinned memory per operation.
 */

import { spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { O_CLOEXEC, O_NONBLOCK } from '@evring/abi';
import { pinnedFree, pinnedStats, pipe2, syscallCounts } from '@evring/sys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, FILE_CONFIGS, runUntil, testScope } from './helpers.js';

const TEXT = 'the loop reads this file\n';

/** What a non-blocking pipe holds now ('' when empty). */
function readPipe(fd: number): string {
  const buf = Buffer.alloc(64);
  try {
    return buf.subarray(0, readSync(fd, buf)).toString();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return '';
    throw err;
  }
}
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evring-loop-fs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(FILE_CONFIGS)('loop.fs on %s', (_name, options) => {
  const t = testScope();
  const file = (content: string | Uint8Array = TEXT) => {
    const path = join(dir, `f${Math.random().toString(36).slice(2)}`);
    writeFileSync(path, content);
    const fd = openSync(path, 'r+');
    t.fds.track(fd);
    return { fd, path };
  };

  it('a read waiting on a pipe closed through loop.fs.close, its number given to another pipe: it never takes that pipe’s bytes', async () => {
    const loop = t.loop({ ...options, attach: true });
    const [r, w] = pipe2(O_CLOEXEC | O_NONBLOCK);
    t.fds.track(w);
    const buf = loop.fs.alloc(32);
    let got = 'pending';
    loop.fs.read(r, buf, null, (err, n) => {
      got = err ? `error ${err.code}` : buf.subarray(0, n).toString();
    });
    const turn = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await turn(10);
    await loop.fs.promises.close(r);
    const [r2, w2] = pipe2(O_CLOEXEC | O_NONBLOCK);
    t.fds.track(r2, w2);
    expect(r2).toBe(r);
    writeSync(w2, 'not yours');
    const watcher = loop.io(r2, 1, () => watcher.stop()); // the number is polled again
    watcher.start();
    await turn(30);
    expect(got).toBe('pending');
    // What a read the kernel holds does: it stays with the pipe it began on.
    writeSync(w, 'yours');
    const deadline = performance.now() + 5000;
    while (got === 'pending' && performance.now() < deadline) await turn(5);
    expect(got).toBe('yours');
    expect(readPipe(r2)).toBe('not yours');
  });

  it('any length through a plain buffer: odd sizes past the first bounce buffer, and zero bytes', () => {
    const loop = t.loop(options);
    const content = Buffer.alloc(140_000);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7) & 0xff;
    const { fd, path } = file(content);
    const log: string[] = [];
    const sizes = [5001, 4097, 131_079, 3, 0];
    const bufs = sizes.map((n) => Buffer.alloc(n));
    for (const [i, n] of sizes.entries()) {
      loop.fs.read(fd, bufs[i]!, 11, (err, got) => log.push(`read ${n}: ${err?.code ?? got}`));
    }
    loop.run();
    expect(log.sort()).toEqual(sizes.map((n) => `read ${n}: ${n}`).sort());
    for (const [i, n] of sizes.entries()) {
      expect(bufs[i]!.equals(content.subarray(11, 11 + n)), `${n}`).toBe(true);
    }
    log.length = 0;
    const odd = Buffer.alloc(7777, 0x41);
    loop.fs.write(fd, odd, 100, (err, n) => log.push(`write ${err?.code ?? n}`));
    loop.fs.write(fd, Buffer.alloc(0), 0, (err, n) => log.push(`write0 ${err?.code ?? n}`));
    loop.run();
    expect(log.sort()).toEqual(['write 7777', 'write0 0']);
    const after = readFileSync(path);
    expect(after.subarray(100, 7877).equals(odd)).toBe(true);
    expect(after.subarray(0, 100).equals(content.subarray(0, 100))).toBe(true);
  });

  it('read and write with callbacks, run by the loop; into pinned memory or any Uint8Array', () => {
    const loop = t.loop(options);
    const { fd, path } = file();
    const pinned = loop.fs.alloc(64);
    const plain = new Uint8Array(8);
    const log: string[] = [];
    loop.fs.read(fd, pinned, 0, (err, n) =>
      log.push(`pinned ${err} ${pinned.subarray(0, n).toString()}`),
    );
    loop.fs.read(fd, plain, 4, (err, n) =>
      log.push(`plain ${err} ${Buffer.from(plain.subarray(0, n))}`),
    );
    expect(log).toEqual([]); // never from the call itself
    expect(loop.fs.inFlight).toBe(2);
    expect(loop.refCount).toBe(2); // each counts as an active watcher
    loop.run(); // runs until they are done: in flight, they keep the loop alive
    expect(log.sort()).toEqual([`pinned null ${TEXT}`, `plain null ${TEXT.slice(4, 12)}`]);
    expect(loop.refCount).toBe(0);
    loop.fs.write(fd, Buffer.from('THE'), 0, (err, n) => log.push(`write ${err} ${n}`));
    loop.fs.fdatasync(fd, (err) => log.push(`sync ${err}`));
    loop.run();
    expect(log.slice(2).sort()).toEqual(['sync null', 'write null 3']);
    expect(readFileSync(path, 'utf8')).toBe(`THE${TEXT.slice(3)}`);
  });

  it('any ArrayBufferView, as Node takes: a DataView, a Float64Array, a TypedArray at an offset, a DataView into pinned memory; readv and writev mixing them', async () => {
    const loop = t.loop({ ...options, attach: true }); // the promise forms run on Node's loop
    const content = Buffer.from(Array.from({ length: 64 }, (_, i) => i * 3));
    const { fd, path } = file(content);
    const backing = new ArrayBuffer(48);
    const dv = new DataView(backing, 8, 16); // bytes 8..24 of backing
    const f64 = new Float64Array(2);
    const i16 = new Int16Array(backing, 32, 4); // bytes 32..40
    const pinned = loop.fs.alloc(32);
    const intoPinned = new DataView(pinned.buffer, pinned.byteOffset + 4, 8);
    const log: string[] = [];
    const note = (name: string) => (err: Error | null, n: number) =>
      log.push(`${name} ${err ?? n}`);
    loop.fs.read(fd, dv, 1, note('dv'));
    loop.fs.read(fd, f64, 20, note('f64'));
    loop.fs.read(fd, i16, 40, note('i16'));
    loop.fs.read(fd, intoPinned, 50, note('pinned'));
    const deadline = performance.now() + 5000;
    while (log.length < 4 && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 2));
    expect(log.sort()).toEqual(['dv 16', 'f64 16', 'i16 8', 'pinned 8']);
    const bytes = new Uint8Array(backing);
    expect([...bytes.subarray(8, 24)]).toEqual([...content.subarray(1, 17)]);
    expect([...bytes.subarray(0, 8), ...bytes.subarray(24, 32), ...bytes.subarray(40)]).toEqual(
      new Array(24).fill(0),
    ); // nothing outside the views
    expect([...new Uint8Array(f64.buffer)]).toEqual([...content.subarray(20, 36)]);
    expect([...bytes.subarray(32, 40)]).toEqual([...content.subarray(40, 48)]);
    expect([...pinned.subarray(4, 12)]).toEqual([...content.subarray(50, 58)]);
    expect(pinned.subarray(0, 4).every((b) => b === 0)).toBe(true);

    // readv into a DataView and a plain Buffer (through the bounce buffer),
    // and into views of pinned memory only (in place).
    const a = new DataView(new ArrayBuffer(3));
    const b = Buffer.alloc(5);
    expect(await loop.fs.promises.readv(fd, [a, b], 2)).toBe(8);
    expect([...new Uint8Array(a.buffer), ...b]).toEqual([...content.subarray(2, 10)]);
    const p2 = loop.fs.alloc(8);
    const pv = [
      new Uint16Array(p2.buffer, p2.byteOffset, 2),
      new DataView(p2.buffer, p2.byteOffset + 4, 4),
    ];
    expect(await loop.fs.promises.readv(fd, pv, 30)).toBe(8);
    expect([...p2]).toEqual([...content.subarray(30, 38)]);

    // writes from views: the bytes under them, in order.
    const w1 = new Uint32Array([0x04030201]);
    const w2 = new DataView(Uint8Array.from([9, 8, 7, 6, 5]).buffer, 1, 3);
    expect(await loop.fs.promises.write(fd, w1, 0)).toBe(4);
    expect(await loop.fs.promises.writev(fd, [w2, new Int8Array([-1])], 4)).toBe(4);
    expect([...readFileSync(path).subarray(0, 9)]).toEqual([
      ...new Uint8Array(w1.buffer),
      8,
      7,
      6,
      255,
      content[8],
    ]);

    // FileHandle.read into a DataView, at a byte offset, as fs/promises does.
    const fh = await loop.fs.promises.open(path, 'r');
    const target = new DataView(new ArrayBuffer(10));
    const got = await fh.read(target, 2, 6, 12);
    expect(got.bytesRead).toBe(6);
    expect(got.buffer).toBe(target);
    expect([...new Uint8Array(target.buffer)]).toEqual([0, 0, ...content.subarray(12, 18), 0, 0]);
    await fh.close();

    // Anything else is refused as Node refuses it.
    const wrong = [
      () => loop.fs.read(fd, new ArrayBuffer(4) as never, 0, () => {}),
      () => loop.fs.write(fd, 'text' as never, 0, () => {}),
      () => loop.fs.readv(fd, [new DataView(new ArrayBuffer(1)), {} as never], 0, () => {}),
      // Uint8Array's prototype without a Uint8Array under it: not a view.
      () => loop.fs.read(fd, Object.create(Uint8Array.prototype), 0, () => {}),
      () => loop.fs.readv(fd, [Object.create(Buffer.prototype)], 0, () => {}),
    ];
    for (const call of wrong)
      expect(call).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    await expect(fh.read({ buffer: 'text' as never })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
    });
  });

  it('a buffer transferred to another thread, or shrunk, while its read is in flight: the read completes with what the kernel read, each buffer gets what it still holds, and the loop is not held', () => {
    const loop = t.loop(options);
    const content = Buffer.from(Array.from({ length: 64 }, (_, i) => 100 + i));
    const { fd } = file(content);
    const log: string[] = [];
    const note = (name: string) => (err: Error | null, n: number) =>
      log.push(`${name} ${err ?? n}`);
    // One buffer, moved away: its bytes have nowhere to go.
    const gone = new Uint8Array(new ArrayBuffer(16));
    loop.fs.read(fd, gone, 0, note('gone'));
    // A readv whose middle buffer is moved away and whose array is changed
    // afterwards: the others get their own bytes, at their own places.
    const parts = [new Uint8Array(4), new Uint8Array(new ArrayBuffer(4)), new Uint8Array(4)];
    const [first, middle, last] = parts as [Uint8Array, Uint8Array, Uint8Array];
    loop.fs.readv(fd, parts, 8, note('readv'));
    parts.length = 0;
    parts.push(new Uint8Array(12));
    // A length-tracking view of a resizable ArrayBuffer that shrinks.
    // (ES2024's resizable ArrayBuffer, in Node 20; TypeScript's lib here predates it.)
    type Resizable = ArrayBuffer & { resize(size: number): void };
    const Resizable = ArrayBuffer as unknown as new (
      size: number,
      options: { maxByteLength: number },
    ) => Resizable;
    const resizable = new Resizable(16, { maxByteLength: 16 });
    const tracking = new Uint8Array(resizable);
    loop.fs.read(fd, tracking, 32, note('shrunk'));
    for (const moved of [gone.buffer, middle.buffer] as ArrayBuffer[])
      structuredClone(moved, { transfer: [moved] });
    resizable.resize(5);
    expect(gone.byteLength).toBe(0);
    expect(loop.fs.inFlight).toBe(3);
    loop.run(); // returns: none of them holds the loop
    expect(log.sort()).toEqual(['gone 16', 'readv 12', 'shrunk 16']);
    expect(loop.fs.inFlight).toBe(0);
    expect([...first]).toEqual([...content.subarray(8, 12)]);
    expect([...last]).toEqual([...content.subarray(16, 20)]);
    expect([...parts[0]!]).toEqual(new Array(12).fill(0)); // not the call's buffer
    expect([...tracking]).toEqual([...content.subarray(32, 37)]);
  });

  it('an alloc() buffer is read to its full length; a view into one, at its own place', () => {
    const loop = t.loop(options);
    const { fd } = file();
    const whole = loop.fs.alloc(5);
    const big = loop.fs.alloc(16);
    const log: string[] = [];
    loop.fs.read(fd, whole, 0, (err, n) => log.push(`whole ${err} ${n} ${whole.toString()}`));
    loop.fs.read(fd, big.subarray(4, 10), 2, (err, n) => log.push(`view ${err} ${n}`));
    loop.run();
    expect(log.sort()).toEqual(['view null 6', `whole null 5 ${TEXT.slice(0, 5)}`]);
    expect([...big.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    expect(big.subarray(4, 10).toString()).toBe(TEXT.slice(2, 8));
    expect([...big.subarray(10)]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("readv and writev over pinned buffers go to the kernel in place: past the bounce buffer's 1 MiB in one operation", async () => {
    const loop = t.loop(options);
    const MiB = 1 << 20;
    const content = Buffer.alloc(2 * MiB + 3);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7) & 0xff;
    const { fd, path } = file(content);
    const a = loop.fs.alloc(MiB);
    const b = loop.fs.alloc(MiB);
    const tail = loop.fs.alloc(16);
    const log: string[] = [];
    // Two whole blocks and a view into a third: 2 MiB + 3 bytes in one readv.
    loop.fs.readv(fd, [a, b, tail.subarray(5, 8)], 0, (err, n) => log.push(`readv ${err} ${n}`));
    loop.run();
    expect(log).toEqual([`readv null ${2 * MiB + 3}`]);
    expect(a.equals(content.subarray(0, MiB))).toBe(true);
    expect(b.equals(content.subarray(MiB, 2 * MiB))).toBe(true);
    expect([...tail.subarray(4, 9)]).toEqual([0, ...content.subarray(2 * MiB), 0]);
    // A writev gathers them back in another order, over the file's start.
    loop.fs.writev(fd, [tail.subarray(5, 8), a.subarray(0, 5)], 0, (err, n) =>
      log.push(`writev ${err} ${n}`),
    );
    loop.run();
    expect(log[1]).toBe('writev null 8');
    expect(readFileSync(path).subarray(0, 8)).toEqual(
      Buffer.concat([content.subarray(2 * MiB), content.subarray(0, 5)]),
    );
    // A plain buffer among them: one read through the bounce buffer, cut at
    // 1 MiB. And the promise form, on pinned buffers alone.
    const plain = new Uint8Array(8);
    const mixed = loop.fs.promises.readv(fd, [a, plain], 0);
    const pinnedOnly = loop.fs.promises.readv(fd, [tail.subarray(0, 4), b.subarray(0, 4)], MiB);
    loop.run();
    expect(await mixed).toBe(MiB);
    expect(await pinnedOnly).toBe(8);
    expect(b.subarray(0, 4)).toEqual(content.subarray(MiB + 4, MiB + 8));
    expect(pinnedStats().held).toBe(0);
  });

  it('attached: operations started outside a tick, several at once or one a Node turn, each reach the kernel', async () => {
    // An attached loop is told once that operations wait to be handed
    // over, until it hands them over: every start after that must tell it
    // again, or its operation would wait for a tick that never comes.
    const loop = t.loop({ ...options, attach: true });
    const { fd } = file();
    const within = <T>(p: Promise<T>, what: string): Promise<T> => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: not done in 5 s`)), 5000);
      });
      return Promise.race([p, late]).finally(() => clearTimeout(timer));
    };
    const read = (position: number, buf = loop.fs.alloc(8)): Promise<string> =>
      new Promise((resolve, reject) =>
        loop.fs.read(fd, buf, position, (err, n) =>
          err ? reject(err) : resolve(buf.subarray(0, n).toString()),
        ),
      );
    // Three from one macrotask: the first tells the loop, the others go with it.
    const three = await within(Promise.all([read(0), read(4), read(9)]), 'three at once');
    expect(three).toEqual(['the loop', 'loop rea', 'reads th']);
    // One a Node turn, from a timer and from an immediate: each tells it anew.
    for (let turn = 0; turn < 3; turn++) {
      const fromTimer = new Promise<string>((resolve, reject) => {
        setTimeout(() => read(4).then(resolve, reject), 1);
      });
      expect(await within(fromTimer, `timer turn ${turn}`)).toBe('loop rea');
      const fromImmediate = new Promise<string>((resolve, reject) => {
        setImmediate(() => read(9).then(resolve, reject));
      });
      expect(await within(fromImmediate, `immediate turn ${turn}`)).toBe('reads th');
    }
    // From a callback the loop runs (inside a tick), then from the promise
    // continuation after it (a microtask after the tick).
    const chained = new Promise<string>((resolve, reject) => {
      loop.fs.read(fd, loop.fs.alloc(8), 0, (err) => {
        if (err) reject(err);
        else read(9).then(resolve, reject);
      });
    });
    expect(await within(chained, 'from a callback')).toBe('reads th');
    expect(await within(loop.fs.promises.read(fd, loop.fs.alloc(8), 4), 'after it')).toBe(8);
    expect(loop.fs.inFlight).toBe(0);
  });

  it('promise forms; errors shaped like Node: code, errno, syscall', async () => {
    const loop = t.loop({ ...options, attach: true });
    const { fd } = file();
    const buf = Buffer.alloc(64);
    expect(await loop.fs.promises.read(fd, buf, null)).toBe(TEXT.length); // null: the file's offset
    expect(buf.subarray(0, TEXT.length).toString()).toBe(TEXT);
    await loop.fs.promises.fsync(fd);
    await expect(loop.fs.promises.read(19_999, buf, 0)).rejects.toMatchObject({
      code: 'EBADF',
      errno: -9,
      syscall: 'read',
    });
    loop.fs.read(19_999, buf, 0, (err) => expect(err?.code).toBe('EBADF'));
  });

  it('bad arguments: typed errors before anything starts; a destroyed loop refuses', () => {
    const loop = t.loop(options);
    const { fd } = file();
    expect(() => loop.fs.read(-1, new Uint8Array(4), 0, () => {})).toThrow(RangeError);
    expect(() => loop.fs.read(fd, 'x' as never, 0, () => {})).toThrow(TypeError);
    for (const bad of [null, undefined, 7, {}]) {
      expect(() => loop.fs.read(fd, bad as never, 0, () => {}), String(bad)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
      );
    }
    // An alloc() Buffer takes the short way past the type check: its position is still checked.
    expect(() => loop.fs.read(fd, loop.fs.alloc(4), -2, () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
    );
    expect(() => loop.fs.read(fd, new Uint8Array(4), 1.5, () => {})).toThrow(RangeError);
    // Numbers that pass the quick checks only when they are what checkInt takes.
    const badFds = [1.5, -0.5, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY];
    for (const bad of badFds) {
      expect(() => loop.fs.read(bad, new Uint8Array(4), 0, () => {}), String(bad)).toThrow(
        expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
      );
    }
    expect(() => loop.fs.read('3' as never, new Uint8Array(4), 0, () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    for (const bad of [-2, 2 ** 53, Number.NaN]) {
      expect(() => loop.fs.read(fd, new Uint8Array(4), bad, () => {}), String(bad)).toThrow(
        expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
      );
    }
    expect(() => loop.fs.read(fd, new Uint8Array(4), '0' as never, () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    expect(() => loop.fs.read(fd, new Uint8Array(4), 0, 7 as never)).toThrow(TypeError);
    expect(() => loop.fs.alloc(0)).toThrow(RangeError);
    expect(loop.fs.inFlight).toBe(0);
    loop.destroy();
    expect(() => loop.fs.fsync(fd, () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_EVRING_LOOP_DESTROYED' }),
    );
  });

  it("an alloc() Buffer whose block was freed through sys is refused, by the Poller's range check", async () => {
    const loop = t.loop(options);
    const { fd } = file();
    const freed = loop.fs.alloc(64);
    pinnedFree(freed.buffer as ArrayBuffer);
    expect(() => loop.fs.read(fd, freed, 0, () => {})).toThrow(RangeError);
    expect(() => loop.fs.read(fd, freed, 0, () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
    );
    await expect(loop.fs.promises.write(fd, freed, 0)).rejects.toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
    });
    expect(loop.fs.inFlight).toBe(0);
    const live = loop.fs.alloc(64); // the loop goes on
    let got = -1;
    loop.fs.read(fd, live, 0, (err, n) => {
      expect(err).toBeNull();
      got = n;
    });
    loop.run();
    expect(live.subarray(0, got).toString()).toBe(TEXT);
  });

  it('an alloc() Buffer freed through sys while its read waits on a pipe: the read ends once, and the loop runs on', () => {
    const loop = t.loop(options);
    const [r, w] = pipe2(O_CLOEXEC | O_NONBLOCK);
    t.fds.track(r, w);
    const buf = loop.fs.alloc(64);
    const ends: string[] = [];
    loop.fs.read(r, buf, null, (err, n) => ends.push(err ? `${err.code} ${err.syscall}` : `${n}`));
    loop.run('nowait');
    pinnedFree(buf.buffer as ArrayBuffer);
    writeSync(w, 'hello');
    runUntil(loop, () => ends.length > 0);
    loop.run('nowait');
    expect(loop.fs.inFlight).toBe(0);
    // Done by the kernel, the read took the bytes (sys kept the block until
    // it was done); waiting for the fd in the backend, it was refused and
    // left them in the pipe.
    const left = readPipe(r);
    expect(ends).toEqual([left === 'hello' ? 'EINVAL read' : '5']);
    if (left !== 'hello') expect(left).toBe('');
  });

  it('an aborted promise rejects with an AbortError', async () => {
    const loop = t.loop({ ...options, attach: true });
    const { fd } = file();
    const ac = new AbortController();
    ac.abort();
    await expect(
      loop.fs.promises.read(fd, Buffer.alloc(8), 0, { signal: ac.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    const ac2 = new AbortController();
    const p = loop.fs.promises.read(fd, Buffer.alloc(8), 0, { signal: ac2.signal });
    ac2.abort(); // before its completion is delivered: rejected, whatever the kernel did
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a callback that throws leaves the other completions to the next run: each delivered once', () => {
    const loop = t.loop(options);
    const { fd } = file();
    const calls = [0, 0, 0];
    let thrown = false;
    for (let i = 0; i < 3; i++) {
      loop.fs.read(fd, loop.fs.alloc(8), i, (err) => {
        expect(err).toBeNull();
        calls[i]!++;
        if (!thrown) {
          thrown = true;
          throw new Error('from a callback');
        }
      });
    }
    expect(() => loop.run()).toThrow('from a callback');
    // What the throw left pending, and anything still in flight; a lost
    // completion would make a plain run() wait forever, so poll for a while.
    runUntil(loop, () => calls.every((n) => n > 0));
    expect(calls).toEqual([1, 1, 1]);
    expect(loop.fs.inFlight).toBe(0);
  });

  it('a callback that runs the loop itself: the other completions are still delivered once', () => {
    const loop = t.loop(options);
    const { fd } = file();
    const calls = [0, 0, 0, 0];
    let nested = false;
    for (let i = 0; i < 4; i++) {
      loop.fs.read(fd, loop.fs.alloc(8), i, (err) => {
        expect(err).toBeNull();
        calls[i]!++;
        if (!nested) {
          nested = true;
          loop.run('nowait');
        }
      });
    }
    runUntil(loop, () => calls.every((n) => n > 0));
    expect(calls).toEqual([1, 1, 1, 1]);
    expect(loop.fs.inFlight).toBe(0);
  });

  it('a callback that destroys the loop: the completions after it are dropped, not delivered', () => {
    const loop = t.loop(options);
    const { fd } = file();
    const calls = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      loop.fs.read(fd, loop.fs.alloc(8), i, (err) => {
        expect(err).toBeNull();
        calls[i]!++;
        loop.destroy();
      });
    }
    runUntil(loop, () => loop.destroyed || calls.some((n) => n > 0));
    expect(loop.destroyed).toBe(true);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(1); // the first delivered; the rest dropped
    expect(loop.fs.inFlight).toBe(0);
  });

  it('a steady stream of same-sized reads allocates no pinned memory after the first', () => {
    const loop = t.loop(options);
    const { fd } = file();
    const buf = new Uint8Array(16);
    let left = 200;
    const again = (err: unknown): void => {
      expect(err).toBeNull();
      if (--left > 0) loop.fs.read(fd, buf, 0, again);
    };
    loop.fs.read(fd, buf, 0, again);
    loop.run();
    const blocks = pinnedStats().blocks;
    left = 200;
    loop.fs.read(fd, buf, 0, again);
    loop.run();
    expect(pinnedStats().blocks).toBe(blocks);
  });
});

describe('loop.fs in the kernel (tracking ring)', () => {
  const t = testScope();
  it('a read of an empty pipe waits in the kernel; an abort cancels it there', async () => {
    const loop = t.loop({ backend: 'iouring', attach: true });
    const [r, w] = pipe2(O_CLOEXEC); // blocking: io_uring waits for data itself
    t.fds.track(r, w);
    const ac = new AbortController();
    const p = loop.fs.promises.read(r, Buffer.alloc(8), null, { signal: ac.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(loop.fs.inFlight).toBe(1);
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(loop.fs.inFlight).toBe(0);
  });

  it('promises, attached: the reads their continuations start go in together, one io_uring_enter a batch', async () => {
    const path = join(dir, 'batches');
    writeFileSync(path, Buffer.alloc(64 * 4096, 3));
    const fd = openSync(path, 'r');
    t.fds.track(fd);
    const loop = t.loop({ backend: 'iouring', attach: true });
    const fs = loop.fs.promises;
    const lanes = 16;
    const batches = 20;
    const lane = async (i: number): Promise<void> => {
      const buf = loop.fs.alloc(4096);
      for (let k = 0; k < batches; k++) {
        expect(await fs.read(fd, buf, ((i * batches + k) % 64) * 4096)).toBe(4096);
      }
    };
    await lane(0); // warm up
    const before = syscallCounts();
    await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)));
    const after = syscallCounts();
    // The page cache answers inside the enter that submits a batch: one
    // enter each (a few more around the start and the end). Syncing before
    // the continuations ran took two enters and an eventfd read a batch.
    const made = (name: string): number => (after[name] ?? 0) - (before[name] ?? 0);
    expect(made('io_uring_enter')).toBeLessThanOrEqual(batches + 4);
    expect(made('read')).toBeLessThanOrEqual(4);
  });

  it('promises, attached: a chain of reads the page cache answers at once still lets Node take its turns', async () => {
    const path = join(dir, 'chain');
    writeFileSync(path, Buffer.alloc(4096, 5));
    const fd = openSync(path, 'r');
    t.fds.track(fd);
    const loop = t.loop({ backend: 'iouring', attach: true });
    const buf = loop.fs.alloc(4096);
    let stop = false;
    let immediates = 0;
    const counting = (): void => {
      immediates++;
      if (!stop) setImmediate(counting);
    };
    setImmediate(counting);
    const timer = setTimeout(() => {
      stop = true;
    }, 50);
    const deadline = performance.now() + 5000;
    let reads = 0;
    while (!stop && performance.now() < deadline) {
      await loop.fs.promises.read(fd, buf, 0);
      reads++;
    }
    clearTimeout(timer);
    expect(stop).toBe(true); // Node's timer fired: the chain did not hold its thread
    expect(immediates).toBeGreaterThan(1);
    expect(reads).toBeGreaterThan(immediates); // several reads a Node turn
  });
});

describe('FileHandles the garbage collector takes before close()', () => {
  it.each(BACKENDS)(
    '%s: the fd is closed with a warning, unless the handle was closed or its number names another file by then; never while a call is under way',
    (backend) => {
      const r = spawnSync(
        process.execPath,
        [
          '--expose-gc',
          new URL('./fixtures/collected-handles.mjs', import.meta.url).pathname,
          backend,
        ],
        { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8', timeout: 20_000 },
      );
      expect(r.status, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toMatch(
        /^left open: fd closed, EVRING_FILEHANDLE_GC: Closing file descriptor \d+ on garbage collection$/,
      );
      expect(lines.slice(1)).toEqual([
        'closed: reopened file open, 0 warnings',
        'reused: other file open, 0 warnings',
        'in use: readFile 8388608 bytes, intact, then 1 warning once collected',
      ]);
    },
  );
});
