/**
 * The raw binding's shape. Hot calls return a result or `-errno`; the others
 * throw {@link SystemCallError}s. Internal: use the typed wrappers in index.ts.
 *
 * @internal
 * @module
 */

import type { FdPollConstructor } from './fd-poll.js';
import type { HotCallEntry } from './hot-call-entry.js';

export interface AioSetupResult {
  handle: number;
  /** Absent for a tracking context. */
  ring?: ArrayBuffer;
  iocbs: ArrayBuffer;
  nr: number;
}

export interface NativeBinding {
  init(hooks: {
    makeError: (errno: number, syscall: string, detail?: string) => Error;
    markAsUntransferable: (ab: ArrayBuffer) => void;
  }): void;
  /** How the hot calls are entered (direct_call.h). */
  readonly hotCallEntry: HotCallEntry;
  syscallCountNames(): string[];
  syscallCounts(out: Float64Array): number;
  resetSyscallCounts(): void;

  eventfd(initval: number, flags: number, hold?: boolean): number;
  eventfdRead(fd: number): number;
  eventfdWrite(fd: number, value: number): number;
  timerfdCreate(clockid: number, flags: number, hold?: boolean): number;
  timerfdSettime(
    fd: number,
    flags: number,
    newValue: ArrayBufferView,
    oldValue?: ArrayBufferView,
  ): void;
  timerfdGettime(fd: number, out: ArrayBufferView): void;
  signalfd(fd: number, signals: readonly number[], flags: number, hold?: boolean): number;
  pipe2(flags: number, hold?: boolean): [number, number];
  socketpair(domain: number, type: number, protocol: number, hold?: boolean): [number, number];
  read(fd: number, buffer: ArrayBufferView | ArrayBuffer, offset?: number, length?: number): number;
  ioNowait(
    op: 0 | 1 | 11 | 12,
    fd: number,
    buffer: ArrayBufferView | ArrayBuffer,
    offset: number,
    length: number,
    position: number,
  ): number;
  getdents64(fd: number, buffer: ArrayBufferView, offset?: number, length?: number): number;
  fileIoSync(
    op: number,
    fd: number,
    buffer: ArrayBufferView | ArrayBuffer,
    offset: number,
    length: number,
    position: number,
    hold?: boolean,
  ): number;
  write(
    fd: number,
    buffer: ArrayBufferView | ArrayBuffer,
    offset?: number,
    length?: number,
  ): number;
  send(
    fd: number,
    buffer: ArrayBufferView | ArrayBuffer,
    offset: number,
    length: number,
    flags: number,
  ): number;
  recv(
    fd: number,
    buffer: ArrayBufferView | ArrayBuffer,
    offset: number,
    length: number,
    flags: number,
  ): number;
  close(fd: number): void;
  ownFd(fd: number): void;
  ownedFdCount(): number;
  disownFd(fd: number): void;
  disownIfClosed(fd: number): boolean;
  closeOwned(fd: number): boolean;
  claimFd(fd: number): boolean;
  dup(fd: number, cloexec?: boolean, hold?: boolean): number;
  dup2(fd: number, target: number, cloexec?: boolean): number;
  fcntl(fd: number, cmd: number, arg?: number): number;
  getrlimitNofile(): { soft: number; hard: number };
  setrlimitNofile(soft: number, hard: number): void;
  kernelRelease(): string;
  openpty(hold?: boolean): { master: number; slave: number; name: string };
  inotifyInit1(flags: number, hold?: boolean): number;
  inotifyAddWatch(fd: number, path: string | Uint8Array, mask: number): number;
  inotifyRmWatch(fd: number, wd: number): void;
  access(path: string | Uint8Array, mode: number): number;
  chmod(path: string | Uint8Array, mode: number): number;
  fchmod(fd: number, mode: number): number;
  chown(path: string | Uint8Array, uid: number, gid: number, noFollow?: boolean): number;
  fchown(fd: number, uid: number, gid: number): number;
  utimes(path: string | Uint8Array, atime: number, mtime: number, noFollow?: boolean): number;
  futimes(fd: number, atime: number, mtime: number): number;
  ficlone(to: number, from: number): number;
  statfs(
    path: string | Uint8Array,
    buffer: ArrayBufferView | ArrayBuffer,
    offset?: number,
    length?: number,
  ): number;
  statxInline(dirfd: number, path: string | Uint8Array, flags: number): boolean;
  readlink(
    path: string | Uint8Array,
    buffer: ArrayBufferView | ArrayBuffer,
    offset?: number,
    length?: number,
  ): number;
  realpath(
    path: string | Uint8Array,
    buffer: ArrayBufferView | ArrayBuffer,
    offset?: number,
    length?: number,
  ): number;
  ttySetRaw(fd: number, baud?: number): Uint8Array;
  ttyRestore(fd: number, saved: Uint8Array): void;
  ttySpeed(fd: number): number;
  clockMonotonic(out: Float64Array): void;
  /** This env's clock cell, the same Float64Array view of one element on every call. */
  clockCell(): Float64Array;
  /** Writes CLOCK_MONOTONIC (ms) into the clock cell; throws before clockCell() was called. */
  clockTick(): void;

  epollCreate1(flags: number, hold?: boolean): number;
  epollCtl(
    epfd: number,
    op: number,
    fd: number,
    events: number,
    dataLo: number,
    dataHi: number,
  ): number;
  epollWait(epfd: number, out: ArrayBufferView, maxevents: number, timeoutMs: number): number;

  ringSetup(
    entries: number,
    params: ArrayBufferView,
    singleMmap: boolean,
    registerRing: boolean,
    holdOpenedFds: boolean,
  ): {
    handle: number;
    fd: number;
    sqRing: ArrayBuffer;
    cqRing?: ArrayBuffer;
    sqes: ArrayBuffer;
    registered: boolean;
  };
  ringEnter(
    handle: number,
    toSubmit: number,
    minComplete: number,
    flags: number,
    timeoutMs?: number,
    minWaitUsec?: number,
  ): number;
  ringRegister(handle: number, opcode: number, arg: ArrayBufferView | null, nrArgs: number): number;
  ringClose(handle: number): boolean;
  ringRegisterBuffers(handle: number, buffers: ArrayBuffer[]): number;
  ringUnregisterBuffers(handle: number): boolean;

  pinnedAlloc(size: number): { buffer: ArrayBuffer; address: number; size: number };
  pinnedFree(buffer: ArrayBuffer): boolean;
  pinnedStats(): { blocks: number; bytes: number; held: number };
  ioSetup(nrEvents: number, iocbCount: number, tracking?: boolean): AioSetupResult;
  ioDestroy(handle: number): boolean;
  ioSubmit(handle: number, indices: Uint32Array, count: number): number;
  ioCancel(handle: number, index: number): number;
  ioGetevents(
    handle: number,
    minNr: number,
    nr: number,
    out: ArrayBufferView,
    timeoutMs: number,
  ): number;

  FdPoll: FdPollConstructor;

  signalRelayAdd(signum: number, eventfd: number): void;
  signalRelayRemove(signum: number, eventfd: number): boolean;
  signalRelayTake(eventfd: number): number[];
}
