/**
 * The file benchmark's targets (issue #16), checked on the headline
 * workload: random 4 KiB reads, 64 in flight. A target whose sides did not
 * both run is reported as not checked, never as met. A MISSED target is a
 * measurement, not an error: the command still succeeds.
 *
 * @module
 */

import type { TargetVerdict } from '../bench/report.js';
import { PROMISE_FLOOR_ROW } from './jobs/promise-floor.js';
import { RING_FLOOR_ROW } from './jobs/ring-floor.js';
import type { FileBenchRow } from './report.js';

/** The workload the targets are set on. */
export const FILE_HEADLINE = { kind: 'randread', block: 4096, depth: 64 } as const;

/** The rows the targets name. */
export const TARGET_ROWS = {
  standalone: 'evring-iouring',
  callback: 'evring-iouring (callback, attached)',
  promise: 'evring-iouring (promise, attached)',
  floor: 'raw-iouring (C, liburing)',
  fsCallbacks: 'node fs (callbacks)',
  fileHandle: 'node fs/promises (FileHandle)',
  sync: 'node fs (sync, blocks the loop)',
  uvUring: 'node fs (callbacks), UV_USE_IO_URING=1',
  promiseFloor: PROMISE_FLOOR_ROW,
  ringFloor: RING_FLOOR_ROW,
} as const;

function headline(rows: readonly FileBenchRow[], job: string): FileBenchRow | undefined {
  return rows.find(
    (r) =>
      r.job === job &&
      r.workload.kind === FILE_HEADLINE.kind &&
      r.workload.block === FILE_HEADLINE.block &&
      r.workload.depth === FILE_HEADLINE.depth,
  );
}

/**
 * `a / b <= limit`; for a claim against one of Node's rows, the same claim
 * with liburing in C in `a`'s place, which says whether the kernel allows it
 * here at all (a target raw C also misses is out of reach on this machine).
 * `withFloor` false: no such line (a claim about evring's own layers).
 */
function ratio(
  rows: readonly FileBenchRow[],
  claim: string,
  a: string,
  b: string,
  limit: number,
  withFloor = true,
): TargetVerdict {
  const top = headline(rows, a)?.nsPerOp;
  const bottom = headline(rows, b)?.nsPerOp;
  const verdict: TargetVerdict = { claim, limit };
  if (top === undefined || bottom === undefined) return verdict;
  verdict.ratio = top / bottom;
  verdict.met = verdict.ratio <= limit;
  const floor = headline(rows, TARGET_ROWS.floor)?.nsPerOp;
  if (withFloor && floor !== undefined && b !== TARGET_ROWS.floor) {
    verdict.floor = { ratio: floor / bottom, met: floor / bottom <= limit };
  }
  return verdict;
}

/**
 * `got <= limit`; `floor`, where given, is the C row's own value of the same
 * measure (its enters per read), which says whether the kernel allows it.
 */
function value(
  claim: string,
  got: number | undefined,
  limit: number,
  floor?: number,
): TargetVerdict {
  const verdict: TargetVerdict = { claim, limit };
  if (got === undefined) return verdict;
  verdict.ratio = got;
  verdict.met = got <= limit;
  if (floor !== undefined) verdict.floor = { ratio: floor, met: floor <= limit };
  return verdict;
}

/**
 * Every file target, on the rows of one run. The floor is checked for the
 * callback form standalone and attached; the comparisons with Node use the
 * loop attached to Node's loop, as a program uses it by default.
 *
 * @example
 * ```ts
 * import { checkFileTargets, QUICK_FILE_WORKLOADS, runFileBench } from '@evring/cli';
 * const report = await runFileBench({ workloads: QUICK_FILE_WORKLOADS, fileSize: 64 << 20 });
 * for (const t of checkFileTargets(report.rows)) console.log(t.claim, t.met);
 * ```
 */
