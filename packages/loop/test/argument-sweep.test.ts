/**
 * Bad arguments, one at a time, against Node's own: every call of
 * `loop.fs.promises` and of a `LoopFileHandle` that `fs/promises` has too
 * is made with valid arguments but one, replaced by each value of a list
 * of wrong ones (wrong types, out-of-range numbers, NUL bytes, unknown
 * encodings and flags, bad options). Where Node refuses the call with an
 * argument error (an `ERR_*` code, or `ABORT_ERR`), evring must refuse it
 * with the same code. Where Node takes the value, evring's call is not
 * made (it would act on the files). Node's call is always made, to learn
 * its answer, and a wrong value it takes as a relative path (`'bogus'`)
 * is a file it makes, renames or removes: the sweep works in a directory
 * of its own, so all of that happens there. Messages are compared
 * elsewhere (file-compat.test.ts), since a few are evring's own words.
 *
 * Not swept, because Node 20 aborts the process on them: a FileHandle
 * read's or write's `length` that is not an integer (its binding asserts
 * an int32), and modes or flags from 2^31 to 2^32 (the same assertion).
 */

import * as nodeCallbacks from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoopFileHandle } from '../src/index.js';
import { testScope } from './helpers.js';

let dir: string;
/** Where the process worked before the sweep, and what of the sweep's names it held then. */
const started = process.cwd();
const sweepNames = (): string[] => readdirSync(started).filter((n) => n.startsWith('bogus'));
let namesBefore: string[];
beforeAll(() => {
  namesBefore = sweepNames();
  dir = mkdtempSync(join(tmpdir(), 'evring-argument-sweep-'));
  process.chdir(dir); // relative paths among the wrong values land here (vitest's forks pool allows it)
});
afterAll(() => {
  process.chdir(started);
  rmSync(dir, { recursive: true, force: true });
});

/** The wrong values, each put in one argument's place. */
const WRONG: readonly [string, () => unknown][] = [
  ['null', () => null],
  ['-1', () => -1],
  ['AT_FDCWD (-100)', () => -100],
  ['1.5', () => 1.5],
  ['NaN', () => Number.NaN],
  ['2^53', () => 2 ** 53],
  ["''", () => ''],
  ['a string with a NUL', () => 'a\u0000b'],
  ['a Buffer with a NUL', () => Buffer.from('a\u0000b')],
  ['{}', () => ({})],
  ['[]', () => []],
  ['true', () => true],
  ['1n', () => 1n],
  ["'bogus'", () => 'bogus'],
  ['an http URL', () => new URL('http://example.com/x')],
  ['{ encoding: bogus }', () => ({ encoding: 'bogus' })],
  ['{ signal: x }', () => ({ signal: 'x' })],
  ['{ signal: aborted }', () => ({ signal: AbortSignal.abort() })],
  ['{ flag: zz }', () => ({ flag: 'zz' })],
  ['{ mode: x }', () => ({ mode: 'x' })],
  ['{ bigint: 1 }', () => ({ bigint: 1 })],
  ['{ recursive: yes }', () => ({ recursive: 'yes' })],
  ['{ flush: 1 }', () => ({ flush: 1 })],
];

type Call = (fs: typeof nodeFs, args: unknown[]) => Promise<unknown>;
type HandleCall = (fh: nodeFs.FileHandle, args: unknown[]) => Promise<unknown>;

/** The code a call throws ('not thrown' when it does not; 'uncoded' for an error without one). */
function thrown(call: () => void): string {
  try {
    call();
    return 'not thrown';
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? code : `uncoded ${String(err)}`;
  }
}

/** The code a call's error carries ('ok' when it did not fail; 'uncoded' for an error without one). */
async function codeOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'ok';
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? code : `uncoded ${String(err)}`;
  }
}

const isArgumentError = (code: string): boolean => code.startsWith('ERR_') || code === 'ABORT_ERR';

