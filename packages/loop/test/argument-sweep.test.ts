/**
 * Wrong arguments, one at a time, against Node's own: every call of
 * `loop.fs.promises` and of a `LoopFileHandle` that `fs/promises` has too,
 * and every callback call `loop.fs` shares with `node:fs`, is made with
 * valid arguments but one, replaced by each value of a list of wrong or
 * odd ones (wrong types, out-of-range numbers, NUL bytes, unknown
 * encodings and flags, odd options, functions where a callback may be
 * looked for). Both calls are made, each in a twin directory of its own
 * made afresh for it, and their outcomes must agree both ways: where Node
 * refuses the call, evring refuses it with the same code, and where Node
 * takes the value, evring takes it too and ends as Node's call ended (a
 * result, or the same error code; for a handle, the file's bytes too).
 * An argument error's message must be Node's too, word for word, and come
 * the same way: thrown at once, or through the promise or the callback.
 * Then random pairs of wrong values, each refused alone, go in two
 * arguments at once: the one Node checks first must be named. The few
 * differences kept on purpose are listed below, each with why.
 *
 * Not swept, because Node 20 aborts the process on them: a FileHandle
 * read's or write's `length` that is not an integer (its binding asserts
 * an int32), and modes or flags from 2^31 to 2^32 (the same assertion).
 * Nor, in a callback call's fd, a symbol (Node 20 aborts formatting its
 * error) or a number an fd may have (0, 64: Node would close or truncate
 * one of the test process's own). Nor a write stream's 'buffer' encoding
 * (Node 20 opens the file, then refuses, and leaves the file open), nor
 * `close(fd, undefined)` (both throw their EBADF out of the loop, with no
 * callback to hear it: file-compat.test.ts tests that on a real fd), nor a
 * function as `opendir`'s options or anything after them (Node 20's
 * promise `opendir` is its callback form promisified: it takes the first
 * for its callback, and never settles, and refuses the second as not a
 * callback; evring takes a function as no options, as Node's other calls
 * do, and leaves extra arguments alone), nor a `signal` in `cp`'s options
 * (evring's own there: checked and used; Node's cp has none and passes over it).
 */

import * as nodeCallbacks from 'node:fs';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoopFileHandle } from '../src/index.js';
import { testScope } from './helpers.js';

let root: string;
/** Where the process worked before the sweep, and what of the sweep's names it held then. */
const started = process.cwd();
const sweepNames = (): string[] => readdirSync(started).filter((n) => n.startsWith('bogus'));
let namesBefore: string[];
beforeAll(() => {
  namesBefore = sweepNames();
  root = mkdtempSync(join(tmpdir(), 'evring-argument-sweep-'));
});
afterAll(() => {
  process.chdir(started);
  rmSync(root, { recursive: true, force: true });
});

/** Each sweep's bound: a few seconds on a quiet machine, thousands of calls, each a few syscalls. */
const SWEEP_MS = 120_000;

/** The twin directories: each side's calls act in its own. */
type Side = 'node' | 'evring';
const sideDir = (side: Side): string => join(root, side);

/**
 * Both sides' directories made afresh (a file `file`, a directory `sub`,
 * a symbolic link `link` to `file`),
 * and the process moved into `side`'s, where the wrong values that are
 * relative paths land (vitest's forks pool allows chdir).
 */
function freshTwins(content = 'hello'): void {
  for (const side of ['node', 'evring'] as const) {
    const d = sideDir(side);
    rmSync(d, { recursive: true, force: true });
    mkdirSync(join(d, 'sub'), { recursive: true });
    writeFileSync(join(d, 'file'), content);
    symlinkSync('file', join(d, 'link'));
  }
}

