/**
 * The file operations on random sequences: random batches of `loop.fs`
 * calls (reads and writes, plain and vectored, in pinned memory, plain
 * Buffers, views, and DataViews over either; truncates, syncs, fstat;
 * calls on a number with no file and on a directory; path operations;
 * aborts) played on every backend,
 * attached to Node's loop, against a model of the files and of a directory's
 * names. The operations of a batch are in flight together, so a batch holds
 * only operations whose results do not depend on their order (no two on
 * overlapping bytes when one writes, nothing that depends on a file's size
 * beside what changes it). Every result must be the model's, every file's
 * bytes must be the model's after each batch (read back with node:fs), and
 * a read must touch no byte of its buffer past what it read. An aborted
 * operation may end either way; an aborted write leaves each of its bytes
 * old or new.
 *
 * `pnpm test` plays a fixed seed; `pnpm fuzz` plays more with a random one
 * (EVRING_FUZZ_SEED, EVRING_FUZZ_RUNS), as for the differential test.
 */

import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendName } from '@evring/backend';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Loop } from '../src/index.js';
import { BACKENDS } from './helpers.js';

const SEED = Number(process.env.EVRING_FUZZ_SEED ?? 20261205);
/** Sequences per backend: the readiness test's count divided by 15 (40 by default). */
const RUNS = Math.max(1, Math.round(Number(process.env.EVRING_FUZZ_RUNS ?? 600) / 15));

const FILES = 2;
const SPAN = 12_000; // positions and lengths stay within a few pages
const NAMES = ['a', 'b', 'c'] as const;
type Name = (typeof NAMES)[number];
type Form = 'callback' | 'promise';
/** The caller's buffer: pinned (alloc()), a plain Buffer, a subarray of either, a DataView over either. */
type BufKind = 'pinned' | 'plain' | 'view' | 'dataview' | 'pinned-dataview';

type Op =
  | {
      k: 'write' | 'read';
      f: number;
      at: number;
      len: number;
      fill: number;
      form: Form;
      vec: boolean;
      buf: BufKind;
      abort: boolean;
    }
  | { k: 'truncate'; f: number; size: number }
  | { k: 'sync'; f: number; data: boolean }
  | { k: 'fstat'; f: number }
  | { k: 'badfd'; what: 'read' | 'write' | 'fsync' | 'fstat' }
  | { k: 'dir'; what: 'read' | 'write' }
  | {
      k: 'path';
      what: 'mkdir' | 'unlink' | 'rmdir' | 'stat' | 'create' | 'rename';
      a: Name;
      b: Name;
    }
  | { k: 'break' };

const arbFile = fc.integer({ min: 0, max: FILES - 1 });
const arbData = (k: 'write' | 'read') =>
  fc.record({
    k: fc.constant(k),
    f: arbFile,
    at: fc.integer({ min: 0, max: SPAN }),
    len: fc.integer({ min: 1, max: 3000 }),
    fill: fc.integer({ min: 0, max: 255 }),
    form: fc.constantFrom<Form>('callback', 'promise'),
    vec: fc.boolean(),
    buf: fc.constantFrom<BufKind>('pinned', 'plain', 'view', 'dataview', 'pinned-dataview'),
    abort: fc.integer({ min: 0, max: 3 }).map((x) => x === 0), // one in four promise-form calls
  });
const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: arbData('write') },
  { weight: 6, arbitrary: arbData('read') },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('truncate' as const),
      f: arbFile,
      size: fc.integer({ min: 0, max: SPAN }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('sync' as const), f: arbFile, data: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('fstat' as const), f: arbFile }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('badfd' as const),
      what: fc.constantFrom('read', 'write', 'fsync', 'fstat') as fc.Arbitrary<
        'read' | 'write' | 'fsync' | 'fstat'
      >,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('dir' as const),
      what: fc.constantFrom('read', 'write') as fc.Arbitrary<'read' | 'write'>,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('path' as const),
      what: fc.constantFrom('mkdir', 'unlink', 'rmdir', 'stat', 'create', 'rename') as fc.Arbitrary<
        'mkdir' | 'unlink' | 'rmdir' | 'stat' | 'create' | 'rename'
      >,
      a: fc.constantFrom(...NAMES),
      b: fc.constantFrom(...NAMES),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ k: 'break' as const }) },
);
const arbSequence = fc.array(arbOp, { minLength: 1, maxLength: 40 });

/** The files' bytes and the directory's names, as the kernel should leave them. */
class Model {
  files: Uint8Array[] = [];
  names = new Map<Name, 'file' | 'dir'>();

  constructor(initial: Uint8Array[]) {
    this.files = initial.map((b) => b.slice());
  }

  size(f: number): number {
    return this.files[f]!.length;
  }

