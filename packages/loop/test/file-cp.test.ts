/**
 * `loop.fs.promises.cp` against `node:fs/promises`' `cp`, case by case on
 * twin trees (files of several modes, nested directories, relative,
 * absolute, dangling and directory links, links into each other's
 * targets, a FIFO), on every file
 * configuration: each outcome (the error's name, code, errno, syscall,
 * path, message and `info`, with the twin's own path written alike) and
 * the trees both leave behind (names, kinds, modes, sizes, bytes, link
 * targets; with preserveTimestamps, whether each copy has its source's
 * times). Then the argument errors, word for word, and the signal.
 */

import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  cp as nodeCallbackCp,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CpOptions, Loop } from '../src/index.js';
import { FILE_CONFIGS, testScope } from './helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-cp-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;

/** A source tree under `top`: `src/` with files, links and directories, and a `dst/` holding what may be overwritten. */
function plant(top: string): void {
  mkdirSync(join(top, 'src/sub/deep'), { recursive: true });
  mkdirSync(join(top, 'src/empty'));
  writeFileSync(join(top, 'src/f'), 'file f');
  writeFileSync(join(top, 'src/ro'), 'read-only');
  chmodSync(join(top, 'src/ro'), 0o444);
  writeFileSync(join(top, 'src/sub/g'), 'file g');
  writeFileSync(join(top, 'src/sub/skip-me'), 'skipped by the filter');
  writeFileSync(join(top, 'src/sub/deep/h'), 'file h');
  chmodSync(join(top, 'src/sub/deep/h'), 0o751);
  chmodSync(join(top, 'src/sub/deep'), 0o750);
  symlinkSync('f', join(top, 'src/rel'));
  symlinkSync(join(top, 'src/sub'), join(top, 'src/abs-dir'));
  utimesSync(join(top, 'src/f'), 1_000_000, 2_000_000);
  utimesSync(join(top, 'src/ro'), 3_000_000, 4_000_000);
  mkdirSync(join(top, 'dst/sub'), { recursive: true });
  writeFileSync(join(top, 'dst/f'), 'old f');
  writeFileSync(join(top, 'dst/sub/g'), 'old g');
  writeFileSync(join(top, 'dst/other'), 'other');
  symlinkSync('other', join(top, 'dst/rel'));
  mkdirSync(join(top, 'links'));
  symlinkSync('nowhere', join(top, 'links/dangling'));
  mkdirSync(join(top, 'lk'));
  symlinkSync(join(top, 'src/sub'), join(top, 'lk/to-sub'));
  symlinkSync(join(top, 'src/sub/deep'), join(top, 'lk/to-deep'));
  mkdirSync(join(top, 'fifo'));
  execFileSync('mkfifo', [join(top, 'fifo/p')]);
}

/** Everything under `dir`, one line per entry, the twin's path written `<T>`. */
function snapshot(top: string, dir: string, times: boolean): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const rel = p.slice(top.length);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out.push(`${rel} link -> ${readlinkSync(p).split(top).join('<T>')}`);
      else if (st.isDirectory()) {
        out.push(`${rel} dir ${mode}`);
        walk(p);
      } else if (st.isFIFO()) out.push(`${rel} fifo`);
      else {
        // The times plant() set (the rest are the twins' own "now"s).
        const when = times && st.mtimeMs < 1e11 ? ` mtime ${st.mtimeMs}` : '';
        out.push(`${rel} file ${mode} ${readFileSync(p, 'utf8')}${when}`);
      }
    }
  };
  try {
    walk(dir);
  } catch (err) {
    out.push(`(${(err as NodeJS.ErrnoException).code})`);
  }
  return out;
}

type Cp = (src: unknown, dest: unknown, options?: unknown) => Promise<void>;

/** The outcome of a cp, the twin's path written `<T>`. */
async function outcome(
  cp: Cp,
  top: string,
  src: unknown,
  dest: unknown,
  options?: unknown,
): Promise<string> {
  try {
    await cp(src, dest, options);
    return 'ok';
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { info?: unknown };
    const fields = {
      name: e.name,
      code: e.code,
      errno: e.errno,
      syscall: e.syscall,
      path: e.path,
      message: e.message,
      info: e.info,
      // A SystemError prints its code (evring's other errors print as Error's do).
      shown: e.info === undefined ? undefined : String(e),
    };
    return JSON.stringify(fields).split(top).join('<T>');
  }
}

