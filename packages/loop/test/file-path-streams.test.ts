/**
 * `loop.fs.createReadStream(path)` and `createWriteStream(path)` against
 * `node:fs`' own, on every file configuration: the same bytes in the same
 * chunks, the same events in the same order (`'open'` with an fd,
 * `'ready'`, the end, `'close'`), `pending` and `path`, the same errors
 * (thrown at the call, or the open's and the read's as `'error'`), the
 * same files written; then what is evring's: a LoopFileHandle as `fd`, a
 * number or a custom `fs` refused, a stream destroyed or aborted before
 * its file opened, and the loop destroyed under one — never an fd left.
 */

import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoopFiles } from '../src/index.js';
import { FILE_CONFIGS, testScope } from './helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-path-streams-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh name under the test's root, and the file made there with `content`. */
const fresh = (content?: string | Buffer): string => {
  const path = join(root, `f${n++}`);
  if (content !== undefined) writeFileSync(path, content);
  return path;
};

/** What a stream did, in order: its events (an fd shown as `fd`), chunks' sizes, then the end's error if any. */
interface Story {
  events: string[];
  data: string;
  path: unknown;
}

/** Reads `stream` to its `'close'` (at most `ms`), telling its story. */
function readStory(
  stream: Readable & { pending: boolean; path?: unknown },
  ms = 5000,
): Promise<Story> {
  const events = [`pending ${stream.pending}`];
  const chunks: (Buffer | string)[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no close: ${events.join(', ')}`)), ms);
    stream.on('open', (fd: unknown) => events.push(`open ${typeof fd}`));
    stream.on('ready', () => events.push(`ready pending ${stream.pending}`));
    stream.on('data', (c: Buffer | string) => {
      chunks.push(c);
      events.push(`data ${c.length}`);
    });
    stream.on('end', () => events.push('end'));
    stream.on('error', (e: NodeJS.ErrnoException) =>
      events.push(`error ${e.code} ${e.syscall} ${e.message}`),
    );
    stream.on('close', () => {
      clearTimeout(timer);
      events.push('close');
      const data = chunks.every((c) => typeof c === 'string')
        ? chunks.join('')
        : Buffer.concat(chunks as Buffer[]).toString('hex');
      resolve({ events, data, path: stream.path });
    });
  });
}

/** Writes `chunks` (then ends) into `stream` to its `'close'`, telling its story. */
function writeStory(
  stream: Writable & { pending: boolean; path?: unknown; bytesWritten: number },
  chunks: (string | Buffer)[],
  ms = 5000,
): Promise<Story> {
  const events = [`pending ${stream.pending}`];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no close: ${events.join(', ')}`)), ms);
    stream.on('open', (fd: unknown) => events.push(`open ${typeof fd}`));
    stream.on('ready', () => events.push(`ready pending ${stream.pending}`));
    stream.on('finish', () => events.push(`finish ${stream.bytesWritten}`));
    stream.on('error', (e: NodeJS.ErrnoException) =>
      events.push(`error ${e.code} ${e.syscall} ${e.message}`),
    );
    stream.on('close', () => {
      clearTimeout(timer);
      events.push('close');
      resolve({ events, data: '', path: stream.path });
    });
    for (const c of chunks) stream.write(c, () => {});
    stream.end();
  });
}

/** The streams `thrown` made, each closing: a test waits for them before its loop goes. */
const closing: Promise<unknown>[] = [];

/**
 * What a call throws, as code and message; 'made' when it makes a stream,
 * destroyed at once (its open may still fail, after: heard and let be, as
 * on Node's, which emits that error too).
 */
function thrown(make: () => NodeJS.EventEmitter & { destroy(): unknown }): string {
  try {
    const stream = make();
    stream.on('error', () => {});
    closing.push(new Promise((r) => stream.on('close', r)));
    stream.destroy();
    return 'made';
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return `${err.code}: ${err.message}`;
  }
}

