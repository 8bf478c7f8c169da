/**
 * `loop.fs.watch` (the EventEmitter form) against `node:fs`' `watch`: the
 * events of one script of file operations, emitted as Node emits them, in
 * the same order, for a directory, a file and a directory named with a
 * trailing slash, in every encoding; the arguments' errors, thrown at the
 * call with Node's words; `'close'` on the next tick and the signal, as
 * Node's; then what the loop adds: ref/unref and persistence, the loop
 * destroyed or its inotify fd closed under the watchers (an `'error'`,
 * never a silent end), a listener that throws (the other watchers still
 * hear), the kernel's queue overflowing (a warning), recursive trees.
 *
 * Every wait is bounded by time: events come from the kernel when it
 * posts them, not after a count of loop turns.
 */

import { getEventListeners } from 'node:events';
import {
  appendFileSync,
  closeSync,
  mkdirSync,
  watch as nodeWatch,
  openSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Loop, LoopFSWatcher } from '../src/index.js';
import { BACKENDS, testScope } from './helpers.js';
import {
  inotifyFdList,
  inotifyFds,
  lastOfScript,
  script,
  shown,
  until,
  watchTestDirs,
} from './watch-helpers.js';

const { fresh } = watchTestDirs('evring-loop-watcher-');

/** A few ms for events that would come if the code under test were wrong. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 30));

/** What a watcher emitted, each event as a string, in order. */
function record(w: {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}): string[] {
  const log: string[] = [];
  w.on('change', (type, name) => log.push(shown('', String(type), name).trim()));
  w.on('error', (err) => log.push(`error ${(err as NodeJS.ErrnoException).code}`));
  w.on('close', () => log.push('close'));
  return log;
}