/** [src, dest, options], relative to the twin; what each case copies. */
const CASES: [string, string, CpOptions | undefined][] = [
  ['src/f', 'new/f', undefined],
  ['src/f', 'dst/f', undefined],
  ['src/f', 'dst/f', { force: false }],
  ['src/f', 'dst/f', { force: false, errorOnExist: true }],
  ['src/ro', 'dst/ro', { preserveTimestamps: true }],
  ['src/f', 'dst/copy', { preserveTimestamps: true, mode: 1 }],
  ['src', 'new/tree', undefined],
  ['src', 'new/tree', { recursive: true }],
  ['src', 'dst', { recursive: true }],
  ['src', 'dst', { recursive: true, force: false }],
  ['src', 'dst', { recursive: true, force: false, errorOnExist: true }],
  ['src', 'copy', { recursive: true, dereference: true }],
  ['src', 'copy', { recursive: true, verbatimSymlinks: true }],
  ['src', 'copy', { recursive: true, preserveTimestamps: true }],
  ['src', 'copy', { recursive: true, filter: (s: string) => !s.endsWith('skip-me') }],
  ['src', 'copy', { recursive: true, filter: async (s: string) => !s.includes('deep') }],
  ['src', 'src', { recursive: true }],
  ['src', 'src/sub/inside', { recursive: true }],
  ['src/sub', 'src/abs-dir/x', { recursive: true }],
  ['src', 'dst/f', { recursive: true }],
  ['src/f', 'dst/sub', undefined],
  ['src/rel', 'dst/rel', undefined],
  ['src/rel', 'dst/f', undefined],
  ['src/abs-dir', 'dst/abs', undefined],
  ['src/abs-dir', 'src/sub/deep/link', undefined],
  ['lk/to-sub', 'lk/to-deep', undefined],
  ['lk/to-deep', 'lk/to-sub', undefined],
  ['links', 'copy', { recursive: true }],
  ['links', 'copy', { recursive: true, dereference: true }],
  ['fifo', 'copy', { recursive: true }],
  ['missing', 'copy', undefined],
  ['src/f', 'src/f', undefined],
];

/**
 * A callback form of cp as a promise: it settles when the callback is
 * called with Node's arguments (the error alone, or null and undefined);
 * any other call is a failure. `drive` runs a standalone loop meanwhile: run() and
 * a turn of Node's loop, in turn (an async filter's answer comes through
 * Node's microtasks, between two runs).
 */
function callbackCp(
  cp: (src: unknown, dest: unknown, options: unknown, cb: (...args: unknown[]) => void) => void,
  loop: Loop | null,
): Cp {
  return (src, dest, options) =>
    new Promise<void>((resolve, reject) => {
      let called = false;
      cp(src, dest, options, (...args: unknown[]) => {
        called = true;
        // util.callbackify's: the error alone, or null and undefined.
        if (args.length === 1 && args[0] instanceof Error) reject(args[0]);
        else if (args.length === 2 && args[0] === null && args[1] === undefined) resolve();
        else reject(new Error(`called back with ${args.length} arguments: ${args}`));
      });
      if (loop === null) return;
      const deadline = performance.now() + 5000;
      const drive = (): void => {
        loop.run();
        if (!called && performance.now() < deadline) setImmediate(drive);
        else if (!called) reject(new Error('no callback in 5 s'));
      };
      drive();
    });
}

