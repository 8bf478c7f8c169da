/**
 * `rm`'s steps. First apart from any kernel, over a scripted file system
 * that answers as told: the steps taken for each kind of entry, Node's
 * steps where a shortcut's answer was odd, the retries and their waits,
 * how many operations are under way, and that nothing more is removed
 * once the promise settles. Then on every file configuration: an abort
 * and a destroyed loop midway, and retries after EMFILE against Node's
 * own rm, in a child process whose fd limit is low. (Every outcome against
 * Node's, on random trees: file-paths-vs-node.test.ts.)
 */

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { rm as nodeRm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DT_DIR, DT_REG, DT_UNKNOWN } from '@evring/abi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileError } from '../src/file-ops.js';
import type { FilePromises } from '../src/file-promises.js';
import { remove, rmArguments } from '../src/file-rm.js';
import { FILE_CONFIGS, testScope } from './helpers.js';

const EACCES = -13;
const EBUSY = -16;
const EIO = -5;
const ENOTEMPTY = -39;

/**
 * A file system in memory, enough for `rm`: names are directories or
 * files, each call is logged and answers after a turn of Node's loop
 * (so that calls overlap), and `odd` may make any call fail.
 */
class ScriptedFs {
  readonly log: string[] = [];
  /** Calls under way now, and the most at once. */
  busy = 0;
  mostBusy = 0;
  /** Entries' types as the directory tells them (DT_UNKNOWN: it does not). */
  told: (path: string) => number = (path) => (this.names.get(path) === 'dir' ? DT_DIR : DT_REG);
  odd: (call: string, path: string) => number | null = () => null;
  readonly names = new Map<string, 'dir' | 'file'>();

  constructor(dirs: string[], files: string[]) {
    for (const d of dirs) this.names.set(d, 'dir');
    for (const f of files) this.names.set(f, 'file');
  }

  async #call<T>(call: string, path: unknown, act: (p: string) => T): Promise<T> {
    const p = Buffer.isBuffer(path) ? path.toString() : String(path);
    this.log.push(`${call} ${p}`);
    this.busy++;
    this.mostBusy = Math.max(this.mostBusy, this.busy);
    await new Promise((resolve) => setImmediate(resolve));
    this.busy--;
    const res = this.odd(call, p);
    if (res !== null) throw fileError(res, call === 'entries' ? 'scandir' : call, p, null);
    return act(p);
  }

  #gone(p: string, call: string): never {
    throw fileError(-2, call, p, null);
  }

  #children(p: string): string[] {
    return [...this.names.keys()].filter(
      (n) => n.startsWith(`${p}/`) && !n.slice(p.length + 1).includes('/'),
    );
  }

  lstat(path: unknown) {
    return this.#call('lstat', path, (p) => {
      const kind = this.names.get(p) ?? this.#gone(p, 'lstat');
      return { isDirectory: () => kind === 'dir' };
    });
  }

  unlink(path: unknown) {
    return this.#call('unlink', path, (p) => {
      const kind = this.names.get(p) ?? this.#gone(p, 'unlink');
      if (kind === 'dir') throw fileError(-21, 'unlink', p, null);
      this.names.delete(p);
    });
  }

  rmdir(path: unknown) {
    return this.#call('rmdir', path, (p) => {
      const kind = this.names.get(p) ?? this.#gone(p, 'rmdir');
      if (kind !== 'dir') throw fileError(-20, 'rmdir', p, null);
      if (this.#children(p).length > 0) throw fileError(ENOTEMPTY, 'rmdir', p, null);
      this.names.delete(p);
    });
  }

  entries(path: unknown) {
    return this.#call('entries', path, (p) =>
      this.#children(p)
        .sort()
        .map((n) => ({ name: Buffer.from(n.slice(p.length + 1)), type: this.told(n) })),
    );
  }

  /** `rm(path, options)` over this file system. */
  rm(path: string, options?: object): Promise<void> {
    return remove(this as unknown as FilePromises, path, rmArguments(options));
  }
}

