/**
 * What the tests of both forms of watch share: a script of file operations
 * that makes every kind of event libuv names, events shown as strings, the
 * process's inotify fds, and a wait bounded by time.
 */

import {
  appendFileSync,
  chmodSync,
  closeSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  watch as nodeWatch,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * What a watch test file needs first: libuv's own inotify fd, which Node
 * makes at its first fs.watch and keeps for the process's life, made now,
 * before the leak check looks, so that the tests comparing with fs.watch
 * do not seem to leak it; and a root directory for the file's tests
 * (removed after them), whose `fresh()` gives an empty directory in it.
 */
export function watchTestDirs(prefix: string): { fresh: () => string } {
  nodeWatch(tmpdir()).close();
  let root = '';
  let n = 0;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return {
    fresh: () => {
      const d = join(root, `t${n++}`);
      mkdirSync(d);
      return d;
    },
  };
}

/** Resolves when `done()` holds, checking every few ms; rejects after `ms`. */
export async function until(done: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** An event as one string: the watch, its type and the name (a Buffer's bytes in hex). */
export const shown = (tag: string, eventType: string, filename: unknown): string =>
  `${tag} ${eventType} ${Buffer.isBuffer(filename) ? `B:${filename.toString('hex')}` : `S:${String(filename)}`}`;

/** The inotify fds this process holds (a loop's, and sys's private duplicate of it). */
export const inotifyFdList = (): number[] =>
  readdirSync('/proc/self/fd')
    .map(Number)
    .filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === 'anon_inode:inotify';
      } catch {
        return false;
      }
    });

/** How many inotify fds this process holds. */
export const inotifyFds = (): number => inotifyFdList().length;

/**
 * File operations in a directory `d` that holds a file `f` and a
 * directory `sub`: every kind of event libuv names, and names that are
 * not UTF-8. Ends with `sub` and `f` gone, a file moved out to `outside`
 * (a free name on the same file system), and a last file `zz-end` made.
 */
export function script(d: string, outside: string): void {
  const at = (name: string | Buffer): string | Buffer =>
    typeof name === 'string' ? join(d, name) : Buffer.concat([Buffer.from(`${d}/`), name]);
  writeFileSync(at('new'), 'x');
  appendFileSync(at('f'), 'more');
  chmodSync(at('f'), 0o600);
  utimesSync(at('f'), 1, 2);
  truncateSync(at('f'), 1);
  renameSync(at('new'), at('renamed'));
  renameSync(at('renamed'), outside);
  linkSync(at('f'), at('hard'));
  symlinkSync('f', at('soft'));
  mkdirSync(at('sub/deeper'));
  writeFileSync(at('sub/x'), 'x');
  unlinkSync(at('sub/x'));
  rmdirSync(at('sub/deeper'));
  const latin = Buffer.from([0x6c, 0xe9, 0x74]); // 'lét' in latin1: not UTF-8
  closeSync(openSync(at(latin), 'w'));
  unlinkSync(at(latin));
  writeFileSync(at('é'), 'é');
  unlinkSync(at('hard'));
  unlinkSync(at('f'));
  rmdirSync(at('sub'));
  writeFileSync(at('zz-end'), '');
}

/** The events `script` ends with: the last one, as a watch of `d` in `encoding` names it. */
export function lastOfScript(tag: string, encoding: BufferEncoding | 'buffer'): string {
  const name = Buffer.from('zz-end');
  return shown(tag, 'rename', encoding === 'buffer' ? name : name.toString(encoding));
}
