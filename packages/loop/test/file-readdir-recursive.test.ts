/**
 * `loop.fs.promises.readdir(path, { recursive: true })` against
 * node:fs/promises' on every file configuration: the names and Dirents in
 * Node's order, links to directories entered where Node enters them,
 * Node's errors (a Buffer path, Buffer names, a subdirectory that cannot
 * be read), the one difference kept (a link back up is listed, not
 * entered), the entries' types asked where the filesystem gives none or
 * is wrong, an abort and a destroyed loop midway, and no fd left.
 */

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DT_DIR, DT_UNKNOWN } from '@evring/abi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilePromises } from '../src/file-promises.js';
import type { RawEntry } from '../src/file-readdir.js';
import { FILE_CONFIGS, plantTree, testScope } from './helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-readdir-r-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh directory under the test's root, made of `entries` (see plantTree). */
const make = (entries: string[]): string => plantTree(join(root, `t${n++}`), entries);

/** Names and Dirents as one comparable string each, in order; or the error, word for word. */
async function shown(p: Promise<unknown[]>): Promise<string[] | string> {
  try {
    return (await p).map((x) =>
      typeof x === 'string'
        ? `S${x}`
        : Buffer.isBuffer(x)
          ? `B${x.toString('hex')}`
          : (() => {
              const d = x as import('node:fs').Dirent;
              const kind = [d.isFile(), d.isDirectory(), d.isSymbolicLink()].join();
              return `D${String(d.name)} ${String(d.parentPath)} ${String(d.path)} ${kind}`;
            })(),
    );
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return `${err.code} ${err.syscall} ${err.message} [${err.path}]`;
  }
}

const fdCount = () => readdirSync('/proc/self/fd').length;

/** The walk's internal reader, replaced for a test (the instance's own, not the class's). */
type Entries = (
  path: unknown,
  options: unknown,
  whileOpen?: (fd: number) => void,
) => Promise<RawEntry[]>;
function hook(fs: FilePromises, wrap: (real: Entries) => Entries): void {
  const real = (fs as unknown as { entries: Entries }).entries.bind(fs);
  (fs as unknown as { entries: Entries }).entries = wrap(real);
}

const TREE = [
  'f',
  'é',
  '10',
  '9',
  'a/b/',
  'a/g',
  'a/b/h',
  'a/broken -> nowhere',
  'c/',
  'c/lnk -> ../other',
  'c/flink -> ../f',
  'other/o',
  'empty/',
  '66/z', // 'f' in hex: Node's names form stats the name as decoded, and enters this
];

