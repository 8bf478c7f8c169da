/**
 * A LoopFileHandle's streams (createReadStream, createWriteStream,
 * readLines), each compared with what node:fs/promises' FileHandle gives
 * for the same calls, on every file configuration.
 */

import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadStreamOptions } from '../src/index.js';
import { FILE_CONFIGS, testScope } from './helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-fs-streams-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const fresh = (content: string | Buffer): string => {
  const path = join(root, `f${n++}`);
  writeFileSync(path, content);
  return path;
};

/** Every chunk a stream gives, and the chunks' sizes. */
async function collect(
  stream: AsyncIterable<Buffer | string>,
): Promise<{ data: Buffer | string; sizes: number[] }> {
  const chunks: (Buffer | string)[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const sizes = chunks.map((c) => c.length);
  if (chunks.every((c) => typeof c === 'string')) return { data: chunks.join(''), sizes };
  return { data: Buffer.concat(chunks as Buffer[]), sizes };
}

/** The error a promise rejects with, or a call throws: code and message. */
async function failure(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return `${err.code}: ${err.message}`;
  }
  return 'no error';
}

describe.each(FILE_CONFIGS)('file streams on %s', (_name, options) => {
  const t = testScope();
  const text = Array.from({ length: 500 }, (_, i) => `line ${i}: ${'x'.repeat(i % 37)}`).join('\n');

  it("createReadStream: node's chunks for the whole file, start/end slices, a small highWaterMark, an encoding, the current position; the handle closed at the end unless autoClose is false", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const path = fresh(text);
    const cases: ReadStreamOptions[] = [
      {},
      { start: 10, end: 19 },
      { start: 5 },
      { end: 0 },
      { start: text.length + 5 },
      { highWaterMark: 1000 },
      { encoding: 'utf8', start: 3, end: 2999, highWaterMark: 512 },
    ];
    for (const o of cases) {
      const ours = await fs.open(path);
      const theirs = await nodeFs.open(path);
      const stream = ours.createReadStream(o);
      const got = await collect(stream);
      const want = await collect(theirs.createReadStream(o));
      expect(got, JSON.stringify(o)).toEqual(want);
      expect(stream.bytesRead).toBe(Buffer.byteLength(got.data));
      expect(ours.fd, 'closed at the end').toBe(-1);
    }
    // From the handle's own position; autoClose false leaves the handle open.
    const fh = await fs.open(path);
    await fh.read(Buffer.alloc(100), 0, 100, null);
    const rest = await collect(fh.createReadStream({ autoClose: false }));
    expect(rest.data).toEqual(Buffer.from(text).subarray(100));
    expect(fh.fd).toBeGreaterThanOrEqual(0);
    await fh.close();
  });

  it("createWriteStream: chunks and strings written in order (writev for chunks waiting together), at start in an existing file, with flush; node's file afterwards; the handle closed at the finish", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const ours = fresh('');
    const theirs = fresh('');
    const write = async (fh: { createWriteStream(o?: object): NodeJS.WritableStream }) => {
      const ws = fh.createWriteStream({ highWaterMark: 64 });
      for (let i = 0; i < 200; i++) ws.write(i % 3 === 0 ? `s${i};` : Buffer.from(`b${i},`));
      await new Promise<void>((resolve, reject) => {
        ws.on('error', reject);
        ws.end('end', () => resolve());
      });
      return ws as unknown as { bytesWritten: number };
    };
    const fh = await fs.open(ours, 'w');
    const ws = await write(fh);
    await write((await nodeFs.open(theirs, 'w')) as never);
    expect(readFileSync(ours, 'utf8')).toBe(readFileSync(theirs, 'utf8'));
    expect(ws.bytesWritten).toBe(readFileSync(ours).length);
    expect(fh.fd, 'closed at the finish').toBe(-1);
    // At `start` of an existing file, flushed, the rest of the file kept.
    for (const path of [ours, theirs]) {
      const handle = path === ours ? await fs.open(path, 'r+') : await nodeFs.open(path, 'r+');
      const s = handle.createWriteStream({ start: 4, flush: true });
      await pipeline(
        (async function* () {
          yield 'PATCHED';
        })(),
        s,
      );
    }
    expect(readFileSync(ours, 'utf8')).toBe(readFileSync(theirs, 'utf8'));
    expect(readFileSync(ours, 'utf8').slice(0, 14)).toBe('s0;bPATCHED;b4');
  });

  it('thousands of chunks waiting at once (more than an iovec array holds), from alloc() or not: every byte in order', async () => {
    const loop = t.loop({ ...options, attach: true });
    for (const pinned of [false, true]) {
      const path = fresh('');
      const ws = (await loop.fs.promises.open(path, 'w')).createWriteStream();
      let want = '';
      for (let i = 0; i < 3000; i++) {
        const text = `${i},`;
        want += text;
        const chunk = pinned ? loop.fs.alloc(text.length) : Buffer.alloc(text.length);
        chunk.write(text);
        ws.write(chunk); // past the high-water mark on purpose: they wait together
      }
      await new Promise<void>((resolve, reject) => {
        ws.on('error', reject);
        ws.end(() => resolve());
      });
      expect(readFileSync(path, 'utf8'), pinned ? 'alloc()' : 'Buffer').toBe(want);
      expect(ws.bytesWritten).toBe(want.length);
    }
  });

  it('a pipeline copies a 3 MiB file through 2 MiB chunks (each read and write going on past the 1 MiB an operation moves)', async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const data = randomBytes(3 << 20);
    const from = fresh(data);
    const to = fresh('');
    const src = await fs.open(from);
    const dst = await fs.open(to, 'w');
    const rs = src.createReadStream({ highWaterMark: 2 << 20 });
    const ws = dst.createWriteStream({ highWaterMark: 2 << 20 });
    await pipeline(rs, ws);
    expect(readFileSync(to).equals(data)).toBe(true);
    expect(rs.bytesRead).toBe(data.length);
    expect(ws.bytesWritten).toBe(data.length);
    expect([src.fd, dst.fd]).toEqual([-1, -1]);
  });

  it("readLines: node's lines", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const path = fresh(`${text}\r\nlast`);
    const lines = async (fh: { readLines(): AsyncIterable<string> }) => {
      const out: string[] = [];
      for await (const line of fh.readLines()) out.push(line);
      return out;
    };
    const ours = await lines(await fs.open(path));
    expect(ours).toEqual(await lines(await nodeFs.open(path)));
    expect(ours.length).toBe(501);
  });

  it("bad options are refused as node's streams refuse them, word for word, and leave the handle usable", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const path = fresh(text);
    const ours = await fs.open(path);
    // Node's side through the path form, which checks the options the same
    // way: a Node 20 FileHandle whose stream threw in its constructor
    // crashes at its close() (the stream's listener is left on it).
    const cases: [string, object, boolean][] = [
      ['start > end', { start: 5, end: 2 }, false],
      ['start < 0', { start: -1 }, false],
      ['start 1.5', { start: 1.5 }, false],
      ["start '1'", { start: '1' }, false],
      ['end < 0', { end: -2 }, false],
      ['write start < 0', { start: -1 }, true],
      ["flush 'x'", { flush: 'x' }, true],
    ];
    for (const [what, o, writing] of cases) {
      const theirs = writing
        ? () => createWriteStream(join(root, 'never-made'), o as never)
        : () => createReadStream(path, o as never);
      const mine = writing
        ? () => ours.createWriteStream(o as never)
        : () => ours.createReadStream(o as never);
      expect(await failure(mine), what).toBe(await failure(theirs));
      expect(await failure(mine), what).toMatch(/^ERR_/);
    }
    expect(existsSync(join(root, 'never-made'))).toBe(false);
    const { bytesRead } = await ours.read(Buffer.alloc(4), 0, 4, 0);
    expect(bytesRead).toBe(4);
    await ours.close();
  });

  it('a read error, an abort and a destroy mid-read end the stream with the error and close the handle; nothing is pushed after', async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const path = fresh(randomBytes(1 << 20));
    // Opened for appending only: the first read fails with EBADF, as node's.
    const ours = await fs.open(path, 'a');
    const theirs = await nodeFs.open(path, 'a');
    const ourFailure = await failure(() => collect(ours.createReadStream({ start: 0 })));
    expect(ourFailure).toMatch(/^EBADF/);
    expect(ourFailure).toBe(await failure(() => collect(theirs.createReadStream({ start: 0 }))));
    expect(ours.fd).toBe(-1);
    // An abort: an AbortError, the handle closed.
    const ac = new AbortController();
    const fh = await fs.open(path);
    const rs = fh.createReadStream({ signal: ac.signal, highWaterMark: 4096 });
    const firstChunk = new Promise((resolve) => rs.once('data', resolve));
    const closed = new Promise((resolve) => rs.once('close', resolve));
    const errored = new Promise<Error>((resolve) => rs.once('error', resolve));
    await firstChunk;
    ac.abort();
    expect((await errored).name).toBe('AbortError');
    await closed;
    expect(fh.fd).toBe(-1);
    // Destroyed while its read is in flight: closed once that read ends, and
    // the read's bytes are dropped.
    const fh2 = await fs.open(path);
    const rs2 = fh2.createReadStream({ highWaterMark: 256 << 10 });
    let after = 0;
    rs2.on('data', () => after++);
    rs2.pause();
    rs2.read(0); // starts a read
    rs2.destroy();
    await new Promise((resolve) => rs2.once('close', resolve));
    const deadline = performance.now() + 2000;
    while (fh2.fd !== -1 && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    expect(fh2.fd).toBe(-1);
    expect(after).toBe(0);
    expect(rs2.bytesRead).toBe(0);
  });

  it("autoClose and destroy as node's: a signal aborted before the stream is made, autoClose false at the end (stream kept, handle open) and then destroy() (handle closed)", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const path = fresh(text);
    type Opened = {
      fd: number;
      close(): Promise<void>;
      createReadStream(o?: object): NodeJS.ReadableStream & { destroyed: boolean; destroy(): void };
      createWriteStream(
        o?: object,
      ): NodeJS.WritableStream & { destroyed: boolean; destroy(): void };
    };
    /** What each step leaves: the stream's error, whether it is destroyed, whether the handle is open. */
    const lifecycle = async (open: (flags: string) => Promise<Opened>): Promise<string[]> => {
      const seen: string[] = [];
      for (const kind of ['read', 'write'] as const) {
        for (const autoClose of [true, false]) {
          // Aborted before: the stream errs at once and closes the handle, autoClose or not.
          const fh = await open(kind === 'read' ? 'r' : 'r+');
          const o = { signal: AbortSignal.abort(), autoClose };
          const stream = kind === 'read' ? fh.createReadStream(o) : fh.createWriteStream(o);
          const errored = new Promise<NodeJS.ErrnoException>((resolve) =>
            stream.once('error', resolve),
          );
          const closed = new Promise((resolve) => stream.once('close', resolve));
          const err = await errored;
          await closed;
          seen.push(
            `${kind} aborted, autoClose ${autoClose}: ${err.name} ${err.code} open ${fh.fd !== -1}`,
          );
          if (fh.fd !== -1) await fh.close();
        }
        // autoClose false: the end destroys nothing; destroy() then closes the handle.
        const fh = await open(kind === 'read' ? 'r' : 'r+');
        const stream =
          kind === 'read'
            ? fh.createReadStream({ autoClose: false })
            : fh.createWriteStream({ autoClose: false });
        if (kind === 'read') {
          (stream as NodeJS.ReadableStream).resume();
          await new Promise((resolve) => stream.once('end', resolve));
        } else {
          await new Promise((resolve) =>
            (stream as NodeJS.WritableStream).end('x', () => resolve(null)),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen.push(
          `${kind} ended, autoClose false: destroyed ${stream.destroyed} open ${fh.fd !== -1}`,
        );
        const closed = new Promise((resolve) => stream.once('close', resolve));
        stream.destroy();
        await closed;
        seen.push(`${kind} destroyed: open ${fh.fd !== -1}`);
        if (fh.fd !== -1) await fh.close();
      }
      return seen;
    };
    const ours = await lifecycle((flags) => fs.open(path, flags) as Promise<never>);
    expect(ours).toEqual(await lifecycle((flags) => nodeFs.open(path, flags) as Promise<never>));
    expect(ours).toContain('read aborted, autoClose false: AbortError ABORT_ERR open false');
    expect(ours).toContain('write ended, autoClose false: destroyed false open true');
    expect(ours).toContain('write destroyed: open false');
  });

  it("the handle's close() under its streams, as node's: a write stream writes what it holds, then finishes; a read stream stops quietly; the fd is closed once they are done", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    type Handle = {
      fd: number;
      on(event: 'close', listener: () => void): unknown;
      close(): Promise<void>;
      createReadStream(o?: object): Readable;
      createWriteStream(o?: object): Writable;
    };
    /** The events each scenario gives, in order, and what holds when close() resolves. */
    const scenarios = async (open: (path: string, flags: string) => Promise<Handle>) => {
      const seen: string[] = [];
      const watch = (fh: Handle, stream: Readable | Writable, what: string) => {
        const events: string[] = [];
        fh.on('close', () => events.push('handle close'));
        for (const e of ['error', 'end', 'finish'] as const)
          stream.on(e, (err?: NodeJS.ErrnoException) => events.push(err ? `error ${err.code}` : e));
        const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
        return async (closing: Promise<void>) => {
          await closing;
          const atResolve = `fd ${fh.fd} destroyed ${stream.destroyed}`;
          await closed;
          events.push('stream close');
          seen.push(`${what}: ${events.join(', ')}; at close(): ${atResolve}`);
        };
      };
      for (const autoClose of [true, false]) {
        // 100 chunks written, most still waiting in the stream as close() is called.
        const path = fresh('');
        const fh = await open(path, 'w');
        const ws = fh.createWriteStream({ autoClose });
        const done = watch(fh, ws, `write, autoClose ${autoClose}`);
        for (let i = 0; i < 100; i++) ws.write(Buffer.alloc(10_000, i));
        await done(fh.close());
        seen.push(`written ${readFileSync(path).length}`);
        // Closed at its second chunk.
        const rh = await open(fresh(randomBytes(1 << 20)), 'r');
        const rs = rh.createReadStream({ autoClose, highWaterMark: 4096 });
        const doneR = watch(rh, rs, `read, autoClose ${autoClose}`);
        let chunks = 0;
        const closing = new Promise<void>((resolve) =>
          rs.on('data', () => {
            if (++chunks === 2) resolve(rh.close());
          }),
        );
        await doneR(closing);
        seen.push(`chunks ${chunks}`);
      }
      // Closed before the stream read anything: no data, no error.
      const fh = await open(fresh(text), 'r');
      const rs = fh.createReadStream();
      let data = 0;
      rs.on('data', () => data++);
      await watch(fh, rs, 'read, closed at once')(fh.close());
      seen.push(`data events ${data}`);
      return seen;
    };
    const ours = await scenarios((path, flags) => fs.open(path, flags) as Promise<never>);
    expect(ours).toEqual(await scenarios((path, flags) => nodeFs.open(path, flags) as never));
    expect(ours).toContain(
      'write, autoClose false: handle close, finish, stream close; at close(): fd -1 destroyed true',
    );
    expect(ours).toContain('written 1000000');
    expect(ours).toContain(
      'read, autoClose true: handle close, stream close; at close(): fd -1 destroyed true',
    );
  });

  it("a stream with autoClose false that fails (here, aborted) gives its error to a for await and to a pipeline, and throws nothing after them; node's own file streams throw from an 'error' nobody hears", async () => {
    // With autoClose false, finished() settles on the error as soon as it is
    // set and stops listening; an 'error' emitted later, once the handle is
    // closed, would be uncaught. A standalone loop run from a timer closes
    // it a few milliseconds later, as a loop busy elsewhere would.
    const loop = t.loop({ ...options, attach: false });
    const fs = loop.fs.promises;
    const ticking = setInterval(() => loop.run('nowait'), 2);
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', record);
    try {
      const rh = await fs.open(fresh(text));
      const rs = rh.createReadStream({ autoClose: false, signal: AbortSignal.abort() });
      expect(await failure(() => collect(rs))).toMatch(/^ABORT_ERR/);
      const wh = await fs.open(fresh(''), 'w');
      const ws = wh.createWriteStream({ autoClose: false, signal: AbortSignal.abort() });
      expect(await failure(() => pipeline(Readable.from(['a', 'b']), ws))).toMatch(/^ABORT_ERR/);
      // Long enough for the handles' closes, and for an 'error' after them.
      const deadline = performance.now() + 2000;
      while ((rh.fd !== -1 || wh.fd !== -1) && performance.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(uncaught).toEqual([]);
      expect([rh.fd, wh.fd]).toEqual([-1, -1]);
    } finally {
      clearInterval(ticking);
      process.off('uncaughtException', record);
    }
  });

  it("twelve streams at once on one handle (byte ranges, as a server sends them), and a caller's removeAllListeners(): no listener-leak warning, and close() still ends every stream before the fd closes", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const warnings: string[] = [];
    const warn = (w: Error) => warnings.push(w.name);
    process.on('warning', warn);
    try {
      const body = randomBytes(12 * 1000);
      const fh = await fs.open(fresh(body));
      // Node's own FileHandle warns here: each stream adds a 'close' listener it never removes.
      const ranges = Array.from({ length: 12 }, (_, i) =>
        fh.createReadStream({ start: i * 1000, end: i * 1000 + 999, autoClose: false }),
      );
      const got = await Promise.all(ranges.map((r) => collect(r)));
      expect(Buffer.concat(got.map((g) => g.data as Buffer))).toEqual(body);
      // Ended, not destroyed (autoClose false): all twelve still hold the handle.
      expect(ranges.every((r) => !r.destroyed)).toBe(true);
      fh.removeAllListeners();
      await fh.close();
      expect(ranges.every((r) => r.destroyed)).toBe(true);
      expect(fh.fd).toBe(-1);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', warn);
    }
  });

  it("closing the handle does not hang where node's does: a write stream with autoClose false that finished, or that fails while it ends, is destroyed, and readLines ends with the lines read so far", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    // Node 20's close() here waits for a 'finish' that came already, forever.
    const fh = await fs.open(fresh(''), 'w');
    const ws = fh.createWriteStream({ autoClose: false });
    await new Promise((resolve) => ws.end('abc', () => resolve(null)));
    expect(fh.fd).toBeGreaterThanOrEqual(0);
    await fh.close();
    expect(fh.fd).toBe(-1);
    expect(ws.destroyed).toBe(true);
    // Node 20's close() here waits forever too: a write that fails (a handle
    // opened for reading) while the stream ends, with autoClose false.
    const ro = await fs.open(fresh('abc'), 'r');
    const failing = ro.createWriteStream({ autoClose: false });
    const failed = new Promise<NodeJS.ErrnoException>((resolve) => failing.once('error', resolve));
    failing.write('x');
    await ro.close();
    expect((await failed).code).toBe('EBADF');
    expect(ro.fd).toBe(-1);
    expect(failing.destroyed).toBe(true);
    // Node 20's readLines never ends once its stream is destroyed before the end.
    const lines = await fs.open(fresh(text));
    let n = 0;
    for await (const _line of lines.readLines({ highWaterMark: 64 })) {
      if (++n === 3) void lines.close();
    }
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThan(500);
    expect(lines.fd).toBe(-1);
    // A stream's own close(), as fs streams': the callback once it has closed.
    const rh = await fs.open(fresh(text));
    const rs = rh.createReadStream();
    await new Promise<void>((resolve) => rs.close(() => resolve()));
    expect(rs.destroyed).toBe(true);
    expect(rh.fd).toBe(-1);
    const kept = fresh('');
    const wh = await fs.open(kept, 'w');
    const ws2 = wh.createWriteStream({ autoClose: false });
    ws2.write('kept');
    await new Promise<void>((resolve) => ws2.close(() => resolve()));
    expect(wh.fd).toBe(-1);
    expect(readFileSync(kept, 'utf8')).toBe('kept');
  });
});
