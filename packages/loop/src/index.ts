/**
 * `@evring/loop`: a libev-style event loop for Node.js — io, timer,
 * periodic, signal, idle, prepare, check and async watchers, priorities, run
 * modes — on epoll, Linux AIO or io_uring, attached to Node's own event loop
 * by default or run standalone.
 *
 * @example
 * ```ts
 * import { Loop, READ } from '@evring/loop';
 *
 * const loop = new Loop(); // attached: Node keeps running it
 * console.log(loop.backend, '-', loop.backendReason);
 * const stdin = loop.io(0, READ, (w, revents) => {
 *   console.log('stdin is readable');
 *   w.stop(); // the process exits when no referenced watcher is left
 * }).start();
 * loop.timer(5, 0, () => stdin.stop()).start();
 * ```
 *
 * @packageDocumentation
 */

export type { BackendChoice, BackendTuning } from './backend-choice.js';
export type { CodedError } from './errors.js';
export {
  ASYNC,
  CHECK,
  CUSTOM,
  EDGE,
  ERROR,
  IDLE,
  MAXPRI,
  MINPRI,
  PERIODIC,
  PREPARE,
  PRI,
  READ,
  SIGNAL,
  TIMER,
  WRITE,
} from './events.js';
export type { NameOptions, TimeLike } from './file-attributes.js';
export type { ReadFileCallback } from './file-content-callbacks.js';
export type { CpOptions } from './file-cp.js';
export { LoopDir, type OpendirOptions } from './file-dir.js';
export type { NameCallback, StatFsCallback } from './file-direct-callbacks.js';
export type { MkdirCallback, MkdirOptions } from './file-mkdirp.js';
export type { MkdtempCallback, MkdtempOptions } from './file-mkdtemp.js';
export type { FileSystemError } from './file-ops.js';
export type { PathReadStreamOptions, PathWriteStreamOptions } from './file-path-streams.js';
export {
  FilePromises,
  LoopFileHandle,
  type ReadFileOptions,
  type RmdirOptions,
  type StatOptions,
  type WriteFileData,
  type WriteFileOptions,
} from './file-promises.js';
export type { ReaddirOptions } from './file-readdir.js';
export type { OpendirCallback, ReaddirCallback } from './file-readdir-callback.js';
export type { RmOptions } from './file-rm.js';
export {
  LoopStatWatcher,
  type StatsListener,
  type WatchFileOptions,
} from './file-stat-watcher.js';
export { BigIntFileStats, FileStats } from './file-stats.js';
export {
  LoopReadStream,
  LoopWriteStream,
  type ReadStreamOptions,
  type WriteStreamOptions,
} from './file-streams.js';
export type { WatchEvent, WatchOptions } from './file-watch.js';
export { type FSWatchListener, type FSWatchOptions, LoopFSWatcher } from './file-watcher.js';
export {
  type BigIntStatsCallback,
  type DoneCallback,
  type FdCallback,
  type FileCallback,
  type FileOpOptions,
  LoopFiles,
  type StatsCallback,
} from './files.js';
export { type BreakHow, Loop, type LoopOptions, type RunMode } from './loop.js';
export type { OnceHandle, OnceOptions } from './once.js';
export type { OpenFlags, PathLike, SymlinkType } from './open-flags.js';
export type { LoopClock } from './timers.js';
export { AsyncSender, type AsyncSenderInit, AsyncWatcher } from './watchers/async.js';
export { IoWatcher } from './watchers/io.js';
export { MIN_INTERVAL, PeriodicWatcher, type RescheduleCallback } from './watchers/periodic.js';
export { SignalWatcher } from './watchers/signal.js';
export { CheckWatcher, IdleWatcher, PrepareWatcher } from './watchers/simple.js';
export { TimerWatcher } from './watchers/timer.js';
export { Watcher, type WatcherCallback, type WatcherOptions } from './watchers/watcher.js';
