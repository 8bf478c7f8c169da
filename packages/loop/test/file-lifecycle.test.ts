/**
 * The lives of file resources on random sequences: FileHandles opened,
 * used, closed (twice, and while their calls are under way), operations
 * aborted before they start or while in flight, callback-form opens, rm
 * of small trees, recursive walks (readdir's two forms, a Dir's `for
 * await`), cp of small trees, watches, and the loop destroyed at a random point with all of it
 * under way, played on every configuration, attached to Node's loop (the
 * default) and standalone (its Node turns then also run the loop once
 * without blocking).
 *
 * The bytes are file-differential.test.ts's business; this test checks
 * what must hold whatever the order the kernel picks:
 * - every promise settles, within a time bound, with a value in range or
 *   an Error whose `code` is one this sequence can cause (EBADF after a
 *   close, ABORT_ERR, the loop destroyed);
 * - no callback runs twice, and none after the loop is destroyed;
 * - once every handle is closed and the loop destroyed, the process holds
 *   what it held before: the same fds, no pinned block, no operation
 *   holding memory, no fd tied to the thread (sys's ownFd).
 *
 * And workers ended at random moments with file work under way
 * (fixtures/worker-ends-at-random.mjs): none leaves an fd behind but the
 * plain fds the callback form has handed to the worker's code, and none a
 * duplicate of a pipe a read of it waited on.
 *
 * `pnpm test` plays a fixed seed; `pnpm fuzz` plays more with a random one
 * (EVRING_FUZZ_SEED, EVRING_FUZZ_RUNS), as for the differential test.
 */

import { spawnSync } from 'node:child_process';
import {
  closeSync,
  type Dirent,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ownedFdCount, pinnedStats } from '@evring/sys';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Loop, type LoopFileHandle, type LoopOptions } from '../src/index.js';
import { FILE_CONFIGS } from './helpers.js';

const SEED = Number(process.env.EVRING_FUZZ_SEED ?? 20261206);
/** Sequences per configuration: the readiness test's count divided by 40 (15 by default). */
const RUNS = Math.max(1, Math.round(Number(process.env.EVRING_FUZZ_RUNS ?? 600) / 40));

const FILES = 3;
const SIZE = 3 * 4096;
/** More than a file can grow to in one sequence (40 steps, none adding more than SIZE + 16 KiB). */
const LARGEST = 64 * SIZE;
/** How long everything started may take to settle, and the process to be as it was. */
const SETTLE_MS = 10_000;

/** When an abortable operation's signal fires: never, before the call, or a Node turn after it. */
type Abort = 'never' | 'before' | 'soon';

type Step =
  | { k: 'open'; file: number; abort: Abort }
  | { k: 'read' | 'write'; h: number; at: number; len: number }
  | { k: 'readFile' | 'stat' | 'sync' | 'close'; h: number }
  | { k: 'writeFile' | 'truncate'; h: number; len: number }
  | { k: 'readPath'; file: number; abort: Abort }
  | { k: 'openCallback'; file: number }
  | {
      k: 'readStream';
      h: number;
      at: number;
      hwm: number;
      lines: boolean;
      auto: boolean;
      abort: Abort;
    }
  | { k: 'writeStream'; h: number; at: number; chunks: number[]; auto: boolean; abort: Abort }
  | { k: 'readdir'; types: boolean; abort: Abort }
  | { k: 'rm'; abort: Abort }
  | { k: 'walk'; how: 'names' | 'dirents' | 'dir'; abort: Abort }
  | { k: 'cp'; abort: Abort }
  | { k: 'watch'; recursive: boolean; abort: Abort }
  | { k: 'turns'; n: number }
  | { k: 'destroy' };

