/**
 * `loop.fs`' path calls against node:fs', on random sequences: the same
 * calls, one at a time, in twin directories, one through `loop.fs` (or
 * `loop.fs.promises`), one through `node:fs` (or `node:fs/promises`):
 * mkdir (plain and recursive), mkdtemp, rmdir, unlink, rename, link,
 * symlink, stat, lstat, open and close, readdir (plain and recursive), opendir, readFile, writeFile,
 * appendFile and truncate, with their flags, modes and encodings; access,
 * chmod, chown, lchown, utimes, lutimes, readlink, realpath and statfs (each
 * in both forms: a plain readdir's too); the promise forms of copyFile, cp
 * and rm; and the path streams
 * (createReadStream, createWriteStream: their events, bytes and errors). The names
 * may be missing, files, directories or symbolic links (dangling, looping,
 * through directories), with trailing slashes and `.`/`..` in them, given
 * as absolute or relative strings, Buffers or file URLs; each sequence
 * starts from a random tree. Each call's outcome (its result, or its
 * error's code, errno, syscall, message, path and dest, the directories'
 * own names written as `R`) must be Node's, and so must both trees after
 * it: every name's kind, mode, owner, link count, size, bytes and link
 * target (and the times a utimes step set, in its outcome).
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
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Loop } from '../src/index.js';
import { FILE_CONFIGS, testScope } from './helpers.js';

const SEED = Number(process.env.EVRING_FUZZ_SEED ?? 20261207);
/** Sequences per configuration: the readiness test's count divided by 15 (40 by default). */
const RUNS = Math.max(1, Math.round(Number(process.env.EVRING_FUZZ_RUNS ?? 600) / 15));

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
type Kind = 'string' | 'relative' | 'buffer' | 'url';
type Form = 'promise' | 'callback';
const KIND = fc.constantFrom<Kind>('string', 'relative', 'buffer', 'url');
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
  nodeCb.constants.O_RDWR | nodeCb.constants.O_TRUNC | nodeCb.constants.O_APPEND,
  'as+',
  'rs+',
  /** O_TMPFILE: a file with no name, in the directory named. */
  0o20200000 | nodeCb.constants.O_RDWR,
  /** O_PATH: a handle on the name only. */
  0o10000000,
);
type Mode = number | string | undefined;
const MODE = fc.constantFrom<Mode>(undefined, 0o600, 0o755, 0o4750, '640');

type Step =
  | { k: 'mkdir'; p: string; recursive: boolean; mode: Mode; kind: Kind; form: Form }
  | {
      k: 'rmdir' | 'unlink' | 'stat' | 'lstat';
      p: string;
      kind: Kind;
      form: Form;
    }
  | { k: 'mkdtemp'; p: string; kind: Kind; form: Form }
  | { k: 'rename' | 'link'; p: string; q: string; kind: Kind; form: Form }
  | { k: 'symlink'; target: string; abs: boolean; p: string; kind: Kind; form: Form }
  | {
      k: 'open';
      p: string;
      flags: string | number;
      mode: Mode;
      kind: Kind;
      form: Form;
    }
  | {
      k: 'readdir';
      p: string;
      types: boolean;
      buffers: boolean;
      recursive: boolean;
      kind: Kind;
      form: Form;
    }
  | { k: 'opendir'; p: string; buffers: boolean; recursive: boolean; kind: Kind }
  | { k: 'readFile'; p: string; flag: string | undefined; utf8: boolean; kind: Kind; form: Form }
  | {
      k: 'writeFile' | 'appendFile';
      p: string;
      len: number;
      flag: string | undefined;
      mode: Mode;
      kind: Kind;
      form: Form;
    }
  | { k: 'truncate'; p: string; len: number; kind: Kind; form: Form }
  | { k: 'access'; p: string; mode: number | undefined; kind: Kind; form: Form }
  | { k: 'chmod'; p: string; mode: number | string; kind: Kind; form: Form }
  | { k: 'chown' | 'lchown'; p: string; uid: number; gid: number; kind: Kind; form: Form }
  | { k: 'utimes' | 'lutimes'; p: string; atime: Time; mtime: Time; kind: Kind; form: Form }
  | { k: 'readlink' | 'realpath'; p: string; buffers: boolean; kind: Kind; form: Form }
  | { k: 'copyFile'; p: string; q: string; mode: number; kind: Kind; form: Form }
  | {
      k: 'cp';
      p: string;
      q: string;
      recursive: boolean;
      force: boolean;
      errorOnExist: boolean;
      verbatimSymlinks: boolean;
      preserveTimestamps: boolean;
      kind: Kind;
      form: Form;
    }
  | { k: 'rm'; p: string; recursive: boolean; force: boolean; kind: Kind; form: Form }
  | { k: 'statfs'; p: string; bigint: boolean; kind: Kind; form: Form }
  | {
      k: 'readStream';
      p: string;
      flags: string | undefined;
      start: number | undefined;
      end: number | undefined;
      kind: Kind;
    }
  | {
      k: 'writeStream';
      p: string;
      flags: string | undefined;
      mode: Mode;
      start: number | undefined;
      len: number;
      kind: Kind;
    };