describe('rm, over a scripted file system', () => {
  it("unlinks an entry its directory says is not a directory at once, and lstats one it gives no type, as Node's first step", async () => {
    const fs = new ScriptedFs(['/r'], ['/r/f', '/r/u']);
    fs.told = (p) => (p === '/r/u' ? DT_UNKNOWN : DT_REG);
    await fs.rm('/r', { recursive: true });
    expect(fs.names.size).toBe(0);
    expect(fs.log).toEqual([
      'lstat /r',
      'rmdir /r',
      'entries /r',
      'unlink /r/f',
      'lstat /r/u',
      'unlink /r/u',
      'rmdir /r',
    ]);
  });

  it("an entry said to be a directory is rmdir'ed at once; when that fails otherwise than 'not empty', Node's steps give Node's error", async () => {
    const fs = new ScriptedFs(['/r', '/r/d', '/r/e'], ['/r/e/f']);
    // /r/d may be listed but not reached (a directory of mode r-- to a user):
    // Node lstats it (EACCES) and goes on to unlink it, whose EACCES it reports.
    fs.odd = (_call, p) => (p === '/r/d' ? EACCES : null);
    const err = await fs.rm('/r', { recursive: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EACCES', syscall: 'unlink', path: '/r/d' });
    expect(fs.log.filter((l) => l.endsWith(' /r/d'))).toEqual([
      'rmdir /r/d',
      'lstat /r/d',
      'unlink /r/d',
    ]);
    // /r/e, not empty, had its entry removed first, then itself, without an lstat.
    expect(fs.log.filter((l) => l.includes('/r/e'))).toEqual([
      'rmdir /r/e',
      'entries /r/e',
      'unlink /r/e/f',
      'rmdir /r/e',
    ]);
    expect([...fs.names.keys()].sort()).toEqual(['/r', '/r/d']);
  });

  it('a name that fails with EBUSY is tried again from its lstat, up to maxRetries times, after retryDelay × the attempt', async () => {
    /** `rm('/f')` where unlink answers EBUSY `busy` times. */
    const busyFile = (busy: number) => {
      const fs = new ScriptedFs([], ['/f']);
      const at: number[] = [];
      fs.odd = (call) => {
        if (call !== 'unlink') return null;
        at.push(performance.now());
        return busy-- > 0 ? EBUSY : null;
      };
      return { fs, at };
    };
    const twice = busyFile(2);
    await twice.fs.rm('/f', { maxRetries: 2, retryDelay: 30 });
    expect(twice.fs.names.size).toBe(0);
    expect(twice.at).toHaveLength(3);
    // At least 30 ms, then 60 ms, between the tries (timers may fire late, never early).
    expect(twice.at[1]! - twice.at[0]!).toBeGreaterThanOrEqual(29);
    expect(twice.at[2]! - twice.at[1]!).toBeGreaterThanOrEqual(59);
    // rm's own lstat, then each retry from its lstat, as Node's.
    expect(twice.fs.log).toEqual([
      'lstat /f',
      'unlink /f',
      'lstat /f',
      'unlink /f',
      'lstat /f',
      'unlink /f',
    ]);

    const once = busyFile(2);
    await expect(once.fs.rm('/f', { maxRetries: 1, retryDelay: 1 })).rejects.toMatchObject({
      code: 'EBUSY',
      syscall: 'unlink',
    });
    expect(once.at).toHaveLength(2);

    // EIO is not retried.
    const io = new ScriptedFs([], ['/f']);
    io.odd = (call) => (call === 'unlink' ? EIO : null);
    await expect(io.rm('/f', { maxRetries: 5 })).rejects.toMatchObject({ code: 'EIO' });
    expect(io.log).toEqual(['lstat /f', 'unlink /f']);
  });

  it("an entry's failure goes up to its directory's name, which is retried too, as in Node (each level counts its own)", async () => {
    const fs = new ScriptedFs(['/r'], ['/r/f']);
    let busy = 2;
    fs.odd = (call, p) => (call === 'unlink' && p === '/r/f' && busy-- > 0 ? EBUSY : null);
    // /r/f fails twice: its own retry fails, then /r's retry removes it.
    await fs.rm('/r', { recursive: true, maxRetries: 1, retryDelay: 1 });
    expect(fs.names.size).toBe(0);
    expect(fs.log.filter((l) => l === 'unlink /r/f')).toHaveLength(3);
  });

  it('at most 16 entries of a directory are under way, and 64 operations in all', async () => {
    const files = Array.from({ length: 300 }, (_, i) => `/r/f${i}`);
    const flat = new ScriptedFs(['/r'], files);
    await flat.rm('/r', { recursive: true });
    expect(flat.names.size).toBe(0);
    expect(flat.mostBusy).toBe(16);

    const dirs = Array.from({ length: 20 }, (_, i) => `/r/d${i}`);
    const deep = new ScriptedFs(
      ['/r', ...dirs],
      dirs.flatMap((d) => Array.from({ length: 40 }, (_, i) => `${d}/f${i}`)),
    );
    await deep.rm('/r', { recursive: true });
    expect(deep.names.size).toBe(0);
    expect(deep.mostBusy).toBe(64);
  });

  it('after a failure, the entries already started finish, the others too (as Node goes on with them), then the promise settles and nothing more happens', async () => {
    const files = Array.from({ length: 40 }, (_, i) => `/r/f${String(i).padStart(2, '0')}`);
    const fs = new ScriptedFs(['/r'], files);
    fs.odd = (call, p) => (call === 'unlink' && p === '/r/f03' ? EIO : null);
    const err = await fs.rm('/r', { recursive: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EIO', path: '/r/f03' });
    const calls = fs.log.length;
    expect(fs.busy).toBe(0);
    expect([...fs.names.keys()].sort()).toEqual(['/r', '/r/f03']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fs.log.length).toBe(calls);
  });
});

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'evring-rm-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A tree of `dirs` directories of `files` files each, under `root`. */
function grow(root: string, dirs: number, files: number): void {
  for (let d = 0; d < dirs; d++) {
    mkdirSync(join(root, `d${d}`, 'sub'), { recursive: true });
    for (let f = 0; f < files; f++) writeFileSync(join(root, `d${d}`, `f${f}`), 'x');
  }
}

/** Whether `check()` holds within `ms`, looked at once per turn of Node's loop. */
async function within(ms: number, check: () => boolean): Promise<boolean> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

/** Every name under `root`. */
const names = (root: string): string[] =>
  existsSync(root) ? readdirSync(root, { recursive: true }).map(String).sort() : [];

describe("rm's own error", () => {
  const t = testScope();
  it("a directory without `recursive` is Node's SystemError, field for field: ERR_FS_EISDIR", async () => {
    const dir = join(base, 'a-directory');
    mkdirSync(dir);
    const ours = await t
      .loop({ attach: true })
      .fs.promises.rm(dir)
      .catch((e: unknown) => e as Error);
    const node = await nodeRm(dir).catch((e: unknown) => e as Error);
    expect(ours).toBeInstanceOf(Error);
    expect(ours!.constructor.name).toBe(node!.constructor.name);
    expect(Object.keys(ours!)).toEqual(Object.keys(node!));
    expect(Object.getOwnPropertyNames(ours).sort()).toEqual(
      Object.getOwnPropertyNames(node).sort(),
    );
    for (const key of ['name', 'message', 'code', 'errno', 'syscall', 'path', 'info'] as const) {
      expect((ours as never)[key], key).toEqual((node as never)[key]);
    }
    expect(String(ours)).toBe(String(node));
    expect(existsSync(dir)).toBe(true);
  });
});

describe('rm on every file configuration', () => {
  const t = testScope();
  let n = 0;
  for (const [name, options] of FILE_CONFIGS) {
    it(`${name}: an abort midway rejects with an AbortError, and once it has, nothing more is removed`, async () => {
      const loop = t.loop({ ...options, attach: true });
      const root = join(base, `abort${n++}`);
      grow(root, 30, 40);
      const before = names(root).length;
      const ac = new AbortController();
      const removing = loop.fs.promises.rm(root, { recursive: true, signal: ac.signal });
      // Aborted once some names are gone (bounded by time, not by a count of turns).
      expect(await within(5000, () => names(root).length < before)).toBe(true);
      ac.abort();
      await expect(removing).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
      const left = names(root);
      expect(left.length).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(names(root)).toEqual(left);
      // The rest goes as asked.
      await loop.fs.promises.rm(root, { recursive: true });
      expect(existsSync(root)).toBe(false);
    });

    it(`${name}: removes a deep tree with links and a socket in it, as Node's does, and follows no link out of it`, async () => {
      const loop = t.loop({ ...options, attach: true });
      const outside = join(base, `outside${n}`);
      mkdirSync(join(outside, 'kept'), { recursive: true });
      writeFileSync(join(outside, 'kept', 'file'), 'kept');
      const trees = [join(base, `deep${n}`), join(base, `deep-node${n}`)];
      n++;
      for (const root of trees) {
        // Six levels, three directories wide at the top, files at each level.
        const grow = (at: string, depth: number): void => {
          mkdirSync(at, { recursive: true });
          writeFileSync(join(at, 'f'), String(depth));
          if (depth === 0) return;
          for (let i = 0; i < (depth > 4 ? 3 : 1); i++) grow(join(at, `d${i}`), depth - 1);
        };
        grow(root, 6);
        symlinkSync(outside, join(root, 'to-outside')); // a link to a directory: removed, not followed
        symlinkSync(join(outside, 'kept'), join(root, 'd0', 'to-kept'));
        symlinkSync('nowhere', join(root, 'd1', 'dangling'));
        symlinkSync('.', join(root, 'd2', 'loop'));
        await new Promise<void>((resolve) => {
          const server = createServer().listen(join(root, 'd0', 'socket'), () =>
            server.close(() => resolve()),
          );
        });
      }
      expect(names(trees[0]!)).toEqual(names(trees[1]!));
      await loop.fs.promises.rm(trees[0]!, { recursive: true });
      await nodeRm(trees[1]!, { recursive: true });
      expect(existsSync(trees[0]!)).toBe(false);
      expect(existsSync(trees[1]!)).toBe(false);
      expect(names(outside)).toEqual(['kept', 'kept/file']);
    });

    it(`${name}: a loop destroyed midway rejects with ERR_EVRING_LOOP_DESTROYED, the removal stopped`, async () => {
      const loop = t.loop({ ...options, attach: true });
      const root = join(base, `destroy${n++}`);
      grow(root, 30, 40);
      const before = names(root).length;
      const removing = loop.fs.promises.rm(root, { recursive: true });
      expect(await within(5000, () => names(root).length < before)).toBe(true);
      loop.destroy();
      await expect(removing).rejects.toMatchObject({ code: 'ERR_EVRING_LOOP_DESTROYED' });
      // Stopped: what the kernel had under way (at most 64 operations) may
      // still finish after the rejection, but no more is started, so most
      // of the tree (1,260 names; a Node turn removes about 130) is left.
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(names(root).length).toBeGreaterThan(before / 2);
    });
  }

  it("retries after EMFILE as Node does: with none, the error; with enough, the tree removed once fds are free; and a tie's EMFILE is the open's (a child with a low fd limit)", () => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        'ulimit -n 256 && exec "$0" "$@"',
        process.execPath,
        new URL('./fixtures/rm-retries.mjs', import.meta.url).pathname,
        base,
        JSON.stringify(FILE_CONFIGS),
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const retried = lines.filter((line) => line.includes(' retries: '));
    // Each configuration's promise form, callback form and standalone callback form, and Node's two.
    expect(retried).toHaveLength(FILE_CONFIGS.length * 3 + 2);
    for (const line of retried) {
      expect(line).toMatch(
        /: no retries: EMFILE scandir, left; 4 retries: removed, gone; while full, the limit was reached$/,
      );
    }
    // A handle's fd is tied with a duplicate: with one number free, the open's
    // error (where Node's open would succeed: the cost docs/completion-io.md gives).
    const last = lines.filter((line) => line.includes('one number free'));
    expect(last).toHaveLength(FILE_CONFIGS.length);
    for (const line of last) {
      expect(line).toMatch(/: open rejects EMFILE open \/dev\/null, the number free again$/);
    }
  });
});
