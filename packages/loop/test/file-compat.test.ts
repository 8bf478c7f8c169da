/**
 * The `fs/promises` calls past the basics, each compared with node:fs on
 * every backend: recursive mkdir (both forms, with Node's results and
 * errors, and what Node itself gets wrong), mkdtemp, link and symlink, bigint stats,
 * writeFile's data kinds (views, iterables, streams) and bigint positions.
 */

import { createHash } from 'node:crypto';
import {
  chmodSync,
  close,
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  fstatSync,
  fsync,
  lstatSync,
  mkdir,
  mkdirSync,
  mkdtempSync,
  open,
  openSync,
  read,
  readdirSync,
  readFileSync,
  readlinkSync,
  readv,
  rmdir,
  rmdirSync,
  rmSync,
  stat,
  statSync,
  symlink,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type BigIntFileStats,
  type CodedError,
  type FileStats,
  LoopFileHandle,
  type MkdirOptions,
} from '../src/index.js';
import { FILE_CONFIGS, runUntil, testScope } from './helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-fs-compat-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh directory holding a file, a dangling link and a link to itself, as each mkdir case starts from. */
const tree = (): string => {
  const dir = join(root, `t${n++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'file'), '');
  symlinkSync('nowhere', join(dir, 'dangling'));
  symlinkSync('loop', join(dir, 'loop'));
  return dir;
};

type Mkdir = (path: string | Buffer | URL, options: MkdirOptions) => Promise<string | undefined>;

/** The cases, played in order on one tree; each result with the tree's path cut out. */
async function playMkdirCases(dir: string, mkdir: Mkdir): Promise<string[]> {
  const rel = relative(process.cwd(), dir);
  const cases: [string | Buffer | URL, MkdirOptions][] = [
    [join(dir, 'a/b/c'), { recursive: true }],
    [join(dir, 'a/b/c'), { recursive: true }], // all there: undefined
    [join(dir, 'a/b'), { recursive: true }],
    [join(dir, 'a'), { recursive: false }], // EEXIST, as without the option
    [join(dir, 'file'), { recursive: true }], // a file at the path itself: EEXIST
    [join(dir, 'file/q/r'), { recursive: true }], // a file on the way: ENOTDIR
    [`${join(dir, 'file')}/`, { recursive: true }],
    [join(dir, 'dangling/x'), { recursive: true }], // a link to nothing on the way: ENOTDIR
    [join(dir, 'dangling'), { recursive: true }], // ... at the path itself: stat's ENOENT
    [`${join(dir, 'dangling')}/`, { recursive: true }],
    [join(dir, 'loop'), { recursive: true }], // a loop of links at the path itself: stat's ELOOP
    [join(dir, 'loop/x'), { recursive: true }], // ... on the way: mkdir's own ELOOP
    [`${dir}/a/../n/m`, { recursive: true }],
    [`${dir}/m//k/`, { recursive: true }],
    [`${rel}/rel/x`, { recursive: true }], // relative: the result keeps the caller's form
    [Buffer.from(join(dir, 'buf/q')), { recursive: true }],
    [pathToFileURL(join(dir, 'url/v')), { recursive: true }],
    [join(dir, 'g/h'), { recursive: true, mode: '750' }],
  ];
  const out: string[] = [];
  const cut = (s: string | undefined) => s?.replace(dir, 'T').replace(rel, 'R');
  for (const [path, options] of cases) {
    try {
      out.push(`ok ${cut(await mkdir(path, options))}`);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      out.push(`${err.code} ${err.errno} ${err.syscall} ${cut(err.path)}`);
    }
  }
  out.push(
    `modes ${[join(dir, 'g'), join(dir, 'g/h')].map((p) => (statSync(p).mode & 0o777).toString(8))}`,
  );
  return out;
}

/** An argument error's code and the argument it names (`'flags'`, `"path"`, ...). */
function namedArgument(err: unknown): string {
  const message = (err as Error).message;
  const name = /argument '([^']+)'|"([^"]+)" argument|value of "([^"]+)"/.exec(message);
  return `${(err as CodedError).code} ${name?.slice(1).find((n) => n !== undefined) ?? message}`;
}

