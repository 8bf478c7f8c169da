/**
 * `loop.fs.promises.watch` against Node's: the events of a script of file
 * operations as `node:fs`' `watch` reports them (libuv's inotify), in the
 * same order, for a directory, a file and a directory named with a
 * trailing slash, in every encoding; the arguments' errors as Node's
 * promise `watch` words them; what Node 20's promise form loses (a burst)
 * kept, `maxQueue` and `overflow`, the kernel's own queue overflowing;
 * `recursive` over a changing tree; `persistent`; the signal; one inotify
 * fd per loop, closed with the last watch or the loop.
 *
 * Every wait is bounded by time: events come from the kernel when it
 * posts them, not after a count of loop turns.
 */

import {
  appendFileSync,
  closeSync,
  mkdirSync,
  watch as nodeWatch,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Loop, WatchEvent } from '../src/index.js';
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

const { fresh } = watchTestDirs('evring-loop-watch-');

/** Reads `it` into `log` (each event tagged) until it ends; the end's error, if any, is kept. */
function drain(
  it: AsyncIterable<WatchEvent<string | Buffer>>,
  tag: string,
  log: string[],
): Promise<unknown> {
  return (async () => {
    try {
      for await (const e of it) log.push(shown(tag, e.eventType, e.filename));
      return null;
    } catch (err) {
      return err;
    }
  })();
}