/** A time as utimes takes it (a Date, made when the step plays, by its milliseconds). */
type Time = number | string | { date: number };
const TIME = fc.constantFrom<Time>(
  0,
  1.5,
  2.0000015,
  123456789.987654,
  '12.5',
  { date: 1500 },
  2 ** 40,
);
const ID = fc.constantFrom(-1, 0, 1, 1000);

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
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('mkdtemp' as const), p: NAME, kind: KIND, form: FORM }),
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
      buffers: fc.boolean(),
      recursive: fc.boolean(),
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('opendir' as const),
      p: NAME,
      buffers: fc.boolean(),
      recursive: fc.boolean(),
      kind: KIND,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('readFile' as const),
      p: NAME,
      flag: fc.constantFrom(undefined, 'r', 'a+', 'w+', 'wx+'),
      utf8: fc.boolean(),
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constantFrom('writeFile' as const, 'appendFile' as const),
      p: NAME,
      len: fc.nat(3000),
      flag: fc.constantFrom(undefined, 'w', 'wx', 'a', 'r+'),
      mode: MODE,
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('truncate' as const),
      p: NAME,
      len: fc.integer({ min: -5, max: 4000 }),
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('access' as const),
      p: NAME,
      mode: fc.constantFrom(undefined, 0, 1, 2, 4, 7),
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('chmod' as const),
      p: NAME,
      mode: fc.constantFrom<number | string>(0o600, 0o755, 0o4750, '640', 0),
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constantFrom('chown' as const, 'lchown' as const),
      p: NAME,
      uid: ID,
      gid: ID,
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constantFrom('utimes' as const, 'lutimes' as const),
      p: NAME,
      atime: TIME,
      mtime: TIME,
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constantFrom('readlink' as const, 'realpath' as const),
      p: NAME,
      buffers: fc.boolean(),
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('copyFile' as const),
      p: NAME,
      q: NAME,
      // COPYFILE_EXCL, COPYFILE_FICLONE (a copy where there are no reflinks), and both.
      mode: fc.constantFrom(0, 1, 2, 3),
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('cp' as const),
      p: NAME,
      // Often a name no tree has, so that copies land (a missing parent is made).
      q: fc.oneof(NAME, fc.constantFrom('n', 'a/n', 'n/m/')),
      // Not dereference: a tree's links back up would be copied without end, on both sides.
      recursive: fc.boolean(),
      force: fc.boolean(),
      errorOnExist: fc.boolean(),
      verbatimSymlinks: fc.boolean(),
      preserveTimestamps: fc.boolean(),
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('rm' as const),
      // Not 'c/..': where c is a directory, that names the root through c,
      // and removing the root's entries side by side removes c midway, so
      // what is left depends on timing, on Node's side as on evring's.
      p: NAME.filter((name) => name !== 'c/..'),
      recursive: fc.boolean(),
      force: fc.boolean(),
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('statfs' as const),
      p: NAME,
      bigint: fc.boolean(),
      kind: KIND,
      form: FORM,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('readStream' as const),
      p: NAME,
      flags: fc.constantFrom(undefined, 'r', 'r+', 'a+', 'wx+'),
      start: fc.constantFrom(undefined, 0, 3),
      end: fc.constantFrom(undefined, 1, 100),
      kind: KIND,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('writeStream' as const),
      p: NAME,
      flags: fc.constantFrom(undefined, 'w', 'a', 'wx', 'r+'),
      mode: MODE,
      start: fc.constantFrom(undefined, 2),
      len: fc.constantFrom(0, 5, 70_000),
      kind: KIND,
    }),
  },
);

