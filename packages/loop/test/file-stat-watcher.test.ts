/**
 * `loop.fs.watchFile` and `unwatchFile` against `node:fs`' own, on every
 * file configuration: both poll the same file through one script of
 * changes (made, grown, its times set, linked, removed, made again, its
 * mode changed; a parent that turns into a file), and must report the
 * same `(curr, prev)` pairs, field for field, in numbers and in bigints;
 * the same errors thrown at the call; one watcher per path shared by
 * every call, `unwatchFile` of one listener or all, `'stop'`; ref/unref
 * and persistence as the loop counts them; the loop destroyed under it.
 *
 * Every wait is bounded by time: a poll comes when its interval is up.
 */

import {
  appendFileSync,
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  unwatchFile as nodeUnwatchFile,
  watchFile as nodeWatchFile,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopFiles, LoopStatWatcher } from '../src/index.js';
import { FILE_CONFIGS, testScope } from './helpers.js';
import { until } from './watch-helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'evring-loop-watchfile-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh name under the test's root (nothing made there). */
const fresh = (): string => join(root, `f${n++}`);

/** The fields a poll compares and reports, as one string (bigints with their n). */
function fields(s: object): string {
  const f = s as Record<string, unknown>;
  const keys = ['dev', 'ino', 'mode', 'nlink', 'uid', 'gid', 'rdev', 'size', 'blocks'];
  const times = ['mtimeMs', 'ctimeMs', 'birthtimeMs'];
  const shown = (v: unknown) => (typeof v === 'bigint' ? `${v}n` : String(v));
  return [...keys, ...times].map((k) => `${k}=${shown(f[k])}`).join(' ');
}

/**
 * Changes to `path` (missing at first), each one syscall on it, so that a
 * poll sees it whole, and each made after the last one's poll: the steps'
 * changes never merge nor split. A file's content comes with it by a
 * rename (a write after an open would be two changes).
 */
function steps(path: string): (() => void)[] {
  const aside = `${path}.new`;
  const replaced = (content: string) => () => {
    writeFileSync(aside, content);
    renameSync(aside, path);
  };
  return [
    replaced('abc'),
    () => appendFileSync(path, 'd'),
    () => utimesSync(path, 1, 1),
    () => linkSync(path, `${path}-2`),
    () => unlinkSync(path),
    replaced('xy'),
    () => chmodSync(path, 0o600),
    () => unlinkSync(path),
    () => mkdirSync(path), // a directory now
    () => rmdirSync(path),
    () => writeFileSync(join(path, '..', 'sibling'), ''), // nothing of path's: no change
  ];
}