describe.each(FILE_CONFIGS)('path streams on %s', (_name, options) => {
  const t = testScope();
  const files = (): LoopFiles => t.loop({ ...options, attach: true }).fs;

  it('reads what node:fs reads, in the same chunks and events, for each set of options', async () => {
    const fs = files();
    const bytes = randomBytes(300 * 1024 + 17);
    const path = fresh(bytes);
    const cases: [string, unknown, unknown][] = [
      ['no options', path, undefined],
      ['null options', path, null],
      ['start and end', path, { start: 1000, end: 200_000 }],
      ['end 0', path, { end: 0 }],
      ['start past the end', path, { start: bytes.length + 10 }],
      ['a small highWaterMark', path, { highWaterMark: 50_000, start: 7 }],
      ['an encoding as a string', path, 'hex'],
      ['an encoding with start', path, { encoding: 'latin1', start: 5, end: 4000 }],
      ['a URL', pathToFileURL(path), undefined],
      ['a Buffer', Buffer.from(path), { end: 99 }],
      ['an empty file', fresh(''), undefined],
    ];
    for (const [what, p, o] of cases) {
      const theirs = await readStory(createReadStream(p as string, o as never));
      const ours = await readStory(fs.createReadStream(p as string, o as never));
      expect([what, ours]).toEqual([what, theirs]);
    }
  });

  it("the open's and the read's errors as node:fs gives them: 'error', then 'close'", async () => {
    const fs = files();
    const path = fresh('x');
    const cases: [string, unknown, unknown][] = [
      ['missing', join(root, 'missing'), undefined],
      ['a directory', root, undefined],
      ['bad mode', path, { mode: 'x' }],
      ['wx on a file', path, { flags: 'wx' }],
      ['a missing parent, made', join(root, 'no/such'), { flags: 'w' }],
    ];
    for (const [what, p, o] of cases) {
      const theirs = await readStory(createReadStream(p as string, o as never));
      const ours = await readStory(fs.createReadStream(p as string, o as never));
      expect([what, ours]).toEqual([what, theirs]);
    }
    // Bad flags: the same code, as 'error', in evring's words (see the argument sweep).
    const bad = await readStory(fs.createReadStream(path, { flags: 'zz' }));
    expect(bad.events).toEqual([
      'pending true',
      "error ERR_INVALID_ARG_VALUE undefined The argument 'flags' is not a flag string ('r', 'w+', 'ax', …) or a number. Received 'zz'",
      'close',
    ]);
  });

  it('throws at the call what node:fs throws there, in its words', async () => {
    const fs = files();
    const path = fresh('x');
    const cases: [unknown, unknown][] = [
      [5, undefined],
      [undefined, undefined],
      [`${path}\0`, undefined],
      [path, 5],
      [path, true],
      [path, { encoding: 'nope' }],
      [path, 'nope'],
      [path, { signal: 1 }],
      [path, { fd: 'x' }],
      [path, { start: -1 }],
      [path, { start: 1.5 }],
      [path, { start: '1' }],
      [path, { end: -1 }],
      [path, { start: 5, end: 2 }],
      [5, { encoding: 'nope' }],
      // These make a stream.
      [path, { start: 0, end: Number.POSITIVE_INFINITY }],
      [path, () => {}],
    ];
    // A write stream's own name beside the file (the wrong paths kept as they are: none may make a file).
    const writeTo = (p: unknown): string => (typeof p === 'string' ? `${p}-w` : p) as string;
    for (const [p, o] of cases) {
      for (const kind of ['read', 'write'] as const) {
        if (kind === 'write' && (o as { end?: unknown })?.end !== undefined) continue; // no end on a write stream
        const theirs = thrown(() =>
          kind === 'read'
            ? createReadStream(p as string, o as never)
            : createWriteStream(writeTo(p), o as never),
        );
        const ours = thrown(() =>
          kind === 'read'
            ? fs.createReadStream(p as string, o as never)
            : fs.createWriteStream(writeTo(p), o as never),
        );
        expect([kind, p, o, ours]).toEqual([kind, p, o, theirs]);
      }
    }
    expect(thrown(() => fs.createWriteStream(path, { flush: 1 as never }))).toBe(
      thrown(() => createWriteStream(path, { flush: 1 as never })),
    );
    await Promise.all(closing.splice(0));
  });

  it('writes what node:fs writes: the same files, events and byte counts', async () => {
    const fs = files();
    const chunks = ['hello ', Buffer.from('wörld '), 'x'.repeat(70_000), randomBytes(5000)];
    const cases: [string, string | undefined, unknown][] = [
      ['a new file', undefined, undefined],
      ['over a longer file (emptied)', 'y'.repeat(100_000), undefined],
      ['appending', 'before:', { flags: 'a' }],
      ['at a position, r+', '0123456789'.repeat(10), { flags: 'r+', start: 3 }],
      ['flush', undefined, { flush: true }],
      ['strings as hex', undefined, 'hex'],
      ['a mode for the new file', undefined, { mode: 0o600 }],
      ['wx on a file', 'there', { flags: 'wx' }],
      ['a missing directory', undefined, { flags: 'w', missingParent: true }],
    ];
    for (const [what, before, o] of cases) {
      const missing = (o as { missingParent?: boolean })?.missingParent === true;
      const [a, b] = missing
        ? [join(root, 'nope/a'), join(root, 'nope/b')]
        : [fresh(before), fresh(before)];
      const write = what === 'strings as hex' ? ['0a0b', 'ff'] : chunks;
      const theirs = await writeStory(createWriteStream(a, o as never), write);
      const ours = await writeStory(fs.createWriteStream(b, o as never), write);
      const named = (events: string[], path: string) =>
        events.map((e) => e.replaceAll(path, '<path>'));
      expect([what, named(ours.events, b), ours.path === b]).toEqual([
        what,
        named(theirs.events, a),
        theirs.path === a,
      ]);
      if (missing) continue;
      expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
      expect(statSync(b).mode).toBe(statSync(a).mode);
    }
  });

  it('a pipeline from a path to a path copies the file', async () => {
    const fs = files();
    const bytes = randomBytes(1024 * 1024 + 3);
    const from = fresh(bytes);
    const to = fresh();
    await pipeline(fs.createReadStream(from), fs.createWriteStream(to));
    expect(readFileSync(to).equals(bytes)).toBe(true);
  });

  it('a LoopFileHandle as fd: the stream reads through it, path unused, and closes it at the end', async () => {
    const fs = files();
    const path = fresh('through the handle');
    const handle = await fs.promises.open(path);
    const stream = fs.createReadStream('ignored: fd wins', {
      fd: handle,
      start: 8,
      encoding: 'utf8',
    });
    expect(stream.pending).toBe(false);
    expect(stream.handle).toBe(handle);
    const story = await readStory(stream);
    expect(story.data).toBe('the handle');
    expect(story.path).toBeUndefined();
    expect(handle.fd).toBe(-1);
  });

  it('refuses a number as fd and a custom fs, with what to do instead', () => {
    const fs = files();
    const path = fresh('x');
    expect(thrown(() => fs.createReadStream(path, { fd: 0 as never }))).toBe(
      "ERR_INVALID_ARG_VALUE: The property 'options.fd' must be a LoopFileHandle (from loop.fs.promises.open()): a number is not supported. Received 0",
    );
    expect(thrown(() => fs.createWriteStream(path, { fs: {} } as never))).toBe(
      "ERR_INVALID_ARG_VALUE: The property 'options.fs' is not supported: the loop does the file operations. Received '…'",
    );
  });

  it('destroyed or aborted before its file opened: the file is opened, then closed; no fd is left', async () => {
    const fs = files();
    const path = fresh('x');
    const destroyed = fs.createReadStream(path);
    destroyed.destroy();
    const story = await readStory(destroyed);
    expect(story.events.at(-1)).toBe('close');
    expect(destroyed.handle?.fd ?? -1).toBe(-1);

    const aborted = fs.createWriteStream(fresh(), { signal: AbortSignal.abort() });
    const abortStory = await writeStory(aborted, []);
    expect(abortStory.events).toContain('error ABORT_ERR undefined The operation was aborted');
    expect(abortStory.events.at(-1)).toBe('close');
    expect(aborted.handle?.fd ?? -1).toBe(-1);
    // The leak check after each test counts the fds: none may be left.
  });

  it("autoClose false: the end leaves the handle open for the caller; 'close' waits for destroy()", async () => {
    const fs = files();
    const path = fresh('abc');
    const stream = fs.createReadStream(path, { autoClose: false, encoding: 'utf8' });
    let data = '';
    stream.on('data', (c: string) => {
      data += c;
    });
    await new Promise((r) => stream.on('end', r));
    expect(data).toBe('abc');
    expect(stream.handle!.fd).toBeGreaterThanOrEqual(0);
    const closed = new Promise((r) => stream.on('close', r));
    stream.destroy();
    await closed;
    expect(stream.handle!.fd).toBe(-1);
  });

  it('the loop destroyed while the file opens: the stream fails with ERR_EVRING_LOOP_DESTROYED, no fd left', async () => {
    const loop = t.loop({ ...options, attach: true });
    const stream = loop.fs.createReadStream(fresh('x'));
    const story = readStory(stream);
    loop.destroy();
    const { events } = await story;
    expect(events[0]).toBe('pending true');
    expect(events.some((e) => e.startsWith('error ERR_EVRING_LOOP_DESTROYED'))).toBe(true);
    expect(events.at(-1)).toBe('close');
  });
});