describe.each(FILE_CONFIGS)('cp on %s', (_name, options) => {
  const t = testScope();

  it("copies as node:fs/promises' cp does, case by case: outcome and trees", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    for (const [src, dest, opts] of CASES) {
      const theirs = join(root, `n${n}`);
      const ours = join(root, `e${n++}`);
      plant(theirs);
      plant(ours);
      const times = opts?.preserveTimestamps === true;
      const node = await outcome(
        nodeFs.cp as Cp,
        theirs,
        join(theirs, src),
        join(theirs, dest),
        opts,
      );
      const evring = await outcome(fs.cp as Cp, ours, join(ours, src), join(ours, dest), opts);
      const label = `${src} -> ${dest} ${JSON.stringify(opts)}`;
      expect([label, evring]).toEqual([label, node]);
      expect([label, snapshot(ours, ours, times)]).toEqual([
        label,
        snapshot(theirs, theirs, times),
      ]);
    }
  });

  it('paths as URLs and relative strings, as Node takes them; a Buffer fails as Node fails', async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const theirs = join(root, `n${n}`);
    const ours = join(root, `e${n++}`);
    plant(theirs);
    plant(ours);
    const cwd = process.cwd();
    for (const [label, src, dest] of [
      [
        'url',
        (d: string) => pathToFileURL(join(d, 'src/f')),
        (d: string) => pathToFileURL(join(d, 'u')),
      ],
      ['relative', () => 'src/sub', () => 'rel-copy'],
      ['buffer', (d: string) => Buffer.from(join(d, 'src/f')), (d: string) => join(d, 'b')],
    ] as const) {
      const results: string[] = [];
      for (const [top, cp] of [
        [theirs, nodeFs.cp as Cp],
        [ours, fs.cp as Cp],
      ] as const) {
        process.chdir(top);
        try {
          results.push(await outcome(cp, top, src(top), dest(top), { recursive: true }));
        } finally {
          process.chdir(cwd);
        }
      }
      expect([label, results[1]]).toEqual([label, results[0]]);
    }
    expect(snapshot(ours, ours, false)).toEqual(snapshot(theirs, theirs, false));
  });

  it("argument errors are Node's, word for word, and nothing is copied", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const top = join(root, `e${n++}`);
    plant(top);
    const src = join(top, 'src');
    const dest = join(top, 'copy');
    for (const [a, b, o] of [
      [src, dest, null],
      [src, dest, 'recursive'],
      [src, dest, []],
      [src, dest, { recursive: 1 }],
      [src, dest, { force: 'yes' }],
      [src, dest, { dereference: true, verbatimSymlinks: true }],
      [src, dest, { filter: 1 }],
      [src, dest, { mode: 9 }],
      [src, dest, { mode: 1.5 }],
      [src, dest, { mode: '1' }],
      [12, dest, {}],
      [src, `${dest}\0`, {}],
      [src, dest, { recursive: 'x', mode: 9 }],
    ] as [unknown, unknown, unknown][]) {
      const theirs = await outcome(nodeFs.cp as Cp, top, a, b, o);
      const ours = await outcome(fs.cp as Cp, top, a, b, o);
      expect([a, o, ours]).toEqual([a, o, theirs]);
    }
    expect(readdirSync(top).includes('copy')).toBe(false);
  });

  it('a copy into itself through a link is refused (Node copies until the path is too long)', async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const top = join(root, `e${n++}`);
    mkdirSync(join(top, 'self'), { recursive: true });
    writeFileSync(join(top, 'self/f'), 'f');
    symlinkSync('.', join(top, 'self/here'));
    // 'self/here/' is self; its parent by name is self too, where Node's check stops.
    const err = await fs.cp(join(top, 'self/here/'), join(top, 'self/n'), { recursive: true }).then(
      () => null,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(err?.code).toBe('ERR_FS_CP_EINVAL');
    expect(err?.message).toBe(
      `Invalid src or dest: cp returned EINVAL (cannot copy ${top}/self/here/ to a subdirectory of self ${top}/self/n) ${top}/self/n`,
    );
    expect(readdirSync(join(top, 'self')).sort()).toEqual(['f', 'here']);
    // Not recursive: Node's outcome (a directory is not copied), nothing refused early.
    await expect(fs.cp(join(top, 'self/here/'), join(top, 'self/n'))).rejects.toMatchObject({
      code: 'ERR_FS_EISDIR',
    });
  });

  it('a signal ends the copy at its next step with an AbortError', async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const top = join(root, `e${n++}`);
    plant(top);
    const ac = new AbortController();
    ac.abort('stop');
    await expect(
      fs.cp(join(top, 'src'), join(top, 'copy'), { recursive: true, signal: ac.signal }),
    ).rejects.toMatchObject({ name: 'AbortError', cause: 'stop' });
    expect(readdirSync(top).includes('copy')).toBe(false);
    // Aborted after the filter saw the third entry: what was copied stays, the rest does not come.
    const late = new AbortController();
    let seen = 0;
    await expect(
      fs.cp(join(top, 'src'), join(top, 'copy'), {
        recursive: true,
        signal: late.signal,
        filter: () => {
          if (++seen === 3) late.abort();
          return true;
        },
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(join(top, 'copy')).length).toBeLessThan(
      readdirSync(join(top, 'src')).length,
    );
  });
  it.each(['standalone', 'attached'])(
    "the callback form as node:fs' callback cp, case by case: the callback's argument and the trees (%s)",
    async (mode) => {
      const loop = t.loop({ ...options, attach: mode === 'attached' });
      const ours = callbackCp(
        (s, d, o, cb) => loop.fs.cp(s as string, d as string, o as CpOptions, cb),
        mode === 'attached' ? null : loop,
      );
      const theirs = callbackCp(
        (s, d, o, cb) => nodeCallbackCp(s as string, d as string, o as CpOptions, cb),
        null,
      );
      for (const [src, dest, opts] of CASES) {
        const [nodeTop, ourTop] = [join(root, `n${n}`), join(root, `e${n++}`)];
        plant(nodeTop);
        plant(ourTop);
        const times = opts?.preserveTimestamps === true;
        const node = await outcome(theirs, nodeTop, join(nodeTop, src), join(nodeTop, dest), opts);
        const evring = await outcome(ours, ourTop, join(ourTop, src), join(ourTop, dest), opts);
        const label = `${src} -> ${dest} ${JSON.stringify(opts)}`;
        expect([label, evring]).toEqual([label, node]);
        expect([label, snapshot(ourTop, ourTop, times)]).toEqual([
          label,
          snapshot(nodeTop, nodeTop, times),
        ]);
      }
      expect(loop.fs.inFlight).toBe(0);
    },
  );

  it('the callback form: never called back from the call (not even when the filter refuses at once); a standalone run() holds the whole copy; bad arguments thrown at the call, the callback first', () => {
    const loop = t.loop(options);
    const top = join(root, `e${n++}`);
    plant(top);
    const log: unknown[] = [];
    loop.fs.cp(join(top, 'src'), join(top, 'copy'), { recursive: true }, (err) => log.push(err));
    expect(log).toEqual([]);
    loop.run();
    expect(log).toEqual([null]);
    expect(snapshot(top, join(top, 'copy'), false).length).toBe(
      snapshot(top, join(top, 'src'), false).length,
    );
    // A filter that refuses the source, or throws: the task ends before its
    // first operation, and is still called back from the next poll.
    const filtered: unknown[] = [];
    loop.fs.cp(join(top, 'src'), join(top, 'c2'), { filter: () => false }, (...args) =>
      filtered.push(args),
    );
    loop.fs.cp(
      join(top, 'src'),
      join(top, 'c3'),
      {
        filter: () => {
          throw new Error('from the filter');
        },
      },
      (err) => filtered.push(err?.message),
    );
    expect(filtered).toEqual([]);
    loop.run();
    expect(filtered).toEqual([[null, undefined], 'from the filter']);
    expect(readdirSync(top).filter((name) => name.startsWith('c'))).toEqual(['copy']);
    // Node checks the callback before the options and paths.
    expect(() => loop.fs.cp(12 as never, 'x', { recursive: 1 } as never, 'no' as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_ARG_TYPE',
        message: expect.stringContaining('"callback"'),
      }),
    );
    expect(() => loop.fs.cp(12 as never, 'x', { recursive: 1 } as never, () => {})).toThrow(
      expect.objectContaining({ message: expect.stringContaining('"options.recursive"') }),
    );
  });

  it('the callback form: a signal aborted before the call, or between steps (looked at before each): an AbortError, the rest not copied', () => {
    const loop = t.loop(options);
    const top = join(root, `e${n++}`);
    plant(top);
    const log: string[] = [];
    const opts = { recursive: true, signal: AbortSignal.abort('stop') };
    loop.fs.cp(join(top, 'src'), join(top, 'copy'), opts, (err) =>
      log.push(`${err?.name} ${(err as Error | undefined)?.cause}`),
    );
    loop.run();
    expect(log).toEqual(['AbortError stop']);
    expect(readdirSync(top).includes('copy')).toBe(false);
    const late = new AbortController();
    let seen = 0;
    const filter = (): boolean => {
      if (++seen === 3) late.abort();
      return true;
    };
    loop.fs.cp(
      join(top, 'src'),
      join(top, 'copy'),
      { recursive: true, signal: late.signal, filter },
      (err) => log.push(`${err?.name}`),
    );
    loop.run();
    expect(log).toEqual(['AbortError stop', 'AbortError']);
    expect(readdirSync(join(top, 'copy')).length).toBeLessThan(
      readdirSync(join(top, 'src')).length,
    );
  });

  it('the callback form: the loop destroyed at each of its first 30 turns: no callback, nothing left open (the leak check)', () => {
    const top = join(root, `e${n++}`);
    plant(top);
    const log: unknown[] = [];
    for (let turns = 1; turns <= 30; turns++) {
      const loop = t.loop(options);
      loop.fs.cp(join(top, 'src'), join(top, `copy${turns}`), { recursive: true }, (err) =>
        log.push(err),
      );
      for (let i = 0; i < turns; i++) loop.run('once');
      loop.destroy();
      expect(log).toEqual([]);
      expect(loop.fs.inFlight).toBe(0);
    }
  });
});