describe.each(FILE_CONFIGS)('watchFile on %s', (_name, options) => {
  const t = testScope();
  const files = (): LoopFiles => t.loop({ ...options, attach: true }).fs;

  for (const bigint of [false, true]) {
    it(`reports what node:fs' watchFile reports, pair for pair (bigint ${bigint})`, async () => {
      const fs = files();
      const dir = fresh();
      mkdirSync(dir);
      const path = join(dir, 'watched');
      const ours: string[] = [];
      const theirs: string[] = [];
      const record = (log: string[]) => (curr: object, prev: object) =>
        log.push(`${fields(curr)}\n  was ${fields(prev)}`);
      const o = { interval: 5, bigint };
      const watcher = fs.watchFile(path, o as { interval: number }, record(ours));
      nodeWatchFile(path, o as { interval: number }, record(theirs));
      try {
        // A missing file is told once, on the first poll.
        await until(() => ours.length === 1 && theirs.length === 1, 'the first poll');
        for (const [i, step] of steps(path).entries()) {
          step();
          const want = i === 10 ? 11 : i + 2; // the first poll's, one per step; the last step's none
          await until(() => ours.length >= want && theirs.length >= want, `step ${i}'s change`);
          await new Promise((r) => setTimeout(r, 20)); // a few polls more: nothing else comes
        }
      } finally {
        fs.unwatchFile(path);
        nodeUnwatchFile(path);
      }
      expect(watcher).toBeInstanceOf(LoopStatWatcher);
      expect(ours).toEqual(theirs);
      expect(ours).toHaveLength(11);
    });
  }

  it('a parent that turns into a file: another error, told again with zeros, as Node', async () => {
    const fs = files();
    const dir = fresh();
    mkdirSync(dir);
    const path = join(dir, 'x');
    const ours: string[] = [];
    const theirs: string[] = [];
    fs.watchFile(path, { interval: 5 }, (c, p) => ours.push(`${c.ino} ${p.ino}`));
    nodeWatchFile(path, { interval: 5 }, (c, p) => theirs.push(`${c.ino} ${p.ino}`));
    try {
      await until(() => ours.length === 1 && theirs.length === 1, 'ENOENT');
      rmSync(dir, { recursive: true });
      writeFileSync(dir, ''); // now ENOTDIR
      await until(() => ours.length === 2 && theirs.length === 2, 'ENOTDIR');
    } finally {
      fs.unwatchFile(path);
      nodeUnwatchFile(path);
      rmSync(dir);
    }
    expect(ours).toEqual(theirs);
    expect(ours).toEqual(['0 0', '0 0']);
  });

  it('a stat that works again after failing is told, even when it is what it was before, as Node', async () => {
    const fs = files();
    const dir = fresh();
    const away = `${dir}-away`;
    mkdirSync(away);
    writeFileSync(join(away, 'x'), 'x');
    const path = join(dir, 'x');
    const ours: string[] = [];
    const theirs: string[] = [];
    fs.watchFile(path, { interval: 5 }, (c, p) => ours.push(`${c.ino === p.ino} ${c.size}`));
    nodeWatchFile(path, { interval: 5 }, (c, p) => theirs.push(`${c.ino === p.ino} ${c.size}`));
    /** Moves the directory, then waits for both sides' `count`th change. */
    const step = async (move: () => void, count: number, what: string): Promise<void> => {
      move();
      await until(() => ours.length === count && theirs.length === count, what);
    };
    try {
      await step(() => {}, 1, 'the first poll: missing');
      await step(() => renameSync(away, dir), 2, 'the file there');
      await step(() => renameSync(dir, away), 3, 'the file gone');
      await step(() => renameSync(away, dir), 4, 'the file back, unchanged');
    } finally {
      fs.unwatchFile(path);
      nodeUnwatchFile(path);
    }
    expect(ours).toEqual(theirs);
    expect(ours).toEqual(['true 0', 'false 1', 'false 0', 'true 1']);
  });

  it('throws at the call what node:fs throws there, in its words', () => {
    const fs = files();
    const path = fresh();
    const listener = () => {};
    const cases: unknown[][] = [
      [5, listener],
      [undefined, listener],
      [`${path}\0`, listener],
      [path],
      [path, {}],
      [path, null, listener], // null options: the listener is taken from there, as Node's
      [path, { interval: -1 }, listener],
      [path, { interval: '5' }, listener],
      [path, { interval: 1.5 }, listener],
      [path, { interval: 2 ** 32 }, listener],
      [path, 5],
      [path, listener],
      [pathToFileURL(path), { interval: 10 }, listener],
    ];
    const outcome = (watch: (...a: unknown[]) => unknown, args: unknown[]): string => {
      try {
        watch(...args);
        return 'watching';
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        return `${err.code}: ${err.message}`;
      }
    };
    for (const args of cases) {
      const theirs = outcome(nodeWatchFile as never, args);
      nodeUnwatchFile(path);
      const ours = outcome(fs.watchFile as never, args);
      fs.unwatchFile(path);
      expect([args, ours]).toEqual([args, theirs]);
    }
    for (const bad of [5, undefined, `${path}\0`]) {
      expect(outcome(fs.unwatchFile as never, [bad])).toBe(
        outcome(nodeUnwatchFile as never, [bad]),
      );
    }
    // Node 20 refuses a Buffer (its path.resolve takes strings); evring takes it.
    expect(outcome(fs.watchFile as never, [Buffer.from(path), listener])).toBe('watching');
    fs.unwatchFile(Buffer.from(path));
  });

  it("one watcher per path, whichever way it is written; unwatchFile takes one listener or all; 'stop' after the last", async () => {
    const fs = files();
    const path = fresh();
    const heard: string[] = [];
    const one = () => heard.push('one');
    const two = () => heard.push('two');
    const cwd = process.cwd();
    const a = fs.watchFile(path, { interval: 5 }, one);
    const b = fs.watchFile(relative(cwd, path), two);
    expect(b).toBe(a);
    let stopped = 0;
    a.on('stop', () => stopped++);
    await until(() => heard.length === 2, 'the first poll, to both');
    fs.unwatchFile(pathToFileURL(path), one);
    writeFileSync(path, 'x');
    await until(() => heard.length === 3, 'the change, to two only');
    expect(heard.sort()).toEqual(['one', 'two', 'two']);
    fs.unwatchFile(path, () => {}); // not one of its listeners: nothing
    expect(stopped).toBe(0);
    fs.unwatchFile(path);
    expect(stopped).toBe(0); // on the next tick, as Node's
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(1);
    appendFileSync(path, 'more');
    await new Promise((r) => setTimeout(r, 30));
    expect(heard).toHaveLength(3);
    // A new call makes a new watcher.
    const c = fs.watchFile(path, { interval: 5 }, one);
    expect(c).not.toBe(a);
    // One stopped by its own stop() is not handed out again (Node's would
    // be, and would never poll): the next call polls anew.
    c.stop();
    rmSync(path); // missing: the new watcher's first poll says so, and then it is seen polling
    const d = fs.watchFile(path, { interval: 5 }, two);
    expect(d).not.toBe(c);
    await until(() => heard.length === 4, 'the new watcher’s first poll');
    writeFileSync(path, 'again');
    await until(() => heard.length === 5, 'the new watcher’s change');
    fs.unwatchFile(path);
    fs.unwatchFile(join(root, 'never watched')); // nothing, as Node's
  });

  it('persistent, ref() and unref(): counted as Node counts them, seen in the loop’s refCount', () => {
    const l = t.loop({ ...options, attach: true });
    const base = l.refCount;
    const path = fresh();
    const w = l.fs.watchFile(path, { interval: 50 }, () => {});
    // The first poll's stat is in flight too, and counts: wait for its own count to go.
    const polled = (): number => l.refCount - l.fs.inFlight;
    expect(polled()).toBe(base + 1);
    w.unref();
    expect(polled()).toBe(base);
    w.unref(); // already none
    w.ref();
    expect(polled()).toBe(base + 1);
    w.ref(); // as many refs as watchFile calls, at most
    w.unref();
    expect(polled()).toBe(base);
    // A second call counts one ref more without taking it (Node's count):
    // the two ref()s reach the count, and the watcher stays unref'd...
    l.fs.watchFile(path, () => {});
    w.ref();
    w.ref();
    expect(polled()).toBe(base);
    // ...until the count drops to none and a ref() takes it again.
    w.unref();
    w.unref();
    w.ref();
    expect(polled()).toBe(base + 1);
    l.fs.unwatchFile(path);
    expect(polled()).toBe(base);
    // A listener taken off takes its ref with it: one unref() is then enough.
    const one = () => {};
    const again = l.fs.watchFile(path, { interval: 50 }, one);
    l.fs.watchFile(path, () => {});
    expect(polled()).toBe(base + 1);
    l.fs.unwatchFile(path, one);
    expect(polled()).toBe(base + 1);
    again.unref();
    expect(polled()).toBe(base);
    l.fs.unwatchFile(path);
    const loose = l.fs.watchFile(fresh(), { persistent: false }, () => {});
    expect(polled()).toBe(base);
    loose.ref();
    expect(polled()).toBe(base + 1);
    loose.stop();
    expect(polled()).toBe(base);
  });

  it("the loop destroyed: the watcher stops ('stop'), and watchFile throws", async () => {
    const l = t.loop({ ...options, attach: true });
    const path = fresh();
    let changes = 0;
    const w = l.fs.watchFile(path, { interval: 5 }, () => changes++);
    let stopped = false;
    w.on('stop', () => {
      stopped = true;
    });
    await until(() => changes === 1, 'the first poll');
    l.destroy();
    await until(() => stopped, "'stop'");
    writeFileSync(path, 'x');
    await new Promise((r) => setTimeout(r, 30));
    expect(changes).toBe(1);
    expect(() => l.fs.watchFile(path, () => {})).toThrow(
      expect.objectContaining({ code: 'ERR_EVRING_LOOP_DESTROYED' }),
    );
    l.fs.unwatchFile(path); // nothing to stop
  });
});
