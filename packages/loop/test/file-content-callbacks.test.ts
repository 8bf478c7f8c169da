/**
 * The callback forms of `readFile`, `writeFile`, `appendFile` and
 * `truncate`, on every file configuration, standalone and attached: each
 * case against `node:fs`' own callback call on a twin directory (the
 * callback's arguments, field for field, and the file's bytes and mode
 * after); the steps of one call all taken inside one standalone `run()`;
 * never called back from the call; an aborted signal; the loop destroyed
 * in the middle (nothing left open, no callback); a callback that throws.
 * (Their arguments are swept against Node's in argument-sweep.test.ts.)
 */

import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differencesFromNode, FILE_CONFIGS, patternBytes, runUntil, testScope } from './helpers.js';
import { until } from './watch-helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-content-cb-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BIG = patternBytes(1_500_000); // several reads, and an fstat (bigger than the first read)
const MID = patternBytes(70_000); // just over the first read

let n = 0;
/** A fresh directory: `small` (hello), `mid`, `big`, `empty`, and `dir/`. */
function fresh(): string {
  const d = join(root, `d${n++}`);
  mkdirSync(join(d, 'dir'), { recursive: true });
  writeFileSync(join(d, 'small'), 'hello');
  writeFileSync(join(d, 'mid'), MID);
  writeFileSync(join(d, 'big'), BIG);
  writeFileSync(join(d, 'empty'), '');
  return d;
}

/** A callback's arguments as one comparable string (an error's own fields; a Buffer's digest). */
function shown(args: unknown[], d: string): string {
  return args
    .map((a) => {
      if (a instanceof Error) {
        const e = a as NodeJS.ErrnoException;
        return `${e.name} ${e.code} ${e.errno} ${e.syscall} ${e.path}`.replaceAll(d, '<d>');
      }
      if (Buffer.isBuffer(a)) return `<Buffer ${a.length} ${a.toString('base64').slice(-40)}>`;
      if (typeof a === 'string')
        return `'${a.length > 60 ? `${a.length} chars ${a.slice(-20)}` : a}'`;
      return String(a);
    })
    .join(', ');
}

/** The file's bytes (digest) and mode, or its absence. */
function fileState(p: string): string {
  try {
    const bytes = readFileSync(p);
    return `${bytes.length} ${bytes.toString('base64').slice(-24)} ${(statSync(p).mode & 0o777).toString(8)}`;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code!;
  }
}

/**
 * The cases: the call, what it shows, its arguments in directory `d`
 * (`fd`: `d`'s `small`, open for reading and writing, its offset at 2),
 * and the file whose state after is compared.
 */
