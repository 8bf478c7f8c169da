/**
 * `loop.fs.readdir`'s and `opendir`'s callback forms on every file configuration, standalone
 * and attached: names, Buffers and Dirents, plain and recursive, against
 * `node:fs`' own callback call on the same tree (the order, every name and
 * Dirent field, the errors word for word); `opendir`'s Dir against Node's; the walk inside one standalone
 * `run()`; a link back up the tree listed, not entered; the loop destroyed
 * mid-walk. (Its arguments are swept against Node's in
 * argument-sweep.test.ts.)
 */

import type { Dirent } from 'node:fs';
import * as nodeFs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calledBack, FILE_CONFIGS, plantTree, runUntil, testScope } from './helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-readdir-cb-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A tree: files, directories three deep, an empty one, a link to a file, to a directory, and a dangling one. */
const tree = (): string =>
  plantTree(join(root, `t${n++}`), [
    'b',
    'a/x',
    'a/y/deep/z',
    'a/y/w',
    'c/',
    'é',
    'lf -> b',
    'ld -> a/y',
    'dangling -> nowhere',
  ]);

/** A callback's arguments as comparable strings: names, Buffers (hex), Dirents (every field), or the error. */
function shown(args: unknown[]): string[] | string {
  const [err, entries] = args as [NodeJS.ErrnoException | null, unknown[] | undefined];
  if (err) return `${err.name} ${err.code} ${err.syscall} ${err.path} ${err.message}`;
  return entries!.map((x) => {
    if (typeof x === 'string') return `S${x}`;
    if (Buffer.isBuffer(x)) return `B${x.toString('hex')}`;
    const d = x as Dirent;
    const kind = [d.isFile(), d.isDirectory(), d.isSymbolicLink()].join();
    return `D${String(d.name)} ${String(d.parentPath)} ${String(d.path)} ${kind}`;
  });
}

const CASES: [string, (t: string) => unknown[]][] = [
  ['names', (t) => [t]],
  ['names, by URL', (t) => [pathToFileURL(t)]],
  ['Buffers', (t) => [t, 'buffer']],
  ['names in hex', (t) => [t, { encoding: 'hex' }]],
  ['Dirents', (t) => [join(t, 'a'), { withFileTypes: true }]],
  ['Dirents with Buffer names', (t) => [t, { withFileTypes: true, encoding: 'buffer' }]],
  ['recursive names (a link to a directory entered)', (t) => [t, { recursive: true }]],
  ['recursive Dirents (no link entered)', (t) => [t, { recursive: true, withFileTypes: true }]],
  ['recursive, an empty directory', (t) => [join(t, 'c'), { recursive: true }]],
  ['a missing directory', (t) => [join(t, 'missing')]],
  ['a file', (t) => [join(t, 'b')]],
  ['a dangling link', (t) => [join(t, 'dangling'), { withFileTypes: true }]],
];

describe.each(FILE_CONFIGS)('readdir with a callback on %s', (_name, options) => {
  const t = testScope();

  it.each(['standalone', 'attached'])('each as node:fs gives it (%s)', async (mode) => {
    const attached = mode === 'attached';
    const loop = t.loop({ ...options, attach: attached });
    const top = tree();
    const differences: string[] = [];
    for (const [label, args] of CASES) {
      const node = shown(await calledBack(nodeFs, 'readdir', args(top)));
      const drive = attached ? undefined : (done: () => boolean) => runUntil(loop, done);
      const ours = shown(await calledBack(loop.fs, 'readdir', args(top), drive));
      if (JSON.stringify(node) !== JSON.stringify(ours)) {
        differences.push(`${label}: node ${JSON.stringify(node)}; evring ${JSON.stringify(ours)}`);
      }
    }
    expect(differences).toEqual([]);
    expect(loop.fs.inFlight).toBe(0);
  });

  it.each(['standalone', 'attached'])(
    'opendir: the Dir node:fs gives, entry for entry (%s)',
    async (mode) => {
      const attached = mode === 'attached';
      const loop = t.loop({ ...options, attach: attached });
      const top = tree();
      /** What the callback gave: the Dir's path and every entry it reads (closed after), or the error. */
      const seen = (args: unknown[]): string => {
        const [err, dir] = args as [NodeJS.ErrnoException | null, nodeFs.Dir | undefined];
        if (err) return `${err.code} ${err.syscall} ${err.path} ${err.message}`;
        const out = [`path ${typeof dir!.path} ${String(dir!.path)}`];
        // Read and closed at once (a standalone loop's close would wait for a run()).
        for (let d = dir!.readSync(); d !== null; d = dir!.readSync()) {
          out.push(`${String(d.name)} ${d.parentPath} ${d.isDirectory()}`);
        }
        dir!.closeSync();
        return out.join(', ');
      };
      const cases: [string, unknown[]][] = [
        ['a directory', [top]],
        ['by URL, Buffer names', [pathToFileURL(join(top, 'a')), { encoding: 'buffer' }]],
        ['a Buffer path', [Buffer.from(join(top, 'a', 'y'))]],
        ['a missing directory', [join(top, 'missing')]],
        ['a file', [join(top, 'b')]],
      ];
      const differences: string[] = [];
      for (const [label, args] of cases) {
        const node = seen(await calledBack(nodeFs, 'opendir', args));
        const drive = attached ? undefined : (done: () => boolean) => runUntil(loop, done);
        const ours = seen(await calledBack(loop.fs, 'opendir', args, drive));
        if (node !== ours) differences.push(`${label}: node ${node}; evring ${ours}`);
      }
      expect(differences).toEqual([]);
    },
  );

  it('a recursive walk inside one standalone run(); a link back up listed, not entered', () => {
    const loop = t.loop(options);
    const top = plantTree(join(root, `t${n++}`), ['a/b/f', 'a/b/up -> ../..', 'a/self -> .', 'g']);
    let got: unknown[] = [];
    loop.fs.readdir(top, { recursive: true }, (...args) => {
      got = args;
    });
    expect(got).toEqual([]); // never from the call
    loop.run();
    // Node's walk enters both links until the path holds 40 of them (ELOOP).
    expect(shown(got)).toEqual(['Sa', 'Sg', 'Sa/b', 'Sa/self', 'Sa/b/f', 'Sa/b/up']);
  });

  it('the loop destroyed mid-walk: no callback, no fd left (the leak check)', () => {
    const loop = t.loop(options);
    const top = tree();
    const log: unknown[] = [];
    loop.fs.readdir(top, { recursive: true }, (...args) => log.push(args));
    loop.run('once');
    loop.destroy();
    expect(log).toEqual([]);
    expect(() => loop.fs.readdir(top, () => {})).toThrow('fs.readdir(): the loop was destroyed');
  });
});