export function checkFileTargets(rows: readonly FileBenchRow[]): TargetVerdict[] {
  const r = TARGET_ROWS;
  const cb = headline(rows, r.callback);
  // The C row's own enters per read: what the kernel allows here, set
  // beside evring's as the ratio targets set raw C beside theirs.
  const enters = headline(rows, r.floor)?.syscallsPerOp;
  return [
    ratio(
      rows,
      `${r.standalone} (callbacks, standalone) within 1.15× of ${r.floor}`,
      r.standalone,
      r.floor,
      1.15,
    ),
    ratio(rows, `${r.callback} within 1.15× of ${r.floor}`, r.callback, r.floor, 1.15),
    value(
      `${r.standalone} (callbacks, standalone): CPU per read within 1.15× of ${r.floor}'s (a ratio of CPU time, steadier than the times on a busy machine)`,
      headline(rows, r.standalone)?.cpuVsLiburing,
      1.15,
    ),
    ratio(rows, `${r.promise} within 1.4× of ${r.floor}`, r.promise, r.floor, 1.4),
    ratio(
      rows,
      `${r.callback} at least 2.5× faster than ${r.fsCallbacks}`,
      r.callback,
      r.fsCallbacks,
      1 / 2.5,
    ),
    ratio(
      rows,
      `${r.promise} at least 6× faster than ${r.fileHandle}`,
      r.promise,
      r.fileHandle,
      1 / 6,
    ),
    ratio(rows, `${r.callback} faster than ${r.sync}`, r.callback, r.sync, 1),
    ratio(rows, `${r.callback} faster than ${r.uvUring}`, r.callback, r.uvUring, 1),
    value(
      `${r.standalone} (callbacks, standalone): syscalls per read (value, not a ratio)`,
      headline(rows, r.standalone)?.syscallsPerOp,
      0.02,
      enters,
    ),
    value(`${r.callback}: syscalls per read (value, not a ratio)`, cb?.syscallsPerOp, 0.02, enters),
    value(
      `${r.callback}: scavenges per 100,000 reads (value; V8's young generation starts at 1 MiB, so ~10 bytes a read would show)`,
      cb?.scavengesPer100k,
      1,
    ),
  ];
}

/**
 * Where the time over liburing goes, on the rows of one run: shown for
 * information, not aimed at. Four claims:
 * - JavaScript on sys's ring with nothing above it (the ring-alone row)
 *   is within 1.15× of liburing: the floor of anything built on sys, its
 *   safety checks included, leaves room for the 1.15× target;
 * - the loop, the Poller and the backend (evring-iouring, standalone) add
 *   at most 1.05× to that row;
 * - the promise form's cost over the callback form (both attached) is
 *   within 1.25× of what V8's promises cost alone (the no-I/O row), so the
 *   promise form is the callback form plus V8's own price;
 * - evring's kernel time per read (standalone) is within 1.1× of
 *   liburing's, so what evring adds over the floor is user-space time.
 *
 * @example
 * ```ts
 * import { checkFileInformation, QUICK_FILE_WORKLOADS, runFileBench } from '@evring/cli';
 * const report = await runFileBench({ workloads: QUICK_FILE_WORKLOADS, fileSize: 64 << 20 });
 * for (const t of checkFileInformation(report.rows)) console.log(t.claim, t.ratio);
 * ```
 */
export function checkFileInformation(rows: readonly FileBenchRow[]): TargetVerdict[] {
  const r = TARGET_ROWS;
  const promise = headline(rows, r.promise)?.nsPerOp;
  const callback = headline(rows, r.callback)?.nsPerOp;
  const alone = headline(rows, r.promiseFloor)?.nsPerOp;
  const standalone = headline(rows, r.standalone)?.systemNsPerOp;
  const floor = headline(rows, r.floor)?.systemNsPerOp;
  return [
    ratio(rows, `${r.ringFloor} within 1.15× of ${r.floor}`, r.ringFloor, r.floor, 1.15),
    ratio(
      rows,
      `${r.standalone} (callbacks, standalone) within 1.05× of ${r.ringFloor} (what the loop, the Poller and the backend add)`,
      r.standalone,
      r.ringFloor,
      1.05,
      false,
    ),
    value(
      `${r.promise} minus ${r.callback}, per read, within 1.25× of ${r.promiseFloor} per operation`,
      promise === undefined || callback === undefined || !alone
        ? undefined
        : (promise - callback) / alone,
      1.25,
    ),
    value(
      `${r.standalone} (callbacks, standalone): system CPU per read within 1.1× of ${r.floor}'s (the rest of the difference is user-space time)`,
      standalone === undefined || !floor ? undefined : standalone / floor,
      1.1,
    ),
  ];
}