const abort = fc.constantFrom<Abort>('never', 'never', 'before', 'soon');
const file = fc.nat(FILES - 1);
const handle = fc.nat(7);
const arbStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('open' as const), file, abort }) },
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constantFrom('read' as const, 'write' as const),
      h: handle,
      at: fc.nat(SIZE),
      len: fc.integer({ min: 0, max: 8192 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constantFrom('readFile' as const, 'stat' as const, 'sync' as const, 'close' as const),
      h: handle,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constantFrom('writeFile' as const, 'truncate' as const),
      h: handle,
      len: fc.nat(SIZE),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('readPath' as const), file, abort }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('openCallback' as const), file }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('readStream' as const),
      h: handle,
      at: fc.nat(SIZE),
      hwm: fc.integer({ min: 1, max: 8192 }),
      lines: fc.boolean(),
      auto: fc.boolean(),
      abort,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('writeStream' as const),
      h: handle,
      at: fc.nat(SIZE),
      chunks: fc.array(fc.integer({ min: 1, max: 4096 }), { maxLength: 4 }),
      auto: fc.boolean(),
      abort,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('readdir' as const), types: fc.boolean(), abort }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('rm' as const), abort }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('walk' as const),
      how: fc.constantFrom('names' as const, 'dirents' as const, 'dir' as const),
      abort,
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cp' as const), abort }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('watch' as const), recursive: fc.boolean(), abort }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant('turns' as const), n: fc.integer({ min: 1, max: 3 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ k: 'destroy' as const }) },
);
const arbSequence = fc.array(arbStep, { minLength: 4, maxLength: 40 });

/**
 * The codes each call may reject with here; anything else is a finding. A
 * handle's calls: EBADF once it is closed. A path's: never EBADF (an fd of
 * its own closed twice would show so). A close: nothing at all (closing a
 * closed handle, or one whose loop is gone, still resolves).
 */
const HANDLE_CODES = new Set(['EBADF', 'ABORT_ERR', 'ERR_EVRING_LOOP_DESTROYED']);
const PATH_CODES = new Set(['ABORT_ERR', 'ERR_EVRING_LOOP_DESTROYED']);
const NO_CODES = new Set<string>();
/**
 * A stream's, besides a handle call's: its handle closed under it ends it
 * early, as Node's `stream.close()` does. A `for await` over a read stream
 * destroyed before its end, and a pipeline into a write stream ended before
 * all was written, then reject as Node's do (checked against Node in
 * file-streams.test.ts).
 */
const STREAM_CODES = new Set([
  ...HANDLE_CODES,
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_WRITE_AFTER_END',
]);

/** What the process holds that a loop and its handles may take: fds (by what they name), pinned memory, ties. */
function holdings(): string {
  const fds: string[] = [];
  for (const name of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${name}`);
      if (!(target.startsWith('/proc/') && target.endsWith('/fd'))) fds.push(`${name} ${target}`);
    } catch {} // the listing's own fd, closed already
  }
  const { blocks, held } = pinnedStats();
  return `fds: ${fds.sort().join(', ')}\npinned blocks: ${blocks}, held by operations: ${held}\ntied fds: ${ownedFdCount()}`;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Resolves true once `check` holds, false if it still does not after `ms`;
 * `step` runs between looks (a standalone loop's iteration).
 */
async function within(ms: number, check: () => boolean, step = () => {}): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    step();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

async function play(options: LoopOptions, steps: readonly Step[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'evring-lifecycle-'));
  try {
    await playIn(dir, options, steps);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-trees`, { recursive: true, force: true });
  }
}