describe('one bad argument at a time: the error code Node gives', () => {
  const t = testScope();

  it("fs/promises' path calls", async () => {
    const fs = t.loop({ backend: 'iouring', attach: true }).fs.promises as unknown as typeof nodeFs;
    const file = join(dir, 'file');
    writeFileSync(file, 'hello');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const calls: [string, unknown[], Call][] = [
      ['open', [file, 'r', 0o666], (f, a) => f.open(...(a as [string])).then((h) => h.close())],
      ['readFile', [file, { encoding: 'utf8' }], (f, a) => f.readFile(...(a as [string]))],
      [
        'writeFile',
        [join(dir, 'w'), 'data', { encoding: 'utf8' }],
        (f, a) => f.writeFile(...(a as [string, string])),
      ],
      [
        'appendFile',
        [join(dir, 'w'), 'data', {}],
        (f, a) => f.appendFile(...(a as [string, string])),
      ],
      ['stat', [file, { bigint: false }], (f, a) => f.stat(...(a as [string]))],
      ['lstat', [file, { bigint: false }], (f, a) => f.lstat(...(a as [string]))],
      ['readdir', [dir, { withFileTypes: false }], (f, a) => f.readdir(...(a as [string]))],
      ['mkdir', [join(dir, 'sub'), { recursive: true }], (f, a) => f.mkdir(...(a as [string]))],
      ['mkdtemp', [join(dir, 't-'), { encoding: 'utf8' }], (f, a) => f.mkdtemp(...(a as [string]))],
      [
        'rename',
        [join(dir, 'none'), join(dir, 'none2')],
        (f, a) => f.rename(...(a as [string, string])),
      ],
      ['link', [join(dir, 'none'), join(dir, 'l')], (f, a) => f.link(...(a as [string, string]))],
      ['symlink', ['target', file, 'file'], (f, a) => f.symlink(...(a as [string, string]))],
      ['unlink', [join(dir, 'none')], (f, a) => f.unlink(...(a as [string]))],
      ['rmdir', [join(dir, 'none'), {}], (f, a) => f.rmdir(...(a as [string]))],
      ['truncate', [join(dir, 'none'), 0], (f, a) => f.truncate(...(a as [string]))],
    ];
    const compared = await sweep(
      calls,
      (call, args) => call(fs, args),
      (call, args) => call(nodeFs, args),
    );
    expect(compared).toBeGreaterThan(460); // 547 on Node 20.20: fewer means the sweep lost reach
  });

  it("a FileHandle's calls", async () => {
    const loop = t.loop({ backend: 'iouring', attach: true });
    const file = join(dir, 'handle-file');
    writeFileSync(file, 'hello world');
    const calls: [string, unknown[], HandleCall][] = [
      ['read', [Buffer.alloc(8), 0, 8, 0], (h, a) => h.read(...(a as [Buffer]))],
      ['write', [Buffer.from('abcdefgh'), 0, 8, 0], (h, a) => h.write(...(a as [Buffer]))],
      ['readv', [[Buffer.alloc(4)], 0], (h, a) => h.readv(...(a as [Buffer[]]))],
      ['writev', [[Buffer.from('ab')], 0], (h, a) => h.writev(...(a as [Buffer[]]))],
      ['stat', [{ bigint: false }], (h, a) => h.stat(...(a as []))],
      ['truncate', [11], (h, a) => h.truncate(...(a as []))],
      ['readFile', [{ encoding: 'utf8' }], (h, a) => h.readFile(...(a as []))],
      ['writeFile', ['x', { encoding: 'utf8' }], (h, a) => h.writeFile(...(a as [string]))],
      ['appendFile', ['x', { encoding: 'utf8' }], (h, a) => h.appendFile(...(a as [string]))],
    ];
    const onHandle = async (
      open: () => Promise<nodeFs.FileHandle>,
      call: HandleCall,
      args: unknown[],
    ): Promise<unknown> => {
      const fh = await open();
      try {
        return await call(fh, args);
      } finally {
        await fh.close();
      }
    };
    const compared = await sweep(
      calls,
      (call, args) =>
        onHandle(
          () => loop.fs.promises.open(file, 'r+') as Promise<LoopFileHandle> as never,
          call,
          args,
        ),
      (call, args) => onHandle(() => nodeFs.open(file, 'r+'), call, args),
      // Node 20 aborts on a read's or write's length that is not an integer.
      (name, at, value) =>
        (name === 'read' || name === 'write') && at === 2 && !Number.isInteger(value),
    );
    expect(compared).toBeGreaterThan(150); // 199
  });
});

