/**
 * `loop.fs`' path calls against node:fs', on random sequences: the same
 * calls, one at a time, in twin directories, one through `loop.fs` (or
 * `loop.fs.promises`), one through `node:fs` (or `node:fs/promises`):
 * mkdir (plain and recursive), rmdir, unlink, rename, link, symlink, stat,
 * lstat, open and close, readdir, readFile, writeFile, appendFile and
 * truncate, on names that may be missing, files, directories, symbolic
 * links (dangling, looping, through directories), with trailing slashes and
 * `.`/`..` in them, given as strings, Buffers or file URLs. Each call's
 * outcome (its result, or its error's code, syscall, message, path and
 * dest, the directories' own names written as `R`) must be Node's, and so
 * must both trees after it: every name's kind, mode, link count, size,
 * bytes and link target.
 *
 * `pnpm test` plays a fixed seed; `pnpm fuzz` plays more with a random one
 * (EVRING_FUZZ_SEED, EVRING_FUZZ_RUNS), as the other differential tests.
 */

import { createHash } from 'node:crypto';
import * as nodeCb from 'node:fs';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Loop } from '../src/index.js';
import { FILE_CONFIGS, testScope } from './helpers.js';

const SEED = Number(process.env.EVRING_FUZZ_SEED ?? 20261207);
/** Sequences per configuration: the readiness test's count divided by 30 (20 by default). */
const RUNS = Math.max(1, Math.round(Number(process.env.EVRING_FUZZ_RUNS ?? 600) / 30));

/** The names a step may use, relative to its tree's root, as written. */
const NAME = fc.constantFrom(
  'a',
  'b',
  'c',
  'a/a',
  'a/b',
  'b/a',
  'a/a/b',
  'a/',
  'b/',
  'a/b/',
  'a/./b',
  'a/../b',
  'c/..',
  '',
);
/**
 * Symbolic links' targets, as written: relative to the link's directory, or
 * absolute (made so by `abs`). None climbs with `..`, so that a step reaches
 * at most its side's own folder above its root (through a name's `..`),
 * never the other side's.
 */
const TARGET = fc.constantFrom('a', 'b', 'c', 'a/b', '.', 'nowhere', 'a/');
type Kind = 'string' | 'buffer' | 'url';
type Form = 'promise' | 'callback';
const KIND = fc.constantFrom<Kind>('string', 'buffer', 'url');
const FORM = fc.constantFrom<Form>('promise', 'callback');
const FLAGS = fc.constantFrom<string | number>(
  'r',
  'r+',
  'w',
  'wx',
  'a',
  'ax+',
  nodeCb.constants.O_RDONLY | nodeCb.constants.O_DIRECTORY,
  nodeCb.constants.O_RDONLY | nodeCb.constants.O_NOFOLLOW,
  nodeCb.constants.O_RDWR,
  nodeCb.constants.O_WRONLY | nodeCb.constants.O_CREAT | nodeCb.constants.O_EXCL,
);
const MODE = fc.constantFrom(undefined, 0o600, 0o755, 0o4750);

type Step =
  | { k: 'mkdir'; p: string; recursive: boolean; mode: number | undefined; kind: Kind; form: Form }
  | {
      k: 'rmdir' | 'unlink' | 'stat' | 'lstat';
      p: string;
      kind: Kind;
      form: Form;
    }
  | { k: 'rename' | 'link'; p: string; q: string; kind: Kind; form: Form }
  | { k: 'symlink'; target: string; abs: boolean; p: string; kind: Kind; form: Form }
  | {
      k: 'open';
      p: string;
      flags: string | number;
      mode: number | undefined;
      kind: Kind;
      form: Form;
    }
  | { k: 'readdir'; p: string; types: boolean; kind: Kind }
  | { k: 'readFile'; p: string; kind: Kind }
  | {
      k: 'writeFile' | 'appendFile';
      p: string;
      len: number;
      flag: string | undefined;
      kind: Kind;
    }
  | { k: 'truncate'; p: string; len: number; kind: Kind };

