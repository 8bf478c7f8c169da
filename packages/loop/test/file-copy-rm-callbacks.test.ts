/**
 * The callback forms of `copyFile` and `rm`, on every file configuration,
 * standalone and attached: each case against `node:fs`' own callback call
 * on a twin directory (the callback's arguments, field for field, and the
 * whole directory after: names, kinds, modes, bytes); every step of a
 * call inside one standalone `run()`; never called back from the call; an
 * aborted signal; the loop destroyed in the middle (nothing left open, no
 * callback, the copy left as far as it went). (Their arguments are swept
 * against Node's in argument-sweep.test.ts; rm's retries, in both forms,
 * in file-rm.test.ts.)
 */

import * as nodeFs from 'node:fs';
import {
  chmodSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differencesFromNode, FILE_CONFIGS, patternBytes, testScope } from './helpers.js';
import { until } from './watch-helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-copy-rm-cb-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BIG = patternBytes(1_500_000); // more than the copy's 1 MiB buffer: two reads and writes

let n = 0;
/**
 * A fresh directory: `small` (mode 0o640), `big`, `empty`, `long` (longer
 * than `small`), `dir/` (empty), `tree/` (two levels, 40 names in one
 * directory: more than rm takes at once; a link to a directory outside it),
 * `link` (to `dir`).
 */
function fresh(): string {
  const d = join(root, `d${n++}`);
  mkdirSync(join(d, 'dir'), { recursive: true });
  writeFileSync(join(d, 'small'), 'hello');
  chmodSync(join(d, 'small'), 0o640);
  writeFileSync(join(d, 'big'), BIG);
  writeFileSync(join(d, 'empty'), '');
  writeFileSync(join(d, 'long'), 'a longer file than small');
  mkdirSync(join(d, 'tree', 'a', 'b'), { recursive: true });
  for (let i = 0; i < 40; i++) writeFileSync(join(d, 'tree', 'a', `f${i}`), `${i}`);
  writeFileSync(join(d, 'tree', 'a', 'b', 'deep'), 'deep');
  symlinkSync(join(d, 'dir'), join(d, 'tree', 'out'));
  symlinkSync('dir', join(d, 'link'));
  return d;
}

/** A callback's arguments as one comparable string (an error's own fields). */
function shown(args: unknown[], d: string): string {
  return args
    .map((a) => {
      if (a instanceof Error) {
        const e = a as NodeJS.ErrnoException;
        return `${e.name} ${e.code} ${e.errno} ${e.syscall} ${e.path} ${(e as { dest?: string }).dest} ${e.message}`.replaceAll(
          d,
          '<d>',
        );
      }
      return String(a);
    })
    .join(', ');
}

/** Everything under `d`: each name's kind, mode and bytes (digest). */
function treeState(d: string): string {
  const lines: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) {
        lines.push(`${rel}${name}/ ${mode}`);
        walk(p, `${rel}${name}/`);
      } else if (st.isSymbolicLink()) lines.push(`${rel}${name} -> link`);
      else {
        const bytes = readFileSync(p);
        lines.push(`${rel}${name} ${mode} ${bytes.length} ${bytes.toString('base64').slice(-16)}`);
      }
    }
  };
  walk(d, '');
  return lines.join('\n');
}

const { COPYFILE_EXCL, COPYFILE_FICLONE, COPYFILE_FICLONE_FORCE } = constants;

/** The cases: the call, what it shows, its arguments in directory `d`. */
const CASES: [string, string, (d: string) => unknown[]][] = [
  ['copyFile', 'a small file, its mode kept', (d) => [join(d, 'small'), join(d, 'new')]],
  ['copyFile', 'by URL', (d) => [pathToFileURL(join(d, 'small')), pathToFileURL(join(d, 'new'))]],
  ['copyFile', '1.5 MB (two chunks)', (d) => [join(d, 'big'), join(d, 'new')]],
  ['copyFile', 'an empty file', (d) => [join(d, 'empty'), join(d, 'new')]],
  ['copyFile', 'over a longer file', (d) => [join(d, 'small'), join(d, 'long')]],
  ['copyFile', 'onto itself', (d) => [join(d, 'small'), join(d, 'small')]],
  ['copyFile', 'onto itself through a link', (d) => [join(d, 'link'), join(d, 'dir')]],
  ['copyFile', 'EXCL onto a file', (d) => [join(d, 'small'), join(d, 'long'), COPYFILE_EXCL]],
  ['copyFile', 'EXCL to a new name', (d) => [join(d, 'big'), join(d, 'new'), COPYFILE_EXCL]],
  ['copyFile', 'FICLONE', (d) => [join(d, 'big'), join(d, 'new'), COPYFILE_FICLONE]],
  ['copyFile', 'FICLONE_FORCE', (d) => [join(d, 'big'), join(d, 'new'), COPYFILE_FICLONE_FORCE]],
  ['copyFile', 'a missing source', (d) => [join(d, 'missing'), join(d, 'new')]],
  ['copyFile', 'into a missing directory', (d) => [join(d, 'small'), join(d, 'no', 'new')]],
  ['copyFile', 'onto a directory', (d) => [join(d, 'small'), join(d, 'dir')]],
  ['copyFile', 'a directory (its read fails)', (d) => [join(d, 'dir'), join(d, 'new')]],
  ['rm', 'a file', (d) => [join(d, 'small')]],
  ['rm', 'a link to a directory: the link', (d) => [join(d, 'link')]],
  ['rm', 'a missing name', (d) => [join(d, 'missing')]],
  ['rm', 'a missing name, force', (d) => [join(d, 'missing'), { force: true }]],
  ['rm', 'a directory, not recursive', (d) => [join(d, 'dir')]],
  ['rm', 'an empty directory, recursive', (d) => [join(d, 'dir'), { recursive: true }]],
  ['rm', 'a tree, recursive', (d) => [join(d, 'tree'), { recursive: true }]],
  [
    'rm',
    'a tree by URL, recursive and force',
    (d) => [pathToFileURL(join(d, 'tree')), { recursive: true, force: true }],
  ],
  ['rm', 'under a file', (d) => [join(d, 'small', 'x'), { force: true }]],
];