describe.each(BACKENDS)('watch on %s', (backend) => {
  const t = testScope();
  const loop = (): Loop => t.loop({ backend, attach: true });

  for (const encoding of ['utf8', 'buffer', 'latin1', 'hex'] as const) {
    it(`reports what node:fs' watch reports, event for event (encoding ${encoding})`, async () => {
      const d = fresh();
      writeFileSync(join(d, 'f'), 'f');
      mkdirSync(join(d, 'sub'));
      const fs = loop().fs.promises;
      // Each watch's log apart: three iterators take their turns as the
      // microtask queue has them, so only each one's own order is defined.
      const ours: Record<string, string[]> = { dir: [], file: [], 'sub/': [] };
      const theirs: Record<string, string[]> = { dir: [], file: [], 'sub/': [] };
      const ac = new AbortController();
      const targets: [string, string][] = [
        ['dir', d],
        ['file', join(d, 'f')],
        ['sub/', `${join(d, 'sub')}/`],
      ];
      const ended = targets.map(([tag, path]) =>
        drain(fs.watch(path, { encoding, signal: ac.signal }), tag, ours[tag]!),
      );
      const nodeWatchers = targets.map(([tag, path]) =>
        nodeWatch(path, { encoding }, (type, name) => theirs[tag]!.push(shown(tag, type, name))),
      );
      try {
        // The watches start at the first next(): let the iterators take their first step.
        await new Promise((r) => setTimeout(r, 20));
        script(d, join(fresh(), 'out')); // moved out: to a free name beside
        // One inotify fd per side: once the last event shows, every earlier one was read.
        const end = lastOfScript('dir', encoding);
        await until(() => ours.dir!.includes(end) && theirs.dir!.includes(end), 'the last event');
        // Read, but maybe not yet taken by the other two iterators.
        await new Promise((r) => setTimeout(r, 20));
      } finally {
        for (const w of nodeWatchers) w.close();
        ac.abort();
      }
      for (const e of await Promise.all(ended)) expect((e as Error).name).toBe('AbortError');
      // inotify merges an event into the same one still unread; the script
      // runs with nothing read meanwhile, so both sides merge alike.
      for (const [tag] of targets) expect(ours[tag]).toEqual(theirs[tag]);
      const all = Object.values(ours).flat();
      expect(all.length).toBeGreaterThan(25);
      // Every kind the script makes, for each watch.
      for (const want of ['dir change', 'dir rename', 'file change', 'file rename', 'sub/ rename'])
        expect(all.some((e) => e.startsWith(want))).toBe(true);
    });
  }

  it('a path as a Buffer or a URL, and a relative one, watch the same file', async () => {
    const d = fresh();
    writeFileSync(join(d, 'f'), '');
    const fs = loop().fs.promises;
    const log: string[] = [];
    const ac = new AbortController();
    const cwd = process.cwd();
    process.chdir(d);
    let ended: Promise<unknown>[];
    try {
      ended = [
        drain(fs.watch(Buffer.from(join(d, 'f')), { signal: ac.signal }), 'buffer', log),
        drain(fs.watch(pathToFileURL(join(d, 'f')), { signal: ac.signal }), 'url', log),
        drain(fs.watch('f', { signal: ac.signal }), 'relative', log),
      ];
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.chdir(cwd);
    }
    appendFileSync(join(d, 'f'), 'x');
    await until(() => log.length === 3, 'three events');
    ac.abort();
    await Promise.all(ended);
    expect(log.sort()).toEqual(['buffer change S:f', 'relative change S:f', 'url change S:f']);
  });

  it('refuses what Node refuses, with its words, at the first next()', async () => {
    const d = fresh();
    const fs = loop().fs.promises;
    const aborted = AbortSignal.abort('why');
    const cases: [unknown, unknown][] = [
      [join(d, 'missing'), {}],
      [Buffer.from(join(d, 'missing')), {}],
      [pathToFileURL(join(d, 'missing')), {}],
      [join(d, 'f\0'), {}],
      [12, {}],
      [d, 'utf8'],
      [d, null],
      [d, []],
      [d, () => {}],
      [d, { persistent: 1 }],
      [d, { persistent: null }],
      [d, { recursive: 'yes' }],
      [d, { signal: {} }],
      [d, { signal: aborted }],
      [d, { encoding: 'utf8', persistent: true, recursive: false }],
    ];
    let pokes = 0;
    const outcome = async (
      watch: (p: unknown, o: unknown) => AsyncIterator<unknown>,
      path: unknown,
      options: unknown,
    ): Promise<string> => {
      let it: AsyncIterator<unknown>;
      try {
        it = watch(path, options);
      } catch (err) {
        return `thrown at the call: ${(err as Error).message}`;
      }
      const first = it.next();
      // A watch that started waits: poke it once, then end it.
      const poke = setTimeout(() => writeFileSync(join(d, `poke${pokes++}`), ''), 50);
      try {
        const r = (await first) as IteratorResult<WatchEvent>;
        return `event ${r.value?.eventType} ${typeof r.value?.filename}`;
      } catch (err) {
        const e = err as NodeJS.ErrnoException & { filename?: unknown };
        const fields = [e.name, e.code, e.errno, e.syscall, e.path, e.message, e.filename === path];
        return `rejected ${JSON.stringify(fields)} cause ${String((e as Error).cause)}`;
      } finally {
        clearTimeout(poke);
        await it.return?.();
      }
    };
    for (const [path, options] of cases) {
      const theirs = await outcome(
        nodeFs.watch as unknown as (p: unknown, o: unknown) => AsyncIterator<unknown>,
        path,
        options,
      );
      const ours = await outcome((p, o) => fs.watch(p as string, o as never), path, options);
      expect([path, options, ours]).toEqual([path, options, theirs]);
    }
  });

  it('checks what Node 20 does not know or words wrongly: maxQueue, overflow, encoding', async () => {
    const fs = loop().fs.promises;
    const d = fresh();
    const refused = async (options: object): Promise<string> => {
      try {
        await fs.watch(d, { ...options, signal: AbortSignal.timeout(2000) } as never).next();
        return 'started';
      } catch (err) {
        return `${(err as NodeJS.ErrnoException).code}: ${(err as Error).message}`;
      }
    };
    expect(await refused({ maxQueue: 1.5 })).toBe(
      'ERR_OUT_OF_RANGE: The value of "options.maxQueue" is out of range. It must be an integer. Received 1.5',
    );
    expect(await refused({ maxQueue: '9' })).toBe(
      `ERR_INVALID_ARG_TYPE: The "options.maxQueue" property must be of type number. Received type string ('9')`,
    );
    expect(await refused({ overflow: 'throw' })).toBe(
      "ERR_INVALID_ARG_VALUE: The property 'options.overflow' must be one of: 'ignore', 'error'. Received 'throw'",
    );
    // Node 20 swaps the two in this message; later versions word it so.
    expect(await refused({ encoding: 'nope' })).toBe(
      "ERR_INVALID_ARG_VALUE: The argument 'encoding' is invalid encoding. Received 'nope'",
    );
    const nodeSays = await (
      nodeFs.watch(d, { encoding: 'nope' as never }) as unknown as AsyncIterator<unknown>
    )
      .next()
      .catch((e: NodeJS.ErrnoException) => e.code);
    expect(nodeSays).toBe('ERR_INVALID_ARG_VALUE');
  });

  it('keeps what comes while the consumer is busy (Node 20 drops it), in order', async () => {
    const d = fresh();
    /**
     * The names a consumer that waits 5 ms after each event gets of 20
     * files made at once: they come in one read, Node calls back for each
     * in turn, and a consumer that is not waiting in next() then misses it.
     */
    const busy = async (
      watch: (path: string, o: { signal: AbortSignal }) => AsyncIterable<WatchEvent>,
      prefix: string,
      ms: number,
    ): Promise<string[]> => {
      const got: string[] = [];
      const ac = new AbortController();
      const done = (async () => {
        try {
          for await (const e of watch(d, { signal: ac.signal })) {
            if (e.eventType === 'rename') got.push(String(e.filename));
            await new Promise((r) => setTimeout(r, 5));
          }
        } catch {
          // the abort
        }
      })();
      await new Promise((r) => setTimeout(r, 20));
      for (let i = 0; i < 20; i++) writeFileSync(join(d, `${prefix}${i}`), '');
      const last = `${prefix}19`;
      await until(() => got.includes(last), last, ms).catch(() => {}); // Node's may never show it
      ac.abort();
      await done;
      return got;
    };
    const fs = loop().fs.promises;
    expect(await busy((p, o) => fs.watch(p, o), 'e', 5000)).toEqual(
      Array.from({ length: 20 }, (_, i) => `e${i}`),
    );
    const theirs = await busy((p, o) => nodeFs.watch(p, o) as AsyncIterable<WatchEvent>, 'n', 500);
    expect(theirs.length).toBeLessThan(20);
  }, 15_000);

  it("maxQueue with overflow 'error': the queue is dropped and the iteration ends with Node's error", async () => {
    const d = fresh();
    const fs = loop().fs.promises;
    const it = fs.watch(d, { maxQueue: 10, overflow: 'error' });
    const first = it.next();
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 30; i++) writeFileSync(join(d, `n${i}`), '');
    // The burst is read at once, so the first event may or may not have
    // been taken before the queue overflowed: then nothing more comes.
    const taken: unknown[] = [];
    let err: NodeJS.ErrnoException | null = null;
    for (let step = first; err === null && taken.length < 30; step = it.next()) {
      try {
        taken.push((await step).value);
      } catch (e) {
        err = e as NodeJS.ErrnoException;
      }
    }
    expect(taken.length).toBeLessThanOrEqual(1);
    expect(err?.code).toBe('ERR_FS_WATCH_QUEUE_OVERFLOW');
    expect(err?.message).toBe('fs.watch() queued more than 10 events');
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it("maxQueue with overflow 'ignore': the first maxQueue events, and one warning for the burst", async () => {
    const d = fresh();
    const fs = loop().fs.promises;
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.message);
    };
    process.on('warning', onWarning);
    try {
      const ac = new AbortController();
      const it = fs.watch(d, { maxQueue: 10, signal: ac.signal });
      const first = it.next();
      await new Promise((r) => setTimeout(r, 20));
      for (let i = 0; i < 30; i++) writeFileSync(join(d, `n${i}`), '');
      const got = [(await first).value!.filename];
      await until(() => warnings.length > 0, 'the warning');
      ac.abort();
      for (;;) {
        const step = await it.next().catch((e: Error) => e);
        if (step instanceof Error) {
          expect(step.name).toBe('AbortError');
          break;
        }
        got.push(step.value!.filename);
      }
      // The burst is read at once: ten events wait (eleven if the first
      // was taken before the rest were read); the rest were dropped.
      expect(got.length === 10 || got.length === 11).toBe(true);
      expect(got).toEqual(Array.from({ length: got.length }, (_, i) => `n${i}`));
      await new Promise((r) => setImmediate(r));
      expect(warnings).toEqual(['fs.watch maxQueue exceeded']);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('an overflow of the kernel’s own queue is told, not passed over', async () => {
    const limit = Number(readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'));
    const d = fresh();
    const fs = loop().fs.promises;
    const it = fs.watch(d, { maxQueue: 4 * limit, overflow: 'error' });
    const first = it.next();
    await new Promise((r) => setTimeout(r, 20));
    // Two events a step (IN_CREATE, IN_DELETE), none read meanwhile: more than the kernel keeps.
    const file = join(d, 'x');
    for (let i = 0; i < limit / 2 + 100; i++) {
      closeSync(openSync(file, 'w'));
      unlinkSync(file);
    }
    const events: string[] = [];
    let err: NodeJS.ErrnoException | null = null;
    const deadline = performance.now() + 10_000;
    let step: Promise<IteratorResult<WatchEvent>> = first;
    while (err === null && performance.now() < deadline) {
      try {
        const r = await step;
        events.push(r.value!.eventType);
      } catch (e) {
        err = e as NodeJS.ErrnoException;
      }
      step = it.next();
    }
    expect(err?.code).toBe('ERR_FS_WATCH_QUEUE_OVERFLOW');
    expect(err?.message).toBe("fs.watch() lost events: the kernel's inotify queue overflowed");
  });

  it('recursive: the tree, named from the top; new directories watched, moved-out ones not', async () => {
    const d = fresh();
    mkdirSync(join(d, 'a/b'), { recursive: true });
    mkdirSync(join(d, 'gone'));
    const outside = fresh();
    mkdirSync(join(outside, 'in/deep'), { recursive: true });
    writeFileSync(join(outside, 'in/deep/file'), '');
    symlinkSync(outside, join(d, 'link'));
    const fs = loop().fs.promises;
    const log: string[] = [];
    const ac = new AbortController();
    const ended = drain(fs.watch(d, { recursive: true, signal: ac.signal }), 'r', log);
    await new Promise((r) => setTimeout(r, 20));
    /** Does `what`, then waits for the `count`th `last`. */
    const step = async (what: () => void, last: string, count = 1): Promise<void> => {
      what();
      await until(() => log.filter((e) => e === last).length >= count, last);
    };
    await step(() => writeFileSync(join(d, 'a/b/f'), 'x'), 'r change S:a/b/f');
    await step(() => mkdirSync(join(d, 'a/new')), 'r rename S:a/new');
    await step(() => writeFileSync(join(d, 'a/new/g'), ''), 'r rename S:a/new/g');
    // A directory moved out is no longer watched: what happens in it is not reported.
    await step(() => renameSync(join(d, 'gone'), join(outside, 'gone')), 'r rename S:gone');
    writeFileSync(join(outside, 'gone/h'), '');
    // Through the link: the tree outside is not entered.
    writeFileSync(join(d, 'link/through'), '');
    // A directory moved in brings what it holds, reported and watched.
    await step(() => renameSync(join(outside, 'in'), join(d, 'a/in')), 'r rename S:a/in/deep/file');
    await step(() => writeFileSync(join(d, 'a/in/deep/file'), 'x'), 'r change S:a/in/deep/file');
    // A directory deleted and made again under its name is watched again.
    rmSync(join(d, 'a/new'), { recursive: true });
    await step(() => mkdirSync(join(d, 'a/new')), 'r rename S:a/new', 3); // made, deleted, made
    await step(() => writeFileSync(join(d, 'a/new/again'), ''), 'r rename S:a/new/again');
    await step(() => writeFileSync(join(d, 'zz-end'), ''), 'r rename S:zz-end');
    ac.abort();
    expect(((await ended) as Error).name).toBe('AbortError');
    expect(log.filter((e) => e.includes('gone/h') || e.includes('through'))).toEqual([]);
    expect(log.filter((e) => e.includes('a/in'))).toEqual([
      'r rename S:a/in',
      'r rename S:a/in/deep',
      'r rename S:a/in/deep/file',
      'r change S:a/in/deep/file',
    ]);
    // Each watched directory once: no watch left behind by the deleted one.
    expect(log.filter((e) => e === 'r rename S:a/new/again')).toEqual(['r rename S:a/new/again']);
  });

  it('recursive with Buffer names: every part as bytes', async () => {
    const d = fresh();
    mkdirSync(join(d, 'sub'));
    const fs = loop().fs.promises;
    const it = fs.watch(d, { recursive: true, encoding: 'buffer' });
    const first = it.next();
    await new Promise((r) => setTimeout(r, 20));
    closeSync(openSync(Buffer.from(`${d}/sub/\xe9`, 'latin1'), 'w'));
    const r = await first;
    await it.return();
    expect(r.value).toEqual({ eventType: 'rename', filename: Buffer.from('sub/\xe9', 'latin1') });
  });

  it('abort: the events already queued first, then the AbortError with its reason', async () => {
    const d = fresh();
    const fs = loop().fs.promises;
    const ac = new AbortController();
    const it = fs.watch(d, { signal: ac.signal });
    const first = it.next();
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(join(d, 'a'), '');
    writeFileSync(join(d, 'b'), '');
    expect((await first).value).toEqual({ eventType: 'rename', filename: 'a' });
    await until(() => false, 'nothing', 50).catch(() => {}); // 'b' comes in meanwhile
    ac.abort('enough');
    const rest: unknown[] = [];
    for (;;) {
      const step = await it.next().catch((e: Error) => e);
      if (step instanceof Error) {
        expect([step.name, (step as NodeJS.ErrnoException).code, step.cause]).toEqual([
          'AbortError',
          'ABORT_ERR',
          'enough',
        ]);
        break;
      }
      rest.push(step.value);
    }
    expect(rest[0]).toEqual({ eventType: 'rename', filename: 'b' });
  });

  it('one inotify fd per loop: shared by every watch, closed after the last one', async () => {
    const d = fresh();
    const before = inotifyFds();
    const fs = loop().fs.promises;
    const one = fs.watch(d);
    const two = fs.watch(d);
    const a = one.next();
    const b = two.next();
    await new Promise((r) => setTimeout(r, 20));
    expect(inotifyFds() - before).toBe(2); // the fd and sys's private duplicate of it
    writeFileSync(join(d, 'x'), '');
    expect([(await a).value, (await b).value]).toEqual([
      { eventType: 'rename', filename: 'x' },
      { eventType: 'rename', filename: 'x' },
    ]);
    await one.return();
    // The other still hears, though both had the same watch descriptor.
    writeFileSync(join(d, 'y'), '');
    expect((await two.next()).value).toEqual({ eventType: 'rename', filename: 'y' });
    await two.return();
    expect(inotifyFds()).toBe(before);
  });

  it('a loop destroyed under a waiting watch: the wait rejects and the fd is closed', async () => {
    const d = fresh();
    const before = inotifyFds();
    const l = loop();
    const it = l.fs.promises.watch(d);
    const first = it.next();
    await new Promise((r) => setTimeout(r, 20));
    l.destroy();
    await expect(first).rejects.toMatchObject({ code: 'ERR_EVRING_LOOP_DESTROYED' });
    expect(inotifyFds()).toBe(before);
    await expect(l.fs.promises.watch(d).next()).rejects.toMatchObject({
      code: 'ERR_EVRING_LOOP_DESTROYED',
    });
  });

  it('the inotify fd closed behind the loop: every watch ends with EBADF, none waits on in silence', async () => {
    const d = fresh();
    const before = inotifyFdList();
    const fs = loop().fs.promises;
    const one = fs.watch(d).next();
    const two = fs.watch(d, { recursive: true }).next();
    await new Promise((r) => setTimeout(r, 20));
    // The loop's fd: the lower of the two new ones (sys's private duplicate is made after).
    const mine = inotifyFdList().filter((fd) => !before.includes(fd));
    expect(mine).toHaveLength(2);
    closeSync(Math.min(...mine));
    writeFileSync(join(d, 'x'), ''); // the file stays watched through the duplicate: readiness comes
    for (const step of [one, two]) {
      await expect(step).rejects.toMatchObject({ code: 'EBADF', syscall: 'watch' });
    }
    expect(inotifyFdList()).toEqual(before); // the duplicate was let go too
  });

  it('persistent: a watch keeps the loop alive; persistent: false does not', async () => {
    const d = fresh();
    const l = loop();
    const base = l.refCount;
    const ac = new AbortController();
    const kept = l.fs.promises.watch(d, { signal: ac.signal });
    const k = kept.next();
    await new Promise((r) => setTimeout(r, 20));
    expect(l.refCount).toBe(base + 1);
    const loose = l.fs.promises.watch(d, { persistent: false });
    const o = loose.next();
    await new Promise((r) => setTimeout(r, 20));
    expect(l.refCount).toBe(base + 1);
    ac.abort();
    await expect(k).rejects.toMatchObject({ name: 'AbortError' });
    expect(l.refCount).toBe(base);
    writeFileSync(join(d, 'x'), '');
    expect((await o).value).toEqual({ eventType: 'rename', filename: 'x' });
    await loose.return();
  });
});