const arbStep: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('mkdir' as const),
      p: NAME,
      recursive: fc.boolean(),
      mode: MODE,
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constantFrom('rmdir' as const, 'unlink' as const, 'stat' as const, 'lstat' as const),
      p: NAME,
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constantFrom('rename' as const, 'link' as const),
      p: NAME,
      q: NAME,
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('symlink' as const),
      target: TARGET,
      abs: fc.boolean(),
      p: NAME,
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('open' as const),
      p: NAME,
      flags: FLAGS,
      mode: MODE,
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('readdir' as const),
      p: NAME,
      types: fc.boolean(),
      kind: KIND,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('readFile' as const), p: NAME, kind: KIND }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constantFrom('writeFile' as const, 'appendFile' as const),
      p: NAME,
      len: fc.nat(3000),
      flag: fc.constantFrom(undefined, 'w', 'wx', 'a', 'r+'),
      kind: KIND,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('truncate' as const),
      p: NAME,
      len: fc.nat(4000),
      kind: KIND,
    }),
  },
);

/** One side of the comparison: its tree's root and its calls. */
interface Side {
  root: string;
  /** The promise forms. */
  promises: typeof nodeFs;
  /** The callback forms. */
  callbacks: typeof nodeCb;
}

const digest = (b: Buffer): string => createHash('sha1').update(b).digest('hex').slice(0, 12);

/** `name` under `root`, written as a string, a Buffer or a file URL. */
function where(root: string, name: string, kind: Kind): string | Buffer | URL {
  const raw = `${root}/${name}`;
  if (kind === 'buffer') return Buffer.from(raw);
  if (kind === 'url') return new URL(`file://${raw}`);
  return raw;
}

/** A call's outcome: its result, or its error's code, syscall, message, path and dest, with `root` written as R. */
async function outcome(root: string, call: () => Promise<string>): Promise<string> {
  const cut = (s: unknown) => (s === undefined ? '' : String(s).split(root).join('R'));
  try {
    return cut(await call());
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { dest?: string };
    return cut(
      `${err.code ?? err.name} ${err.errno ?? ''} ${err.syscall ?? ''}: ${err.message} [${err.path ?? ''}] [${err.dest ?? ''}]`,
    );
  }
}

/** What a stat call's result says that two twin trees share. */
function describeStats(st: nodeCb.Stats): string {
  const kind = st.isFile()
    ? 'file'
    : st.isDirectory()
      ? 'dir'
      : st.isSymbolicLink()
        ? 'link'
        : 'other';
  return `${kind} mode ${st.mode.toString(8)} nlink ${st.nlink} size ${st.isDirectory() ? '-' : st.size}`;
}

/** `fn` given a Node-style callback, as a promise. */
function called<T>(fn: (cb: (err: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    fn((err, value) => (err ? reject(err) : resolve(value as T)));
  });
}