const CASES: [string, string, (d: string, fd: number) => unknown[], string?][] = [
  ['readFile', 'a small file', (d) => [join(d, 'small')]],
  ['readFile', 'a small file as UTF-8, by URL', (d) => [pathToFileURL(join(d, 'small')), 'utf8']],
  ['readFile', 'just over the first read', (d) => [join(d, 'mid')]],
  ['readFile', '1.5 MB, in hex', (d) => [join(d, 'big'), { encoding: 'hex' }]],
  ['readFile', 'an empty file', (d) => [join(d, 'empty'), { encoding: 'utf8' }]],
  ['readFile', "with flag 'a+'", (d) => [join(d, 'small'), { flag: 'a+' }]],
  ['readFile', 'a missing file', (d) => [join(d, 'missing')]],
  ['readFile', 'a directory (EISDIR, after the open)', (d) => [join(d, 'dir')]],
  ['readFile', "a caller's fd, from its offset", (_d, fd) => [fd, 'utf8']],
  [
    'writeFile',
    'a new file, with a mode',
    (d) => [join(d, 'new'), 'written', { mode: 0o640 }],
    'new',
  ],
  ['writeFile', 'over a longer file', (d) => [join(d, 'big'), 'short'], 'big'],
  ['writeFile', '1.5 MB', (d) => [join(d, 'small'), BIG], 'small'],
  ['writeFile', 'a Uint16Array', (d) => [join(d, 'new'), new Uint16Array([1, 2, 0xffff])], 'new'],
  ['writeFile', 'a hex string', (d) => [join(d, 'new'), 'cafe00', 'hex'], 'new'],
  ['writeFile', 'nothing', (d) => [join(d, 'small'), ''], 'small'],
  [
    'writeFile',
    "flag 'wx' on a file (EEXIST)",
    (d) => [join(d, 'small'), 'x', { flag: 'wx' }],
    'small',
  ],
  [
    'writeFile',
    "flag 'a', flush",
    (d) => [join(d, 'small'), ' there', { flag: 'a', flush: true }],
    'small',
  ],
  ['writeFile', 'in a missing directory', (d) => [join(d, 'no', 'file'), 'x']],
  ['writeFile', "a caller's fd, at its offset", (_d, fd) => [fd, 'XY'], 'small'],
  ['appendFile', 'to a file', (d) => [join(d, 'small'), ' world'], 'small'],
  ['appendFile', 'a new file, with a mode', (d) => [join(d, 'new'), 'a', { mode: 0o600 }], 'new'],
  ['appendFile', "flag 'w' replaces", (d) => [join(d, 'small'), 'w', { flag: 'w' }], 'small'],
  ['appendFile', "a caller's fd", (_d, fd) => [fd, Buffer.from('!')], 'small'],
  ['truncate', 'to 2', (d) => [join(d, 'small'), 2], 'small'],
  ['truncate', 'to 0, by default', (d) => [join(d, 'big')], 'big'],
  ['truncate', 'longer: zeros', (d) => [join(d, 'small'), 9], 'small'],
  ['truncate', 'a negative length is 0', (d) => [join(d, 'small'), -5], 'small'],
  ['truncate', 'a missing file', (d) => [join(d, 'missing'), 1]],
  ['truncate', 'a directory', (d) => [join(d, 'dir')]],
];