describe.each(FILE_CONFIGS)('copyFile and rm with callbacks on %s', (_name, options) => {
  const t = testScope();

  it.each(['standalone', 'attached'])(
    'each as node:fs makes it: the same arguments, the same directory after (%s)',
    async (mode) => {
      const attached = mode === 'attached';
      const loop = t.loop({ ...options, attach: attached });
      const differences = await differencesFromNode(
        loop,
        attached,
        CASES,
        async (side, [call, , args]) => {
          const d = fresh();
          return `${shown(await side.call(call, args(d)), d)}\n${treeState(d)}`;
        },
      );
      expect(differences).toEqual([]);
      expect(loop.fs.inFlight).toBe(0);
    },
  );

  it('every step of a call inside one standalone run(), which returns once the callbacks ran; never from the call', () => {
    const loop = t.loop(options);
    const d = fresh();
    const log: string[] = [];
    loop.fs.copyFile(join(d, 'big'), join(d, 'copy'), (err) => {
      log.push(`copied ${err}`);
      loop.fs.rm(join(d, 'tree'), { recursive: true }, (err) => log.push(`removed ${err}`));
    });
    loop.fs.rm(join(d, 'dir'), (err) => log.push(`rm dir ${err?.code}`));
    expect(log).toEqual([]);
    loop.run();
    expect(log).toEqual(['rm dir ERR_FS_EISDIR', 'copied null', 'removed null']);
    expect(readFileSync(join(d, 'copy')).equals(BIG)).toBe(true); // (toEqual walks 1.5 MB a byte at a time)
    expect(existsSync(join(d, 'tree'))).toBe(false);
    expect(existsSync(join(d, 'dir'))).toBe(true); // the link's target, not entered
    expect(loop.fs.inFlight).toBe(0);
  });

  it("rm's signal: aborted before, an AbortError from the next poll with nothing removed; aborted midway, the rest left", () => {
    const loop = t.loop(options);
    const d = fresh();
    const log: string[] = [];
    loop.fs.rm(join(d, 'tree'), { recursive: true, signal: AbortSignal.abort('no') }, (err) =>
      log.push(`${err?.name} ${(err as Error)?.cause}`),
    );
    expect(log).toEqual([]);
    loop.run();
    expect(log).toEqual(['AbortError no']);
    expect(treeState(join(d, 'tree'))).toContain('a/f39');
    // Aborted once its first entries are under way: none started after.
    const controller = new AbortController();
    loop.fs.rm(join(d, 'tree'), { recursive: true, signal: controller.signal }, (err) =>
      log.push(`${err?.name}`),
    );
    loop.run('once'); // the lstat
    controller.abort();
    loop.run();
    expect(log).toEqual(['AbortError no', 'AbortError']);
    expect(existsSync(join(d, 'tree'))).toBe(true);
    expect(loop.fs.inFlight).toBe(0);
  });

  it('the loop destroyed in the middle, at each of its first steps: no callback, nothing left open (the leak check); calls after it throw', () => {
    const log: string[] = [];
    const d = fresh();
    // Destroyed after 1 to 10 turns: with the files open, reading, writing,
    // and while the tree's directories are open for their entries.
    for (let turns = 1; turns <= 10; turns++) {
      const loop = t.loop(options);
      const tree = join(d, `tree${turns}`);
      rmSync(tree, { recursive: true, force: true });
      nodeFs.cpSync(join(d, 'tree'), tree, { recursive: true, verbatimSymlinks: true });
      loop.fs.copyFile(join(d, 'big'), join(d, `copy${turns}`), (err) => log.push(`copy ${err}`));
      loop.fs.rm(tree, { recursive: true }, (err) => log.push(`rm ${err}`));
      for (let i = 0; i < turns; i++) loop.run('once');
      const before = [...log]; // (a copy may be done within the turns on an emulated backend)
      loop.destroy();
      expect(log).toEqual(before);
      expect(loop.fs.inFlight).toBe(0);
    }
    expect(log.filter((line) => line.startsWith('rm'))).toEqual([]);
    expect(readFileSync(join(d, 'small'), 'utf8')).toBe('hello'); // the rest untouched
    const loop = t.loop(options);
    loop.destroy();
    expect(() => loop.fs.copyFile(join(d, 'small'), join(d, 'c'), () => log.push('c'))).toThrow(
      'fs.copyFile(): the loop was destroyed',
    );
    expect(() => loop.fs.rm(join(d, 'small'), () => log.push('r'))).toThrow(
      'fs.rm(): the loop was destroyed',
    );
    expect(log.filter((line) => !line.startsWith('copy'))).toEqual([]);
    expect(existsSync(join(d, 'small'))).toBe(true);
  });

  it("a callback that is no function: thrown at the call (Node 20's rm throws it out of a later tick, uncaught), after the path and options are checked", () => {
    const loop = t.loop(options);
    const d = fresh();
    expect(() => loop.fs.rm(join(d, 'small'), {}, 'no' as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_ARG_TYPE',
        message: expect.stringContaining('"callback"'),
      }),
    );
    expect(() => loop.fs.rm(join(d, 'small'), { force: 1 } as never, 'no' as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_ARG_TYPE',
        message: expect.stringContaining('"options.force"'),
      }),
    );
    expect(() => loop.fs.copyFile(join(d, 'small'), join(d, 'c'), 0, undefined as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_ARG_TYPE',
        message: expect.stringContaining('"callback"'),
      }),
    );
    expect(existsSync(join(d, 'small'))).toBe(true);
    expect(existsSync(join(d, 'c'))).toBe(false);
    expect(loop.fs.inFlight).toBe(0);
  });

  it('a callback that throws after a step that ended at once (an aborted signal): thrown out of run() once, the callback called once', () => {
    const loop = t.loop(options);
    const d = fresh();
    const controller = new AbortController();
    let calls = 0;
    loop.fs.rm(join(d, 'tree'), { recursive: true, signal: controller.signal }, () => {
      calls++;
      throw new Error('from the callback');
    });
    loop.run('once'); // the lstat: the next step sees the abort at once
    controller.abort();
    expect(() => loop.run()).toThrow('from the callback');
    loop.run();
    expect(calls).toBe(1);
    expect(loop.fs.inFlight).toBe(0);
  });

  it("attached: delivered with no run(); a throw reaches loop.on('error')", async () => {
    const loop = t.loop({ ...options, attach: true });
    const d = fresh();
    const errors: unknown[] = [];
    loop.on('error', (err) => errors.push(err));
    const log: string[] = [];
    loop.fs.copyFile(join(d, 'small'), join(d, 'copy'), COPYFILE_EXCL, (err) => {
      log.push(`copied ${err}`);
      throw new Error('from the callback');
    });
    await until(() => errors.length === 1, 'the error');
    expect(log).toEqual(['copied null']);
    expect(readFileSync(join(d, 'copy'), 'utf8')).toBe('hello');
  });
});

describe('rm with callbacks, a big directory', () => {
  const t = testScope();

  it("a signal aborted at each of rm's first turns over 20,000 entries: the AbortError every time, nothing more removed after it", () => {
    const d = join(root, 'many');
    mkdirSync(join(d, 'entries'), { recursive: true });
    for (let i = 0; i < 20_000; i++) writeFileSync(join(d, 'entries', `${i}`), '');
    // Once the entries are listed, each is refused at its first step: the
    // parts end as they start, and must not be started one inside another.
    for (let turns = 1; turns <= 8; turns++) {
      const loop = t.loop({ backend: 'iouring' });
      const controller = new AbortController();
      const log: string[] = [];
      loop.fs.rm(d, { recursive: true, signal: controller.signal }, (err) =>
        log.push(`${err?.name}`),
      );
      for (let i = 0; i < turns; i++) loop.run('once');
      controller.abort();
      const left = readdirSync(join(d, 'entries')).length;
      loop.run();
      expect(log, `aborted after ${turns} turns`).toEqual(['AbortError']);
      // What was under way at the abort may finish; nothing is started after it.
      expect(left - readdirSync(join(d, 'entries')).length).toBeLessThanOrEqual(64);
      loop.destroy();
    }
  });
});