describe("one bad stream option at a time: the error Node's file streams throw", () => {
  const t = testScope();

  it("createReadStream's and createWriteStream's options, against Node's path-form streams (which check them as a FileHandle's do)", async () => {
    const loop = t.loop({ backend: 'iouring', attach: true });
    const file = join(dir, 'stream-file');
    writeFileSync(file, 'hello');
    const keys = [
      'start',
      'end',
      'highWaterMark',
      'encoding',
      'autoClose',
      'emitClose',
      'signal',
      'flush',
    ];
    const wrong: string[] = [];
    let compared = 0;
    for (const kind of ['read', 'write'] as const) {
      for (const key of keys) {
        if (kind === 'read' && key === 'flush') continue;
        if (kind === 'write' && key === 'end') continue;
        for (const [label, make] of WRONG) {
          const theirs = thrown(() =>
            (kind === 'read'
              ? nodeCallbacks.createReadStream(file, { [key]: make() })
              : nodeCallbacks.createWriteStream(file, { [key]: make(), flags: 'r+' })
            ).destroy(),
          );
          if (!isArgumentError(theirs)) continue;
          const fh = await loop.fs.promises.open(file, 'r+');
          const mine = thrown(() =>
            (kind === 'read'
              ? fh.createReadStream({ [key]: make() })
              : fh.createWriteStream({ [key]: make() })
            ).destroy(),
          );
          await fh.close();
          compared++;
          if (mine !== theirs)
            wrong.push(`${kind} stream ${key}: ${label}: node ${theirs}, evring ${mine}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(150); // 218
  });
});

describe('one bad argument at a time, callback forms: the error node:fs throws', () => {
  const t = testScope();

  it('the calls node:fs and loop.fs share, as node:fs shapes them (read and write are shaped otherwise)', async () => {
    const loop = t.loop({ backend: 'iouring', attach: true });
    const file = join(dir, 'cb-file');
    writeFileSync(file, 'hello');
    const none = join(dir, 'cb-none');
    const closed = 2 ** 30; // a number no fd has: a valid argument whose call fails later
    const calls: [string, unknown[]][] = [
      ['open', [none, 'r', 0o666]],
      ['stat', [none]],
      ['lstat', [none]],
      ['fstat', [closed]],
      ['close', [closed]],
      ['fsync', [closed]],
      ['fdatasync', [closed]],
      ['ftruncate', [closed, 0]],
      ['rename', [none, `${none}2`]],
      ['link', [none, `${none}3`]],
      ['symlink', ['target', file, 'file']],
      ['unlink', [none]],
      ['rmdir', [none, {}]],
      ['mkdir', [join(none, 'x'), { recursive: false }]],
      ['mkdtemp', [join(none, 't-'), { encoding: 'utf8' }]],
    ];
    const wrong: string[] = [];
    let compared = 0;
    const ours = loop.fs as unknown as Record<string, (...a: unknown[]) => void>;
    const node = nodeCallbacks as unknown as Record<string, (...a: unknown[]) => void>;
    for (const [name, valid] of calls) {
      for (let at = 0; at < valid.length; at++) {
        for (const [label, make] of WRONG) {
          const args = [...valid];
          args[at] = make();
          const theirs = thrown(() => node[name]!(...args, () => {}));
          if (!isArgumentError(theirs)) continue;
          args[at] = make();
          const mine = thrown(() => ours[name]!(...args, () => {}));
          compared++;
          if (mine !== theirs)
            wrong.push(`${name} argument ${at} ${label}: node ${theirs}, evring ${mine}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(410); // 488
    // What the calls that were not refused started settles before the loop goes.
    const deadline = Date.now() + 5000;
    while (loop.fs.inFlight > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    expect(loop.fs.inFlight).toBe(0);
  });
});

/**
 * Each call with each wrong value in each argument's place: Node's call
 * first; where it is an argument error, evring's must fail with its code.
 * Returns how many were compared.
 */
async function sweep<C>(
  calls: readonly [string, unknown[], C][],
  ours: (call: C, args: unknown[]) => Promise<unknown>,
  node: (call: C, args: unknown[]) => Promise<unknown>,
  skip: (name: string, at: number, value: unknown) => boolean = () => false,
): Promise<number> {
  const wrong: string[] = [];
  let compared = 0;
  for (const [name, valid, call] of calls) {
    for (let at = 0; at < valid.length; at++) {
      for (const [label, make] of WRONG) {
        const args = [...valid];
        args[at] = make();
        if (skip(name, at, args[at])) continue;
        const theirs = await codeOf(() => node(call, args));
        if (!isArgumentError(theirs)) continue;
        args[at] = make(); // a fresh one: an options object may have been changed
        const mine = await codeOf(() => ours(call, args));
        compared++;
        if (mine !== theirs)
          wrong.push(`${name} argument ${at} ${label}: node ${theirs}, evring ${mine}`);
      }
    }
  }
  expect(wrong).toEqual([]);
  return compared;
}

describe('the sweep keeps to its own directory', () => {
  it('leaves nothing of its own where the process was working', () => {
    // Node acts on a relative path it takes ('bogus': mkdir, mkdtemp, writeFile);
    // the sweep works in its own directory, removed after it, so none lands here.
    expect(sweepNames()).toEqual(namesBefore);
  });
});
