/**
 * The targets set for the headline configuration (pipes, N=1000, A=100),
 * checked against a run's medians. A target whose sides did not both run is
 * reported as unchecked, never as met.
 *
 * @module
 */

import type { BenchRow, TargetVerdict } from './report.js';

const HEADLINE = { kind: 'pipe', n: 1000, active: 100 } as const;

function find(rows: readonly BenchRow[], job: string, mode: 'level' | 'edge'): number | undefined {
  const r = rows.find(
    (row) =>
      row.job === job &&
      row.mode === mode &&
      row.config.kind === HEADLINE.kind &&
      row.config.n === HEADLINE.n &&
      row.config.active === HEADLINE.active,
  );
  return r?.nsPerEvent;
}

/** libev's row in a threaded process: `libev-epoll (C)` → `libev-epoll (C, threaded)`; undefined for other rows. */
function threadedOf(job: string): string | undefined {
  return job.startsWith('libev-') && job.endsWith(' (C)')
    ? `${job.slice(0, -1)}, threaded)`
    : undefined;
}

/** The row a job's floor is measured on: `evring-iouring` → `raw-iouring (C)`. */
function floorOf(job: string): string {
  return job.startsWith('evring-') ? `raw-${job.slice('evring-'.length)} (C)` : job;
}

type Side = readonly [job: string, mode: 'level' | 'edge'];

/**
 * `a / b <= limit` when both ran; the same claim with every evring side
 * replaced by the raw C row of its kernel interface, which says whether the
 * kernel allows the claim at all; and, for a claim against libev, the same
 * against libev in a threaded process, which is where evring runs.
 */
function atMost(
  rows: readonly BenchRow[],
  claim: string,
  a: Side,
  b: Side,
  limit: number,
): TargetVerdict {
  const ratioOf = (x: Side, y: Side): number | undefined => {
    const top = find(rows, x[0], x[1]);
    const bottom = find(rows, y[0], y[1]);
    return top === undefined || bottom === undefined ? undefined : top / bottom;
  };
  const verdict: TargetVerdict = { claim, limit };
  const ratio = ratioOf(a, b);
  if (ratio === undefined) return verdict;
  verdict.ratio = ratio;
  verdict.met = ratio <= limit;
  const floor = ratioOf([floorOf(a[0]), a[1]], [floorOf(b[0]), b[1]]);
  if (floor !== undefined) verdict.floor = { ratio: floor, met: floor <= limit };
  const libevThreaded = threadedOf(b[0]);
  const threaded = libevThreaded === undefined ? undefined : ratioOf(a, [libevThreaded, b[1]]);
  if (threaded !== undefined) verdict.threaded = { ratio: threaded, met: threaded <= limit };
  return verdict;
}

/**
 * Every target, on the rows of one run.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { type BenchReport, checkTargets } from '@evring/cli';
 * // Re-check the targets of a saved run.
 * const saved = JSON.parse(readFileSync('evring-bench/bench.json', 'utf8')) as BenchReport;
 * console.log(checkTargets(saved.rows));
 * ```
 */
export function checkTargets(rows: readonly BenchRow[]): TargetVerdict[] {
  const level = (job: string): Side => [job, 'level'];
  const out: TargetVerdict[] = [
    atMost(
      rows,
      'evring-epoll within 1.3× of libev-epoll (C)',
      level('evring-epoll'),
      level('libev-epoll (C)'),
      1.3,
    ),
    atMost(
      rows,
      'evring-iouring no slower than evring-epoll',
      level('evring-iouring'),
      level('evring-epoll'),
      1,
    ),
    atMost(
      rows,
      'evring-iouring at most 0.8× libev-iouring (C)',
      level('evring-iouring'),
      level('libev-iouring (C)'),
      0.8,
    ),
    atMost(
      rows,
      'evring-iouring EDGE faster than libev-epoll (C)',
      ['evring-iouring', 'edge'],
      level('libev-epoll (C)'),
      1,
    ),
  ];
  for (const backend of ['evring-epoll', 'evring-linuxaio', 'evring-iouring']) {
    out.push(
      atMost(
        rows,
        `${backend} 3× faster than Node's libuv`,
        level(backend),
        level('node libuv (net.Socket)'),
        1 / 3,
      ),
    );
    out.push(
      atMost(
        rows,
        `${backend} 10× faster than the epoll package`,
        level(backend),
        level('epoll (npm)'),
        1 / 10,
      ),
    );
  }
  return out;
}