async function playIn(dir: string, options: LoopOptions, steps: readonly Step[]): Promise<void> {
  const paths = Array.from({ length: FILES }, (_, i) => join(dir, `f${i}`));
  for (const p of paths) writeFileSync(p, Buffer.alloc(SIZE, 0x61));
  const before = holdings();
  const loop = new Loop(options);
  const fs = loop.fs.promises;
  const problems: string[] = [];
  const pending = new Set<Promise<unknown>>();
  /** Every open's handle, or null where the open failed. */
  const handles: Promise<LoopFileHandle | null>[] = [];
  let destroyed = false;
  let trees = 0;
  // A standalone loop runs only when told: one iteration that does not block per Node turn.
  const iterate = () => {
    if (!options.attach && !destroyed) loop.run('nowait');
  };

  const track = (
    what: string,
    codes: ReadonlySet<string>,
    p: Promise<unknown>,
    check?: (value: unknown) => string | null,
  ) => {
    const settled = p.then(
      (value) => {
        const wrong = check?.(value);
        if (wrong) problems.push(`${what}: ${wrong}`);
      },
      (err: unknown) => {
        const code = (err as { code?: unknown })?.code;
        if (!(err instanceof Error) || typeof code !== 'string' || !codes.has(code)) {
          problems.push(`${what} rejected with ${String(err)} (code ${String(code)})`);
        }
      },
    );
    pending.add(settled);
    void settled.then(() => pending.delete(settled));
  };
  const onHandle = (
    what: string,
    h: number,
    use: (fh: LoopFileHandle) => Promise<unknown>,
    check?: (value: unknown) => string | null,
  ) => {
    if (handles.length === 0) return;
    const opened = handles[h % handles.length]!;
    const codes =
      what === 'close' ? NO_CODES : what.includes('stream') ? STREAM_CODES : HANDLE_CODES;
    track(
      what,
      codes,
      opened.then((fh) => (fh === null ? undefined : use(fh))),
      check,
    );
  };
  /** The options of an abortable call: a signal, or none. */
  const abortable = (mode: Abort): { signal?: AbortSignal } => {
    if (mode === 'never') return {};
    if (mode === 'before') return { signal: AbortSignal.abort() };
    const ac = new AbortController();
    setImmediate(() => ac.abort());
    return { signal: ac.signal };
  };
  const bytesUpTo = (len: number) => (value: unknown) => {
    const n = (value as { bytesRead?: number; bytesWritten?: number } | undefined) ?? {};
    const got = n.bytesRead ?? n.bytesWritten;
    return got === undefined || (got >= 0 && got <= len) ? null : `${got} bytes of ${len}`;
  };

  try {
    for (const s of steps) {
      switch (s.k) {
        case 'open': {
          const p = fs.open(paths[s.file]!, 'r+', undefined, abortable(s.abort));
          handles.push(p.catch(() => null));
          track('open', PATH_CODES, p);
          break;
        }
        case 'read':
          onHandle(
            'read',
            s.h,
            (fh) => fh.read(Buffer.alloc(s.len), 0, s.len, s.at),
            bytesUpTo(s.len),
          );
          break;
        case 'write':
          onHandle(
            'write',
            s.h,
            (fh) => fh.write(Buffer.alloc(s.len, 0x62), 0, s.len, s.at),
            bytesUpTo(s.len),
          );
          break;
        case 'readFile':
          onHandle('handle readFile', s.h, (fh) => fh.readFile());
          break;
        case 'writeFile':
          onHandle('handle writeFile', s.h, (fh) => fh.writeFile(Buffer.alloc(s.len, 0x63)));
          break;
        case 'truncate':
          onHandle('truncate', s.h, (fh) => fh.truncate(s.len));
          break;
        case 'stat':
          onHandle('handle stat', s.h, (fh) => fh.stat());
          break;
        case 'sync':
          onHandle('sync', s.h, (fh) => fh.sync());
          break;
        case 'close':
          onHandle('close', s.h, (fh) => fh.close());
          break;
        case 'readPath':
          track('readFile', PATH_CODES, fs.readFile(paths[s.file]!, abortable(s.abort)));
          break;
        case 'openCallback': {
          let calls = 0;
          try {
            loop.fs.open(paths[s.file]!, 'r', (err, fd) => {
              if (++calls > 1) problems.push('an open callback ran twice');
              if (destroyed) problems.push('an open callback ran after the loop was destroyed');
              if (err === null) closeSync(fd);
            });
          } catch (err) {
            if (!destroyed) problems.push(`loop.fs.open threw ${String(err)} on a live loop`);
          }
          break;
        }
        case 'readStream':
          // Read to its end (or its error): a stream of chunks, or of lines.
          onHandle(
            s.lines ? 'readLines' : 'read stream',
            s.h,
            async (fh) => {
              const options = { start: s.at, autoClose: s.auto, ...abortable(s.abort) };
              let n = 0;
              if (s.lines) for await (const line of fh.readLines(options)) n += line.length;
              else
                for await (const chunk of fh.createReadStream({
                  ...options,
                  highWaterMark: s.hwm,
                })) {
                  if ((chunk as Buffer).length > s.hwm) return -(chunk as Buffer).length;
                  n += (chunk as Buffer).length;
                }
              return n;
            },
            (value) => {
              if (value === undefined) return null; // the handle never opened
              const n = value as number;
              if (n < 0) return `a chunk of ${-n} bytes, past highWaterMark ${s.hwm}`;
              return n <= LARGEST ? null : `${n} bytes from a file of at most ${LARGEST}`;
            },
          );
          break;
        case 'writeStream':
          onHandle('write stream', s.h, (fh) =>
            pipeline(
              Readable.from(s.chunks.map((len) => Buffer.alloc(len, 0x64))),
              fh.createWriteStream({ start: s.at, autoClose: s.auto, ...abortable(s.abort) }),
            ),
          );
          break;
        case 'readdir': {
          // The directory holds the three files alone, whatever else runs.
          const names = (value: unknown) => {
            const got = (value as (string | { name: string })[]).map((e) =>
              typeof e === 'string' ? e : e.name,
            );
            return got.join() === 'f0,f1,f2' ? null : `entries ${got.join()}`;
          };
          const options = { withFileTypes: s.types, ...abortable(s.abort) };
          track('readdir', PATH_CODES, fs.readdir(dir, options), names);
          break;
        }
        case 'rm': {
          // A small tree of its own, beside the directory readdir lists.
          const tree = join(`${dir}-trees`, `t${trees++}`);
          mkdirSync(join(tree, 'a', 'b'), { recursive: true });
          for (const name of ['x', 'a/y', 'a/b/z']) writeFileSync(join(tree, name), 'rm');
          track('rm', PATH_CODES, fs.rm(tree, { recursive: true, ...abortable(s.abort) }), () =>
            existsSync(tree) ? 'resolved, the tree still there' : null,
          );
          break;
        }
        case 'walk': {
          // A recursive walk of a small tree of its own, with a link back up (listed, not entered).
          const tree = join(`${dir}-trees`, `t${trees++}`);
          mkdirSync(join(tree, 'a', 'b'), { recursive: true });
          for (const name of ['x', 'a/y', 'a/b/z']) writeFileSync(join(tree, name), 'walk');
          symlinkSync('..', join(tree, 'a', 'up'));
          const walked = async (): Promise<string[]> => {
            const signal = abortable(s.abort);
            if (s.how === 'names') return fs.readdir(tree, { recursive: true, ...signal });
            let dirents: Dirent[] = [];
            if (s.how === 'dirents') {
              dirents = await fs.readdir(tree, { recursive: true, withFileTypes: true, ...signal });
            } else {
              for await (const d of await fs.opendir(tree, { recursive: true, ...signal })) {
                dirents.push(d);
              }
            }
            return dirents.map((d) => relative(tree, join(d.parentPath, d.name)));
          };
          track(`walk (${s.how})`, PATH_CODES, walked(), (value) => {
            const got = [...(value as string[])].sort().join();
            return got === 'a,a/b,a/b/z,a/up,a/y,x' ? null : `entries ${got}`;
          });
          break;
        }
        case 'cp': {
          // A small tree of its own copied whole (its Dirs opened and closed on the way).
          const tree = join(`${dir}-trees`, `t${trees++}`);
          mkdirSync(join(tree, 'a', 'b'), { recursive: true });
          for (const name of ['x', 'a/y', 'a/b/z']) writeFileSync(join(tree, name), 'cp');
          symlinkSync('..', join(tree, 'a', 'up'));
          const copy = `${tree}-copy`;
          track(
            'cp',
            PATH_CODES,
            fs.cp(tree, copy, { recursive: true, ...abortable(s.abort) }),
            () => {
              // Dirents: Node 20's names form would enter the copied link back up.
              const got = readdirSync(copy, { recursive: true, withFileTypes: true })
                .map((d) => relative(copy, join(d.parentPath, d.name)))
                .sort()
                .join();
              return got === 'a,a/b,a/b/z,a/up,a/y,x' ? null : `copied ${got}`;
            },
          );
          break;
        }
        case 'watch': {
          // A watch (on the loop's one inotify fd) until its first event, then ended.
          const tree = join(`${dir}-trees`, `t${trees++}`);
          mkdirSync(tree, { recursive: true });
          const watched = async (): Promise<unknown> => {
            const it = fs.watch(tree, { recursive: s.recursive, ...abortable(s.abort) });
            const first = it.next(); // starts the watch
            writeFileSync(join(tree, 'made'), '');
            try {
              return (await first).value;
            } finally {
              await it.return();
            }
          };
          track('watch', PATH_CODES, watched(), (value) => {
            const e = value as { eventType?: string; filename?: string };
            return e.eventType === 'rename' && e.filename === 'made'
              ? null
              : `event ${JSON.stringify(e)}`;
          });
          break;
        }
        case 'turns':
          for (let i = 0; i < s.n; i++) {
            iterate();
            await turn();
          }
          break;
        case 'destroy':
          destroyed = true;
          loop.destroy();
          break;
      }
    }
    // Every handle that opened is closed (again, for some: that does nothing).
    for (const opened of handles)
      track(
        'final close',
        NO_CODES,
        opened.then((fh) => fh?.close()),
      );
    const allSettled = await within(SETTLE_MS, () => pending.size === 0, iterate);
    expect(allSettled, `${pending.size} promises still pending after ${SETTLE_MS} ms`).toBe(true);
    expect(problems).toEqual([]);
  } finally {
    loop.destroy();
  }
  const back = await within(SETTLE_MS, () => holdings() === before);
  expect(
    back ? before : holdings(),
    'what the process holds after the handles are closed and the loop destroyed',
  ).toBe(before);
}