  write(f: number, at: number, bytes: Uint8Array): void {
    const old = this.files[f]!;
    const next = new Uint8Array(Math.max(old.length, at + bytes.length));
    next.set(old);
    next.set(bytes, at);
    this.files[f] = next;
  }

  truncate(f: number, size: number): void {
    const next = new Uint8Array(size);
    next.set(this.files[f]!.subarray(0, size));
    this.files[f] = next;
  }

  /** The result of a path operation, as an errno code or 'ok', applied to the names. */
  path(what: string, a: Name, b: Name): string {
    const kind = this.names.get(a);
    switch (what) {
      case 'mkdir':
        if (kind) return 'EEXIST';
        this.names.set(a, 'dir');
        return 'ok';
      case 'unlink':
        if (!kind) return 'ENOENT';
        if (kind === 'dir') return 'EISDIR';
        this.names.delete(a);
        return 'ok';
      case 'rmdir':
        if (!kind) return 'ENOENT';
        if (kind === 'file') return 'ENOTDIR';
        this.names.delete(a);
        return 'ok';
      case 'stat':
        return kind ?? 'ENOENT';
      case 'create':
        if (kind === 'dir') return 'EISDIR';
        this.names.set(a, 'file');
        return 'ok';
      default: {
        // rename a → b
        if (!kind) return 'ENOENT';
        if (a === b) return 'ok';
        const target = this.names.get(b);
        if (target === 'dir' && kind === 'file') return 'EISDIR';
        if (target === 'file' && kind === 'dir') return 'ENOTDIR';
        this.names.delete(a);
        this.names.set(b, kind);
        return 'ok';
      }
    }
  }
}

/** What each file's operations in the current batch claim, so that none depends on another's order. */
class Batch {
  #ranges: { f: number; from: number; to: number; writes: boolean }[] = [];
  #sizeChanging = new Set<number>();
  #sizeDependent = new Set<number>();
  #whole = new Set<number>();
  #touched = new Set<number>();
  #path = false;