/** What stands at a name when a sequence starts. */
type Entry = 'none' | 'file' | 'dir' | 'link to a' | 'link to nowhere' | 'link to .';
const ENTRY = fc.constantFrom<Entry>(
  'none',
  'file',
  'dir',
  'link to a',
  'link to nowhere',
  'link to .',
);
/** The tree a sequence starts from: what stands at each name (a's two only when a is a directory). */
const arbStart = fc.record({
  a: fc.constantFrom<Entry>('none', 'file', 'dir', 'dir'),
  b: ENTRY,
  c: ENTRY,
  'a/a': fc.constantFrom<Entry>('none', 'file', 'dir', 'link to a'),
  'a/b': fc.constantFrom<Entry>('none', 'file', 'dir'),
});

/** Makes `start`'s names under `root`, with node:fs. */
function plant(root: string, start: Record<string, Entry>): void {
  for (const [name, entry] of Object.entries(start)) {
    const at = join(root, name);
    if (name.startsWith('a/') && start.a !== 'dir') continue;
    // c is shorter than the others: a copy of it over one of them must truncate it.
    if (entry === 'file') writeFileSync(at, `${name} `.repeat(name === 'c' ? 30 : 100));
    else if (entry === 'dir') mkdirSync(at);
    else if (entry !== 'none') symlinkSync(entry.slice('link to '.length), at);
  }
}

/** One side of the comparison: its tree's root and its calls. */
interface Side {
  root: string;
  /** The promise forms. */
  promises: typeof nodeFs;
  /** The callback forms. */
  callbacks: typeof nodeCb;
}

const digest = (b: Buffer): string => createHash('sha1').update(b).digest('hex').slice(0, 12);

/** `name` under `root`, written as a string (absolute, or from the working directory), a Buffer or a file URL. */
function where(root: string, name: string, kind: Kind): string | Buffer | URL {
  if (kind === 'relative') return `${relative(process.cwd(), root)}/${name}`;
  const raw = `${root}/${name}`;
  if (kind === 'buffer') return Buffer.from(raw);
  if (kind === 'url') return new URL(`file://${raw}`);
  return raw;
}

/**
 * A call's outcome: its result, or its error's code, syscall, message, path
 * and dest, with `root` written as R (and as r from the working directory),
 * and the side's own folder above it as O (a realpath may end there).
 */