describe.each(FILE_CONFIGS)('recursive readdir on %s', (_name, options) => {
  const t = testScope();

  it("names, Dirents and every encoding: node's, in node's order; a link to a directory entered in the names form only", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const top = make(TREE);
    const rel = `${relative(process.cwd(), top)}/`;
    const cases: [unknown, object][] = [
      [top, { recursive: true }],
      [top, { recursive: true, withFileTypes: true }],
      [top, { recursive: 1, encoding: 'latin1' }],
      [top, { recursive: true, encoding: 'hex' }],
      [top, { recursive: true, bigint: 'no', flag: 42 }], // not readdir's: ignored, as Node does
      [top, { recursive: true, withFileTypes: true, encoding: 'latin1' }],
      [top, { recursive: true, encoding: 'buffer' }], // path.join refuses the Buffer names, as in Node
      [top, { recursive: true, withFileTypes: true, encoding: 'buffer' }],
      [Buffer.from(top), { recursive: true }], // ... and a Buffer path
      [Buffer.from(join(top, 'empty')), { recursive: true }], // nothing to join: []
      [pathToFileURL(top), { recursive: true, withFileTypes: true }],
      [pathToFileURL(top), { recursive: true }],
      [rel, { recursive: true }],
      [rel, { recursive: true, withFileTypes: true }],
      [join(top, 'a', '..', 'c/'), { recursive: true }],
      [join(top, 'c', 'lnk'), { recursive: true, withFileTypes: true }],
      [join(top, 'empty'), { recursive: true }],
      [join(top, 'missing'), { recursive: true }],
      [join(top, 'f'), { recursive: true, withFileTypes: true }],
      ['', { recursive: true }],
    ];
    const before = fdCount();
    for (const [path, o] of cases) {
      const ours = await shown(fs.readdir(path as string, o as never) as Promise<unknown[]>);
      const theirs = await shown(nodeFs.readdir(path as string, o as never) as Promise<unknown[]>);
      expect(ours, `${String(path)} ${JSON.stringify(o)}`).toEqual(theirs);
    }
    const names = (await fs.readdir(top, { recursive: true })) as string[];
    expect(names).toContain('c/lnk/o');
    expect(names.indexOf('a')).toBeLessThan(names.indexOf('a/b/h'));
    expect(fdCount()).toBe(before);
  });

  it("a name that is not UTF-8: not entered by the names form (its stat fails, as Node's), ENOENT from the Dirents form (as Node's)", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const top = make(['x']);
    const odd = Buffer.concat([Buffer.from(`${top}/`), Buffer.from([0x64, 0xff])]);
    mkdirSync(odd);
    writeFileSync(Buffer.concat([odd, Buffer.from('/inside')]), '');
    for (const o of [{}, { withFileTypes: true }, { encoding: 'latin1' }]) {
      const ours = await shown(
        fs.readdir(top, { recursive: true, ...o } as never) as Promise<unknown[]>,
      );
      expect(ours, JSON.stringify(o)).toEqual(
        await shown(nodeFs.readdir(top, { recursive: true, ...o } as never) as Promise<unknown[]>),
      );
    }
    expect(await shown(fs.readdir(top, { recursive: true, withFileTypes: true }))).toMatch(
      /^ENOENT scandir/,
    );
  });

  it("a link back up is listed, not entered: node's list without what node found through it", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    // One way back up at a time: Node's walk ends (at the kernel's 40 links), repeating the tree at every level.
    for (const [spec, loops] of [
      [['f', 'a/g', 'a/up -> ..'], ['a/up/']],
      [
        ['x/l1 -> ../y', 'y/l2 -> ../x', 'y/k'],
        ['x/l1/l2/', 'y/l2/l1/'],
      ],
      [['d/e/', 'd/e/here -> .'], ['d/e/here/']],
    ] as const) {
      const top = make([...spec]);
      const theirs = (await nodeFs.readdir(top, { recursive: true })) as string[];
      const ours = await fs.readdir(top, { recursive: true });
      const kept = theirs.filter((name) => !loops.some((l) => name.startsWith(l)));
      expect(theirs.length, 'node repeats the tree').toBeGreaterThan(kept.length * 5);
      expect(ours, spec.join(', ')).toEqual(kept);
      // The Dirents form enters no link: node's, as it is.
      expect(await shown(fs.readdir(top, { recursive: true, withFileTypes: true }))).toEqual(
        await shown(nodeFs.readdir(top, { recursive: true, withFileTypes: true })),
      );
    }
  });

  it('two ways back up (where node walks without end): each link listed once, none entered', async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const top = make(['f', 'a/g', 'a/up -> ..', 'self -> .', 'a/b/down -> ../../a']);
    expect(await fs.readdir(top, { recursive: true })).toEqual([
      'a',
      'f',
      'self',
      'a/b',
      'a/g',
      'a/up',
      'a/b/down',
    ]);
  });

  it("where the filesystem gives no type (DT_UNKNOWN), or a wrong one: the kernel is asked, and the walk is node's", async () => {
    const loop = t.loop({ ...options, attach: true });
    const fs = loop.fs.promises;
    const top = make(TREE);
    const unknown = (entries: RawEntry[]) => entries.map((e) => ({ ...e, type: DT_UNKNOWN }));
    hook(
      fs,
      (real) =>
        async (...args) =>
          unknown(await real(...args)),
    );
    for (const o of [{}, { withFileTypes: true }]) {
      expect(
        await shown(fs.readdir(top, { recursive: true, ...o } as never) as Promise<unknown[]>),
      ).toEqual(
        await shown(nodeFs.readdir(top, { recursive: true, ...o } as never) as Promise<unknown[]>),
      );
    }
    // Every entry said to be a directory: the files' reads fail (ENOTDIR), and stat says they are not.
    const fs2 = t.loop({ ...options, attach: true }).fs.promises;
    hook(
      fs2,
      (real) =>
        async (...args) =>
          (await real(...args)).map((e) => ({ ...e, type: DT_DIR })),
    );
    expect(await fs2.readdir(top, { recursive: true })).toEqual(
      await nodeFs.readdir(top, { recursive: true }),
    );
  });

  it('an abort, before and midway, rejects with ABORT_ERR; a loop destroyed midway with ERR_EVRING_LOOP_DESTROYED', async () => {
    const top = make(TREE);
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const early = new AbortController();
    const started = fs.readdir(top, { recursive: true, signal: early.signal });
    early.abort();
    expect(await shown(started)).toMatch(/^ABORT_ERR/);
    for (const o of [{}, { withFileTypes: true }]) {
      const ac = new AbortController();
      const fsMid = t.loop({ ...options, attach: true }).fs.promises;
      let reads = 0;
      hook(fsMid, (real) => (...args) => {
        if (++reads === 3) ac.abort();
        return real(...args);
      });
      expect(await shown(fsMid.readdir(top, { recursive: true, signal: ac.signal, ...o }))).toMatch(
        /^ABORT_ERR/,
      );
      expect(reads).toBe(3); // nothing read after it
    }
    const loop = t.loop({ ...options, attach: true });
    let reads = 0;
    hook(loop.fs.promises, (real) => (...args) => {
      if (++reads === 2) loop.destroy();
      return real(...args);
    });
    expect(await shown(loop.fs.promises.readdir(top, { recursive: true }))).toMatch(
      /^ERR_EVRING_LOOP_DESTROYED/,
    );
    // The fds: the leak check after every test (test-support/leak-check.ts) finds any left.
  });
});