/** The wrong values, each put in one argument's place; `d` is the side's directory. */
const WRONG: readonly [string, (d: string) => unknown][] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['0', () => 0],
  ['-1', () => -1],
  ['AT_FDCWD (-100)', () => -100],
  ['1.5', () => 1.5],
  ['NaN', () => Number.NaN],
  ['Infinity', () => Number.POSITIVE_INFINITY],
  ['2^53', () => 2 ** 53],
  ['O_CREAT (64)', () => 0o100],
  ["''", () => ''],
  ['a string with a NUL', () => 'a\u0000b'],
  // Not from the pool: its `offset` (read where a handle takes options) is 0 on both sides.
  ['a Buffer with a NUL', () => Buffer.alloc(3, 'a\u0000b')],
  ['{}', () => ({})],
  ['[]', () => []],
  ['[Buffer]', () => [Buffer.from('ab')]],
  ['true', () => true],
  ['false', () => false],
  ['1n', () => 1n],
  ['a symbol', () => Symbol('x')],
  ['a function', () => () => {}],
  ['a Date', () => new Date(0)],
  ['a String object', () => new String('x')],
  ["'bogus'", () => 'bogus'],
  ["'r'", () => 'r'],
  ["'a+'", () => 'a+'],
  ["'777'", () => '777'],
  ["'hex'", () => 'hex'],
  ["'UTF8'", () => 'UTF8'],
  ["'buffer'", () => 'buffer'],
  ['a Uint8Array', () => new Uint8Array([97, 98])],
  ['a DataView', () => new DataView(new ArrayBuffer(2))],
  ['a Float64Array', () => new Float64Array(1)],
  ['an ArrayBuffer', () => new ArrayBuffer(2)],
  ['a file URL', (d) => pathToFileURL(join(d, 'url-named'))],
  ['an http URL', () => new URL('http://example.com/x')],
  ['{ encoding: bogus }', () => ({ encoding: 'bogus' })],
  ['{ encoding: null }', () => ({ encoding: null })],
  ["{ encoding: '' }", () => ({ encoding: '' })],
  ['{ encoding: buffer }', () => ({ encoding: 'buffer' })],
  ['{ encoding: hex }', () => ({ encoding: 'hex' })],
  ['{ signal: x }', () => ({ signal: 'x' })],
  ['{ signal: null }', () => ({ signal: null })],
  ['{ signal: aborted }', () => ({ signal: AbortSignal.abort() })],
  ['{ flag: zz }', () => ({ flag: 'zz' })],
  ['{ flag: 0 }', () => ({ flag: 0 })],
  ["{ flag: '' }", () => ({ flag: '' })],
  ['{ flag: null }', () => ({ flag: null })],
  ['{ flag: ax }', () => ({ flag: 'ax' })],
  ['{ mode: x }', () => ({ mode: 'x' })],
  ['{ mode: null }', () => ({ mode: null })],
  ['{ mode: -1 }', () => ({ mode: -1 })],
  ['{ bigint: 1 }', () => ({ bigint: 1 })],
  ['{ bigint: null }', () => ({ bigint: null })],
  ['{ recursive: yes }', () => ({ recursive: 'yes' })],
  ['{ recursive: null }', () => ({ recursive: null })],
  ['{ withFileTypes: 1 }', () => ({ withFileTypes: 1 })],
  ['{ flush: 1 }', () => ({ flush: 1 })],
  ['{ flush: null }', () => ({ flush: null })],
];

/**
 * One comparison: which call, which argument, which value, and how each
 * side ended ({@link outcomeOf}: 'ok', a code, or an argument error's code
 * and message).
 */
interface Case {
  call: string;
  at: number;
  label: string;
  node: string;
  evring: string;
}

/** An outcome's code alone (thrown or not). */
const code = (outcome: string): string => bare(outcome).split(': ')[0]!;

/**
 * The differences kept on purpose, each with why; a difference no entry
 * covers fails the sweep.
 */