async function outcome(root: string, call: () => Promise<string>): Promise<string> {
  const rel = relative(process.cwd(), root);
  const cut = (s: unknown) =>
    s === undefined
      ? ''
      : String(s).split(rel).join('r').split(root).join('R').split(dirname(root)).join('O');
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

/**
 * What a path stream did, to its 'close': 'open' and 'ready', its error
 * (code, syscall, message, path), the bytes read (a digest) or written
 * (`data`, in one write, then the end).
 */
function streamed(stream: NodeJS.EventEmitter, data?: Buffer): Promise<string> {
  const events: string[] = [];
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    stream.on('open', (fd: unknown) => events.push(`open ${typeof fd}`));
    stream.on('ready', () => events.push('ready'));
    stream.on('error', (e: NodeJS.ErrnoException) =>
      events.push(`error ${e.code} ${e.syscall}: ${e.message} [${e.path ?? ''}]`),
    );
    if (data === undefined) {
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => events.push(`end ${digest(Buffer.concat(chunks))}`));
    } else {
      const w = stream as NodeJS.EventEmitter & { bytesWritten: number; end(data: Buffer): void };
      w.on('finish', () => events.push(`finish ${w.bytesWritten}`));
      w.end(data);
    }
    stream.on('close', () => resolve(events.join(', ')));
  });
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
      case 'mkdtemp': {
        const prefix = at(step.p) as string;
        const made = await (form === 'promise'
          ? p.mkdtemp(prefix)
          : called<string>((done) => cb.mkdtemp(prefix, done))
        ).catch((e: NodeJS.ErrnoException) => {
          // The name tried, with its random characters, written as Node writes the template.
          const tried = String(e.path);
          const template = `${tried.slice(0, -6)}XXXXXX`;
          e.message = e.message.split(tried).join(template);
          e.path = template;
          throw e;
        });
        // Its six random characters made the same on both sides (or the
        // directory removed where that name is taken), so the trees compare.
        const named = `${made.slice(0, -6)}______`;
        try {
          renameSync(made, named);
        } catch {
          rmdirSync(made);
        }
        return `made ${typeof made} ${named}`;
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
        const { recursive } = step;
        const encoding = step.buffers ? 'buffer' : undefined;
        const name = (n: string | Buffer) => `${Buffer.isBuffer(n) ? 'B' : 'S'}${n}`;
        // A recursive walk's order is Node's too; a plain one's names are compared as a set.
        const ordered = (list: string[]) => (recursive ? list : list.sort()).join(' ');
        // The callback form on a plain readdir only: Node's callback walk is
        // readdirSync's, which follows a looping link until ELOOP, doubling.
        const viaCallback = form === 'callback' && !recursive;
        const read = (options: object): Promise<unknown[]> =>
          viaCallback
            ? called<unknown[]>((done) => cb.readdir(at(step.p), options as never, done as never))
            : (p.readdir(at(step.p), options as never) as Promise<unknown[]>);
        if (!step.types) {
          const cut = recursive && !step.buffers && p === nodeFs ? walkCut(at(step.p)) : null;
          const names = (cut ?? (await read({ encoding, recursive }))) as (string | Buffer)[];
          return ordered(names.map(name));
        }
        const options = { withFileTypes: true, encoding, recursive };
        const entries = (await read(options)) as nodeCb.Dirent[];
        return ordered(
          entries.map((d) => {
            const kind = d.isFile() ? 'f' : d.isDirectory() ? 'd' : d.isSymbolicLink() ? 'l' : '?';
            return `${name(d.name)}:${kind}:${d.parentPath}:${d.path}`;
          }),
        );
      }
      case 'opendir': {
        // Every entry a Dir gives (as a set: twin directories may keep their names in
        // different orders), with the default bufferSize, which these trees never fill:
        // Node 20's recursive walk agrees with Node 22's then.
        const { recursive } = step;
        const encoding = step.buffers ? 'buffer' : undefined;
        const dir = await p.opendir(at(step.p) as string, { encoding, recursive } as never);
        const seen: string[] = [`path ${typeof dir.path} ${String(dir.path)}`];
        for await (const d of dir) {
          const kind = d.isFile() ? 'f' : d.isDirectory() ? 'd' : d.isSymbolicLink() ? 'l' : '?';
          seen.push(`${Buffer.isBuffer(d.name) ? 'B' : 'S'}${d.name}:${kind}:${d.parentPath}`);
        }
        return seen.sort().join(' ');
      }
      case 'readFile': {
        const encoding = step.utf8 ? 'utf8' : null;
        const options = { flag: step.flag, encoding } as never; // either encoding
        const data: string | Buffer =
          form === 'promise'
            ? await p.readFile(at(step.p), options)
            : await called<string | Buffer>((done) => cb.readFile(at(step.p), options, done));
        return `read ${typeof data} ${data.length} ${digest(Buffer.from(data))}`;
      }
      case 'writeFile':
      case 'appendFile': {
        const data = Buffer.alloc(step.len, 0x61 + (step.len % 26));
        const options = { flag: step.flag, mode: step.mode };
        if (form === 'promise') await p[step.k](at(step.p), data, options);
        else await called((done) => cb[step.k](at(step.p), data, options, done));
        return step.k;
      }
      case 'truncate':
        if (form === 'promise') await p.truncate(at(step.p), step.len);
        else await called((done) => cb.truncate(at(step.p), step.len, done));
        return 'truncated';
      case 'access':
        if (form === 'promise') await p.access(at(step.p), step.mode);
        else await called((done) => cb.access(at(step.p), step.mode, done));
        return 'accessible';
      case 'chmod':
        if (form === 'promise') await p.chmod(at(step.p), step.mode);
        else await called((done) => cb.chmod(at(step.p), step.mode, done));
        return 'chmod';
      case 'chown':
      case 'lchown':
        if (form === 'promise') await p[step.k](at(step.p), step.uid, step.gid);
        else await called((done) => cb[step.k](at(step.p), step.uid, step.gid, done));
        return step.k;
      case 'utimes':
      case 'lutimes': {
        const time = (t: Time) => (typeof t === 'object' ? new Date(t.date) : t);
        const [atime, mtime] = [time(step.atime), time(step.mtime)];
        if (form === 'promise') await p[step.k](at(step.p), atime, mtime);
        else await called((done) => cb[step.k](at(step.p), atime, mtime, done));
        // The times set, read back through the same name (of the link itself for lutimes).
        const st = (step.k === 'utimes' ? nodeCb.statSync : lstatSync)(at(step.p), {
          bigint: true,
        });
        return `${step.k} ${st.atimeNs} ${st.mtimeNs}`;
      }
      case 'copyFile':
        if (form === 'promise') await p.copyFile(at(step.p), at(step.q), step.mode);
        else await called((done) => cb.copyFile(at(step.p), at(step.q), step.mode, done));
        return 'copied';
      case 'cp': {
        const { force, errorOnExist, verbatimSymlinks, preserveTimestamps } = step;
        // Recursive only from a name that reaches no directory through a
        // link or `..` (not 'b/' with b -> ., not 'c/..'): Node's checks
        // stop at the source's parent by name, and such a copy into
        // itself runs until the path is too long (evring refuses it:
        // file-cp.test.ts).
        const recursive = step.recursive && !/(^|\/)\.\.?(\/|$)|\/$/.test(step.p);
        const options = { recursive, force, errorOnExist, verbatimSymlinks, preserveTimestamps };
        const [src, dest] = [at(step.p) as string, at(step.q) as string];
        // Node stats both paths at once: where both fail (the destination
        // otherwise than ENOENT), which error comes first is a race
        // between its pool's threads, and either is Node's answer.
        const fails = (path: string): string | null => {
          try {
            lstatSync(path);
            return null;
          } catch (err) {
            return (err as NodeJS.ErrnoException).code ?? 'thrown';
          }
        };
        const [srcFails, destFails] = [fails(src), fails(dest)];
        const copy = (): Promise<void> =>
          form === 'promise'
            ? p.cp(src, dest, options)
            : called((done) => cb.cp(src, dest, options, done));
        if (srcFails !== null && destFails !== null && destFails !== 'ENOENT') {
          const code = await copy().then(
            () => 'copied',
            (err: NodeJS.ErrnoException) => err.code,
          );
          return code === srcFails || code === destFails ? 'either stat failed' : `cp ${code}`;
        }
        await copy();
        return 'copied';
      }
      case 'rm': {
        const options = { recursive: step.recursive, force: step.force };
        if (form === 'promise') await p.rm(at(step.p), options);
        else await called((done) => cb.rm(at(step.p), options, done));
        return 'removed';
      }
      case 'readStream': {
        // A start past the end is the stream's own refusal, the same on both sides.
        const range = step.start !== undefined && step.end !== undefined && step.start > step.end;
        const options = { flags: step.flags, start: step.start, end: range ? undefined : step.end };
        return streamed(cb.createReadStream(at(step.p), options));
      }
      case 'writeStream': {
        const options = { flags: step.flags, mode: step.mode, start: step.start };
        const stream = cb.createWriteStream(at(step.p), options as never);
        return streamed(stream, Buffer.alloc(step.len, 0x41 + (step.len % 26)));
      }
      case 'statfs': {
        // What stands while files come and go: the counts of free blocks and inodes move.
        const options = { bigint: step.bigint };
        const fs =
          form === 'promise'
            ? await p.statfs(at(step.p), options)
            : await called<nodeCb.StatsFs>((done) => cb.statfs(at(step.p), options, done as never));
        return `${fs.constructor.name} ${typeof fs.type} ${fs.type} ${fs.bsize} ${fs.blocks}`;
      }
      case 'readlink':
      case 'realpath': {
        const encoding = step.buffers ? 'buffer' : undefined;
        const name =
          form === 'promise'
            ? await p[step.k](at(step.p), { encoding } as never)
            : await called<string | Buffer>((done) =>
                cb[step.k](at(step.p), { encoding } as never, done as never),
              );
        return `${Buffer.isBuffer(name) ? 'B' : 'S'}${name}`;
      }
    }
  });
}

