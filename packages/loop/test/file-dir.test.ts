/**
 * `loop.fs.promises.opendir` and its `LoopDir` against node:fs/promises'
 * `opendir` and `Dir`, on every file configuration: the Dirents in the
 * kernel's order at every `bufferSize`, encodings, Buffer and URL paths,
 * errors word for word; `recursive` (Node 20's where it agrees with Node
 * 22, every entry where Node 20 gives only a subdirectory's first batch);
 * the Dir's methods and their errors once closed; no fd left by a `break`,
 * a `closeSync` or a destroyed loop.
 */

import {
  Dir,
  type Dirent,
  mkdtempSync,
  opendirSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Loop } from '../src/index.js';
import { FILE_CONFIGS, plantTree, testScope } from './helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-opendir-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh directory under the test's root, made of `entries` (see plantTree). */
const make = (entries: string[]): string => plantTree(join(root, `t${n++}`), entries);

const TREE = ['f', 'é', '10', 'a/b/h', 'a/g', 'a/broken -> nowhere', 'c/lnk -> ../a', 'empty/'];

type Opener = (
  path: unknown,
  options?: unknown,
) => Promise<{
  path: unknown;
  read(): Promise<import('node:fs').Dirent | null>;
  close(): Promise<void>;
  [Symbol.asyncIterator](): AsyncIterator<import('node:fs').Dirent>;
}>;

/** Everything a walk with `for await` gives, as one string each; or the error, word for word. */
async function walked(open: Opener, path: unknown, options?: unknown): Promise<string[] | string> {
  try {
    const dir = await open(path, options);
    const out = [`path ${String(dir.path)} ${typeof dir.path}`];
    for await (const d of dir) {
      const kind = [d.isFile(), d.isDirectory(), d.isSymbolicLink()].join();
      out.push(
        `${Buffer.isBuffer(d.name) ? 'B' : 'S'}${String(d.name)} ${String(d.parentPath)} ${String(d.path)} ${kind}`,
      );
    }
    return out;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return `${err.code} ${err.syscall} ${err.message} [${err.path}]`;
  }
}

const fdCount = () => readdirSync('/proc/self/fd').length;

/** The names of `dir` in the kernel's order, as a Dir reads them (readdir sorts its own). */
function kernelOrder(dir: string): string[] {
  const d = opendirSync(dir);
  const out: string[] = [];
  for (let e = d.readSync(); e !== null; e = d.readSync()) out.push(e.name);
  d.closeSync();
  return out;
}
const ours = (loop: Loop): Opener => loop.fs.promises.opendir.bind(loop.fs.promises) as never;
const node = nodeFs.opendir as unknown as Opener;