describe.each(FILE_CONFIGS)(
  'readFile, writeFile, appendFile, truncate with callbacks on %s',
  (_name, options) => {
    const t = testScope();

    it.each(['standalone', 'attached'])(
      'each as node:fs makes it: the same arguments, the same file after (%s)',
      async (mode) => {
        const attached = mode === 'attached';
        const loop = t.loop({ ...options, attach: attached });
        const differences = await differencesFromNode(
          loop,
          attached,
          CASES,
          async (side, [call, , args, after]) => {
            const d = fresh();
            const fd = openSync(join(d, 'small'), 'r+');
            readSync(fd, Buffer.alloc(2)); // its offset at 2
            try {
              const result = await side.call(call, args(d, fd));
              return `${shown(result, d)}${after ? ` | ${fileState(join(d, after))}` : ''}`;
            } finally {
              closeSync(fd);
            }
          },
        );
        expect(differences).toEqual([]);
        expect(loop.fs.inFlight).toBe(0);
      },
    );

    it('every step of a call inside one standalone run(), which returns once the callback ran', () => {
      const loop = t.loop(options);
      const d = fresh();
      const log: string[] = [];
      loop.fs.readFile(join(d, 'big'), (err, data) => {
        log.push(`read ${err ?? data!.equals(BIG)}`);
        loop.fs.writeFile(join(d, 'copy'), data!, (err) => {
          log.push(`written ${err}`);
          loop.fs.truncate(join(d, 'copy'), 3, (err) => log.push(`truncated ${err}`));
        });
      });
      expect(log).toEqual([]); // never from the call
      loop.run();
      expect(log).toEqual(['read true', 'written null', 'truncated null']);
      expect(readFileSync(join(d, 'copy'))).toEqual(BIG.subarray(0, 3));
      expect(loop.fs.inFlight).toBe(0);
    });

    it('an fd no file has: EBADF from the next poll, not from the call', () => {
      const loop = t.loop(options);
      const log: string[] = [];
      loop.fs.readFile(-1, (err) => log.push(`readFile ${err?.code}`));
      // (Node 20 throws ERR_OUT_OF_RANGE for this one out of a later tick, uncaught; and for
      // a closed fd calls back a TypeError of its own Buffer.concat: evring's is the EBADF.)
      loop.fs.readFile(2 ** 30, (err) => log.push(`readFile ${err?.code}`));
      loop.fs.writeFile(2 ** 30, 'x', (err) => log.push(`writeFile ${err?.code}`));
      expect(log).toEqual([]);
      loop.run();
      expect(log).toEqual(['readFile EBADF', 'readFile EBADF', 'writeFile EBADF']);
    });

    it('an aborted signal: AbortError, nothing opened; aborted while opening: AbortError after, the file closed', () => {
      const loop = t.loop(options);
      const d = fresh();
      const log: string[] = [];
      const before = AbortSignal.abort('no');
      loop.fs.writeFile(join(d, 'never'), 'x', { signal: before }, (err) =>
        log.push(`${err?.name} ${(err as Error)?.cause}`),
      );
      loop.fs.readFile(join(d, 'small'), { signal: before }, (err) => log.push(`${err?.name}`));
      loop.run();
      expect(log).toEqual(['AbortError no', 'AbortError']);
      expect(fileState(join(d, 'never'))).toBe('ENOENT');
      // Aborted once the open is under way: it is looked at before the first write (Node's order).
      const later = new AbortController();
      loop.fs.writeFile(join(d, 'opened'), 'x', { signal: later.signal }, (err) =>
        log.push(`${err?.name}`),
      );
      loop.fs.readFile(join(d, 'big'), { signal: later.signal }, (err, data) =>
        log.push(`${err?.name} ${data}`),
      );
      later.abort();
      loop.run();
      // (In either order: the two opens complete as the kernel does them.)
      expect(log.slice(2).sort()).toEqual(['AbortError', 'AbortError undefined']);
      expect(fileState(join(d, 'opened'))).toBe('0  644'); // created by the open, as Node's
    });

    it('the loop destroyed in the middle: no callback, nothing left open (the leak check), the rest of the file untouched', () => {
      const loop = t.loop(options);
      const d = fresh();
      const log: string[] = [];
      loop.fs.readFile(join(d, 'big'), (err) => log.push(`read ${err}`));
      loop.fs.writeFile(join(d, 'out'), BIG, (err) => log.push(`write ${err}`));
      loop.fs.truncate(join(d, 'mid'), 1, (err) => log.push(`truncate ${err}`));
      loop.run('once'); // the opens
      loop.destroy();
      expect(log).toEqual([]);
      expect(loop.fs.inFlight).toBe(0);
      // After, each throws at the call, as the one-operation calls do; nothing is called back.
      for (const call of [
        () => loop.fs.readFile(join(d, 'small'), () => log.push('readFile')),
        () => loop.fs.writeFile(join(d, 'small'), 'x', () => log.push('writeFile')),
        () => loop.fs.appendFile(9, 'x', () => log.push('appendFile')),
        () => loop.fs.truncate(join(d, 'small'), () => log.push('truncate')),
      ]) {
        expect(call).toThrow(expect.objectContaining({ code: 'ERR_EVRING_LOOP_DESTROYED' }));
      }
      expect(() => loop.fs.readFile(join(d, 'small'), () => {})).toThrow(
        'fs.readFile(): the loop was destroyed',
      );
      expect(log).toEqual([]);
      expect(fileState(join(d, 'small'))).toBe('5 aGVsbG8= 644');
    });

    it('a callback that throws: out of run() standalone; the next call still works', () => {
      const loop = t.loop(options);
      const d = fresh();
      loop.fs.readFile(join(d, 'small'), () => {
        throw new Error('boom');
      });
      expect(() => loop.run()).toThrow('boom');
      let text = '';
      loop.fs.readFile(join(d, 'small'), 'utf8', (_err, data) => {
        text = data!;
      });
      runUntil(loop, () => text !== '');
      expect(text).toBe('hello');
    });

    it("attached: delivered with no run(); a throw reaches loop.on('error')", async () => {
      const loop = t.loop({ ...options, attach: true });
      const d = fresh();
      const errors: unknown[] = [];
      loop.on('error', (err) => errors.push(err));
      const log: string[] = [];
      loop.fs.appendFile(join(d, 'small'), '!', (err) => {
        log.push(`appended ${err}`);
        throw new Error('from the callback');
      });
      await until(() => errors.length === 1, 'the error');
      expect(log).toEqual(['appended null']);
      expect(readFileSync(join(d, 'small'), 'utf8')).toBe('hello!');
    });
  },
);
