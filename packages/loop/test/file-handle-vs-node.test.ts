/**
 * A `LoopFileHandle` against Node's own `FileHandle`, on random sequences:
 * the same calls, one at a time, on twin files, one opened with
 * `loop.fs.promises.open` and one with `node:fs/promises`' `open`. Reads
 * and writes at a position or at the handle's own (plain, vectored, of a
 * string, and `read()` with no arguments), `readFile`, `readLines`,
 * `writeFile`, `appendFile`, `truncate`, `stat`, `sync`, `datasync`, read streams
 * (over a range or not, decoded or not; read to the end, or destroyed after
 * a few chunks), write streams,
 * `close()` with a write stream still holding chunks, calls after a close,
 * and opening again. Each call's outcome (its result, or its error's code,
 * syscall and message) must be Node's, and so must both files' bytes after
 * it.
 *
 * Left out: the sequences where Node 20 hangs (a handle closed under a
 * write stream that finished with autoClose false) or crashes (a stream
 * on a closed handle throws synchronously there), and a read stream whose
 * start is past its end (Node's throws, as evring's, but Node's handle's
 * `close()` then fails with a TypeError); file-streams.test.ts has those.
 *
 * `pnpm test` plays a fixed seed; `pnpm fuzz` plays more with a random one
 * (EVRING_FUZZ_SEED, EVRING_FUZZ_RUNS), as the other differential tests.
 */

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_CONFIGS, testScope } from './helpers.js';

const SEED = Number(process.env.EVRING_FUZZ_SEED ?? 20261207);
/** Sequences per configuration: the readiness test's count divided by 40 (15 by default). */
const RUNS = Math.max(1, Math.round(Number(process.env.EVRING_FUZZ_RUNS ?? 600) / 40));
const SIZE = 20_000;

type Step =
  | { k: 'read'; len: number; at: number | null }
  | { k: 'write'; len: number; at: number | null; fill: number }
  | { k: 'readv'; lens: number[]; at: number | null }
  | { k: 'writev'; lens: number[]; at: number | null }
  | { k: 'writeString'; text: string; at: number | null }
  | { k: 'readDefault' }
  | { k: 'readFile' }
  | { k: 'readLines' }
  | { k: 'writeFile' | 'appendFile'; len: number; fill: number }
  | { k: 'truncate'; len: number }
  | { k: 'stat' | 'sync' | 'datasync' | 'close' | 'reopen' }
  | {
      k: 'readStream';
      start: number | undefined;
      end: number | undefined;
      encoding: BufferEncoding | undefined;
      hwm: number;
      chunks: number | null;
      auto: boolean;
    }
  | {
      k: 'writeStream';
      start: number | undefined;
      lens: number[];
      strings: boolean;
      encoding: BufferEncoding | undefined;
      flush: boolean;
      hwm: number | undefined;
    }
  | { k: 'closeUnderWrite'; lens: number[] };

const pos = fc.option(fc.nat(SIZE), { nil: null });
const arbStep: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ k: fc.constant('read' as const), len: fc.nat(6000), at: pos }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('write' as const),
      len: fc.nat(6000),
      at: pos,
      fill: fc.integer({ min: 0x61, max: 0x7a }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constantFrom('readv' as const, 'writev' as const),
      // Not an empty list: there Node's readv gives EINVAL and evring's 0 bytes, a difference kept on purpose.
      lens: fc.array(fc.nat(3000), { minLength: 1, maxLength: 4 }),
      at: pos,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('writeString' as const),
      text: fc.string({ unit: 'grapheme', maxLength: 40 }),
      at: pos,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constantFrom(
        'readFile' as const,
        'stat' as const,
        'sync' as const,
        'datasync' as const,
        'readDefault' as const,
        'readLines' as const,
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constantFrom('writeFile' as const, 'appendFile' as const),
      len: fc.nat(6000),
      fill: fc.integer({ min: 0x61, max: 0x7a }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('truncate' as const), len: fc.nat(SIZE) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constantFrom('close' as const, 'reopen' as const) }) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        k: fc.constant('readStream' as const),
        start: fc.option(fc.nat(SIZE), { nil: undefined }),
        end: fc.option(fc.nat(SIZE), { nil: undefined }),
        encoding: fc.constantFrom(undefined, 'utf8' as const, 'latin1' as const, 'base64' as const),
        hwm: fc.integer({ min: 1, max: 8192 }),
        chunks: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
        auto: fc.boolean(),
      })
      // Never past its end: there Node's constructor throws, and its handle's close then fails with a TypeError (see the header).
      .map((step) => ({
        ...step,
        end: step.end === undefined ? undefined : Math.max(step.end, step.start ?? 0),
      })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('writeStream' as const),
      start: fc.option(fc.nat(SIZE), { nil: undefined }),
      lens: fc.array(fc.nat(5000), { maxLength: 5 }),
      strings: fc.boolean(),
      encoding: fc.constantFrom(undefined, 'utf8' as const, 'latin1' as const, 'utf16le' as const),
      flush: fc.boolean(),
      hwm: fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('closeUnderWrite' as const),
      lens: fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 20 }),
    }),
  },
);

