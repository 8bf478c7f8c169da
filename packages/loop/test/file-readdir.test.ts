/**
 * `loop.fs.promises.readdir`, compared with node:fs/promises' on every file
 * configuration: names, Buffers and Dirents, errors and option errors word
 * for word, and no fd left behind on any path.
 */

import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDirent, typeOfMode } from '../src/file-readdir.js';
import { FILE_CONFIGS, testScope } from './helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-readdir-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A directory with files of names that sort differently as bytes, as UTF-16 and as numbers; a subdirectory, a link, a pipe. */
const tree = (): string => {
  const dir = join(root, `t${n++}`);
  mkdirSync(dir);
  for (const name of ['b', 'a', 'Z', 'é', 'ä', '_x', '10', '9', '😀', 'a b']) {
    writeFileSync(join(dir, name), '');
  }
  mkdirSync(join(dir, 'sub'));
  symlinkSync('nowhere', join(dir, 'link'));
  return dir;
};

const fdCount = () => readdirSync('/proc/self/fd').length;

/** The error a promise rejects with: code, syscall and message. */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return `${err.code} ${err.syscall} ${err.message}`;
  }
  return 'no error';
}

describe.each(FILE_CONFIGS)('readdir on %s', (_name, options) => {
  const t = testScope();

  it("names, Buffers, another encoding and Dirents (withFileTypes): node's, entry for entry", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const dir = tree();
    const cases = [
      undefined,
      null,
      'buffer',
      'latin1',
      { encoding: 'utf8' },
      { withFileTypes: true },
      { withFileTypes: true, encoding: 'buffer' },
      { withFileTypes: 1, recursive: 0 }, // truthy and falsy, as Node reads them
    ] as const;
    for (const o of cases) {
      expect(await fs.readdir(dir, o as never), JSON.stringify(o)).toEqual(
        await nodeFs.readdir(dir, o as never),
      );
    }
    const dirents = await fs.readdir(dir, { withFileTypes: true });
    expect(dirents.filter((d) => d.isDirectory()).map((d) => d.name)).toEqual(['sub']);
    expect(dirents.filter((d) => d.isSymbolicLink()).map((d) => d.name)).toEqual(['link']);
    expect(dirents.filter((d) => d.isFile()).length).toBe(10);
    // A URL and a Buffer name the same directory.
    expect(await fs.readdir(pathToFileURL(dir))).toEqual(await nodeFs.readdir(dir));
    expect(await fs.readdir(Buffer.from(dir))).toEqual(await nodeFs.readdir(dir));
  });

  it('a directory of 3,000 entries (many getdents64 calls), and an empty one', async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const dir = join(root, `big${n++}`);
    mkdirSync(dir);
    for (let i = 0; i < 3000; i++) writeFileSync(join(dir, `f${i}-${'x'.repeat(i % 40)}`), '');
    const names = await fs.readdir(dir);
    expect(names.length).toBe(3000);
    expect(names).toEqual(await nodeFs.readdir(dir));
    const empty = join(root, `empty${n++}`);
    mkdirSync(empty);
    expect(await fs.readdir(empty)).toEqual([]);
  });

  it("errors say scandir and the path, as node's, word for word; bad options too; no fd is left on any of these paths", async () => {
    const fs = t.loop({ ...options, attach: true }).fs.promises;
    const dir = tree();
    const before = fdCount();
    for (const path of [join(dir, 'missing'), join(dir, 'b'), join(dir, 'link'), '']) {
      expect(await failure(fs.readdir(path)), path).toBe(await failure(nodeFs.readdir(path)));
    }
    for (const o of [42, { encoding: 'nope' }, 'nope']) {
      const ours = await failure(fs.readdir(dir, o as never));
      expect(ours, JSON.stringify(o)).toMatch(/^ERR_INVALID_ARG_/);
      expect(ours).toBe(await failure(nodeFs.readdir(dir, o as never)));
    }
    const ac = new AbortController();
    ac.abort();
    expect(await failure(fs.readdir(dir, { signal: ac.signal }))).toMatch(/^ABORT_ERR/);
    for (let i = 0; i < 20; i++) await fs.readdir(dir);
    expect(fdCount()).toBe(before);
  });
});

describe('readdir where the filesystem gives no type (DT_UNKNOWN)', () => {
  it("the type lstat gives, for every kind of entry, makes the Dirent node's readdir makes", async () => {
    const dir = tree();
    expect(spawnSync('mkfifo', [join(dir, 'fifo')]).status).toBe(0);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, 'socket'), resolve));
    try {
      const theirs = await nodeFs.readdir(dir, { withFileTypes: true });
      const ours = theirs.map((d) =>
        makeDirent(d.name, typeOfMode(lstatSync(join(dir, d.name)).mode), dir),
      );
      expect(ours).toEqual(theirs);
      expect(
        new Set(
          ours.map((d) =>
            [d.isFIFO(), d.isSocket(), d.isSymbolicLink(), d.isDirectory(), d.isFile()].join(),
          ),
        ).size,
      ).toBe(5);
      const dev = makeDirent('null', typeOfMode(lstatSync('/dev/null').mode), '/dev');
      expect(dev.isCharacterDevice()).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