const KEPT: readonly [why: string, covers: (c: Case) => boolean][] = [
  [
    "readFile takes the 'buffer' encoding (a Buffer), as readdir and mkdtemp do; Node's readFile alone refuses it",
    (c) => c.call.startsWith('readFile') && /'buffer'|encoding: buffer/.test(c.label),
  ],
  [
    "stat's `bigint` must be a boolean; Node takes any value (and reads all but `true` as false)",
    (c) => /stat/.test(c.call) && /bigint: (1|null)/.test(c.label),
  ],
  [
    "stat's options may be null (none); Node's stat fails reading null's `bigint`, with no code",
    (c) => /stat/.test(c.call) && c.label === 'null' && bare(c.node).startsWith('uncoded'),
  ],
  [
    "a `signal` where Node's call takes no options is evring's own: checked as Node checks the signals it takes (null or a string is refused), and obeyed (an aborted one rejects)",
    (c) =>
      /signal/.test(c.label) &&
      // Node's call did its work (for rm, without the `recursive` the signal's options lack: ERR_FS_EISDIR).
      (c.node === 'ok' || (c.call === 'rm' && code(c.node) === 'ERR_FS_EISDIR')) &&
      (code(c.evring) === 'ERR_INVALID_ARG_TYPE' || code(c.evring) === 'ABORT_ERR'),
  ],
  [
    "Node 20 loses an X of an empty prefix's template ('XXXXX') and fails with EINVAL; evring makes the directory, as mkdtemp(3) of 'XXXXXX' does",
    (c) => c.call === 'mkdtemp' && c.at === 0 && c.label === "''" && c.node === 'EINVAL',
  ],
  [
    "a handle's position that is no safe integer is refused, as fs.read refuses it; Node's FileHandle reads or writes at the current position instead (and ignores a bigint one)",
    (c) => c.at === POSITION[c.call] && c.label !== 'undefined' && c.label !== 'null',
  ],
  [
    'readv of no buffers reads 0 bytes, as readv(2) does; Node 20 fails with EINVAL',
    (c) => c.call === 'readv' && c.at === 0 && c.label === '[]' && c.node === 'EINVAL',
  ],
  // Words: the same code, thrown alike, a message of evring's own.
  [
    "a callback is named 'callback', where node:fs names it 'cb'",
    (c) =>
      c.node.replace('"cb" argument', '"callback" argument') === c.evring &&
      code(c.node) === 'ERR_INVALID_ARG_TYPE',
  ],
  [
    'bad flags are told what flags are taken (Node: "The argument \'flags\' is invalid")',
    (c) =>
      thrownAlike(c) &&
      bare(c.node).startsWith("ERR_INVALID_ARG_VALUE: The argument 'flags' is invalid.") &&
      bare(c.evring).startsWith("ERR_INVALID_ARG_VALUE: The argument 'flags' is not a flag string"),
  ],
  [
    "node:fs' fd checks are made in C++, which shows what it received its own way (a bigint without its n, a string cut at a NUL)",
    (c) =>
      FD_CALLS.has(c.call) &&
      c.at === 0 &&
      thrownAlike(c) &&
      code(c.node) === 'ERR_INVALID_ARG_TYPE' &&
      /^ERR_INVALID_ARG_TYPE: The "fd" argument must be of type number\./.test(bare(c.evring)),
  ],
];

/** An outcome without its 'thrown ' mark. */
const bare = (outcome: string): string => outcome.replace(/^thrown /, '');
/** Whether both sides threw, or neither did. */
const thrownAlike = (c: Case): boolean =>
  c.node.startsWith('thrown ') === c.evring.startsWith('thrown ');

/** The callback calls that take an fd first. */
const FD_CALLS: ReadonlySet<string> = new Set([
  'fstat',
  'close',
  'fsync',
  'fdatasync',
  'ftruncate',
  'fchmod',
  'fchown',
  'futimes',
]);

/** The callback calls that take an fd in their path's place (a number there is one, as in Node's). */
const PATH_OR_FD_CALLS: ReadonlySet<string> = new Set([
  'readFile',
  'writeFile',
  'appendFile',
  'truncate',
]);

/** Where each handle call takes its position. */
const POSITION: Readonly<Record<string, number>> = {
  read: 3,
  write: 3,
  'write (a string)': 1,
  readv: 1,
  writev: 1,
};

/**
 * How a call ended: 'ok'; an argument error's code and message; another
 * error's code; or 'uncoded' and the error, for one without a code.
 */
function outcomeOf(err: unknown): string {
  if (err === null) return 'ok';
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return `uncoded ${String(err)}`;
  return code.startsWith('ERR_') ? `${code}: ${(err as Error).message}` : code;
}

/** How a promise call ended; one that threw rather than rejecting says so ('thrown …'). */
async function promiseOutcome(call: () => Promise<unknown>): Promise<string> {
  let settled: Promise<unknown>;
  try {
    settled = call();
  } catch (err) {
    return `thrown ${outcomeOf(err)}`;
  }
  try {
    await settled;
    return 'ok';
  } catch (err) {
    return outcomeOf(err);
  }
}

/** The differences found: each case where the sides disagree and no {@link KEPT} entry covers it. */
class Tally {
  readonly wrong: string[] = [];
  compared = 0;
  add(c: Case, also = ''): void {
    this.compared++;
    if (c.node === c.evring && also === '') return;
    if (KEPT.some(([, covers]) => covers(c))) return;
    this.wrong.push(
      `${c.call} argument ${c.at} ${c.label}: node ${c.node}, evring ${c.evring}${also}`,
    );
  }
}

/**
 * Pairs of wrong arguments tried per call, after the single ones: the
 * readiness test's count divided by 10 (60 by default); `pnpm fuzz` plays
 * more, from a random seed (EVRING_FUZZ_RUNS, EVRING_FUZZ_SEED).
 */
const PAIRS_PER_CALL = Math.max(1, Math.round(Number(process.env.EVRING_FUZZ_RUNS ?? 600) / 10));