/**
 * Node's recursive names walk where it would not end, as loop.fs' rule
 * makes it end: a link to a directory the walk is inside is listed, not
 * entered. Null where nothing is cut (Node's own walk ends, and is
 * asked), where a Buffer path makes Node fail first (so do Buffer names:
 * not asked here), or where reading fails (Node's own call gives that
 * error).
 */
function walkCut(path: string | Buffer | URL): string[] | null {
  if (Buffer.isBuffer(path)) return null;
  const top = path instanceof URL ? fileURLToPath(path) : path;
  const id = (p: string) => {
    const st = statSync(p);
    return `${st.dev}:${st.ino}`;
  };
  let cut = false;
  try {
    const out: string[] = [];
    const stack = [{ dir: top, names: readdirSync(top), inside: [id(top)] }];
    while (stack.length > 0) {
      const { dir, names, inside } = stack.pop()!;
      for (const name of names) {
        const at = join(dir, name);
        let isDir = false;
        try {
          isDir = statSync(at).isDirectory();
        } catch {}
        out.push(relative(top, at));
        if (!isDir) continue;
        if (inside.includes(id(at))) cut = true;
        else stack.push({ dir: at, names: readdirSync(at), inside: [...inside, id(at)] });
      }
    }
    return cut ? out : null;
  } catch {
    return null;
  }
}

/** Every name under `top`, with its kind, mode, link count, size, bytes or target (`root` written as R). */
function tree(top: string, root: string, under = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(top, under)).sort()) {
    const rel = join(under, name);
    const full = join(top, rel);
    const st = lstatSync(full);
    const head = `${rel} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.nlink}`;
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
        fc.asyncProperty(
          arbStart,
          fc.array(arbStep, { minLength: 5, maxLength: 30 }),
          async (start, steps) => {
            // Each tree sits one level down, holding a file: a step may name its
            // root (rmdir of '' fails as not empty) or the side's own folder
            // above it ('c/..' where c is a link to '.'), never the other side's.
            const outer = [join(base, `evring${n}`), join(base, `nodejs${n}`)] as const;
            const ours = ourSide(loop, join(outer[0], 'in'));
            const theirs: Side = {
              root: join(outer[1], 'in'),
              promises: nodeFs,
              callbacks: nodeCb,
            };
            n++;
            for (const side of [ours, theirs]) {
              mkdirSync(side.root, { recursive: true });
              writeFileSync(join(side.root, 'keep'), 'kept');
              plant(side.root, start);
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
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
    });
  }
});