describe.each(FILE_CONFIGS)('fs/promises compatibility on %s', (_name, options) => {
  const t = testScope();

  it("every method works taken off its object, as node:fs's and fs/promises' functions do", async () => {
    const loop = t.loop({ ...options, attach: true });
    // Each method has a bound copy of its own: none is left to the prototype alone.
    for (const o of [loop.fs, loop.fs.promises]) {
      const proto = Object.getPrototypeOf(o) as object;
      const methods = Object.getOwnPropertyNames(proto).filter(
        (name) =>
          name !== 'constructor' &&
          typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function',
      );
      expect(methods.length).toBeGreaterThan(15);
      for (const name of methods) expect([name, Object.hasOwn(o, name)]).toEqual([name, true]);
    }
    const dir = mkdtempSync(join(tmpdir(), 'evring-detached-'));
    try {
      const { writeFile, readFile, stat, readdir, unlink } = loop.fs.promises;
      await writeFile(join(dir, 'f'), 'detached');
      expect(await readFile(join(dir, 'f'), 'utf8')).toBe('detached');
      expect((await stat(join(dir, 'f'))).size).toBe(8);
      expect(await readdir(dir)).toEqual(['f']);
      const { open, read, close } = loop.fs;
      const text = await new Promise<string>((resolve, reject) =>
        open(join(dir, 'f'), 'r', (err, fd) => {
          if (err) return reject(err);
          const buf = Buffer.alloc(16);
          read(fd, buf, 0, (e, n) =>
            close(fd, () => (e ? reject(e) : resolve(buf.toString('utf8', 0, n)))),
          );
        }),
      );
      expect(text).toBe('detached');
      await unlink(join(dir, 'f'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("mkdir { recursive: true }: node:fs/promises' results and errors, case by case, in both forms", async () => {
    const loop = t.loop({ ...options, attach: true });
    const node = await playMkdirCases(
      tree(),
      (p, o) => nodeFs.mkdir(p, o) as Promise<string | undefined>,
    );
    const ours = await playMkdirCases(tree(), (p, o) => loop.fs.promises.mkdir(p, o));
    expect(ours).toEqual(node);
    expect(node[0]).toBe('ok T/a'); // the cases do reach Node as meant
    expect(node[5]).toBe('ENOTDIR -20 mkdir T/file/q/r');
    expect(node.slice(8, 12)).toEqual([
      'ENOENT -2 mkdir T/dangling',
      'ENOENT -2 mkdir T/dangling/',
      'ELOOP -40 mkdir T/loop',
      'ELOOP -40 mkdir T/loop/x',
    ]);

    // The callback form, standalone: each step and the callback in the loop's deliver phase.
    const cb = t.loop(options);
    const callbacks = await playMkdirCases(tree(), (p, o) => {
      const got: { err: NodeJS.ErrnoException | null; first: string | undefined }[] = [];
      cb.fs.mkdir(p, o, (err, first) => {
        got.push({ err, first });
      });
      expect(got).toHaveLength(0); // never from the call
      runUntil(cb, () => got.length > 0);
      expect(got.length).toBeLessThanOrEqual(1);
      const r = got[0];
      if (r === undefined) return Promise.reject(new Error('no callback within 5 s'));
      return r.err === null ? Promise.resolve(r.first) : Promise.reject(r.err);
    });
    expect(callbacks).toEqual(node);
    expect(cb.fs.inFlight).toBe(0);
  });

  it('mkdir { recursive: true } ends where a filesystem refuses new names (Node 20 never settles there)', async () => {
    const loop = t.loop({ ...options, attach: true });
    await expect(
      loop.fs.promises.mkdir('/proc/evring-nope/x', { recursive: true }),
    ).rejects.toMatchObject({
      code: 'ENOENT',
      syscall: 'mkdir',
      path: '/proc/evring-nope',
    });
  });

  it('mkdir { recursive: true }: an abort, the loop destroyed midway, a bad option', async () => {
    const dir = tree();
    const deep = join(dir, 'p/q/r/s/t');
    const loop = t.loop({ ...options, attach: true });
    await expect(
      loop.fs.promises.mkdir(deep, { recursive: true, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(existsSync(join(dir, 'p'))).toBe(false);

    // Aborted once started: it stops between two directories; what it made is a prefix of the chain.
    const ac = new AbortController();
    const going = loop.fs.promises.mkdir(deep, { recursive: true, signal: ac.signal });
    ac.abort();
    await expect(going).rejects.toMatchObject({ name: 'AbortError' });
    const made = ['p', 'p/q', 'p/q/r', 'p/q/r/s', 'p/q/r/s/t'].map((p) => existsSync(join(dir, p)));
    expect(
      made.indexOf(true) === -1 ||
        made.lastIndexOf(true) < made.indexOf(false) ||
        !made.includes(false),
    ).toBe(true);

    // Destroyed midway: the promise rejects (it does not wait for ever).
    const other = t.loop({ ...options, attach: true });
    const dying = other.fs.promises.mkdir(join(dir, 'x/y/z/w'), { recursive: true });
    other.destroy();
    await expect(dying).rejects.toBeInstanceOf(Error);

    await expect(loop.fs.promises.mkdir(dir, { recursive: 1 as never })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
    });
    expect(() => loop.fs.mkdir(dir, { recursive: 'yes' as never }, () => {})).toThrow(TypeError);
    // A path that is none is refused with evring's own error, before anything starts.
    await expect(loop.fs.promises.mkdir(42 as never, { recursive: true })).rejects.toThrow(
      'The "path" argument must be of type string or an instance of Buffer or URL',
    );
    expect(() => loop.fs.mkdir(42 as never, { recursive: true }, () => {})).toThrow(
      'The "path" argument must be of type string or an instance of Buffer or URL',
    );
  });

  it("numeric flags are any int32, as Node takes them: a negative one reaches the kernel as the same 32 bits on every configuration, and fails as Node's open fails", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const none = join(tree(), 'none');
    for (const flags of [-1, -2, -(2 ** 31)]) {
      const ours = await fs.open(none, flags).then(
        (fh) => fh.close().then(() => 'opened'),
        (err: CodedError) => err.code,
      );
      const theirs = await nodeFs.open(none, flags).then(
        (fh) => fh.close().then(() => 'opened'),
        (err: CodedError) => err.code,
      );
      expect(ours, String(flags)).toBe(theirs);
    }
  });

  it("a FileHandle's argument errors as Node's, word for word: read(options) not an object, a stream's unknown encoding, writeFile's flush; an empty encoding is none, a function in the options' place is no options", async () => {
    const loop = t.loop({ ...options, attach: true });
    const dir = tree();
    const file = join(dir, 'file');
    type Handle = Awaited<ReturnType<typeof nodeFs.open>>;
    const thrown = async (call: () => unknown): Promise<string> => {
      try {
        await call();
        return 'no error';
      } catch (err) {
        return `${(err as CodedError).code}: ${(err as Error).message}`;
      }
    };
    // Each call on both handles, then both closed.
    const onHandles = async (call: (fh: Handle) => unknown): Promise<[string, string]> => {
      const ours = (await loop.fs.promises.open(file, 'r+')) as unknown as Handle;
      const theirs = await nodeFs.open(file, 'r+');
      try {
        return [await thrown(() => call(ours)), await thrown(() => call(theirs))];
      } finally {
        await ours.close();
        await theirs.close();
      }
    };
    const calls: [string, (fh: Handle) => unknown][] = [
      ['read("x")', (fh) => fh.read('x' as never)],
      ['read(5)', (fh) => fh.read(5 as never)],
      ['read([])', (fh) => fh.read([] as never)],
      ['read(true)', (fh) => fh.read(true as never)],
      ['writeFile flush', (fh) => fh.writeFile('x', { flush: 1 } as never)],
      ['appendFile flush', (fh) => fh.appendFile('x', { flush: 'yes' } as never)],
    ];
    for (const [name, call] of calls) {
      const [ours, theirs] = await onHandles(call);
      expect(ours, name).not.toBe('no error');
      expect(ours, name).toBe(theirs);
    }
    // A stream's encoding: compared with Node's path-form streams, which
    // check their options as a FileHandle's do (a Node 20 FileHandle whose
    // stream constructor threw crashes the process at its close()).
    const bogus = { encoding: 'bogus' as never };
    const streams: [string, (fh: LoopFileHandle) => unknown, () => unknown][] = [
      ['createReadStream', (fh) => fh.createReadStream(bogus), () => createReadStream(file, bogus)],
      ['readLines', (fh) => fh.readLines(bogus), () => createReadStream(file, bogus)],
      [
        'createWriteStream',
        (fh) => fh.createWriteStream(bogus),
        () => createWriteStream(file, { ...bogus, flags: 'r+' }),
      ],
    ];
    for (const [name, ours, theirs] of streams) {
      const fh = await loop.fs.promises.open(file, 'r+');
      const got = await thrown(() => ours(fh));
      expect(got, name).not.toBe('no error');
      expect(got, name).toBe(await thrown(theirs));
      expect(fh.fd, 'the handle is still usable').toBeGreaterThanOrEqual(0);
      await fh.close();
    }
    // An empty encoding is none, and a function in the options' place is no options: as Node.
    await loop.fs.promises.writeFile(join(dir, 'a'), 'abc', '' as never);
    await nodeFs.writeFile(join(dir, 'b'), 'abc', '' as never);
    expect(readFileSync(join(dir, 'a'))).toEqual(readFileSync(join(dir, 'b')));
    expect(await loop.fs.promises.readFile(join(dir, 'a'), (() => {}) as never)).toEqual(
      await nodeFs.readFile(join(dir, 'b'), (() => {}) as never),
    );
  });

  it("what looks wrong but Node takes, evring takes alike: falsy flags, odd mkdir and readdir options, a string's unknown encoding, a close with no callback, symlink's last-argument callback", async () => {
    const loop = t.loop({ ...options, attach: true });
    const ours = loop.fs.promises;
    const [a, b] = [tree(), tree()]; // evring's, Node's
    const same = (name: string) =>
      expect(readFileSync(join(a, name)), name).toEqual(readFileSync(join(b, name)));
    // A falsy flag is the call's own default ('w', 'a', 'r'), as Node's `flag || 'w'`.
    for (const flag of ['', 0, false, null] as never[]) {
      await ours.writeFile(join(a, 'w'), 'new', { flag });
      await nodeFs.writeFile(join(b, 'w'), 'new', { flag });
      await ours.appendFile(join(a, 'w'), '+', { flag });
      await nodeFs.appendFile(join(b, 'w'), '+', { flag });
      same('w');
      expect(await ours.readFile(join(a, 'w'), { flag, encoding: 'utf8' })).toBe('new+');
    }
    // mkdir's options as Node reads them: `true` or a function sets nothing.
    for (const odd of [true, () => {}, 1n] as never[]) {
      await ours.mkdir(join(a, 'm'), odd);
      await nodeFs.mkdir(join(b, 'm'), odd);
      expect(statSync(join(a, 'm')).isDirectory()).toBe(statSync(join(b, 'm')).isDirectory());
      rmdirSync(join(a, 'm'));
      rmdirSync(join(b, 'm'));
    }
    // readdir: an empty encoding is none, a function in the options' place no options.
    expect(await ours.readdir(a, '' as never)).toEqual(await nodeFs.readdir(a, '' as never));
    expect(await ours.readdir(a, (() => {}) as never)).toEqual(
      await nodeFs.readdir(a, (() => {}) as never),
    );
    // A string written in an encoding Buffer does not know is UTF-8 (Node's
    // binding's default); hex of an odd length is refused, word for word.
    const oursOpen = ((p: string, f: string) => ours.open(p, f)) as unknown as typeof nodeFs.open;
    const write = async (dir: string, open: typeof nodeFs.open, enc: string) => {
      const fh = await open(join(dir, 'file'), 'r+');
      try {
        await fh.write('é12', 0, enc as never);
        return 'written';
      } catch (err) {
        return `${(err as CodedError).code}: ${(err as Error).message}`;
      } finally {
        await fh.close();
      }
    };
    for (const enc of ['bogus', 'buffer', 'hex', 'HEX', 'latin1']) {
      const mine = await write(a, oursOpen, enc);
      expect(mine, enc).toBe(await write(b, nodeFs.open, enc));
      same('file');
    }
    expect(await write(a, oursOpen, 'hex')).toMatch(
      /^ERR_INVALID_ARG_VALUE: The argument 'encoding' is invalid for data of length 3/,
    );
    // The callback forms: mkdir's `mode: null` is refused, as fs.mkdir refuses it.
    const thrown = (call: () => void): string => {
      try {
        call();
        return 'no error';
      } catch (err) {
        return `${(err as CodedError).code}: ${(err as Error).message}`;
      }
    };
    const modeNull = { mode: null } as never;
    expect(thrown(() => loop.fs.mkdir(join(a, 'n'), modeNull, () => {}))).toBe(
      thrown(() => mkdir(join(b, 'n'), modeNull, () => {})),
    );
    // open's callback is the fourth argument once there are four: a null one is refused, nothing opened.
    const nullCallback = () => loop.fs.open(join(a, 'file'), 'r', 0o666, null as never);
    expect(thrown(nullCallback)).toBe(
      'ERR_INVALID_ARG_TYPE: The "callback" argument must be of type function. Received null',
    ); // (the test's leak check sees that no fd was opened)
    // symlink's callback is its last argument, whatever stands before it.
    const settled = (call: (cb: (err: Error | null) => void) => void) =>
      new Promise<string>((resolve) => call((err) => resolve(err === null ? 'ok' : String(err))));
    const odd = (() => {}) as never;
    expect(await settled((cb) => loop.fs.symlink('file', join(a, 's'), odd, cb as never))).toBe(
      await settled((cb) => symlink('file', join(b, 's'), odd, cb as never)),
    );
    expect(readlinkSync(join(a, 's'))).toBe('file');
    // ftruncate's length may be left undefined: 0.
    const fd = openSync(join(a, 'file'), 'r+');
    expect(await settled((cb) => loop.fs.ftruncate(fd, undefined as never, cb))).toBe('ok');
    expect(fstatSync(fd).size).toBe(0);
    // close with no callback, as fs.close allows: the fd is closed.
    loop.fs.close(fd);
    const deadline = Date.now() + 5000;
    let open = true;
    while (open && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
      open = thrown(() => fstatSync(fd)) === 'no error';
    }
    expect(thrown(() => fstatSync(fd))).toMatch(/^EBADF/);
  });

  it('argument errors are worded as Node words them, word for word', async () => {
    const loop = t.loop({ ...options, attach: true });
    const ours = loop.fs.promises;
    const file = join(tree(), 'file');
    const calls: [string, (fs: typeof nodeFs) => Promise<unknown>][] = [
      ['stat(123)', (fs) => fs.stat(123 as never)],
      ['stat({})', (fs) => fs.stat({} as never)],
      ['readFile(5.5)', (fs) => fs.readFile(5.5 as never)],
      ['open(null)', (fs) => fs.open(null as never)],
      ['unlink(() => {})', (fs) => fs.unlink((() => {}) as never)],
      ['mkdir(undefined)', (fs) => fs.mkdir(undefined as never)],
      ['rename(1, 2)', (fs) => fs.rename(1 as never, 2 as never)],
      ['readFile signal', (fs) => fs.readFile(file, { signal: 'x' as never })],
      ['writeFile(5)', (fs) => fs.writeFile(file, 5 as never)],
      ['mkdir recursive', (fs) => fs.mkdir(join(file, 'x'), { recursive: 'yes' as never })],
      ['rmdir recursive yes', (fs) => fs.rmdir(file, { recursive: 'yes' as never })],
      ['rmdir recursive undefined', (fs) => fs.rmdir(file, { recursive: undefined as never })],
      ['rmdir options 5', (fs) => fs.rmdir(file, 5 as never)],
      ['rmdir options null', (fs) => fs.rmdir(file, null as never)],
      ['rmdir options []', (fs) => fs.rmdir(file, [] as never)],
      ['rmdir retryDelay 1.5', (fs) => fs.rmdir(file, { retryDelay: 1.5 })],
      ['rmdir retryDelay undefined', (fs) => fs.rmdir(file, { retryDelay: undefined })],
      ['rmdir maxRetries 2^32', (fs) => fs.rmdir(file, { maxRetries: 2 ** 32 })],
      ['rmdir maxRetries -1', (fs) => fs.rmdir(file, { maxRetries: -1 })],
    ];
    for (const [name, call] of calls) {
      const mine = await call(ours as unknown as typeof nodeFs).catch((e: Error) => e);
      const node = await call(nodeFs).catch((e: Error) => e);
      expect(mine, name).toBeInstanceOf(Error);
      expect(node, name).toBeInstanceOf(Error);
      expect([(mine as Error).message, (mine as CodedError).code], name).toEqual([
        (node as Error).message,
        (node as CodedError).code,
      ]);
    }
    // Two bad arguments: the one Node checks first is the one named (the
    // flags' and the mode's own wording is evring's, so the code and the
    // argument's name are compared).
    const twice: [string, (fs: typeof nodeFs) => Promise<unknown>][] = [
      ['open(null, bogus)', (fs) => fs.open(null as never, 'bogus' as never)],
      ['open(file, bogus, x)', (fs) => fs.open(file, 'bogus' as never, 'x')],
      ['writeFile(null, mode x)', (fs) => fs.writeFile(null as never, '', { mode: 'x' })],
      ['symlink({}, p, zz)', (fs) => fs.symlink({} as never, join(file, 'x'), 'zz')],
      ['symlink(t, 5, zz)', (fs) => fs.symlink('t', 5 as never, 'zz')],
    ];
    for (const [name, call] of twice) {
      const mine = await call(ours as unknown as typeof nodeFs).catch(namedArgument);
      expect(mine, name).toBe(await call(nodeFs).catch(namedArgument));
    }
  });

  it("rmdir's options: recursive is refused with a typed error and nothing removed; the rest as Node takes them", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const dir = tree();
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'x'), 'x');
    const refused = await fs.rmdir(full, { recursive: true as never }).catch((e: CodedError) => e);
    expect((refused as CodedError).code).toBe('ERR_INVALID_ARG_VALUE');
    expect((refused as Error).message).toMatch(/options\.recursive.*loop\.fs\.promises\.rm/);
    expect(readdirSync(full)).toEqual(['x']);
    // Taken as Node takes them (with recursive false they change nothing).
    for (const [name, given] of [
      ['a', { recursive: false, maxRetries: 3, retryDelay: 10 }],
      ['b', {}],
      ['c', { signal: new AbortController().signal }],
    ] as const) {
      mkdirSync(join(dir, name));
      await fs.rmdir(join(dir, name), given);
      expect(existsSync(join(dir, name)), name).toBe(false);
    }
    const stillFull = await fs.rmdir(full, { recursive: false }).catch((e: CodedError) => e.code);
    expect(stillFull).toBe('ENOTEMPTY');

    // The callback form, standalone: the same rules, the callback in the deliver phase.
    const cbLoop = t.loop(options);
    expect(() => cbLoop.fs.rmdir(full, { recursive: true as never }, () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
    );
    mkdirSync(join(dir, 'd'));
    const got: (string | null)[] = [];
    cbLoop.fs.rmdir(join(dir, 'd'), { recursive: false, maxRetries: 1 }, (err) => {
      got.push(err?.code ?? null);
    });
    cbLoop.fs.rmdir(full, (err) => {
      got.push(err?.code ?? null);
    });
    runUntil(cbLoop, () => got.length === 2);
    expect(got).toEqual([null, 'ENOTEMPTY']);
    expect(existsSync(join(dir, 'd'))).toBe(false);
    expect(readdirSync(full)).toEqual(['x']);
  });

  it('the callback forms throw argument errors worded as node:fs words them', () => {
    const loop = t.loop(options);
    const buf = Buffer.alloc(4);
    const cb = () => {};
    // [ours, node:fs's] for each bad call.
    const calls: [string, () => unknown, () => unknown][] = [
      [
        'fd type',
        () => loop.fs.read('x' as never, buf, 0, cb),
        () => read('x' as never, buf, 0, 4, 0, cb),
      ],
      ['fd range', () => loop.fs.read(-1, buf, 0, cb), () => read(-1, buf, 0, 4, 0, cb)],
      [
        'buffer',
        () => loop.fs.read(0, 'x' as never, 0, cb),
        () => read(0, 'x' as never, 0, 4, 0, cb),
      ],
      ['position range', () => loop.fs.read(0, buf, -2, cb), () => read(0, buf, 0, 4, -2, cb)],
      ['position integer', () => loop.fs.read(0, buf, 1.5, cb), () => read(0, buf, 0, 4, 1.5, cb)],
      ['readv', () => loop.fs.readv(0, 'x' as never, 0, cb), () => readv(0, 'x' as never, 0, cb)],
      ['fsync', () => loop.fs.fsync('a' as never, cb), () => fsync('a' as never, cb)],
      ['close', () => loop.fs.close('a' as never, cb), () => close('a' as never, cb)],
      ['stat', () => loop.fs.stat(5 as never, cb), () => stat(5 as never, cb)],
      ...(
        [
          { recursive: 'yes' },
          { recursive: undefined },
          5,
          null,
          [],
          { retryDelay: 1.5 },
          { maxRetries: -1 },
          { maxRetries: 2 ** 32 },
        ] as never[]
      ).map((o): [string, () => unknown, () => unknown] => [
        `rmdir options ${JSON.stringify(o)}`,
        () => loop.fs.rmdir('/tmp/evring-none', o, cb),
        () => rmdir('/tmp/evring-none', o, cb),
      ]),
    ];
    const thrown = (call: () => unknown): string => {
      try {
        call();
      } catch (err) {
        return `${(err as CodedError).code}: ${(err as Error).message}`;
      }
      return 'nothing thrown';
    };
    for (const [name, ours, node] of calls) expect(thrown(ours), name).toBe(thrown(node));
    // Two bad arguments: the one node:fs checks first is the one named.
    const twice: [string, () => unknown, () => unknown][] = [
      [
        'open: path, then flags',
        () => loop.fs.open(null as never, 'bogus' as never, cb),
        () => open(null as never, 'bogus' as never, cb),
      ],
      [
        'open: mode, then flags',
        () => loop.fs.open('/tmp', 'bogus' as never, 'x', cb),
        () => open('/tmp', 'bogus' as never, 'x', cb),
      ],
      [
        'open: flags, then the callback',
        () => loop.fs.open('/tmp', 'bogus' as never, 0o666, 5 as never),
        () => open('/tmp', 'bogus' as never, 0o666, 5 as never),
      ],
      [
        'rmdir: the path, then the options',
        () => loop.fs.rmdir(5 as never, { recursive: 'x' as never }, cb),
        () => rmdir(5 as never, { recursive: 'x' as never }, cb),
      ],
      [
        'symlink: the paths, then the type',
        () => loop.fs.symlink(5 as never, '/tmp/x', 'zz' as never, cb),
        () => symlink(5 as never, '/tmp/x', 'zz' as never, cb),
      ],
    ];
    const named = (call: () => unknown): string => {
      try {
        call();
      } catch (err) {
        return namedArgument(err);
      }
      return 'nothing thrown';
    };
    for (const [name, ours, node] of twice) expect(named(ours), name).toBe(named(node));
    // The callback before the options, as fs.rmdir checks it (which names it 'cb').
    expect(named(() => loop.fs.rmdir('/tmp/evring-none', 5 as never, 5 as never))).toBe(
      'ERR_INVALID_ARG_TYPE callback',
    );
    expect(named(() => rmdir('/tmp/evring-none', 5 as never, 5 as never))).toBe(
      'ERR_INVALID_ARG_TYPE cb',
    );
  });

  it('every promise form rejects a bad argument or a destroyed loop, as fs/promises does: nothing is thrown', async () => {
    const loop = t.loop({ ...options, attach: true });
    const fs = loop.fs.promises;
    const dir = tree();
    const buf = Buffer.alloc(4);
    // Each call made as code written for fs/promises makes it: `.catch()` on
    // the result must see the error, so the call itself must not throw.
    const calls: [string, () => Promise<unknown>, string][] = [
      ['read', () => fs.read(-1, buf, 0), 'ERR_OUT_OF_RANGE'],
      ['read', () => fs.read(0, 'x' as never, 0), 'ERR_INVALID_ARG_TYPE'],
      ['write', () => fs.write(0, 5 as never, 0), 'ERR_INVALID_ARG_TYPE'],
      ['readv', () => fs.readv(0, 'x' as never, 0), 'ERR_INVALID_ARG_TYPE'],
      ['writev', () => fs.writev(0, 'x' as never, 0), 'ERR_INVALID_ARG_TYPE'],
      ['readv', () => fs.readv(0, [buf, 5] as never, 0), 'ERR_INVALID_ARG_TYPE'],
      ['writev', () => fs.writev(0, [5] as never, 0), 'ERR_INVALID_ARG_TYPE'],
      ['fsync', () => fs.fsync('a' as never), 'ERR_INVALID_ARG_TYPE'],
      ['fdatasync', () => fs.fdatasync('a' as never), 'ERR_INVALID_ARG_TYPE'],
      ['close', () => fs.close('a' as never), 'ERR_INVALID_ARG_TYPE'],
      ['ftruncate', () => fs.ftruncate('a' as never), 'ERR_INVALID_ARG_TYPE'],
      ['fstat', () => fs.fstat('a' as never), 'ERR_INVALID_ARG_TYPE'],
      ['stat', () => fs.stat(123 as never), 'ERR_INVALID_ARG_TYPE'],
      ['stat', () => fs.stat(Object.create(Uint8Array.prototype)), 'ERR_INVALID_ARG_TYPE'],
      ['lstat', () => fs.lstat(123 as never), 'ERR_INVALID_ARG_TYPE'],
      ['rename', () => fs.rename(1 as never, 2 as never), 'ERR_INVALID_ARG_TYPE'],
      ['link', () => fs.link(1 as never, join(dir, 'x')), 'ERR_INVALID_ARG_TYPE'],
      ['symlink', () => fs.symlink('file', 1 as never), 'ERR_INVALID_ARG_TYPE'],
      ['unlink', () => fs.unlink(5 as never), 'ERR_INVALID_ARG_TYPE'],
      ['rmdir', () => fs.rmdir(5 as never), 'ERR_INVALID_ARG_TYPE'],
      ['mkdir', () => fs.mkdir(undefined as never), 'ERR_INVALID_ARG_TYPE'],
      ['mkdtemp', () => fs.mkdtemp(42 as never), 'ERR_INVALID_ARG_TYPE'],
      ['open', () => fs.open(null as never), 'ERR_INVALID_ARG_TYPE'],
      ['readFile', () => fs.readFile(5.5 as never), 'ERR_INVALID_ARG_TYPE'],
      ['access', () => fs.access(dir, 8), 'ERR_OUT_OF_RANGE'],
      ['chmod', () => fs.chmod(dir, undefined as never), 'ERR_INVALID_ARG_TYPE'],
      ['chown', () => fs.chown(dir, -2, 0), 'ERR_OUT_OF_RANGE'],
      ['lchown', () => fs.lchown(5 as never, 0, 0), 'ERR_INVALID_ARG_TYPE'],
      ['utimes', () => fs.utimes(dir, 'x', 0), 'ERR_INVALID_ARG_TYPE'],
      ['lutimes', () => fs.lutimes(dir, 0, null as never), 'ERR_INVALID_ARG_TYPE'],
      ['readlink', () => fs.readlink(3 as never), 'ERR_INVALID_ARG_TYPE'],
      ['realpath', () => fs.realpath(dir, 'bogus' as never), 'ERR_INVALID_ARG_VALUE'],
      ['lchmod', () => fs.lchmod(dir, 0), 'ERR_METHOD_NOT_IMPLEMENTED'],
    ];
    for (const [name, call, code] of calls) {
      let made: Promise<unknown> | undefined;
      expect(() => {
        made = call();
      }, name).not.toThrow();
      await expect(made, name).rejects.toMatchObject({ code });
    }
    // Node's own answer to the same kind of call, for the record.
    await expect(nodeFs.stat(123 as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });

    // A destroyed loop: every call rejects too (the loop cannot take it).
    const gone = t.loop({ ...options, attach: true });
    const goneFs = gone.fs.promises;
    gone.destroy();
    for (const call of [
      () => goneFs.read(0, buf, 0),
      () => goneFs.fsync(0),
      () => goneFs.stat(dir),
      () => goneFs.mkdir(join(dir, 'never')),
      () => goneFs.rename(join(dir, 'file'), join(dir, 'moved')),
      () => goneFs.access(dir),
      () => goneFs.chmod(join(dir, 'file'), 0o600),
      () => goneFs.utimes(join(dir, 'file'), 1, 1),
      () => goneFs.realpath(dir),
    ]) {
      let made: Promise<unknown> | undefined;
      expect(() => {
        made = call();
      }, String(call)).not.toThrow();
      await expect(made, String(call)).rejects.toBeInstanceOf(Error);
    }
    expect(existsSync(join(dir, 'never'))).toBe(false);
    expect(existsSync(join(dir, 'file'))).toBe(true);
    expect(statSync(join(dir, 'file')).mode & 0o777).not.toBe(0o600); // the direct calls did nothing either
    expect(statSync(join(dir, 'file')).mtimeMs).not.toBe(1000);
  });

  it("stat, lstat, fstat and a handle's stat with { bigint: true }: fs.statSync's BigIntStats, field by field", async () => {
    const loop = t.loop({ ...options, attach: true });
    const fs = loop.fs.promises;
    const dir = tree();
    const file = join(dir, 'file');
    writeFileSync(file, 'twelve bytes');
    // Each of BigIntStats' fields, with its type; the Dates as their times; atime left out
    // (reading the file may move it between the two stats).
    const fields = (s: object, names: string[]) =>
      Object.fromEntries(
        names
          .filter((k) => !k.startsWith('atime'))
          .map((k) => {
            const v = (s as Record<string, unknown>)[k];
            return [k, v instanceof Date ? `date ${v.getTime()}` : `${typeof v} ${v}`];
          }),
      );
    const check = (ours: object, node: object) => {
      const names = Object.keys(node); // fields and the Date properties
      expect(names).toContain('mtimeNs');
      expect(fields(ours, names)).toEqual(fields(node, names));
    };
    check(await fs.stat(file, { bigint: true }), statSync(file, { bigint: true }));
    check(await fs.stat(dir, { bigint: true }), statSync(dir, { bigint: true }));
    const big = await fs.stat(file, { bigint: true });
    expect(big.size).toBe(12n);
    expect(big.isFile()).toBe(true);
    expect(big.isDirectory()).toBe(false);
    const link = await fs.lstat(join(dir, 'dangling'), { bigint: true });
    expect(link.isSymbolicLink()).toBe(true);
    check(link, lstatSync(join(dir, 'dangling'), { bigint: true }));
    const fh = await fs.open(file);
    try {
      expect((await fh.stat({ bigint: true })).ino).toBe(statSync(file, { bigint: true }).ino);
      expect(typeof (await fh.stat()).ino).toBe('number');
      expect((await fs.fstat(fh.fd, { bigint: true })).mtimeNs).toBe(
        statSync(file, { bigint: true }).mtimeNs,
      );
    } finally {
      await fh.close();
    }
    await expect(fs.stat(file, { bigint: 'yes' as never })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
    });

    // The callback forms take the same options, as node:fs' stat, lstat and fstat.
    const viaCallback = <S>(start: (done: (err: Error | null, s: S | null) => void) => void) =>
      new Promise<S>((resolve, reject) =>
        start((err, s) => (err === null ? resolve(s!) : reject(err))),
      );
    const cb = loop.fs;
    check(
      await viaCallback((done) => cb.stat(file, { bigint: true }, done)),
      statSync(file, { bigint: true }),
    );
    check(
      await viaCallback((done) => cb.lstat(join(dir, 'dangling'), { bigint: true }, done)),
      lstatSync(join(dir, 'dangling'), { bigint: true }),
    );
    const plain = await viaCallback<FileStats>((done) => cb.stat(file, { bigint: false }, done));
    expect(typeof plain.size).toBe('number');
    const fd = openSync(file, 'r');
    try {
      const viaFd = await viaCallback<BigIntFileStats>((done) =>
        cb.fstat(fd, { bigint: true }, done),
      );
      expect(viaFd.ino).toBe(statSync(file, { bigint: true }).ino);
      expect(typeof (await viaCallback<FileStats>((done) => cb.fstat(fd, done))).ino).toBe(
        'number',
      );
    } finally {
      closeSync(fd);
    }
    expect(() => cb.stat(file, { bigint: 'yes' as never }, () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  it("writeFile and appendFile with flush: the path form syncs the file once written, as Node 20; a handle's does not; a non-boolean is refused as Node refuses it", async () => {
    const loop = t.loop({ ...options, attach: true });
    const fs = loop.fs.promises;
    const path = join(tree(), 'flushed');
    const sync = vi.spyOn(LoopFileHandle.prototype, 'sync');
    try {
      await fs.writeFile(path, 'one', { flush: true });
      await fs.appendFile(path, ' two', { flush: true });
      expect(sync).toHaveBeenCalledTimes(2);
      await fs.writeFile(path, 'three', { flush: false });
      await fs.appendFile(path, ' four');
      const fh = await fs.open(path, 'r+');
      await fh.writeFile('five', { flush: true }); // as Node: the handle form takes no flush
      await fh.close();
      expect(sync).toHaveBeenCalledTimes(2);
      expect(readFileSync(path, 'utf8')).toBe('fivee four'); // from the handle's position, no truncation: as Node
    } finally {
      sync.mockRestore();
    }
    for (const call of [
      () => fs.writeFile(path, 'x', { flush: 1 as never }),
      () => nodeFs.writeFile(path, 'x', { flush: 1 as never }),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: 'ERR_INVALID_ARG_TYPE',
        message: 'The "options.flush" property must be of type boolean. Received type number (1)',
      });
    }
  });

  it('writeFile and appendFile take any view, an iterable, an async iterable or a stream; a bad chunk is a typed error', async () => {
    const loop = t.loop({ ...options, attach: true });
    const fs = loop.fs.promises;
    const path = join(tree(), 'data');
    const read = () => readFileSync(path, 'latin1');
    const view = Buffer.from('view');
    await fs.writeFile(path, new DataView(view.buffer, view.byteOffset, 4));
    expect(read()).toBe('view');
    await fs.writeFile(path, new Uint16Array([0x6968, 0x2121])); // its bytes, little-endian
    expect(read()).toBe('hi!!');
    await fs.writeFile(path, ['one ', Buffer.from('two '), new Uint8Array([51])]);
    expect(read()).toBe('one two 3');
    async function* lines() {
      yield 'a\n';
      await new Promise((r) => setTimeout(r, 1));
      yield 'b\n';
    }
    await fs.appendFile(path, lines());
    expect(read()).toBe('one two 3a\nb\n');
    await fs.writeFile(path, Readable.from(['str', 'eam']));
    expect(read()).toBe('stream');
    await fs.writeFile(path, ['68656c6c6f'], 'hex');
    expect(read()).toBe('hello');
    const fh = await fs.open(path, 'r+');
    try {
      const he = Buffer.from('HE');
      const { bytesWritten } = await fh.write(new DataView(he.buffer, he.byteOffset, 2), 0, 2, 0);
      expect(bytesWritten).toBe(2);
      await fh.writeFile(new Float32Array(0));
    } finally {
      await fh.close();
    }
    expect(read()).toBe('HEllo');
    await expect(fs.writeFile(path, 5 as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
    });
    expect(read()).toBe('HEllo'); // refused before the file was opened (and truncated)
    await expect(fs.writeFile(path, ['ok', 7] as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
    });
    expect(read()).toBe('ok'); // as Node: the chunks before the bad one are written
  });

  it("errors carry node:fs/promises' own message, word for word, beside code, errno, syscall and path", async () => {
    const loop = t.loop({ ...options, attach: true });
    const dir = tree();
    const missing = join(dir, 'missing');
    const calls: [string, (fs: typeof import('node:fs/promises')) => Promise<unknown>][] = [
      ['readFile missing', (fs) => fs.readFile(missing)],
      ['readFile dir', (fs) => fs.readFile(dir)],
      ['open dir for writing', (fs) => fs.open(dir, 'w')],
      ['open wx existing', (fs) => fs.open(join(dir, 'file'), 'wx')],
      ['rename missing', (fs) => fs.rename(missing, join(dir, 'to'))],
      ['mkdir existing', (fs) => fs.mkdir(dir)],
      ['rmdir a file', (fs) => fs.rmdir(join(dir, 'file'))],
      ['unlink a dir', (fs) => fs.unlink(dir)],
      ['stat through a file', (fs) => fs.stat(join(dir, 'file/x'))],
    ];
    const shape = async (call: () => Promise<unknown>) => {
      try {
        await call();
        return 'no error';
      } catch (e) {
        const { code, errno, syscall, path, dest, message } = e as NodeJS.ErrnoException & {
          dest?: string;
        };
        return { code, errno, syscall, path, dest, message };
      }
    };
    const ours = loop.fs.promises as unknown as typeof import('node:fs/promises');
    for (const [what, call] of calls) {
      const want = await shape(() => call(nodeFs));
      expect(typeof want === 'object' && want.message.startsWith(`${want.code}: `), what).toBe(
        true,
      );
      expect(await shape(() => call(ours)), what).toEqual(want);
    }
  });

  it('readFile of a file over 2 GiB: ERR_FS_FILE_TOO_LARGE, as Node (a sparse file: nothing is read or allocated)', async () => {
    const loop = t.loop({ ...options, attach: true });
    const path = join(root, `sparse${n++}`);
    writeFileSync(path, 'start');
    truncateSync(path, 3 * 2 ** 30);
    try {
      const ours = await loop.fs.promises.readFile(path).catch((e: Error & { code?: string }) => e);
      const node = await nodeFs.readFile(path).catch((e: Error & { code?: string }) => e);
      expect(ours).toBeInstanceOf(RangeError);
      expect(ours).toMatchObject({
        code: 'ERR_FS_FILE_TOO_LARGE',
        message: (node as Error).message,
      });
      const fh = await loop.fs.promises.open(path, 'r');
      await expect(fh.readFile()).rejects.toMatchObject({ code: 'ERR_FS_FILE_TOO_LARGE' });
      await fh.close();
    } finally {
      rmSync(path);
    }
  });

  it('positions may be bigints, as Node documents them; past 2^53 they are refused with ERR_OUT_OF_RANGE', async () => {
    const loop = t.loop({ ...options, attach: true });
    const path = join(tree(), 'pos');
    writeFileSync(path, 'abcdef');
    const fh = await loop.fs.promises.open(path, 'r+');
    try {
      const buf = Buffer.alloc(3);
      expect((await fh.read(buf, 0, 3, 2n)).bytesRead).toBe(3);
      expect(buf.toString()).toBe('cde');
      await fh.write(Buffer.from('XY'), 0, 2, 4n);
      expect(readFileSync(path, 'utf8')).toBe('abcdXY');
      expect(await loop.fs.promises.read(fh.fd, buf, 1n)).toBe(3);
      expect(buf.toString()).toBe('bcd');
      await expect(fh.read(buf, 0, 3, 2n ** 60n)).rejects.toMatchObject({
        code: 'ERR_OUT_OF_RANGE',
      });
      expect(() => loop.fs.read(fh.fd, buf, -2n, () => {})).toThrow(RangeError);
      let got = -1;
      loop.fs.read(fh.fd, buf, 0n, (err, bytes) => {
        got = err ? -2 : bytes;
      });
      const deadline = Date.now() + 5000;
      while (got === -1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      expect(got).toBe(3);
      expect(buf.toString()).toBe('abc');
    } finally {
      await fh.close();
    }
  });

  it("mkdtemp: node:fs/promises' names, modes and errors, case by case, in both forms", async () => {
    const dir = tree();
    const rel = relative(process.cwd(), dir);
    const cases: [
      string | Buffer | URL,
      BufferEncoding | 'buffer' | { encoding: string } | undefined,
    ][] = [
      [join(dir, 'x-'), undefined],
      [join(dir, 'x-'), 'buffer'],
      [join(dir, 'y'), { encoding: 'latin1' }],
      [join(dir, 'h-'), { encoding: 'hex' }],
      [Buffer.from(join(dir, 'b-')), undefined],
      [pathToFileURL(join(dir, 'u-')), undefined],
      [`${rel}/r-`, undefined], // relative: so is the result
      [join(dir, 'file'), undefined], // 'file' and six letters, beside the file
      [join(dir, 'none/x-'), undefined], // ENOENT
      [join(dir, 'file/x-'), undefined], // ENOTDIR
    ];
    type Mkdtemp = (
      prefix: (typeof cases)[number][0],
      o: (typeof cases)[number][1],
    ) => Promise<string | Buffer>;
    const play = async (mkdtemp: Mkdtemp): Promise<string[]> => {
      const out: string[] = [];
      const six = (s: string) =>
        s
          .replace(dir, 'T')
          .replace(rel, 'R')
          .replace(/[A-Za-z0-9]{6}$/, 'XXXXXX');
      for (const [prefix, o] of cases) {
        try {
          const made = await mkdtemp(prefix, o);
          // Hex gives the path's bytes as hex: read back as the path they are.
          const path = Buffer.isBuffer(made)
            ? made.toString()
            : o !== undefined && typeof o === 'object' && o.encoding === 'hex'
              ? Buffer.from(made, 'hex').toString()
              : made;
          expect(path).toMatch(/[A-Za-z0-9]{6}$/);
          const st = statSync(path);
          expect(st.isDirectory()).toBe(true);
          rmSync(path, { recursive: true });
          out.push(
            `ok ${Buffer.isBuffer(made) ? 'Buffer' : typeof made} ${six(path)} ${(st.mode & 0o777).toString(8)}`,
          );
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          out.push(
            `${err.code} ${err.errno} ${err.syscall} ${six(err.path!)} ${six(err.message.replace(/'$/, ''))}`,
          );
        }
      }
      return out;
    };
    const node = await play((p, o) => nodeFs.mkdtemp(p as string, o as BufferEncoding));
    expect(node[0]).toBe('ok string T/x-XXXXXX 700'); // the cases do reach Node as meant
    expect(node.at(-1)).toMatch(
      /^ENOTDIR -20 mkdtemp T\/file\/x-XXXXXX ENOTDIR: not a directory, mkdtemp /,
    );

    const loop = t.loop({ ...options, attach: true });
    expect(await play((p, o) => loop.fs.promises.mkdtemp(p, o as never))).toEqual(node);

    // The callback form, standalone: the callback in the loop's deliver phase.
    const cb = t.loop(options);
    const callbacks = await play((p, o) => {
      const got: { err: NodeJS.ErrnoException | null; dir: string | Buffer | undefined }[] = [];
      cb.fs.mkdtemp(p, o as never, (err, made) => {
        got.push({ err, dir: made });
      });
      expect(got).toHaveLength(0); // never from the call
      runUntil(cb, () => got.length > 0);
      expect(got.length).toBeLessThanOrEqual(1);
      const r = got[0];
      if (r === undefined) return Promise.reject(new Error('no callback within 5 s'));
      return r.err === null ? Promise.resolve(r.dir!) : Promise.reject(r.err);
    });
    expect(callbacks).toEqual(node);
    // Without options, as fs.mkdtemp(prefix, callback).
    let plain: string | Buffer | undefined;
    cb.fs.mkdtemp(join(dir, 'p-'), (err, made) => {
      expect(err).toBeNull();
      plain = made;
    });
    runUntil(cb, () => plain !== undefined);
    expect(typeof plain).toBe('string');
    expect(cb.fs.inFlight).toBe(0);
  });

  it('mkdtemp: an abort, the loop destroyed, bad arguments', async () => {
    const dir = tree();
    const entries = () => readdirSync(dir).sort();
    const before = entries();
    const loop = t.loop({ ...options, attach: true });
    await expect(
      loop.fs.promises.mkdtemp(join(dir, 'a-'), { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(entries()).toEqual(before);
    // Aborted once started: the try in flight completes and, having made its
    // directory, is reported; nothing is left behind that the caller was not given.
    const ac = new AbortController();
    const going = loop.fs.promises.mkdtemp(join(dir, 'a-'), { signal: ac.signal });
    ac.abort();
    const made = await going;
    expect(entries()).toEqual([...before, made.slice(dir.length + 1)].sort());

    // Destroyed with a try in flight: it rejects; the kernel may have made
    // the directory before the cancel reached it (as for any mkdir).
    const other = t.loop({ ...options, attach: true });
    const dying = other.fs.promises.mkdtemp(join(dir, 'd-'));
    other.destroy();
    await expect(dying).rejects.toBeInstanceOf(Error);
    await expect(other.fs.promises.mkdtemp(join(dir, 'd-'))).rejects.toBeInstanceOf(Error);
    const left = entries().filter((e) => e.startsWith('d-'));
    expect(left.length).toBeLessThanOrEqual(1);
    for (const e of left) rmSync(join(dir, e), { recursive: true });

    await expect(loop.fs.promises.mkdtemp(42 as never)).rejects.toThrow(
      'The "prefix" argument must be of type string or an instance of Buffer or URL',
    );
    await expect(loop.fs.promises.mkdtemp(`${dir}/a\0b`)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
    });
    await expect(loop.fs.promises.mkdtemp(dir, 'nope' as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
    });
    expect(() => loop.fs.mkdtemp(dir, undefined)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    expect(entries()).toEqual([...before, made.slice(dir.length + 1)].sort());
  });

  it("link and symlink: node:fs/promises' results and errors, case by case, in both forms", async () => {
    type Two = (a: string | Buffer | URL, b: string | Buffer | URL, type?: string) => Promise<void>;
    /** The cases on a fresh tree: what each call did, or its error, with the tree's path cut out. */
    const play = async (link: Two, symlink: Two): Promise<string[]> => {
      const dir = tree();
      const cut = (s: string | undefined) => s?.split(dir).join('T');
      const file = join(dir, 'file');
      writeFileSync(file, 'linked');
      const cases: [string, () => Promise<void>, () => string][] = [
        ['link', () => link(file, join(dir, 'second')), () => `nlink ${statSync(file).nlink}`],
        ['link', () => link(join(dir, 'none'), join(dir, 'x')), () => ''],
        ['link', () => link(file, file), () => ''],
        ['link', () => link(dir, join(dir, 'd')), () => ''], // a directory: EPERM
        [
          'link',
          () => link(Buffer.from(file), pathToFileURL(join(dir, 'third'))),
          () => `nlink ${statSync(file).nlink}`,
        ],
        [
          'symlink',
          () => symlink('file', join(dir, 's')),
          () => `-> ${readlinkSync(join(dir, 's'))} ${readFileSync(join(dir, 's'), 'utf8')}`,
        ],
        ['symlink', () => symlink('whatever', file), () => ''], // EEXIST
        ['symlink', () => symlink('file', join(dir, 'no/s')), () => ''], // ENOENT
        ['symlink', () => symlink('', join(dir, 'e')), () => ''], // an empty target: ENOENT
        [
          'symlink',
          () => symlink(pathToFileURL(file), join(dir, 'u')),
          () => `-> ${cut(readlinkSync(join(dir, 'u')))}`,
        ],
        [
          'symlink',
          () => symlink(Buffer.from('../t0'), Buffer.from(join(dir, 'b'))),
          () => `-> ${readlinkSync(join(dir, 'b'))}`,
        ],
        [
          'symlink',
          () => symlink('file', join(dir, 'typed'), 'dir'),
          () => `-> ${readlinkSync(join(dir, 'typed'))}`,
        ],
      ];
      const out: string[] = [];
      for (const [name, call, after] of cases) {
        try {
          await call();
          out.push(`${name} ok ${after()}`);
        } catch (e) {
          const err = e as NodeJS.ErrnoException & { dest?: string };
          out.push(
            `${name} ${err.code} ${err.errno} ${err.syscall} ${cut(err.path)} ${cut(err.dest)} | ${cut(err.message)}`,
          );
        }
      }
      return out;
    };
    const node = await play(
      (a, b) => nodeFs.link(a, b),
      (a, b, type) => nodeFs.symlink(a, b, type),
    );
    expect(node[0]).toBe('link ok nlink 2'); // the cases do reach Node as meant
    expect(node[1]).toBe(
      "link ENOENT -2 link T/none T/x | ENOENT: no such file or directory, link 'T/none' -> 'T/x'",
    );
    expect(node[6]).toBe(
      "symlink EEXIST -17 symlink whatever T/file | EEXIST: file already exists, symlink 'whatever' -> 'T/file'",
    );

    const loop = t.loop({ ...options, attach: true });
    const fs = loop.fs.promises;
    expect(
      await play(
        (a, b) => fs.link(a, b),
        (a, b, type) => fs.symlink(a, b, type as never),
      ),
    ).toEqual(node);

    // The callback form, standalone: each callback in the loop's deliver phase.
    const cb = t.loop(options);
    const settle = (start: (done: (err: Error | null) => void) => void): Promise<void> => {
      const got: (Error | null)[] = [];
      start((err) => got.push(err));
      expect(got).toHaveLength(0); // never from the call
      runUntil(cb, () => got.length > 0);
      if (got.length === 0) return Promise.reject(new Error('no callback within 5 s'));
      return got[0] === null ? Promise.resolve() : Promise.reject(got[0]);
    };
    expect(
      await play(
        (a, b) => settle((done) => cb.fs.link(a, b, done)),
        (a, b, type) =>
          settle((done) =>
            type === undefined
              ? cb.fs.symlink(a, b, done)
              : cb.fs.symlink(a, b, type as never, done),
          ),
      ),
    ).toEqual(node);
    expect(cb.fs.inFlight).toBe(0);

    // Argument errors, before anything starts: Node's codes.
    const dir = tree();
    await expect(fs.symlink('file', join(dir, 'x'), 'bogus' as never)).rejects.toMatchObject({
      code: 'ERR_FS_INVALID_SYMLINK_TYPE',
      message: 'Symlink type must be one of "dir", "file", or "junction". Received "bogus"',
    });
    await expect(nodeFs.symlink('file', join(dir, 'x'), 'bogus')).rejects.toMatchObject({
      code: 'ERR_FS_INVALID_SYMLINK_TYPE',
    });
    await expect(fs.link(42 as never, join(dir, 'x'))).rejects.toThrow(
      'The "existingPath" argument must be of type string or an instance of Buffer or URL',
    );
    await expect(fs.symlink('file', 42 as never)).rejects.toThrow(
      'The "path" argument must be of type string or an instance of Buffer or URL',
    );
    expect(() => cb.fs.link(join(dir, 'file'), join(dir, 'x'), undefined as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    expect(existsSync(join(dir, 'x'))).toBe(false);
    await expect(
      fs.link(join(dir, 'file'), join(dir, 'y'), { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(existsSync(join(dir, 'y'))).toBe(false);
  });

  it("access, chmod, chown, lchown, utimes, lutimes, readlink and realpath, and a handle's chmod, chown and utimes: node:fs/promises' results and errors, case by case", async () => {
    type Calls = Pick<
      typeof nodeFs,
      | 'access'
      | 'chmod'
      | 'chown'
      | 'lchown'
      | 'utimes'
      | 'lutimes'
      | 'readlink'
      | 'realpath'
      | 'open'
    >;
    /** The cases on a fresh tree: what each call gave, or its error, with the tree's path cut out. */
    const play = async (fs: Calls): Promise<string[]> => {
      const dir = tree();
      const rel = relative(process.cwd(), dir);
      const cut = (s: unknown) =>
        s === undefined ? '' : String(s).split(dir).join('T').split(rel).join('R');
      const file = join(dir, 'file');
      const link = join(dir, 'link');
      symlinkSync('file', link);
      const times = (p: string, l = false) => {
        const st = (l ? lstatSync : statSync)(p, { bigint: true });
        return `${st.atimeNs} ${st.mtimeNs}`;
      };
      const owner = (p: string, l = false) => {
        const st = (l ? lstatSync : statSync)(p);
        return `${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)}`;
      };
      const cases: [string, () => Promise<unknown>, () => string][] = [
        ['access', () => fs.access(file), () => ''],
        ['access', () => fs.access(dir, nodeFs.constants.R_OK | nodeFs.constants.X_OK), () => ''],
        ['access', () => fs.access(file, nodeFs.constants.X_OK), () => ''], // EACCES, root too
        ['access', () => fs.access(join(dir, 'dangling')), () => ''], // ENOENT through the link
        ['access', () => fs.access(join(dir, 'loop'), 0), () => ''], // ELOOP
        ['access', () => fs.access(Buffer.from(`${rel}/file`)), () => ''],
        ['chmod', () => fs.chmod(file, '750'), () => owner(file)],
        ['chmod', () => fs.chmod(pathToFileURL(link), 0o4711), () => owner(file)],
        ['chmod', () => fs.chmod(join(dir, 'file/x'), 0o600), () => ''], // ENOTDIR
        ['chown', () => fs.chown(link, 7, 8), () => `${owner(file)} ${owner(link, true)}`],
        ['lchown', () => fs.lchown(link, 9, -1), () => `${owner(file)} ${owner(link, true)}`],
        [
          'lchown',
          () => fs.lchown(join(dir, 'dangling'), 1, 1),
          () => owner(join(dir, 'dangling'), true),
        ],
        ['chown', () => fs.chown(join(dir, 'dangling'), 1, 1), () => ''], // ENOENT
        ['utimes', () => fs.utimes(file, 1.5, new Date(2500)), () => times(file)],
        ['utimes', () => fs.utimes(link, '12.25', 123456789.987654), () => times(file)],
        ['utimes', () => fs.utimes(file, new Date(Number.NaN), 1), () => times(file)], // EINVAL
        ['lutimes', () => fs.lutimes(link, 3, 4), () => `${times(link, true)} ${times(file)}`],
        ['utimes', () => fs.utimes(join(dir, 'none'), 1, 1), () => ''],
        ['readlink', () => fs.readlink(link), () => ''],
        ['readlink', () => fs.readlink(link, 'buffer'), () => ''],
        [
          'readlink',
          () => fs.readlink(Buffer.from(join(dir, 'dangling')), { encoding: 'hex' }),
          () => '',
        ],
        ['readlink', () => fs.readlink(file), () => ''], // EINVAL: not a link
        ['readlink', () => fs.readlink(join(dir, 'none')), () => ''],
        ['realpath', () => fs.realpath(`${rel}/./link`), () => ''],
        [
          'realpath',
          () => fs.realpath(pathToFileURL(`${dir}/../${relative(root, dir)}/link`), 'buffer'),
          () => '',
        ],
        ['realpath', () => fs.realpath(join(dir, 'dangling')), () => ''], // ENOENT
        ['realpath', () => fs.realpath(join(dir, 'loop')), () => ''], // ELOOP
        ['realpath', () => fs.realpath(''), () => ''],
        [
          'handle',
          async () => {
            const fh = await fs.open(file, 'r');
            try {
              await fh.chmod('640');
              await fh.chown(3, 4);
              await fh.utimes(new Date(1000), '2');
            } finally {
              await fh.close();
            }
            return fh.chmod(0o600); // closed: EBADF, named fchmod
          },
          () => '',
        ],
        [
          'handle',
          () => fs.open(file, 'r').then((fh) => fh.close().then(() => fh.chown(1, 1))),
          () => '',
        ],
        [
          'handle',
          () => fs.open(file, 'r').then((fh) => fh.close().then(() => fh.utimes(1, 1))),
          () => '',
        ],
        ['after', async () => undefined, () => `${owner(file)} ${times(file)}`],
      ];
      const out: string[] = [];
      for (const [name, call, after] of cases) {
        try {
          const got = await call();
          const shown = Buffer.isBuffer(got) ? `B${got.toString()}` : got;
          out.push(`${name} ok ${cut(shown)} ${after()}`);
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          out.push(
            `${name} ${err.code} ${err.errno} ${err.syscall} ${cut(err.path)} | ${cut(err.message)}`,
          );
        }
      }
      return out;
    };
    const node = await play(nodeFs);
    // The cases do reach Node as meant.
    expect(node[0]).toBe('access ok  ');
    expect(node[2]).toBe(
      "access EACCES -13 access T/file | EACCES: permission denied, access 'T/file'",
    );
    expect(node[15]).toMatch(/^utimes EINVAL -22 utime T\/file/);
    expect(node[18]).toBe('readlink ok file ');
    expect(node[28]).toBe('handle EBADF undefined fchmod  | file closed');

    const attached = t.loop({ ...options, attach: true });
    expect(await play(attached.fs.promises as unknown as Calls)).toEqual(node);
    // A standalone loop, never run: the calls are made at once, and their
    // promises settle without the loop (a handle's open and close need it).
    const standalone = t.loop(options);
    const fs = standalone.fs.promises;
    const dir = tree();
    const file = join(dir, 'file');
    await fs.chmod(file, 0o604);
    expect(statSync(file).mode & 0o777).toBe(0o604);
    expect(await fs.readlink(join(dir, 'dangling'))).toBe('nowhere');

    // Aborted before it starts: nothing is done. A destroyed loop: the same.
    const abort = { signal: AbortSignal.abort() };
    await expect(fs.chmod(file, 0o600, abort)).rejects.toMatchObject({ name: 'AbortError' });
    await expect(fs.utimes(file, 5, 5, abort)).rejects.toMatchObject({ name: 'AbortError' });
    await expect(fs.realpath(file, abort)).rejects.toMatchObject({ name: 'AbortError' });
    expect(statSync(file).mode & 0o777).toBe(0o604);
    expect(statSync(file).mtimeMs).not.toBe(5000);
    const fh = await attached.fs.promises.open(file, 'r');
    attached.destroy();
    await expect(fh.chmod(0o600)).rejects.toMatchObject({ code: 'ERR_EVRING_LOOP_DESTROYED' });
    await expect(attached.fs.promises.chown(file, 1, 1)).rejects.toMatchObject({
      code: 'ERR_EVRING_LOOP_DESTROYED',
    });
    expect(statSync(file).mode & 0o777).toBe(0o604);
    expect(statSync(file).uid).toBe(0);
    await fh.close(); // closed directly, the loop being gone

    // lchmod is not on Linux, as Node has it; constants are node:fs'.
    await expect(fs.lchmod(file, 0o600)).rejects.toMatchObject({
      code: 'ERR_METHOD_NOT_IMPLEMENTED',
    });
    await expect(nodeFs.lchmod(file, 0o600)).rejects.toMatchObject({
      code: 'ERR_METHOD_NOT_IMPLEMENTED',
    });
    expect(fs.constants).toBe(nodeFs.constants);
  });

  it("copyFile: node:fs/promises' results and errors, case by case; a copy bigger than its buffer; an abort midway removes the copy", async () => {
    const { COPYFILE_EXCL, COPYFILE_FICLONE, COPYFILE_FICLONE_FORCE } = nodeFs.constants;
    type Copy = (
      src: string | Buffer | URL,
      dest: string | Buffer | URL,
      mode?: number,
    ) => Promise<void>;
    /** The cases on a fresh tree: each result or error, and what then stands at the destination. */
    const play = async (copy: Copy): Promise<string[]> => {
      const dir = tree();
      const at = (name: string) => join(dir, name);
      const cut = (s: unknown) => (s === undefined ? '' : String(s).split(dir).join('T'));
      writeFileSync(at('short'), 'short');
      writeFileSync(at('long'), 'a much longer text');
      writeFileSync(at('big'), Buffer.alloc(3 * 1024 * 1024 + 5, 'xyz')); // three buffers and a bit
      chmodSync(at('short'), 0o4751);
      mkdirSync(at('d'));
      symlinkSync('short', at('ls'));
      const seen = (name: string) => {
        try {
          const st = lstatSync(at(name));
          const body = st.isFile() ? readFileSync(at(name)) : Buffer.alloc(0);
          return `${(st.mode & 0o7777).toString(8)} ${st.size} ${createHash('sha1').update(body).digest('hex').slice(0, 8)}`;
        } catch (e) {
          return (e as NodeJS.ErrnoException).code;
        }
      };
      const cases: [string, string, number | undefined, string][] = [
        ['short', 'new', undefined, 'new'],
        ['short', 'long', undefined, 'long'], // shorter over longer: truncated
        ['long', 'new', COPYFILE_EXCL, 'new'], // EEXIST, and the file is left
        ['short', 'short', undefined, 'short'], // the same file: nothing happens
        ['short', 'ls', undefined, 'short'], // the same file through a link
        ['short', 'short', COPYFILE_EXCL, 'short'],
        ['big', 'big2', 0, 'big2'],
        ['short', 'cloned', COPYFILE_FICLONE, 'cloned'], // no reflinks here: copied
        ['d', 'fromdir', undefined, 'fromdir'], // EISDIR, the copy removed
        ['short', 'd', undefined, 'd'],
        ['none', 'x', undefined, 'x'],
        ['short', 'no/x', undefined, 'no/x'],
        ['dangling', 'y', undefined, 'y'],
        ['short', 'dangling', undefined, 'nowhere'], // created through the link
        ['/proc/self/stat', 'proc', undefined, 'proc'], // its size says 0: nothing copied
      ];
      const out: string[] = [];
      for (const [src, dest, mode, look] of cases) {
        const from = src.startsWith('/') ? src : at(src);
        try {
          await copy(from, at(dest), mode);
          out.push(`${src} -> ${dest} ok: ${seen(look)}`);
        } catch (e) {
          const err = e as NodeJS.ErrnoException & { dest?: string };
          out.push(
            `${src} -> ${dest} ${err.code} ${err.errno} ${err.syscall} ${cut(err.path)} ${cut(err.dest)} | ${cut(err.message)}: ${seen(look)}`,
          );
        }
      }
      // Buffers and URLs; then COPYFILE_FICLONE_FORCE, which this filesystem may refuse.
      await copy(Buffer.from(at('short')), pathToFileURL(at('u')));
      out.push(`buffer -> url: ${seen('u')}`);
      try {
        await copy(at('short'), at('forced'), COPYFILE_FICLONE_FORCE);
        out.push(`forced ok: ${seen('forced')}`);
      } catch (e) {
        out.push(`forced ${(e as NodeJS.ErrnoException).code}: ${seen('forced')}`);
      }
      return out;
    };
    const node = await play((a, b, m) => nodeFs.copyFile(a, b, m));
    expect(node[1]).toMatch(/^short -> long ok: 4751 5 /); // the cases reach Node as meant
    expect(node[2]).toMatch(/^long -> new EEXIST -17 copyfile T\/long T\/new /);
    expect(node[8]).toMatch(/^d -> fromdir EISDIR .*: ENOENT$/);
    expect(node[14]).toMatch(/^\/proc\/self\/stat -> proc ok: 444 0 /);
    const loop = t.loop({ ...options, attach: true });
    const fs = loop.fs.promises;
    expect(await play((a, b, m) => fs.copyFile(a, b, m))).toEqual(node);

    // An abort midway (as its first write starts, the copy made and a read done): the copy is removed.
    const dir = tree();
    writeFileSync(join(dir, 'big'), Buffer.alloc(8 * 1024 * 1024, 1));
    const controller = new AbortController();
    const write = fs.write.bind(fs);
    let writes = 0;
    Object.assign(fs, {
      write: (...args: Parameters<typeof fs.write>) => {
        if (++writes === 1) {
          expect(existsSync(join(dir, 'copy'))).toBe(true);
          controller.abort();
        }
        return write(...args);
      },
    });
    try {
      await expect(
        fs.copyFile(join(dir, 'big'), join(dir, 'copy'), 0, { signal: controller.signal }),
      ).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      delete (fs as { write?: unknown }).write; // the class's own again
    }
    expect(writes).toBe(1);
    expect(existsSync(join(dir, 'copy'))).toBe(false);

    // The loop destroyed midway: the copy rejects, and both files are
    // closed (the test's fd check would see either left open).
    const doomed = t.loop({ ...options, attach: true });
    const doomedFs = doomed.fs.promises;
    const doomedWrite = doomedFs.write.bind(doomedFs);
    Object.assign(doomedFs, {
      write: (...args: Parameters<typeof doomedFs.write>) => {
        doomed.destroy();
        return doomedWrite(...args);
      },
    });
    await expect(doomedFs.copyFile(join(dir, 'big'), join(dir, 'half'))).rejects.toMatchObject({
      code: 'ERR_EVRING_LOOP_DESTROYED',
    });
    // Bad arguments and a destroyed loop reject; nothing is made.
    await expect(fs.copyFile(join(dir, 'big'), join(dir, 'c2'), 8)).rejects.toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      message: 'mode is out of range: >= 0 && <= 7',
    });
    await expect(fs.copyFile(5 as never, join(dir, 'c2'))).rejects.toThrow(
      'The "src" argument must be of type string or an instance of Buffer or URL',
    );
    loop.destroy();
    await expect(fs.copyFile(join(dir, 'big'), join(dir, 'c2'))).rejects.toMatchObject({
      code: 'ERR_EVRING_LOOP_DESTROYED',
    });
    expect(existsSync(join(dir, 'c2'))).toBe(false);
  });
});
