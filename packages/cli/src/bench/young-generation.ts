/**
 * Emptying V8's young generation before a job's timed rounds, so that the
 * scavenges counted in them are the job's own.
 *
 * A scavenge runs when the young generation fills. Without this, what the
 * warm-up rounds and the previous rows left there decides whether the few
 * bytes a round of the harness allocates (its timestamps, the syscall
 * meter) tip it over in the timed window: a row that allocates nothing an
 * event would show one scavenge in one run and none in the next. After a
 * minor collection the whole young generation (1 MiB at least) is free,
 * enough for the harness's bytes over every round, so a scavenge counted
 * means the job itself allocated, about 10 bytes an event or more.
 *
 * @module
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major' }) => void;

let collect: Collect | undefined;

/**
 * Runs a minor GC (a scavenge) now.
 *
 * @example
 * ```ts
 * import { getHeapSpaceStatistics } from 'node:v8';
 * import { emptyYoungGeneration } from '@evring/cli';
 * emptyYoungGeneration();
 * const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
 * console.log(young?.space_used_size); // a few KiB at most
 * ```
 */
export function emptyYoungGeneration(): void {
  if (collect === undefined) {
    // V8 makes `gc` only for contexts created after the flag is set.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
  }
  collect({ type: 'minor' });
}