  /** Adds `op` if it cannot race what the batch holds; false when it must wait for the next batch. */
  admit(op: Op, model: Model): boolean {
    if (op.k === 'path') {
      if (this.#path) return false;
      this.#path = true;
      return true;
    }
    if (op.k === 'read' || op.k === 'write') {
      const { f, at, len } = op;
      if (this.#whole.has(f)) return false;
      const writes = op.k === 'write';
      const changes = writes && at + len > model.size(f);
      const depends = !writes && at + len > model.size(f);
      if (
        this.#ranges.some(
          (r) => r.f === f && (writes || r.writes) && r.from < at + len && at < r.to,
        )
      )
        return false;
      if (changes && this.#sizeDependent.has(f)) return false;
      if (depends && this.#sizeChanging.has(f)) return false;
      this.#ranges.push({ f, from: at, to: at + len, writes });
      if (changes) this.#sizeChanging.add(f);
      if (depends) this.#sizeDependent.add(f);
      this.#touched.add(f);
      return true;
    }
    if (op.k === 'truncate') {
      if (this.#touched.has(op.f)) return false;
      this.#whole.add(op.f);
      this.#touched.add(op.f);
      return true;
    }
    if (op.k === 'fstat') {
      if (this.#whole.has(op.f) || this.#sizeChanging.has(op.f)) return false;
      this.#sizeDependent.add(op.f);
      this.#touched.add(op.f);
      return true;
    }
    if (op.k === 'sync') return !this.#whole.has(op.f);
    return true; // calls on a bad fd or the directory race nothing
  }
}

const GUARD = 0xee;
const NO_FILE = 1_000_000; // above RLIMIT_NOFILE: never an open fd

/** An errno code, or an AbortError, or 'ok <value>'. */
function outcome(err: unknown, value?: unknown): string {
  if (err === null || err === undefined) return `ok ${value}`;
  const e = err as { name?: string; code?: string; errno?: number; syscall?: string };
  if (e.name === 'AbortError') return 'aborted';
  if (typeof e.code !== 'string' || typeof e.errno !== 'number' || typeof e.syscall !== 'string') {
    throw new Error(`not a Node-shaped error: ${String(err)}`);
  }
  return e.code;
}

function withTimeout<T>(p: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no completion within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function play(backend: BackendName, ops: readonly Op[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'evring-fdiff-'));
  const ns = join(dir, 'ns');
  const initial = Array.from({ length: FILES }, (_, f) =>
    Uint8Array.from({ length: 4096 + f * 1000 }, (_, i) => (i * 7 + f) & 255),
  );
  const paths = initial.map((bytes, f) => {
    const p = join(dir, `f${f}`);
    writeFileSync(p, bytes);
    return p;
  });
  mkdirSync(ns);
  const fds = paths.map((p) => openSync(p, 'r+'));
  const dirFd = openSync(dir, 'r');
  const model = new Model(initial);
  const loop = new Loop({ backend, env: false, fallback: false });
  const fs = loop.fs;
  try {
    let i = 0;
    while (i < ops.length) {
      const batch = new Batch();
      const start = new Model(model.files);
      start.names = new Map(model.names);
      const checks: Promise<void>[] = [];
      /** Byte ranges an aborted write may have left old or new: checked after the batch. */
      const fuzzy: { f: number; at: number; bytes: Uint8Array }[] = [];
      for (; i < ops.length; i++) {
        const op = ops[i]!;
        if (op.k === 'break') {
          i++;
          break;
        }
        if (!batch.admit(op, start)) break;
        checks.push(issue(op, i));
      }
      await withTimeout(Promise.all(checks), `batch ending at op ${i}`);
      for (let f = 0; f < FILES; f++)
        checkFuzzy(
          f,
          fuzzy.filter((w) => w.f === f),
        );
      for (let f = 0; f < FILES; f++) {
        const disk = readFileSync(paths[f]!);
        if (!Buffer.from(model.files[f]!).equals(disk)) {
          throw new Error(
            `file ${f} after op ${i}: ${disk.length} bytes on disk, the model has ${model.size(f)}, or they differ`,
          );
        }
      }

      /** Starts op `n` of the batch; resolves once its result is checked and applied to the model. */
      function issue(op: Op, n: number): Promise<void> {
        const tag = `op ${n} ${JSON.stringify(op)}`;
        const expectResult = (got: string, want: string) => {
          if (got !== want) throw new Error(`${tag}: got ${got}, the model says ${want}`);
        };
        switch (op.k) {
          case 'read':
          case 'write':
            return dataOp(op, tag, expectResult);
          case 'truncate':
            return call((cb) => fs.ftruncate(fds[op.f]!, op.size, cb)).then((r) => {
              expectResult(r, 'ok undefined');
              model.truncate(op.f, op.size);
            });
          case 'sync':
            return call((cb) => (op.data ? fs.fdatasync : fs.fsync).call(fs, fds[op.f]!, cb)).then(
              (r) => expectResult(r, 'ok undefined'),
            );
          case 'fstat':
            return fs.promises.fstat(fds[op.f]!).then(
              (s) => expectResult(`ok ${s.size} ${s.isFile()}`, `ok ${start.size(op.f)} true`),
              (e) => expectResult(outcome(e), 'ok'),
            );
          case 'badfd': {
            const buf = Buffer.alloc(8);
            const p =
              op.what === 'read'
                ? fs.promises.read(NO_FILE, buf, 0)
                : op.what === 'write'
                  ? fs.promises.write(NO_FILE, buf, 0)
                  : op.what === 'fsync'
                    ? fs.promises.fsync(NO_FILE)
                    : fs.promises.fstat(NO_FILE);
            return p.then(
              () => expectResult('ok', 'EBADF'),
              (e) => expectResult(outcome(e), 'EBADF'),
            );
          }
          case 'dir': {
            const buf = Buffer.alloc(8);
            const p =
              op.what === 'read'
                ? fs.promises.read(dirFd, buf, 0)
                : fs.promises.write(dirFd, buf, 0);
            return p.then(
              (v) => expectResult(`ok ${v}`, op.what === 'read' ? 'EISDIR' : 'EBADF'),
              (e) => expectResult(outcome(e), op.what === 'read' ? 'EISDIR' : 'EBADF'),
            );
          }
          case 'path': {
            const want = model.path(op.what, op.a, op.b);
            const a = join(ns, op.a);
            const b = join(ns, op.b);
            const P = fs.promises;
            const p: Promise<string> =
              op.what === 'mkdir'
                ? P.mkdir(a).then(() => 'ok')
                : op.what === 'unlink'
                  ? P.unlink(a).then(() => 'ok')
                  : op.what === 'rmdir'
                    ? P.rmdir(a).then(() => 'ok')
                    : op.what === 'stat'
                      ? P.stat(a).then((s) => (s.isDirectory() ? 'dir' : 'file'))
                      : op.what === 'create'
                        ? P.open(a, 'a').then((h) => h.close().then(() => 'ok'))
                        : P.rename(a, b).then(() => 'ok');
            return p.then(
              (got) => expectResult(got, want),
              (e) => expectResult(outcome(e), want),
            );
          }
          default:
            throw new Error(`${tag}: not an operation a batch holds`);
        }
      }

      function dataOp(
        op: Extract<Op, { k: 'read' | 'write' }>,
        tag: string,
        expectResult: (got: string, want: string) => void,
      ): Promise<void> {
        const { f, at, len, fill } = op;
        const fd = fds[f]!;
        // The caller's bytes, with a guard byte either side where a view leaves room.
        let backing: Uint8Array;
        let buf: Uint8Array;
        if (op.buf === 'plain') {
          buf = Buffer.alloc(len);
          backing = buf;
        } else {
          backing = op.buf.startsWith('pinned') ? fs.alloc(len + 2) : new Uint8Array(len + 2);
          buf = backing.subarray(1, 1 + len);
        }
        // What the call is given: the bytes themselves, or a DataView over them.
        const asGiven = (b: Uint8Array): NodeJS.ArrayBufferView =>
          op.buf.endsWith('dataview') ? new DataView(b.buffer, b.byteOffset, b.byteLength) : b;
        const data = Uint8Array.from({ length: len }, (_, j) => (fill + j * 31) & 255);
        if (op.k === 'write') buf.set(data);
        else backing.fill(GUARD);
        const parts =
          op.vec && len > 1
            ? [asGiven(buf.subarray(0, len >> 1)), asGiven(buf.subarray(len >> 1))]
            : null;
        const given = asGiven(buf);
        const sizeBefore = start.size(f);
        const want = op.k === 'write' ? len : Math.max(0, Math.min(len, sizeBefore - at));
        let done: Promise<string>;
        if (op.form === 'callback') {
          done = call((cb) =>
            op.k === 'write'
              ? parts
                ? fs.writev(fd, parts, at, cb)
                : fs.write(fd, given, at, cb)
              : parts
                ? fs.readv(fd, parts, at, cb)
                : fs.read(fd, given, at, cb),
          );
        } else {
          const ac = new AbortController();
          const options = { signal: ac.signal };
          const P = fs.promises;
          const p =
            op.k === 'write'
              ? parts
                ? P.writev(fd, parts, at, options)
                : P.write(fd, given, at, options)
              : parts
                ? P.readv(fd, parts, at, options)
                : P.read(fd, given, at, options);
          if (op.abort) ac.abort();
          done = p.then(
            (v) => outcome(null, v),
            (e) => outcome(e),
          );
        }
        return done.then((got) => {
          if (got === 'aborted' && op.abort) {
            if (op.k === 'write') fuzzy.push({ f, at, bytes: data });
            return;
          }
          expectResult(got, `ok ${want}`);
          if (op.k === 'write') model.write(f, at, data);
          else {
            const file = start.files[f]!;
            for (let j = 0; j < len; j++) {
              const expected = j < want ? file[at + j]! : GUARD;
              if (buf[j] !== expected)
                throw new Error(`${tag}: byte ${j} of the buffer is ${buf[j]}, not ${expected}`);
            }
            if (backing !== buf && (backing[0] !== GUARD || backing[len + 1] !== GUARD)) {
              throw new Error(`${tag}: a byte beside the buffer changed`);
            }
          }
        });
      }

      // File f's aborted writes of the batch, checked together: each may have landed or not,
      // so each byte is old or the one write covering it (the writes of a batch never
      // overlap) put there, and the size is what some of them landing would make it.
      function checkFuzzy(f: number, writes: { at: number; bytes: Uint8Array }[]): void {
        if (writes.length === 0) return;
        const disk = new Uint8Array(readFileSync(paths[f]!));
        const old = model.files[f]!;
        const sizes = new Set([old.length]);
        for (const w of writes) {
          for (const size of [...sizes]) sizes.add(Math.max(size, w.at + w.bytes.length));
        }
        if (!sizes.has(disk.length)) {
          throw new Error(
            `aborted writes left file ${f} at ${disk.length} bytes, not ${[...sizes].join(' or ')}`,
          );
        }
        for (let j = 0; j < disk.length; j++) {
          const before = j < old.length ? old[j]! : 0;
          const w = writes.find((x) => j >= x.at && j < x.at + x.bytes.length);
          if (disk[j] !== before && !(w !== undefined && disk[j] === w.bytes[j - w.at])) {
            throw new Error(`an aborted write left byte ${j} of file ${f} neither old nor new`);
          }
        }
        model.files[f] = disk; // whichever it was, the rest of the sequence goes on from it
      }
    }
  } finally {
    loop.destroy();
    for (const fd of fds) closeSync(fd);
    closeSync(dirFd);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A callback-form call as a promise of its outcome. */
function call(start: (cb: (err: Error | null, value?: unknown) => void) => void): Promise<string> {
  return new Promise((resolve) => start((err, value) => resolve(outcome(err, value))));
}

describe('loop.fs on random operation sequences: every backend gives the results of a model of the files', () => {
  for (const backend of BACKENDS) {
    it(`${backend}: results, bytes on disk, and buffers touched only where read`, {
      timeout: 180_000,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(arbSequence, (ops) => play(backend, ops)),
        { seed: SEED, numRuns: RUNS },
      );
      expect(RUNS).toBeGreaterThan(0);
    });
  }
});