describe.each(BACKENDS)('fs.watch on %s', (backend) => {
  const t = testScope();
  const loop = (): Loop => t.loop({ backend, attach: true });

  for (const encoding of ['utf8', 'buffer', 'latin1', 'hex'] as const) {
    it(`emits what node:fs' watch emits, event for event (encoding ${encoding})`, async () => {
      const d = fresh();
      writeFileSync(join(d, 'f'), 'f');
      mkdirSync(join(d, 'sub'));
      const fs = loop().fs;
      const ours: Record<string, string[]> = { dir: [], file: [], 'sub/': [] };
      const theirs: Record<string, string[]> = { dir: [], file: [], 'sub/': [] };
      const targets: [string, string][] = [
        ['dir', d],
        ['file', join(d, 'f')],
        ['sub/', `${join(d, 'sub')}/`],
      ];
      // The options as a string on one side of the targets, as an object on the other.
      const watchers = targets.flatMap(([tag, path], i) => [
        fs.watch(path, i === 0 ? encoding : { encoding }, (type, name) =>
          ours[tag]!.push(shown(tag, type, name)),
        ),
        nodeWatch(path, i === 0 ? encoding : { encoding }, (type, name) =>
          theirs[tag]!.push(shown(tag, type, name)),
        ),
      ]);
      try {
        script(d, join(fresh(), 'out')); // moved out: to a free name beside
        // One inotify fd per side: once the last event shows, every earlier one was read.
        const end = lastOfScript('dir', encoding);
        await until(() => ours.dir!.includes(end) && theirs.dir!.includes(end), 'the last event');
      } finally {
        for (const w of watchers) w.close();
      }
      // inotify merges an event into the same one still unread; the script
      // runs with nothing read meanwhile, so both sides merge alike.
      for (const [tag] of targets) expect(ours[tag]).toEqual(theirs[tag]);
      const all = Object.values(ours).flat();
      expect(all.length).toBeGreaterThan(25);
      for (const want of ['dir change', 'dir rename', 'file change', 'file rename', 'sub/ rename'])
        expect(all.some((e) => e.startsWith(want))).toBe(true);
    });
  }

  it('a path as a Buffer or a URL, and a relative one, watch the same file', async () => {
    const d = fresh();
    writeFileSync(join(d, 'f'), '');
    const fs = loop().fs;
    const log: string[] = [];
    const cwd = process.cwd();
    process.chdir(d);
    let watchers: LoopFSWatcher[];
    try {
      watchers = [
        fs.watch(Buffer.from(join(d, 'f')), (type, name) => log.push(`buffer ${type} ${name}`)),
        fs.watch(pathToFileURL(join(d, 'f')), (type, name) => log.push(`url ${type} ${name}`)),
        fs.watch('f', (type, name) => log.push(`relative ${type} ${name}`)),
      ];
    } finally {
      process.chdir(cwd);
    }
    appendFileSync(join(d, 'f'), 'x');
    await until(() => log.length === 3, 'three events');
    for (const w of watchers) w.close();
    expect(log.sort()).toEqual(['buffer change f', 'relative change f', 'url change f']);
  });

  it('throws what Node throws, with its words, at the call', async () => {
    const d = fresh();
    const fs = loop().fs;
    const missing = join(d, 'missing');
    const cases: unknown[][] = [
      [missing],
      [Buffer.from(missing)],
      [pathToFileURL(missing)],
      [missing, { encoding: 'buffer' }],
      [join(d, 'f\0')],
      [12],
      [undefined],
      [d, 5],
      [d, true],
      [d, 'nope'],
      [d, { encoding: 'nope' }],
      [d, { encoding: 7 }],
      [d, { signal: {} }],
      [d, { signal: null }],
      [d, { recursive: 'yes' }],
      [d, { recursive: 1 }],
      // Node checks the options before the path.
      [12, 'nope'],
      [missing, { signal: 1 }],
      // These start.
      [d],
      [d, 'hex'],
      [d, null],
      [d, []],
      [d, () => {}],
      [d, { persistent: false, recursive: false }],
      [d, undefined, undefined],
      [d, { encoding: null }],
      [d, { signal: AbortSignal.abort() }],
    ];
    const outcome = (watch: (...args: unknown[]) => { close(): void }, args: unknown[]): string => {
      try {
        watch(...args).close();
        return 'started';
      } catch (err) {
        const e = err as NodeJS.ErrnoException & { filename?: unknown };
        const filename = Buffer.isBuffer(e.filename) ? `B:${e.filename}` : e.filename;
        return JSON.stringify([e.name, e.code, e.errno, e.syscall, e.path, e.message, filename]);
      }
    };
    for (const args of cases) {
      const theirs = outcome(nodeWatch as never, args);
      const ours = outcome(fs.watch as never, args);
      expect([args, ours]).toEqual([args, theirs]);
    }
    await settle(); // the closes' 'close' events
  });

  it('checks what Node 20 lets through: persistent must be a boolean, the listener a function (before it starts)', () => {
    const d = fresh();
    const fs = loop().fs;
    const before = inotifyFds();
    expect(() => fs.watch(d, { persistent: 'yes' as never })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_ARG_TYPE',
        message: `The "options.persistent" property must be of type boolean. Received type string ('yes')`,
      }),
    );
    // Node 20 starts the watch, then throws this from addListener: the watch runs on, unreachable.
    expect(() => fs.watch(d, {}, 5 as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_ARG_TYPE',
        message: 'The "listener" argument must be of type function. Received type number (5)',
      }),
    );
    expect(inotifyFds()).toBe(before); // nothing was started
  });

  it("close(): 'close' once, on the next tick; no event after; ref() and unref() give the watcher", async () => {
    const d = fresh();
    const fs = loop().fs;
    const before = inotifyFds();
    const ours = fs.watch(d);
    const theirs = nodeWatch(d);
    const logs = [record(ours), record(theirs)];
    expect(ours).toBeInstanceOf(LoopFSWatcher);
    for (const w of [ours, theirs]) {
      expect(w.ref()).toBe(w);
      expect(w.unref()).toBe(w);
      w.close();
      w.close();
    }
    expect(logs).toEqual([[], []]); // not yet
    writeFileSync(join(d, 'x'), '');
    await settle();
    expect(logs).toEqual([['close'], ['close']]);
    for (const w of [ours, theirs]) {
      expect(w.ref()).toBe(w);
      expect(w.unref()).toBe(w);
    }
    expect(inotifyFds()).toBe(before);
  });

  it('a listener that closes its watcher mid-burst hears no more of it; another watcher hears all', async () => {
    const d = fresh();
    const fs = loop().fs;
    const first: string[] = [];
    const all: string[] = [];
    const closing = fs.watch(d, (_type, name) => {
      first.push(name);
      closing.close();
    });
    const other = fs.watch(d, (_type, name) => all.push(name));
    // One burst, read at once.
    for (let i = 0; i < 10; i++) closeSync(openSync(join(d, `f${i}`), 'w'));
    await until(() => all.includes('f9'), 'the burst');
    other.close();
    expect(first).toEqual(['f0']);
    expect(all).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9']);
  });

  it('the last watcher closed in its listener and another started there: the new one hears only its own', async () => {
    const [d, e] = [fresh(), fresh()];
    const fs = loop().fs;
    const heard: string[] = [];
    let second: LoopFSWatcher | null = null;
    const first = fs.watch(d, (_type, name) => {
      heard.push(`first ${name}`);
      first.close();
      // A new inotify fd, whose first descriptor has the number the closed one had.
      second = fs.watch(e, (_t, n2) => heard.push(`second ${n2}`));
    });
    for (let i = 0; i < 5; i++) closeSync(openSync(join(d, `f${i}`), 'w'));
    await until(() => second !== null, 'the first event');
    writeFileSync(join(e, 'mine'), '');
    await until(() => heard.includes('second mine'), 'the second watcher’s event');
    (second as LoopFSWatcher | null)?.close();
    expect(heard.filter((h) => h !== 'second mine')).toEqual(['first f0']);
  });

  it('signal: aborted already, the watcher closes on the next tick; aborted later, at the abort; as Node', async () => {
    const d = fresh();
    const fs = loop().fs;
    const aborted = AbortSignal.abort();
    const [ours, theirs] = [fs.watch(d, { signal: aborted }), nodeWatch(d, { signal: aborted })];
    const logs = [record(ours), record(theirs)];
    await settle();
    expect(logs).toEqual([['close'], ['close']]);

    const ac = new AbortController();
    const later = [fs.watch(d, { signal: ac.signal }), nodeWatch(d, { signal: ac.signal })];
    const laterLogs = later.map(record);
    writeFileSync(join(d, 'x'), '');
    await until(() => laterLogs.every((l) => l.length > 0), 'the event');
    ac.abort();
    await settle();
    writeFileSync(join(d, 'y'), '');
    await settle();
    expect(laterLogs[0]).toEqual(laterLogs[1]);
    expect(laterLogs[0]!.at(-1)).toBe('close');
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);

    // Closed first: the signal lets go of the watcher.
    const kept = new AbortController();
    fs.watch(d, { signal: kept.signal }).close();
    expect(getEventListeners(kept.signal, 'abort')).toHaveLength(0);
    await settle();
  });

  it('persistent, ref() and unref(): the watcher keeps the loop alive while it is ref’d', async () => {
    const d = fresh();
    const l = loop();
    const base = l.refCount;
    const w = l.fs.watch(d);
    expect(l.refCount).toBe(base + 1);
    w.unref();
    expect(l.refCount).toBe(base);
    const loose = l.fs.watch(d, { persistent: false });
    expect(l.refCount).toBe(base);
    loose.ref();
    w.ref();
    w.ref();
    expect(l.refCount).toBe(base + 1); // one fd, ref'd while any watcher is
    loose.unref();
    w.close();
    expect(l.refCount).toBe(base);
    const heard: string[] = [];
    loose.on('change', (_type, name) => heard.push(name));
    writeFileSync(join(d, 'x'), '');
    await until(() => heard.length > 0, 'the unref’d watcher’s event');
    loose.close();
    await settle();
  });

  it("the loop destroyed: every watcher gets 'error' (no 'close'), the fd is closed, and watch() throws", async () => {
    const d = fresh();
    const before = inotifyFds();
    const l = loop();
    const ac = new AbortController();
    const watchers = [l.fs.watch(d), l.fs.watch(d, { recursive: true, signal: ac.signal })];
    const logs = watchers.map(record);
    l.destroy();
    expect(inotifyFds()).toBe(before);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0); // the failed watcher let go of it
    await settle();
    expect(logs).toEqual([
      ['error ERR_EVRING_LOOP_DESTROYED'],
      ['error ERR_EVRING_LOOP_DESTROYED'],
    ]);
    for (const w of watchers) w.close(); // nothing more
    await settle();
    expect(logs[0]).toEqual(['error ERR_EVRING_LOOP_DESTROYED']);
    expect(() => l.fs.watch(d)).toThrow(
      expect.objectContaining({ code: 'ERR_EVRING_LOOP_DESTROYED' }),
    );
  });

  it("the inotify fd closed behind the loop: every watcher gets 'error' EBADF, none waits on in silence", async () => {
    const d = fresh();
    const before = inotifyFdList();
    const fs = loop().fs;
    const watchers = [fs.watch(d), fs.watch(d, { recursive: true })];
    const errors: NodeJS.ErrnoException[] = [];
    for (const w of watchers) w.on('error', (err) => errors.push(err));
    // The loop's fd: the lower of the two new ones (sys's private duplicate is made after).
    const mine = inotifyFdList().filter((fd) => !before.includes(fd));
    expect(mine).toHaveLength(2);
    closeSync(Math.min(...mine));
    writeFileSync(join(d, 'x'), ''); // the file stays watched through the duplicate: readiness comes
    await until(() => errors.length === 2, 'both errors');
    for (const err of errors) expect(err).toMatchObject({ code: 'EBADF', syscall: 'watch' });
    expect(inotifyFdList()).toEqual(before); // the duplicate was let go too
  });

  it("a listener that throws: the error goes to loop.on('error'), and every watcher still hears the whole burst", async () => {
    const d = fresh();
    const l = loop();
    const errors: unknown[] = [];
    l.on('error', (err) => errors.push(err));
    const heard: string[] = [];
    const thrower = l.fs.watch(d, (_type, name) => {
      throw new Error(`listener failed at ${name}`);
    });
    const other = l.fs.watch(d, (_type, name) => heard.push(name));
    closeSync(openSync(join(d, 'a'), 'w'));
    closeSync(openSync(join(d, 'b'), 'w'));
    await until(() => heard.length === 2 && errors.length === 2, 'both events and both errors');
    expect(heard).toEqual(['a', 'b']);
    expect(errors.map((e) => (e as Error).message)).toEqual([
      'listener failed at a',
      'listener failed at b',
    ]);
    thrower.close();
    other.close();
    await settle();
  });

  it('recursive: new directories watched, names from the top, Buffers with encoding buffer', async () => {
    const d = fresh();
    mkdirSync(join(d, 'a'));
    const fs = loop().fs;
    const log: string[] = [];
    const w = fs.watch(d, { recursive: true, encoding: 'buffer' }, (type, name) =>
      log.push(`${type} ${name.toString()} ${Buffer.isBuffer(name)}`),
    );
    mkdirSync(join(d, 'a/b'));
    await until(() => log.includes('rename a/b true'), 'a/b');
    writeFileSync(join(d, 'a/b/f'), 'x');
    await until(() => log.includes('change a/b/f true'), 'a/b/f');
    w.close();
    await settle();
    expect(log).toEqual(['rename a/b true', 'rename a/b/f true', 'change a/b/f true']);
  });

  it('an overflow of the kernel’s own queue is told by a warning, not passed over', async () => {
    const limit = Number(readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'));
    const d = fresh();
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.message);
    };
    process.on('warning', onWarning);
    const w = loop().fs.watch(d);
    let events = 0;
    w.on('change', () => events++);
    try {
      // Two events a step (IN_CREATE, IN_DELETE), none read meanwhile: more than the kernel keeps.
      const file = join(d, 'x');
      for (let i = 0; i < limit / 2 + 100; i++) {
        closeSync(openSync(file, 'w'));
        unlinkSync(file);
      }
      await until(() => warnings.length > 0, 'the warning', 10_000);
    } finally {
      w.close();
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual(["fs.watch lost events: the kernel's inotify queue overflowed"]);
    expect(events).toBeGreaterThan(0);
    expect(events).toBeLessThanOrEqual(limit);
  });
});