describe('file resources on random sequences: opens, uses, closes, aborts and a destroyed loop leave nothing behind', () => {
  const configs = FILE_CONFIGS.flatMap(([name, options]): [string, LoopOptions][] => [
    [name, { ...options, attach: true }],
    [`${name}, standalone`, { ...options, attach: false }],
  ]);
  for (const [name, options] of configs) {
    it(`${name}: every promise settles as it may, no callback runs twice or after destroy, the process holds what it held`, {
      timeout: 180_000,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(arbSequence, (steps) => play(options, steps)),
        { seed: SEED, numRuns: RUNS },
      );
      expect(RUNS).toBeGreaterThan(0);
    });
  }
});

describe('workers ended at random moments with file work under way', () => {
  /** Workers per case (configuration × attached/standalone × exit/terminate). */
  const WORKERS = Math.max(1, Math.round(RUNS / 15));
  it('by process.exit() or terminated from outside: no fd left behind, on any file configuration', {
    timeout: 180_000,
  }, () => {
    const r = spawnSync(
      process.execPath,
      [
        new URL('./fixtures/worker-ends-at-random.mjs', import.meta.url).pathname,
        String(SEED),
        String(WORKERS),
      ],
      { encoding: 'utf8', timeout: 170_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(16 * WORKERS); // 4 configurations × attached/standalone × exit/terminate
    // Every worker had its file work under way (an operation completed) when
    // it ended, and left no fd: none on the files, no duplicate of the pipe,
    // no inotify fd.
    for (const line of lines)
      expect(line).toMatch(/: running, 0 left, 0 pipe duplicates, 0 inotify fds$/);
  });
});