/** Plays one step on `side`; its outcome. */
function play(step: Step, side: Side): Promise<string> {
  const { root, promises: p, callbacks: cb } = side;
  const at = (name: string) => where(root, name, step.kind);
  const form = 'form' in step ? step.form : 'promise';
  return outcome(root, async () => {
    switch (step.k) {
      case 'mkdir': {
        const options = { recursive: step.recursive, mode: step.mode };
        const made =
          form === 'promise'
            ? await p.mkdir(at(step.p), options)
            : await called<string | undefined>((done) => cb.mkdir(at(step.p), options, done));
        return `made ${made}`;
      }
      case 'rmdir':
      case 'unlink':
        if (form === 'promise') await p[step.k](at(step.p));
        else await called((done) => cb[step.k](at(step.p), done));
        return 'removed';
      case 'stat':
      case 'lstat': {
        const st =
          form === 'promise'
            ? await p[step.k](at(step.p))
            : await called<nodeCb.Stats>((done) => cb[step.k](at(step.p), done));
        return describeStats(st);
      }
      case 'rename':
      case 'link':
        if (form === 'promise') await p[step.k](at(step.p), at(step.q));
        else await called((done) => cb[step.k](at(step.p), at(step.q), done));
        return step.k;
      case 'symlink': {
        const target = step.abs ? `${root}/${step.target}` : step.target;
        if (form === 'promise') await p.symlink(target, at(step.p));
        else await called((done) => cb.symlink(target, at(step.p), done));
        return 'symlinked';
      }
      case 'open': {
        if (form === 'promise') {
          const fh = await p.open(at(step.p), step.flags, step.mode);
          const st = await fh.stat();
          await fh.close();
          return `opened ${describeStats(st)}`;
        }
        const fd = await called<number>((done) => cb.open(at(step.p), step.flags, step.mode, done));
        const st = await called<nodeCb.Stats>((done) => cb.fstat(fd, done));
        await called((done) => cb.close(fd, done));
        return `opened ${describeStats(st)}`;
      }
      case 'readdir': {
        if (!step.types) return (await p.readdir(at(step.p))).sort().join(' ');
        const entries = await p.readdir(at(step.p), { withFileTypes: true });
        return entries
          .map((d) => {
            const kind = d.isFile() ? 'f' : d.isDirectory() ? 'd' : d.isSymbolicLink() ? 'l' : '?';
            return `${d.name}:${kind}:${d.parentPath}:${d.path}`;
          })
          .sort()
          .join(' ');
      }
      case 'readFile': {
        const data = await p.readFile(at(step.p));
        return `read ${data.length} ${digest(data)}`;
      }
      case 'writeFile':
      case 'appendFile':
        await p[step.k](at(step.p), Buffer.alloc(step.len, 0x61 + (step.len % 26)), {
          flag: step.flag,
        });
        return step.k;
      case 'truncate':
        await p.truncate(at(step.p), step.len);
        return 'truncated';
    }
  });
}

/** Every name under `top`, with its kind, mode, link count, size, bytes or target (`root` written as R). */
function tree(top: string, root: string, under = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(top, under)).sort()) {
    const rel = join(under, name);
    const full = join(top, rel);
    const st = lstatSync(full);
    const head = `${rel} ${st.mode.toString(8)} ${st.nlink}`;
    if (st.isSymbolicLink()) out.push(`${head} -> ${readlinkSync(full).split(root).join('R')}`);
    else if (st.isDirectory()) out.push(head, ...tree(top, root, rel));
    else out.push(`${head} ${st.size} ${digest(readFileSync(full))}`);
  }
  return out;
}

/** `loop.fs` as a `Side`'s calls: the same names, as far as the steps use them. */
function ourSide(loop: Loop, root: string): Side {
  return {
    root,
    promises: loop.fs.promises as unknown as typeof nodeFs,
    callbacks: loop.fs as unknown as typeof nodeCb,
  };
}

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'evring-paths-vs-node-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("loop.fs' path calls against node:fs', call for call, on random sequences", () => {
  const t = testScope();
  let n = 0;
  for (const [name, options] of FILE_CONFIGS) {
    it(`${name}: every outcome and both trees are node's`, { timeout: 120_000 }, async () => {
      const loop = t.loop({ ...options, attach: true });
      await fc.assert(
        fc.asyncProperty(fc.array(arbStep, { minLength: 1, maxLength: 30 }), async (steps) => {
          // Each tree sits one level down, holding a file: a step may name its
          // root (rmdir of '' fails as not empty) or the side's own folder
          // above it ('c/..' where c is a link to '.'), never the other side's.
          const outer = [join(base, `evring${n}`), join(base, `nodejs${n}`)] as const;
          const ours = ourSide(loop, join(outer[0], 'in'));
          const theirs: Side = { root: join(outer[1], 'in'), promises: nodeFs, callbacks: nodeCb };
          n++;
          for (const side of [ours, theirs]) {
            mkdirSync(side.root, { recursive: true });
            writeFileSync(join(side.root, 'keep'), 'kept');
          }
          try {
            for (const [i, step] of steps.entries()) {
              const got = await play(step, ours);
              const want = await play(step, theirs);
              expect(got, `step ${i}: ${JSON.stringify(step)}`).toBe(want);
              expect(
                tree(outer[0], ours.root),
                `the trees after step ${i}: ${JSON.stringify(step)}`,
              ).toEqual(tree(outer[1], theirs.root));
            }
          } finally {
            for (const dir of outer) rmSync(dir, { recursive: true, force: true });
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });
  }
});
