/**
 * The callback forms of the calls io_uring has no operation for (`access`,
 * `exists`, `chmod`, `fchmod`, `chown`, `fchown`, `lchown`, `utimes`,
 * `futimes`, `lutimes`, `readlink`, `realpath`, `statfs`), on every file
 * configuration: each against `node:fs`' own callback call on a twin file
 * (the value or the error, field for field, and what the call did to the
 * file); and each delivered as an operation is: never from the call, from
 * the loop's next poll, in call order, keeping a standalone loop running
 * until then, not starving timers when a callback makes the next call,
 * dropped with the loop, a throw going where a callback's throw goes.
 * (Their arguments are swept against Node's in argument-sweep.test.ts.)
 */

import * as nodeFs from 'node:fs';
import {
  chmodSync,
  closeSync,
  lstatSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differencesFromNode, FILE_CONFIGS, runUntil, testScope } from './helpers.js';
import { until } from './watch-helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-direct-cb-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/**
 * A fresh directory holding `file` (0o644, 5 bytes), `script` (0o755), a
 * link `link` to `file`, a link `dangling` to nothing, and `dir/`.
 */
function fresh(): string {
  const d = join(root, `d${n++}`);
  nodeFs.mkdirSync(join(d, 'dir'), { recursive: true });
  writeFileSync(join(d, 'file'), 'hello', { mode: 0o644 });
  chmodSync(join(d, 'file'), 0o644);
  writeFileSync(join(d, 'script'), '#!/bin/sh\n', { mode: 0o755 });
  chmodSync(join(d, 'script'), 0o755);
  symlinkSync('file', join(d, 'link'));
  symlinkSync('nowhere', join(d, 'dangling'));
  return d;
}

/** A callback's arguments as one comparable string: an error's own fields, a value's shape. */
function shown(args: unknown[]): string {
  return args
    .map((a) => {
      if (a instanceof Error) {
        const e = a as NodeJS.ErrnoException;
        return `${e.code} ${e.errno} ${e.syscall} ${e.path}`;
      }
      if (Buffer.isBuffer(a)) return `<Buffer ${a.toString('latin1')}>`; // bytes, readable
      if (typeof a === 'object' && a !== null) {
        return `${a.constructor.name} ${JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`;
      }
      return String(a);
    })
    .join(', ');
}

/**
 * Each call (its name, what it shows), made by `node:fs` in one twin
 * directory and by the loop in the other, with the arguments the third
 * entry gives (`fd`: the twin's `file`, open for reading and writing; the
 * callback appended), then what the fourth reads of the directory (what
 * the call changed).
 */
