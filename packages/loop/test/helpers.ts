/**
 * Shared test fixtures: the backends every rule runs against, loops that are
 * destroyed after each test, and a clock tests can move by hand.
 */
import * as nodeFs from 'node:fs';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BackendName } from '@evring/backend';
import { FdScope } from '@evring/backend/testing';
import { afterEach } from 'vitest';
import { Loop, type LoopClock, type LoopOptions } from '../src/index.js';

/** Every backend: each rule of the loop is tested on each. */
export const BACKENDS: readonly BackendName[] = ['epoll', 'linuxaio', 'iouring'];

/**
 * The configurations file operations are tested on: each backend, and an
 * io_uring loop on a plain ring, which emulates them (a loop's io_uring is
 * a tracking ring, which does them in the kernel; before 6.1 it is plain).
 */
export const FILE_CONFIGS: readonly [string, LoopOptions][] = [
  ...BACKENDS.map((b): [string, LoopOptions] => [b, { backend: b }]),
  ['iouring (plain ring: emulated)', { backend: 'iouring', iouring: { tracking: false } }],
];

/** A clock that moves only when told to. */
export class ManualClock implements LoopClock {
  mono = 1000;
  real = 1_700_000_000;
  monotonic(): number {
    return this.mono;
  }
  wall(): number {
    return this.real;
  }
  /** Both clocks move forward. */
  advance(seconds: number): void {
    this.mono += seconds;
    this.real += seconds;
  }
}

/** Fds and loops of the current test, released after it. */
export function testScope(): { fds: FdScope; loop(options?: LoopOptions): Loop } {
  let fds = new FdScope();
  let loops: Loop[] = [];
  afterEach(async () => {
    for (const l of loops) l.destroy();
    loops = [];
    await fds.dispose();
    fds = new FdScope();
  });
  return {
    get fds() {
      return fds;
    },
    loop(options: LoopOptions = {}) {
      const l = new Loop({ attach: false, env: false, fallback: false, ...options });
      loops.push(l);
      return l;
    },
  };
}

/**
 * Runs a standalone loop without blocking until `done()` holds or five
 * seconds pass. For tests where a lost event would make a plain `run()`
 * wait forever: they fail on their assertion instead of hanging.
 */
export function runUntil(loop: Loop, done: () => boolean, ms = 5000): void {
  const deadline = performance.now() + ms;
  while (!done() && performance.now() < deadline) loop.run('nowait');
}

/**
 * Makes `entries` under the directory `top` (made too): a name ending in /
 * is a directory, `name -> target` a symbolic link, any other a file
 * holding its own name; parents are made as needed.
 */
export function plantTree(top: string, entries: readonly string[]): string {
  mkdirSync(top, { recursive: true });
  for (const e of entries) {
    const [name, target] = e.split(' -> ') as [string, string | undefined];
    mkdirSync(dirname(join(top, name)), { recursive: true });
    if (target !== undefined) symlinkSync(target, join(top, name));
    else if (name.endsWith('/')) mkdirSync(join(top, name), { recursive: true });
    else writeFileSync(join(top, name), name);
  }
  return top;
}

/**
 * Calls `fs[call](...args, callback)` (a `node:fs`-shaped callback call, of
 * Node's or a loop's) and resolves with the callback's arguments once it
 * is called; rejects if it is not called in five seconds. `drive` runs a
 * standalone loop meanwhile, until its `done()` says the callback came.
 */
export function calledBack(
  fs: object,
  call: string,
  args: readonly unknown[],
  drive?: (done: () => boolean) => void,
): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    let got: unknown[] | null = null;
    (fs as Record<string, (...a: unknown[]) => void>)[call]!(...args, (...result: unknown[]) => {
      got = result;
      resolve(result);
    });
    drive?.(() => got !== null);
    setTimeout(() => reject(new Error(`${call}: no callback in 5 s`)), 5000).unref();
  });
}

/** One side of a callback-form comparison: `node:fs`, or a loop's `loop.fs`. */
export interface CallbackSide {
  readonly name: 'node' | 'evring';
  /** `fs[call](...args, callback)`; the callback's arguments (see {@link calledBack}). */
  call(call: string, args: readonly unknown[]): Promise<unknown[]>;
}

/**
 * Plays each case on Node's side, then on the loop's (run until called
 * back when standalone), each with what `play` sets up for it (twin
 * directories: a fresh one per side), and gives the cases whose outcomes
 * differ, one line each, named by the case's call and label.
 */
export async function differencesFromNode<C extends readonly [string, string, ...unknown[]]>(
  loop: Loop,
  attached: boolean,
  cases: readonly C[],
  play: (side: CallbackSide, c: C) => Promise<string>,
): Promise<string[]> {
  const drive = attached ? undefined : (done: () => boolean) => runUntil(loop, done);
  const node: CallbackSide = { name: 'node', call: (call, args) => calledBack(nodeFs, call, args) };
  const evring: CallbackSide = {
    name: 'evring',
    call: (call, args) => calledBack(loop.fs, call, args, drive),
  };
  const differences: string[] = [];
  for (const c of cases) {
    const theirs = await play(node, c);
    const ours = await play(evring, c);
    if (theirs !== ours) differences.push(`${c[0]} (${c[1]}): node ${theirs}; evring ${ours}`);
  }
  return differences;
}

/** Bytes no two offsets of which agree for long: a misplaced chunk shows. */
export function patternBytes(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 7 + (i >> 9)) & 0xff;
  return b;
}