describe.each(FILE_CONFIGS)('opendir on %s', (_name, options) => {
  const t = testScope();

  it("every entry, in the kernel's order, at every bufferSize and encoding: node's Dirents, and node's errors", async () => {
    const loop = t.loop({ ...options, attach: true });
    const top = make(TREE);
    for (let i = 0; i < 70; i++) writeFileSync(join(top, 'empty', `n${i}`), ''); // many batches
    const before = fdCount();
    const cases: [unknown, unknown][] = [
      [top, undefined],
      [top, null],
      [top, { bufferSize: 1 }],
      [top, { bufferSize: 3 }],
      [join(top, 'empty'), { bufferSize: 7 }],
      [join(top, 'empty'), {}],
      [top, 'latin1'],
      [top, { encoding: 'buffer' }],
      [top, { encoding: 'hex', bufferSize: 2 }],
      [Buffer.from(top), {}],
      [pathToFileURL(top), {}],
      [`${relative(process.cwd(), top)}/`, {}],
      [join(top, 'c', 'lnk'), {}],
      [join(top, 'missing'), {}],
      [join(top, 'f'), {}],
      [join(top, 'c', 'lnk', 'g'), {}],
      ['', {}],
      [42, {}],
      [top, 42],
      [top, { encoding: 'nope' }],
      [`${top}\0x`, {}],
    ];
    for (const [path, o] of cases) {
      expect(await walked(ours(loop), path, o), `${String(path)} ${JSON.stringify(o)}`).toEqual(
        await walked(node, path, o),
      );
    }
    expect(fdCount()).toBe(before); // each closed by its for-await
  });

  it("a bad bufferSize is refused with the error node's Dir gives (node 20's promise form ends the process on it instead)", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const top = make(['f']);
    const error = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        return `${err.code} ${err.message}`;
      }
      return 'no error';
    };
    for (const bufferSize of [0, -1, 1.5, '3', undefined, 2 ** 32, Number.NaN]) {
      // Node's Dir checks it once made (a stand-in handle: opendirSync would leak its own).
      const NodeDir = Dir as unknown as new (handle: object, path: string, options: object) => Dir;
      const theirs = error(() => new NodeDir({}, top, { bufferSize }));
      expect(theirs).toMatch(/^ERR_(OUT_OF_RANGE|INVALID_ARG_TYPE) /);
      const ourErr = await fs.opendir(top, { bufferSize } as never).then(
        () => 'no error',
        (e: NodeJS.ErrnoException) => `${e.code} ${e.message}`,
      );
      expect(ourErr, String(bufferSize)).toBe(theirs);
    }
    // Inherited, it is not Node's own option: the default.
    const dir = await fs.opendir(top, Object.create({ bufferSize: 0 }));
    expect((await dir.read())?.name).toBe('f');
    await dir.close();
  });

  it("recursive: node's walk where a subdirectory fits in a batch; every entry, each after its directory, where node 20 stops at the first batch", async () => {
    const loop = t.loop({ ...options, attach: true });
    const top = make([...TREE, 'a/b/i', 'a/b/j/k']);
    // Every subdirectory holds at most 4 entries: Node 20 and 22 agree.
    for (const o of [
      { recursive: true, bufferSize: 4 },
      { recursive: true },
      { recursive: true, encoding: 'latin1' },
    ]) {
      expect(await walked(ours(loop), top, o), JSON.stringify(o)).toEqual(
        await walked(node, top, o),
      );
    }
    // bufferSize 1: Node 20 gives each subdirectory's first entry only.
    const one = (await walked(ours(loop), top, { recursive: true, bufferSize: 1 })) as string[];
    const theirs = (await walked(node, top, { recursive: true, bufferSize: 1 })) as string[];
    expect(theirs.length).toBeLessThan(one.length);
    for (const line of theirs) expect(one).toContain(line);
    const all = readdirSync(top, { recursive: true, withFileTypes: true }).map((d) =>
      join(d.parentPath, d.name),
    );
    const given = one.slice(1).map((line) => {
      const [name, parent] = line.split(' ') as [string, string];
      return join(parent, name.slice(1));
    });
    expect([...given].sort()).toEqual([...all].sort());
    for (const [i, p] of given.entries()) {
      const up = dirname(p);
      if (up !== top) expect(given.indexOf(up), p).toBeLessThan(i);
    }
    // A Buffer name cannot be joined (path.join takes strings), as in Node.
    const buffers = await walked(ours(loop), top, { recursive: true, encoding: 'buffer' });
    expect(buffers).toMatch(/^ERR_INVALID_ARG_TYPE /);
    expect(buffers).toEqual(await walked(node, top, { recursive: true, encoding: 'buffer' }));
  });

  it("recursive: a subdirectory gone before its Dirent is given fails that read with opendir's ENOENT, as node's", async () => {
    const loop = t.loop({ ...options, attach: true });
    for (const open of [ours(loop), node]) {
      const top = make(['d1/x', 'd2/y']);
      const dir = (await open(top, { recursive: true })) as unknown as import('node:fs').Dir;
      const first = (await dir.read())!; // one of the two: its own entries are read now
      const other = first.name === 'd1' ? 'd2' : 'd1';
      rmSync(join(top, other), { recursive: true });
      const err = await dir.read().then(
        () => 'no error',
        (e: NodeJS.ErrnoException) =>
          `${e.code} ${e.syscall} ${e.message.split(top).join('<top>')}`,
      );
      expect(err).toBe(
        `ENOENT opendir ENOENT: no such file or directory, opendir '<top>/${other}'`,
      );
      await dir.close();
    }
  });

  it("the Dir's calls as node's: read, read(cb), readSync, close(cb), closeSync, entries(); ERR_DIR_CLOSED once closed", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const top = make(['x', 'y', 'z']);
    const names = kernelOrder(top);
    for (const open of [fs.opendir.bind(fs) as never as Opener, node]) {
      const dir = (await open(top)) as unknown as import('node:fs').Dir;
      const first = await dir.read();
      const second = await new Promise<import('node:fs').Dirent | null>((resolve, reject) =>
        dir.read((err, d) => (err ? reject(err) : resolve(d))),
      );
      const third = dir.readSync();
      expect([first?.name, second?.name, third?.name]).toEqual(names);
      expect(await dir.read()).toBe(null);
      expect(dir.readSync()).toBe(null);
      await new Promise<void>((resolve, reject) =>
        dir.close((err) => (err ? reject(err) : resolve())),
      );
      expect(() => dir.read()).toThrow(expect.objectContaining({ code: 'ERR_DIR_CLOSED' }));
      expect(() => dir.readSync()).toThrow(expect.objectContaining({ code: 'ERR_DIR_CLOSED' }));
      expect(() => dir.closeSync()).toThrow(expect.objectContaining({ code: 'ERR_DIR_CLOSED' }));
      await expect(dir.close()).rejects.toMatchObject({
        code: 'ERR_DIR_CLOSED',
        message: 'Directory handle was closed',
      });
      const told = await new Promise((resolve) => dir.close(resolve));
      expect(told).toMatchObject({ code: 'ERR_DIR_CLOSED' });
      expect(() => dir.read(42 as never)).toThrow(
        expect.objectContaining({ code: 'ERR_DIR_CLOSED' }),
      );

      const again = (await open(top)) as unknown as import('node:fs').Dir;
      expect(() => again.read(42 as never)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
      );
      const seen: string[] = [];
      const entries = (again as unknown as { entries(): AsyncIterable<Dirent> }).entries();
      for await (const d of entries) seen.push(d.name);
      expect(seen).toEqual(names);
      expect(() => again.closeSync()).toThrow(expect.objectContaining({ code: 'ERR_DIR_CLOSED' }));
    }
  });

  it('no fd is left by a break out of for-await, a closeSync, or a loop destroyed with the Dir open', async () => {
    const top = make(['x', 'y', 'z']);
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const loop = t.loop({ ...options, attach: true });
    const before = fdCount();
    for await (const d of await fs.opendir(top)) {
      expect(typeof d.name).toBe('string');
      break;
    }
    expect(fdCount()).toBe(before);
    const dir = await fs.opendir(top);
    expect(fdCount()).toBeGreaterThan(before);
    dir.closeSync();
    expect(fdCount()).toBe(before);
    const kept = await loop.fs.promises.opendir(top);
    loop.destroy();
    expect((await kept.read())?.name).toBeTypeOf('string'); // reads need no loop
    await kept.close(); // closed without the loop, by the fd's tie
    await expect(loop.fs.promises.opendir(top)).rejects.toMatchObject({
      code: 'ERR_EVRING_LOOP_DESTROYED',
    });
    // The destroyed loop's own fds: the leak check after every test finds any left.
  });
});