/** What both kinds of handle offer, as far as the steps use them. */
interface Handle {
  readonly fd: number;
  read(): Promise<{ bytesRead: number; buffer: Buffer }>;
  read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<{ bytesRead: number }>;
  write(text: string, position: number | null): Promise<{ bytesWritten: number }>;
  write(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<{ bytesWritten: number }>;
  readv(buffers: Buffer[], position: number | null): Promise<{ bytesRead: number }>;
  writev(buffers: Buffer[], position: number | null): Promise<{ bytesWritten: number }>;
  readFile(): Promise<Buffer>;
  readLines(): AsyncIterable<string>;
  datasync(): Promise<void>;
  writeFile(data: Buffer): Promise<void>;
  appendFile(data: Buffer): Promise<void>;
  truncate(len: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
  createReadStream(options: object): Readable;
  createWriteStream(options: object): Writable;
}
type Open = (path: string) => Promise<Handle>;

const digest = (b: Buffer): string => createHash('sha1').update(b).digest('hex').slice(0, 12);

/** A call's outcome: its result, or its error's code, errno, syscall and message. */
async function outcome(call: () => Promise<string>): Promise<string> {
  try {
    return await call();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return `${err.code ?? err.name} ${err.errno ?? ''} ${err.syscall ?? ''}: ${err.message}`;
  }
}

/** Plays one step on `h` (which `reopen` replaces); its outcome. */
async function play(step: Step, h: { handle: Handle }, open: Open, path: string): Promise<string> {
  const fh = h.handle;
  switch (step.k) {
    case 'read':
      return outcome(async () => {
        const buf = Buffer.alloc(step.len);
        const { bytesRead } = await fh.read(buf, 0, step.len, step.at);
        return `read ${bytesRead} ${digest(buf)}`;
      });
    case 'write':
      return outcome(async () => {
        const { bytesWritten } = await fh.write(
          Buffer.alloc(step.len, step.fill),
          0,
          step.len,
          step.at,
        );
        return `wrote ${bytesWritten}`;
      });
    case 'readv':
      return outcome(async () => {
        const bufs = step.lens.map((len) => Buffer.alloc(len));
        const { bytesRead } = await fh.readv(bufs, step.at);
        return `readv ${bytesRead} ${digest(Buffer.concat(bufs))}`;
      });
    case 'writev':
      return outcome(async () => {
        const bufs = step.lens.map((len, i) => Buffer.alloc(len, 0x61 + i));
        const { bytesWritten } = await fh.writev(bufs, step.at);
        return `writev ${bytesWritten}`;
      });
    case 'writeString':
      return outcome(async () => `wrote ${(await fh.write(step.text, step.at)).bytesWritten}`);
    case 'readDefault':
      return outcome(async () => {
        const { bytesRead, buffer } = await fh.read();
        return `read ${bytesRead} of ${buffer.length} ${digest(buffer.subarray(0, bytesRead))}`;
      });
    case 'readLines':
      // As a stream, never on a closed handle (see the header).
      if (fh.fd === -1) return 'skipped';
      return outcome(async () => {
        const lines: string[] = [];
        for await (const line of fh.readLines()) lines.push(line);
        return `lines ${lines.length} ${digest(Buffer.from(lines.join('\n')))} fd ${fh.fd === -1 ? 'closed' : 'open'}`;
      });
    case 'readFile':
      return outcome(async () => {
        const data = await fh.readFile();
        return `readFile ${data.length} ${digest(data)}`;
      });
    case 'writeFile':
    case 'appendFile':
      return outcome(async () => {
        await fh[step.k](Buffer.alloc(step.len, step.fill));
        return step.k;
      });
    case 'truncate':
      return outcome(async () => {
        await fh.truncate(step.len);
        return 'truncated';
      });
    case 'stat':
      return outcome(async () => `size ${(await fh.stat()).size}`);
    case 'sync':
    case 'datasync':
      return outcome(async () => {
        await (step.k === 'sync' ? fh.sync() : fh.datasync());
        return step.k;
      });
    case 'close':
      return outcome(async () => {
        await fh.close();
        return `closed ${fh.fd}`;
      });
    case 'reopen':
      return outcome(async () => {
        await fh.close();
        h.handle = await open(path);
        return 'reopened';
      });
    case 'readStream':
      // Never on a closed handle: Node's stream throws there (see the header).
      if (fh.fd === -1) return 'skipped';
      return outcome(async () => {
        const stream = fh.createReadStream({
          start: step.start,
          end: step.end,
          encoding: step.encoding,
          highWaterMark: step.hwm,
          autoClose: step.auto,
        });
        const chunks: (Buffer | string)[] = [];
        const closed = new Promise((resolve) => stream.once('close', resolve));
        for await (const chunk of stream) {
          chunks.push(chunk as Buffer | string);
          if (step.chunks !== null && chunks.length === step.chunks) break; // destroys it
        }
        if (stream.destroyed) await closed;
        const data = Buffer.concat(chunks.map((c) => Buffer.from(c)));
        return `streamed ${chunks.length} ${data.length} ${digest(data)} destroyed ${stream.destroyed} fd ${fh.fd === -1 ? 'closed' : 'open'}`;
      });
    case 'writeStream':
      if (fh.fd === -1) return 'skipped';
      return outcome(async () => {
        const stream = fh.createWriteStream({
          start: step.start,
          encoding: step.encoding,
          flush: step.flush,
          highWaterMark: step.hwm,
        }) as Writable & { bytesWritten: number };
        const chunks = step.lens.map((len, i) =>
          // Strings are encoded with the stream's encoding; é is two bytes in UTF-8, one in latin1.
          step.strings
            ? `é${String.fromCharCode(0x41 + i)}`.repeat(len >> 1)
            : Buffer.alloc(len, 0x41 + i),
        );
        // In object mode, so that each string reaches write() as a string.
        await pipeline(Readable.from(chunks), stream);
        return `stream wrote ${stream.bytesWritten} fd ${fh.fd === -1 ? 'closed' : 'open'}`;
      });
    case 'closeUnderWrite':
      if (fh.fd === -1) return 'skipped';
      return outcome(async () => {
        const stream = fh.createWriteStream({});
        const events: string[] = [];
        stream.on('finish', () => events.push('finish'));
        stream.on('error', (e: NodeJS.ErrnoException) => events.push(`error ${e.code}`));
        const closed = new Promise((resolve) => stream.once('close', resolve));
        step.lens.forEach((len, i) => {
          stream.write(Buffer.alloc(len, 0x30 + (i % 10)));
        });
        await fh.close();
        await closed;
        return `closed under a write stream: ${events.join(', ')}`;
      });
  }
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-handle-vs-node-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('LoopFileHandle against node:fs/promises FileHandle, call for call, on random sequences', () => {
  const t = testScope();
  let n = 0;
  for (const [name, options] of FILE_CONFIGS) {
    it(`${name}: every outcome and both files' bytes are node's`, {
      timeout: 120_000,
    }, async () => {
      const fs = t.loop({ ...options, attach: true }).fs.promises;
      const ours: Open = (path) => fs.open(path, 'r+') as Promise<never>;
      const theirs: Open = (path) => nodeFs.open(path, 'r+') as Promise<never>;
      await fc.assert(
        fc.asyncProperty(
          fc.array(arbStep, { minLength: 1, maxLength: 25 }),
          fc.nat(SIZE),
          async (steps, size) => {
            const start = Buffer.alloc(size);
            for (let i = 0; i < size; i++) start[i] = 0x20 + (i % 90);
            const paths = [join(root, `ours${n}`), join(root, `theirs${n}`)] as const;
            n++;
            for (const p of paths) writeFileSync(p, start);
            const a = { handle: await ours(paths[0]) };
            const b = { handle: await theirs(paths[1]) };
            try {
              for (const [i, step] of steps.entries()) {
                const got = await play(step, a, ours, paths[0]);
                const want = await play(step, b, theirs, paths[1]);
                expect(got, `step ${i}: ${JSON.stringify(step)}`).toBe(want);
                expect(
                  digest(readFileSync(paths[0])),
                  `the file after step ${i}: ${JSON.stringify(step)}`,
                ).toBe(digest(readFileSync(paths[1])));
              }
            } finally {
              await a.handle.close();
              await b.handle.close();
              for (const p of paths) rmSync(p, { force: true });
            }
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
    });
  }
});