const CASES: [string, string, (d: string, fd: number) => unknown[], ((d: string) => string)?][] = [
  ['access', 'an existing file', (d) => [join(d, 'file')]],
  [
    'access',
    'R_OK | W_OK',
    (d) => [join(d, 'file'), nodeFs.constants.R_OK | nodeFs.constants.W_OK],
  ],
  [
    'access',
    'X_OK of a file no one may run (EACCES, root too)',
    (d) => [join(d, 'file'), nodeFs.constants.X_OK],
  ],
  ['access', 'X_OK of a script', (d) => [join(d, 'script'), nodeFs.constants.X_OK]],
  ['access', 'a missing file', (d) => [join(d, 'missing'), 0]],
  ['access', 'a dangling link', (d) => [join(d, 'dangling')]],
  ['exists', 'an existing file, by URL', (d) => [pathToFileURL(join(d, 'file'))]],
  ['exists', 'a missing file', (d) => [join(d, 'missing')]],
  ['exists', 'a dangling link', (d) => [join(d, 'dangling')]],
  ['exists', 'a number', () => [5]],
  ['exists', 'a path with a NUL byte', (d) => [`${d}/fi\0le`]],
  ['chmod', 'an octal string', (d) => [join(d, 'file'), '600'], (d) => mode(join(d, 'file'))],
  ['chmod', 'through a link', (d) => [join(d, 'link'), 0o4711], (d) => mode(join(d, 'file'))],
  ['chmod', 'a missing file', (d) => [join(d, 'missing'), 0o600]],
  ['fchmod', 'an open file', (_d, fd) => [fd, 0o640], (d) => mode(join(d, 'file'))],
  ['fchmod', 'a closed fd', () => [2 ** 30, 0o640]],
  [
    'chown',
    'a file (as root)',
    (d) => [join(d, 'file'), 1234, 5678],
    (d) => owner(join(d, 'file')),
  ],
  ['chown', 'through a link', (d) => [join(d, 'link'), 42, -1], (d) => owner(join(d, 'file'))],
  [
    'lchown',
    'the link itself',
    (d) => [join(d, 'link'), 42, 43],
    (d) => `${owner(join(d, 'file'))} / ${lowner(join(d, 'link'))}`,
  ],
  ['lchown', 'a missing file', (d) => [join(d, 'missing'), 1, 1]],
  ['fchown', 'an open file', (_d, fd) => [fd, -1, 99], (d) => owner(join(d, 'file'))],
  [
    'utimes',
    'Dates',
    (d) => [join(d, 'file'), new Date(1e12), new Date(2e12)],
    (d) => times(join(d, 'file')),
  ],
  [
    'utimes',
    'seconds, fractions, numeric strings',
    (d) => [join(d, 'link'), 1234.5678, '1700000000.25'],
    (d) => times(join(d, 'file')),
  ],
  ['utimes', 'a missing file', (d) => [join(d, 'missing'), 1, 1]],
  [
    'lutimes',
    'the link itself',
    (d) => [join(d, 'link'), 1, 2],
    // The file's own times are those it was made with: only whether they moved is compared.
    (d) =>
      `${statSync(join(d, 'file')).mtimeMs === 2000 ? 'file set' : 'file not set'} / ${ltimes(join(d, 'link'))}`,
  ],
  ['futimes', 'an open file', (_d, fd) => [fd, 10, 20], (d) => times(join(d, 'file'))],
  ['futimes', 'a closed fd', () => [2 ** 30, 10, 20]],
  ['readlink', 'a link', (d) => [join(d, 'link')]],
  ['readlink', 'a link, as a Buffer', (d) => [join(d, 'dangling'), 'buffer']],
  ['readlink', 'a link, in hex', (d) => [join(d, 'link'), { encoding: 'hex' }]],
  ['readlink', 'a file (EINVAL)', (d) => [join(d, 'file')]],
  ['readlink', 'a missing file', (d) => [join(d, 'missing')]],
  ['realpath', 'through a link and ..', (d) => [join(d, 'dir', '..', 'link')]],
  [
    'realpath',
    'a Buffer, as a Buffer',
    (d) => [Buffer.from(join(d, 'link')), { encoding: 'buffer' }],
  ],
  ['realpath', 'the working directory (an empty path)', () => ['']],
  ['statfs', 'numbers', (d) => [join(d, 'file')]],
  ['statfs', 'bigints', (d) => [join(d, 'file'), { bigint: true }]],
  ['statfs', 'a missing file', (d) => [join(d, 'missing')]],
];

const mode = (p: string): string => (statSync(p).mode & 0o7777).toString(8);
const owner = (p: string): string => `${statSync(p).uid}:${statSync(p).gid}`;
const lowner = (p: string): string => `${lstatSync(p).uid}:${lstatSync(p).gid}`;
const times = (p: string): string => `${statSync(p).atimeMs} ${statSync(p).mtimeMs}`;
const ltimes = (p: string): string => `${lstatSync(p).atimeMs} ${lstatSync(p).mtimeMs}`;

/** The statfs fields a second apart may move (free blocks and inodes): left out of the comparison. */
const steady = (text: string): string =>
  text.replace(/"(bfree|bavail|ffree)":"?\d+n?"?/g, '"$1":_');

