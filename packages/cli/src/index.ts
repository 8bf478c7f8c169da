/**
 * `@evring/cli`: the `evring` command — `evring doctor` (what this kernel
 * offers each backend, and which one `auto` picks) and `evring bench` (the
 * classic pipe benchmark on every evring backend beside the kernel interfaces
 * in raw C, libev in C, Node's libuv and the `epoll` package) — and the same as functions.
 *
 * @packageDocumentation
 */

export type { FdKind } from './bench/fd-ring.js';
export type { BenchConfig, BenchJob, BenchMode, JobMissing, JobTimes } from './bench/job.js';
export { WARMUP_EVENTS, WARMUP_MAX_MS, warmupRounds } from './bench/job.js';
export type { CallbackOrder } from './bench/jobs/evring.js';
export { allJobs, type JobSelection } from './bench/jobs/index.js';
export { type RawJsBackend, rawJsJob } from './bench/jobs/raw-js.js';
export { FULL, type MatrixOptions, QUICK } from './bench/matrix.js';
export type { BenchReport, BenchRow, TargetVerdict } from './bench/report.js';
export { type BenchProgress, type BenchRunOptions, runBench } from './bench/run.js';
export { ScavengeLog } from './bench/scavenge-log.js';
export { renderSvg } from './bench/svg.js';
export { formatTable } from './bench/table.js';
export { checkInformation, checkTargets } from './bench/targets.js';
export { emptyYoungGeneration } from './bench/young-generation.js';
export { UsageError } from './cli/args.js';
export type { Io } from './cli/io.js';
export { EXIT, main } from './cli/main.js';
export type { BackendFacts, OperationFacts, SwitchEffect } from './doctor/backends.js';
export { type DoctorReport, runDoctor } from './doctor/doctor.js';
export { formatDoctor } from './doctor/format.js';
export type { IoUringFacts } from './doctor/iouring.js';
export {
  type FileJob,
  type FileJobMissing,
  type FileRounds,
  type FileSession,
  MIN_FILE_ROUNDS,
  opsPerRound,
  ROUND_MS,
} from './files/job.js';
export { inChild } from './files/jobs/child-row.js';
export { type EvringFileForm, evringFileJob } from './files/jobs/evring.js';
export { fileJobs, inProcessFileJobs } from './files/jobs/index.js';
export { liburingFileJob } from './files/jobs/liburing.js';
export { type NodeFileApi, nodeFileJob } from './files/jobs/node.js';
export { PROMISE_FLOOR_ROW, promiseFloorJob } from './files/jobs/promise-floor.js';
export { RING_FLOOR_ROW, ringFloorJob } from './files/jobs/ring-floor.js';
export type { FileBenchReport, FileBenchRow } from './files/report.js';
export { type FileBenchOptions, runFileBench } from './files/run.js';
export { renderFileSvg } from './files/svg.js';
export { formatFileTable } from './files/table.js';
export { checkFileInformation, checkFileTargets } from './files/targets.js';
export { type BenchFile, makeBenchFile } from './files/test-file.js';
export {
  FILE_WORKLOADS,
  type FileOpKind,
  type FileWorkload,
  QUICK_FILE_WORKLOADS,
  workloadLabel,
} from './files/workload.js';