/**
 * A draw of pairs from a seeded sequence (EVRING_FUZZ_SEED; the same pairs
 * each run): up to {@link PAIRS_PER_CALL} of the placements given, two at
 * a time, each pair in two different places (argument or option).
 */
function pairDraw(): <T extends readonly [unknown, number]>(placements: readonly T[]) => [T, T][] {
  let seed = Number(process.env.EVRING_FUZZ_SEED ?? 20261207);
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  return (placements) => {
    const pairs: [(typeof placements)[number], (typeof placements)[number]][] = [];
    for (let i = 0; i < PAIRS_PER_CALL && placements.length > 1; i++) {
      const first = placements[random(placements.length)]!;
      const second = placements[random(placements.length)]!;
      if (first[0] !== second[0]) pairs.push([first, second]); // one place, two values: no pair
    }
    return pairs;
  };
}

/**
 * Each call with each wrong value in each argument's place (and one past
 * the last, where evring may take options Node's call does not): Node's
 * call in its directory, evring's in its own. Then, for the order in which
 * arguments are checked, pairs of wrong values both sides refused alone,
 * in two arguments at once: the same one must be named first.
 */
async function sweep<A>(
  calls: readonly [string, (d: string) => unknown[], A][],
  run: (side: Side, call: A, args: unknown[]) => Promise<string>,
  tally: Tally,
  skip: (name: string, at: number, value: unknown) => boolean = () => false,
  content?: string,
): Promise<void> {
  /** Both sides' outcomes of one placement of wrong values ([argument, WRONG index]). */
  const play = async (valid: (d: string) => unknown[], call: A, put: [number, number][]) => {
    freshTwins(content);
    const outcomes: Record<Side, string> = { node: '', evring: '' };
    for (const side of ['node', 'evring'] as const) {
      const d = sideDir(side);
      const args = valid(d);
      for (const [at, v] of put) args[at] = WRONG[v]![1](d);
      process.chdir(d);
      try {
        // A message naming the side's directory (rm's ERR_FS_EISDIR) names it alike.
        outcomes[side] = (await run(side, call, args)).split(d).join('<dir>');
      } finally {
        process.chdir(started);
      }
    }
    let also = '';
    if (content !== undefined && outcomes.node === outcomes.evring) {
      const [a, b] = (['node', 'evring'] as const).map((s) =>
        readFileSync(join(sideDir(s), 'file')),
      );
      if (!a!.equals(b!)) also = `; the file holds ${a} on node, ${b} on evring`;
    }
    return { ...outcomes, also };
  };
  const pairs = pairDraw();
  for (const [name, valid, call] of calls) {
    const count = valid(root).length + 1;
    /** The placements both sides refused alike: [argument, WRONG index]. */
    const refused: [number, number][] = [];
    for (let at = 0; at < count; at++) {
      for (let v = 0; v < WRONG.length; v++) {
        if (skip(name, at, WRONG[v]![1](root))) continue;
        const { node, evring, also } = await play(valid, call, [[at, v]]);
        tally.add({ call: name, at, label: WRONG[v]![0], node, evring }, also);
        if (node === evring && /^(thrown )?(ERR_|ABORT_ERR)/.test(node)) refused.push([at, v]);
      }
    }
    for (const [first, second] of pairs(refused)) {
      const { node, evring } = await play(valid, call, [first, second]);
      const label = `${WRONG[first[1]]![0]} and argument ${second[0]} ${WRONG[second[1]]![0]}`;
      tally.add({ call: name, at: first[0], label, node, evring });
    }
  }
}