describe.each(FILE_CONFIGS)('the direct calls’ callback forms on %s', (_name, options) => {
  const t = testScope();

  it.each(['standalone', 'attached'])(
    'each as node:fs makes it: the same value or error, the same change (%s)',
    async (mode) => {
      const attached = mode === 'attached';
      const loop = t.loop({ ...options, attach: attached });
      const differences = await differencesFromNode(
        loop,
        attached,
        CASES,
        async (side, [call, , args, after]) => {
          const d = fresh();
          const fd = openSync(join(d, 'file'), 'r+');
          try {
            const result = await side.call(call, args(d, fd));
            // Paths in the answer are the twin's own: compared without them.
            return `${steady(shown(result)).replaceAll(d, '<d>')}${after ? ` | ${after(d)}` : ''}`;
          } finally {
            closeSync(fd);
          }
        },
      );
      expect(differences).toEqual([]);
      expect(loop.fs.inFlight).toBe(0);
    },
  );

  it('never from the call: from the next poll, in call order; a standalone run() lasts until each is delivered', () => {
    const loop = t.loop(options);
    const d = fresh();
    const log: string[] = [];
    loop.fs.access(join(d, 'file'), (err) => log.push(`access ${err?.code ?? 'ok'}`));
    loop.fs.chmod(join(d, 'missing'), 0o600, (err) => log.push(`chmod ${err?.code ?? 'ok'}`));
    loop.fs.exists(join(d, 'file'), (yes) => log.push(`exists ${yes}`));
    loop.fs.readlink(join(d, 'link'), (err, target) => log.push(`readlink ${err ?? target}`));
    log.push('called');
    expect(loop.fs.inFlight).toBe(4); // each keeps the loop alive
    expect(loop.run('nowait')).toBe(false); // all delivered: nothing left to run for
    expect(log).toEqual(['called', 'access ok', 'chmod ENOENT', 'exists true', 'readlink file']);
    expect(loop.fs.inFlight).toBe(0);
    // A standalone run() with nothing else to wait for returns once they are delivered.
    loop.fs.statfs(d, (err, s) => log.push(`statfs ${err ?? typeof s!.bsize}`));
    loop.run();
    expect(log.at(-1)).toBe('statfs number');
  });

  it('a callback that makes the next call does not starve the loop: a due timer still fires', () => {
    const loop = t.loop(options);
    const d = join(fresh(), 'file');
    let calls = 0;
    let fired = false;
    const again = (): void => {
      calls++;
      // Until the timer has run; a cap no 5 ms of polls reaches, so that a
      // loop that never polls again ends, and fails below, rather than hangs.
      if (!fired && calls < 1_000_000) loop.fs.access(d, again);
    };
    loop
      .timer(0.005, 0, () => {
        fired = true;
      })
      .start();
    loop.fs.access(d, again);
    runUntil(loop, () => fired && loop.fs.inFlight === 0, 2000);
    expect(fired).toBe(true);
    expect(calls).toBeGreaterThan(1);
    expect(calls).toBeLessThan(1_000_000); // the timer ran between two of them
    expect(loop.fs.inFlight).toBe(0);
  });

  it('attached: delivered with no run(), through Node’s loop', async () => {
    const loop = t.loop({ ...options, attach: true });
    const d = fresh();
    const log: string[] = [];
    loop.fs.utimes(join(d, 'file'), 5, 6, (err) => log.push(`utimes ${err ?? 'ok'}`));
    loop.fs.realpath(join(d, 'link'), (err, p) =>
      log.push(`realpath ${err ?? p === join(d, 'file')}`),
    );
    expect(log).toEqual([]);
    await until(() => log.length === 2, 'both callbacks');
    expect(log).toEqual(['utimes ok', 'realpath true']);
    expect(statSync(join(d, 'file')).mtimeMs).toBe(6000);
  });

  it('the loop destroyed before delivery: the callbacks are dropped (the call was made); after, calls throw', () => {
    const loop = t.loop(options);
    const d = fresh();
    const log: string[] = [];
    loop.fs.chmod(join(d, 'file'), 0o600, (err) => log.push(`chmod ${err}`));
    loop.destroy();
    expect(loop.fs.inFlight).toBe(0);
    expect(log).toEqual([]);
    expect(mode(join(d, 'file'))).toBe('600'); // made at the call, as documented
    expect(() => loop.fs.access(d, () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_EVRING_LOOP_DESTROYED' }),
    );
  });

  it('a callback that throws: out of run() standalone, the others still delivered on the next run', () => {
    const loop = t.loop(options);
    const d = fresh();
    const log: string[] = [];
    loop.fs.access(d, () => {
      throw new Error('boom');
    });
    loop.fs.exists(d, (yes) => log.push(`exists ${yes}`));
    expect(() => loop.run('nowait')).toThrow('boom');
    runUntil(loop, () => log.length === 1);
    expect(log).toEqual(['exists true']);
  });

  it("attached, a callback that throws: the error reaches loop.on('error'), the next is delivered", async () => {
    const loop = t.loop({ ...options, attach: true });
    const d = fresh();
    const errors: unknown[] = [];
    const log: string[] = [];
    loop.on('error', (err) => errors.push(err));
    loop.fs.fchmod(2 ** 30, 0o600, (err) => {
      throw err;
    });
    loop.fs.lchown(join(d, 'link'), 7, 8, (err) =>
      log.push(`lchown ${err ?? lowner(join(d, 'link'))}`),
    );
    await until(() => log.length === 1 && errors.length === 1, 'the error and the lchown');
    expect(errors).toEqual([expect.objectContaining({ code: 'EBADF', syscall: 'fchmod' })]);
    expect(log).toEqual(['lchown 7:8']);
  });
});