describe('one wrong argument at a time: the outcome Node has', () => {
  const t = testScope();

  it(
    "fs/promises' path calls",
    async () => {
      const ours = t.loop({ backend: 'iouring', attach: true }).fs
        .promises as unknown as typeof nodeFs;
      type Call = (fs: typeof nodeFs, args: unknown[]) => Promise<unknown>;
      const calls: [string, (d: string) => unknown[], Call][] = [
        [
          'open',
          (d) => [join(d, 'file'), 'r', 0o666],
          (f, a) => f.open(...(a as [string])).then((h) => h.close()),
        ],
        [
          'readFile',
          (d) => [join(d, 'file'), { encoding: 'utf8' }],
          (f, a) => f.readFile(...(a as [string])),
        ],
        [
          'writeFile',
          (d) => [join(d, 'w'), 'data', { encoding: 'utf8' }],
          (f, a) => f.writeFile(...(a as [string, string])),
        ],
        [
          'appendFile',
          (d) => [join(d, 'w'), 'data', {}],
          (f, a) => f.appendFile(...(a as [string, string])),
        ],
        ['stat', (d) => [join(d, 'file'), { bigint: false }], (f, a) => f.stat(...(a as [string]))],
        [
          'lstat',
          (d) => [join(d, 'file'), { bigint: false }],
          (f, a) => f.lstat(...(a as [string])),
        ],
        ['readdir', (d) => [d, { withFileTypes: false }], (f, a) => f.readdir(...(a as [string]))],
        [
          'mkdir',
          (d) => [join(d, 'sub', 'x'), { recursive: true }],
          (f, a) => f.mkdir(...(a as [string])),
        ],
        [
          'mkdtemp',
          (d) => [join(d, 't-'), { encoding: 'utf8' }],
          (f, a) => f.mkdtemp(...(a as [string])),
        ],
        [
          'rename',
          (d) => [join(d, 'file'), join(d, 'moved')],
          (f, a) => f.rename(...(a as [string, string])),
        ],
        [
          'link',
          (d) => [join(d, 'file'), join(d, 'linked')],
          (f, a) => f.link(...(a as [string, string])),
        ],
        [
          'symlink',
          (d) => ['target', join(d, 'symlinked'), 'file'],
          (f, a) => f.symlink(...(a as [string, string])),
        ],
        ['unlink', (d) => [join(d, 'file')], (f, a) => f.unlink(...(a as [string]))],
        ['rmdir', (d) => [join(d, 'sub'), {}], (f, a) => f.rmdir(...(a as [string]))],
        ['truncate', (d) => [join(d, 'file'), 2], (f, a) => f.truncate(...(a as [string]))],
        ['access', (d) => [join(d, 'file'), 4], (f, a) => f.access(...(a as [string]))],
        ['chmod', (d) => [join(d, 'file'), 0o640], (f, a) => f.chmod(...(a as [string, number]))],
        ['lchmod', (d) => [join(d, 'link'), 0o640], (f, a) => f.lchmod(...(a as [string, number]))],
        [
          'chown',
          (d) => [join(d, 'file'), 1, 2],
          (f, a) => f.chown(...(a as [string, number, number])),
        ],
        [
          'lchown',
          (d) => [join(d, 'link'), 3, 4],
          (f, a) => f.lchown(...(a as [string, number, number])),
        ],
        [
          'utimes',
          (d) => [join(d, 'file'), 1, 2],
          (f, a) => f.utimes(...(a as [string, number, number])),
        ],
        [
          'lutimes',
          (d) => [join(d, 'link'), 3, 4],
          (f, a) => f.lutimes(...(a as [string, number, number])),
        ],
        ['readlink', (d) => [join(d, 'link'), {}], (f, a) => f.readlink(...(a as [string]))],
        ['realpath', (d) => [join(d, 'link'), {}], (f, a) => f.realpath(...(a as [string]))],
        [
          'copyFile',
          (d) => [join(d, 'file'), join(d, 'copied'), 0],
          (f, a) => f.copyFile(...(a as [string, string])),
        ],
        ['rm', (d) => [join(d, 'sub'), { recursive: true }], (f, a) => f.rm(...(a as [string]))],
        [
          'cp',
          (d) => [join(d, 'sub'), join(d, 'copied'), { recursive: true }],
          (f, a) => f.cp(...(a as [string, string])),
        ],
        [
          'statfs',
          (d) => [join(d, 'file'), { bigint: false }],
          (f, a) => f.statfs(...(a as [string])),
        ],
        [
          'opendir',
          (d) => [d, { encoding: 'utf8' }],
          // What the Dir reads first, then closed (an open one would leak its fd).
          async (f, a) => {
            const dir = await f.opendir(...(a as [string]));
            try {
              return (await dir.read())?.name;
            } finally {
              await dir.close();
            }
          },
        ],
      ];
      const tally = new Tally();
      await sweep(
        calls,
        (side, call, args) => promiseOutcome(() => call(side === 'node' ? nodeFs : ours, args)),
        tally,
        // Node 20's promise opendir is its callback form promisified: a function in its
        // options' place is taken as its callback (it never settles), and any argument
        // after them must be a callback (ERR_INVALID_ARG_TYPE). Not swept.
        // And cp's `signal` is evring's own (Node's cp takes none and passes over it).
        (name, at, value) =>
          (name === 'opendir' && (at === 2 || (at === 1 && typeof value === 'function'))) ||
          (name === 'cp' &&
            at === 2 &&
            typeof value === 'object' &&
            value !== null &&
            'signal' in value),
      );
      expect(tally.wrong).toEqual([]);
      expect(tally.compared).toBeGreaterThan(5000); // 5,628: fewer means the sweep lost reach
    },
    SWEEP_MS,
  );

  it(
    "a FileHandle's calls",
    async () => {
      const loop = t.loop({ backend: 'iouring', attach: true });
      type HandleCall = (fh: nodeFs.FileHandle, args: unknown[]) => Promise<unknown>;
      const any = (h: nodeFs.FileHandle, name: string, a: unknown[]): Promise<unknown> =>
        (h as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[name]!(...a);
      const calls: [string, (d: string) => unknown[], HandleCall][] = [
        ['read', () => [Buffer.alloc(8), 0, 8, 0], (h, a) => any(h, 'read', a)],
        [
          'read (options)',
          () => [{ buffer: Buffer.alloc(8), offset: 0, length: 8, position: 0 }],
          (h, a) => any(h, 'read', a),
        ],
        [
          'read (a buffer, options)',
          () => [Buffer.alloc(8), { offset: 0, length: 8, position: 0 }],
          (h, a) => any(h, 'read', a),
        ],
        ['write', () => [Buffer.from('abcdefgh'), 0, 8, 0], (h, a) => any(h, 'write', a)],
        ['write (a string)', () => ['abcd', 0, 'utf8'], (h, a) => any(h, 'write', a)],
        [
          'write (a buffer, options)',
          () => [Buffer.from('abc'), { offset: 0, length: 3, position: 0 }],
          (h, a) => any(h, 'write', a),
        ],
        ['readv', () => [[Buffer.alloc(4)], 0], (h, a) => any(h, 'readv', a)],
        ['writev', () => [[Buffer.from('ab')], 0], (h, a) => any(h, 'writev', a)],
        ['stat', () => [{ bigint: false }], (h, a) => any(h, 'stat', a)],
        ['truncate', () => [11], (h, a) => any(h, 'truncate', a)],
        ['sync', () => [], (h, a) => any(h, 'sync', a)],
        ['datasync', () => [], (h, a) => any(h, 'datasync', a)],
        ['readFile', () => [{ encoding: 'utf8' }], (h, a) => any(h, 'readFile', a)],
        ['writeFile', () => ['x', { encoding: 'utf8' }], (h, a) => any(h, 'writeFile', a)],
        ['appendFile', () => ['x', { encoding: 'utf8' }], (h, a) => any(h, 'appendFile', a)],
        ['chmod', () => [0o640], (h, a) => any(h, 'chmod', a)],
        ['chown', () => [1, 2], (h, a) => any(h, 'chown', a)],
        ['utimes', () => [1, 2], (h, a) => any(h, 'utimes', a)],
      ];
      const open = (side: Side): Promise<nodeFs.FileHandle> => {
        const file = join(sideDir(side), 'file');
        return side === 'node'
          ? nodeFs.open(file, 'r+')
          : (loop.fs.promises.open(file, 'r+') as Promise<LoopFileHandle> as never);
      };
      const tally = new Tally();
      await sweep(
        calls,
        async (side, call, args) => {
          const fh = await open(side);
          try {
            return await promiseOutcome(() => call(fh, args));
          } finally {
            await fh.close();
          }
        },
        tally,
        // Node 20 aborts on a read's or write's length that is not an integer.
        (name, at, value) =>
          (name === 'read' || name === 'write') && at === 2 && !Number.isInteger(value),
        'hello world',
      );
      expect(tally.wrong).toEqual([]);
      expect(tally.compared).toBeGreaterThan(2700); // 3,061
    },
    SWEEP_MS,
  );
});

describe("odd stream options, one and two at a time: what Node's file streams do with them", () => {
  const t = testScope();

  it(
    "createReadStream's and createWriteStream's options, against Node's path-form streams (which check them as a FileHandle's do)",
    async () => {
      const loop = t.loop({ backend: 'iouring', attach: true });
      const file = join(root, 'stream-file');
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
      /** The code a constructor throws ('ok' when it does not). */
      const thrown = (make: () => { destroy(): unknown }): string => {
        try {
          make().destroy();
          return 'ok';
        } catch (err) {
          return outcomeOf(err);
        }
      };
      /** Node's streams made: each opens its file and closes it after destroy(), asynchronously. */
      const made: { closed: boolean }[] = [];
      /** Both streams made with the options `put` ([key, WRONG index] each); how each ended. */
      const compare = async (kind: 'read' | 'write', put: [string, number][]) => {
        const options = (): Record<string, unknown> =>
          Object.fromEntries(put.map(([key, v]) => [key, WRONG[v]![1](root)]));
        const node = thrown(() => {
          const stream =
            kind === 'read'
              ? nodeCallbacks.createReadStream(file, options())
              : nodeCallbacks.createWriteStream(file, { ...options(), flags: 'r+' });
          made.push(stream);
          return stream;
        });
        const fh = await loop.fs.promises.open(file, 'r+');
        const evring = thrown(() =>
          kind === 'read' ? fh.createReadStream(options()) : fh.createWriteStream(options()),
        );
        await fh.close();
        return { node, evring };
      };
      const pairs = pairDraw();
      const tally = new Tally();
      for (const kind of ['read', 'write'] as const) {
        /** The options both streams refused alike, alone. */
        const refused: [string, number][] = [];
        for (const key of keys) {
          if (kind === 'read' && key === 'flush') continue;
          if (kind === 'write' && key === 'end') continue;
          for (let v = 0; v < WRONG.length; v++) {
            const label = WRONG[v]![0];
            // Node 20's write stream opens its file, then refuses 'buffer', leaving the file open.
            if (kind === 'write' && key === 'encoding' && label === "'buffer'") continue;
            const { node, evring } = await compare(kind, [[key, v]]);
            tally.add({ call: `${kind} stream ${key}`, at: 0, label, node, evring });
            if (node === evring && node.startsWith('ERR_')) refused.push([key, v]);
          }
        }
        // Two at once: the option Node checks first is named.
        for (const [first, second] of pairs(refused)) {
          const { node, evring } = await compare(kind, [first, second]);
          const label = `${WRONG[first[1]]![0]} and ${second[0]} ${WRONG[second[1]]![0]}`;
          tally.add({ call: `${kind} stream ${first[0]}`, at: 0, label, node, evring });
        }
      }
      expect(tally.wrong).toEqual([]);
      expect(tally.compared).toBeGreaterThan(800); // 825 alone, then pairs
      // Node's streams have closed their files before the test ends.
      const deadline = Date.now() + 5000;
      while (made.some((m) => !m.closed) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
    },
    SWEEP_MS,
  );
});

describe('one wrong argument at a time, callback forms: the outcome node:fs has', () => {
  const t = testScope();

  it(
    'the calls node:fs and loop.fs share, as node:fs shapes them (read and write are shaped otherwise)',
    async () => {
      const loop = t.loop({ backend: 'iouring', attach: true });
      const closed = 2 ** 30; // a number no fd has: a valid argument whose call fails later
      const calls: [string, (d: string) => unknown[], null][] = [
        ['open', (d) => [join(d, 'file'), 'r', 0o666], null],
        ['stat', (d) => [join(d, 'file'), { bigint: false }], null],
        ['lstat', (d) => [join(d, 'file'), { bigint: false }], null],
        ['fstat', () => [closed, { bigint: false }], null],
        ['close', () => [closed], null],
        ['fsync', () => [closed], null],
        ['fdatasync', () => [closed], null],
        ['ftruncate', () => [closed, 0], null],
        ['rename', (d) => [join(d, 'file'), join(d, 'moved')], null],
        ['link', (d) => [join(d, 'file'), join(d, 'linked')], null],
        ['symlink', (d) => ['target', join(d, 'symlinked'), 'file'], null],
        ['unlink', (d) => [join(d, 'file')], null],
        ['rmdir', (d) => [join(d, 'sub'), {}], null],
        ['mkdir', (d) => [join(d, 'sub', 'x'), { recursive: false }], null],
        ['mkdtemp', (d) => [join(d, 't-'), { encoding: 'utf8' }], null],
        ['access', (d) => [join(d, 'file'), 0], null],
        ['exists', (d) => [join(d, 'file')], null],
        ['chmod', (d) => [join(d, 'file'), 0o644], null],
        ['fchmod', () => [closed, 0o644], null],
        ['chown', (d) => [join(d, 'file'), -1, -1], null],
        ['lchown', (d) => [join(d, 'link'), -1, -1], null],
        ['fchown', () => [closed, -1, -1], null],
        ['utimes', (d) => [join(d, 'file'), 1, 1], null],
        ['lutimes', (d) => [join(d, 'link'), 1, 1], null],
        ['futimes', () => [closed, 1, 1], null],
        ['readlink', (d) => [join(d, 'link'), { encoding: 'utf8' }], null],
        ['realpath', (d) => [join(d, 'link'), { encoding: 'utf8' }], null],
        ['statfs', (d) => [join(d, 'file'), { bigint: false }], null],
        ['readFile', (d) => [join(d, 'file'), { encoding: 'utf8', flag: 'r' }], null],
        [
          'writeFile',
          (d) => [join(d, 'new'), 'data', { encoding: 'utf8', mode: 0o644, flag: 'w' }],
          null,
        ],
        ['appendFile', (d) => [join(d, 'file'), 'data', { encoding: 'utf8', flush: false }], null],
        ['truncate', (d) => [join(d, 'file'), 1], null],
        ['readdir', (d) => [d, { encoding: 'utf8', withFileTypes: false }], null],
        ['opendir', (d) => [d, { encoding: 'utf8', bufferSize: 32 }], null],
        ['copyFile', (d) => [join(d, 'file'), join(d, 'copied'), 0], null],
        [
          'rm',
          (d) => [
            join(d, 'file'),
            { force: false, recursive: false, maxRetries: 0, retryDelay: 1 },
          ],
          null,
        ],
        [
          'cp',
          (d) => [join(d, 'file'), join(d, 'copied'), { recursive: false, force: true }],
          null,
        ],
      ];
      const ours = loop.fs as unknown as Record<string, (...a: unknown[]) => void>;
      const node = nodeCallbacks as unknown as Record<string, (...a: unknown[]) => void>;
      const tally = new Tally();
      let name = '';
      await sweep(
        calls.map(([n, valid]) => [n, valid, n] as [string, (d: string) => unknown[], string]),
        (side, call, args) =>
          new Promise<string>((resolve) => {
            name = call;
            const timer = setTimeout(() => resolve('no callback in 5 s'), 5000);
            const end = (outcome: string): void => {
              clearTimeout(timer);
              resolve(outcome);
            };
            /** An fd an open gives, or a Dir an opendir gives, is closed at once. */
            const closeOpened = (fd: unknown): void => {
              if (name === 'open' && typeof fd === 'number' && fd >= 0) {
                nodeCallbacks.closeSync(fd);
              }
              // And a Dir an opendir gives.
              if (name === 'opendir' && typeof fd === 'object' && fd !== null) {
                (fd as { closeSync(): void }).closeSync();
              }
            };
            // A wrong value that is a function may be taken for the callback: say so.
            const called = args.map((a, i) =>
              typeof a === 'function'
                ? (_err: unknown, fd: unknown) => {
                    closeOpened(fd);
                    end(`argument ${i} was called back`);
                  }
                : a,
            );
            try {
              (side === 'node' ? node : ours)[call]!(...called, (err: unknown, fd: unknown) => {
                closeOpened(fd);
                end(outcomeOf(err ?? null));
              });
            } catch (err) {
              end(`thrown ${outcomeOf(err)}`); // at once, not through the callback
            }
          }),
        tally,
        // Any fd number could be one of the test's own (0 is its stdin); a
        // symbol as an fd aborts Node 20 (formatting its error). A negative
        // fd in readFile's path throws out of a later tick of Node 20's,
        // uncaught, with no callback (evring calls back EBADF). A close with
        // no callback throws its EBADF out of the loop, as Node's does
        // (file-compat.test.ts tests that on a real fd). Node 20's rm never
        // checks its callback: a value that is no function there throws out
        // of a later tick, uncaught (evring throws ERR_INVALID_ARG_TYPE at
        // the call; file-copy-rm-callbacks.test.ts tests it).
        (n, at, value) =>
          (n === 'rm' && at === 2 && typeof value !== 'function') ||
          (FD_CALLS.has(n) &&
            at === 0 &&
            (typeof value === 'symbol' || (Number.isInteger(value) && (value as number) >= 0))) ||
          (PATH_OR_FD_CALLS.has(n) &&
            at === 0 &&
            Number.isInteger(value) &&
            ((value as number) >= 0 || n === 'readFile')) ||
          (n === 'close' && at === 1 && value === undefined),
      );
      expect(tally.wrong).toEqual([]);
      expect(tally.compared).toBeGreaterThan(7000); // 7,780
      // What the calls started settles before the loop goes.
      const deadline = Date.now() + 5000;
      while (loop.fs.inFlight > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      expect(loop.fs.inFlight).toBe(0);
    },
    SWEEP_MS,
  );
});

describe('the sweep keeps to its own directory', () => {
  it('leaves nothing of its own where the process was working', () => {
    // Node acts on a relative path it takes ('bogus': mkdir, mkdtemp, writeFile);
    // each side works in its own directory, removed after it, so none lands here.
    expect(sweepNames()).toEqual(namesBefore);
  });
});
