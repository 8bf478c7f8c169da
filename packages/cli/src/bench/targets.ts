/**
 * The benchmark's targets, checked against a run's medians: each names
 * the pipe configuration it is measured on (N, A). A target whose sides did
 * not both run is reported as unchecked, never as met. The information
 * block holds claims that raw C itself misses on this kernel (io_uring's
 * readiness path against epoll's), and the loop's cost over a Poller doing
 * the same kernel work: they are shown, not aimed at.
 *
 * @module
 */

import type { BenchRow, TargetVerdict } from './report.js';

/** A pipe configuration a target is measured on. */
interface At {
  n: number;
  active: number;
}

const HEADLINE: At = { n: 1000, active: 100 };

/** The level cases issue #18's targets cover: N ∈ {100, 1000} × A ∈ {1, 100}. */
const READINESS_CASES: readonly At[] = [
  { n: 100, active: 1 },
  { n: 100, active: 100 },
  { n: 1000, active: 1 },
  { n: 1000, active: 100 },
];

function rowAt(
  rows: readonly BenchRow[],
  job: string,
  mode: 'level' | 'edge',
  at: At,
): BenchRow | undefined {
  return rows.find(
    (row) =>
      row.job === job &&
      row.mode === mode &&
      row.config.kind === 'pipe' &&
      row.config.n === at.n &&
      row.config.active === at.active,
  );
}

function find(
  rows: readonly BenchRow[],
  job: string,
  mode: 'level' | 'edge',
  at: At,
): number | undefined {
  return rowAt(rows, job, mode, at)?.nsPerEvent;
}

/** libev's row in a threaded process: `libev-epoll (C)` → `libev-epoll (C, threaded)`; undefined for other rows. */
function threadedOf(job: string): string | undefined {
  return job.startsWith('libev-') && job.endsWith(' (C)')
    ? `${job.slice(0, -1)}, threaded)`
    : undefined;
}

const AFTER_POLL = ', after poll';

/**
 * The raw loop for a backend with the callbacks run after the wait, in C or
 * JS: io_uring has rows of its own for it; the raw epoll and Linux AIO
 * loops run their callbacks so already.
 */
function rawAfterPoll(backend: string, lang: 'C' | 'JS'): string {
  return backend === 'iouring' ? `raw-iouring${AFTER_POLL} (${lang})` : `raw-${backend} (${lang})`;
}

/**
 * The raw loop in JavaScript on sys for an evring row: `evring-epoll` →
 * `raw-epoll (JS)`; `evring-iouring, after poll` → `raw-iouring, after poll (JS)`.
 */
function jsFloorOf(job: string): string | undefined {
  if (!job.startsWith('evring-')) return undefined;
  const backend = job.slice('evring-'.length);
  return backend.endsWith(AFTER_POLL)
    ? rawAfterPoll(backend.slice(0, -AFTER_POLL.length), 'JS')
    : `raw-${backend} (JS)`;
}

/** The row a job's floor is measured on: `evring-iouring` → `raw-iouring (C)`. */
function floorOf(job: string): string {
  return job.startsWith('evring-') ? `raw-${job.slice('evring-'.length)} (C)` : job;
}

type Side = readonly [job: string, mode: 'level' | 'edge'];

/**
 * `a / b <= limit` when both ran, on the pipe configuration `at`; with
 * `floor`, the same claim with every evring side replaced by the raw C row
 * of its kernel interface, which says whether the kernel allows the claim
 * at all; and, for a claim against libev, the same against libev in a
 * threaded process, which is where evring runs.
 */
function atMost(
  rows: readonly BenchRow[],
  claim: string,
  a: Side,
  b: Side,
  limit: number,
  at: At = HEADLINE,
  floor = true,
): TargetVerdict {
  const ratioOf = (x: Side, y: Side): number | undefined => {
    const top = find(rows, x[0], x[1], at);
    const bottom = find(rows, y[0], y[1], at);
    return top === undefined || bottom === undefined ? undefined : top / bottom;
  };
  const verdict: TargetVerdict = { claim, limit };
  const ratio = ratioOf(a, b);
  if (ratio === undefined) return verdict;
  verdict.ratio = ratio;
  verdict.met = ratio <= limit;
  if (floor) {
    const f = ratioOf([floorOf(a[0]), a[1]], [floorOf(b[0]), b[1]]);
    if (f !== undefined) verdict.floor = { ratio: f, met: f <= limit };
  }
  // Only against another library or the kernel: evring against evring
  // would set a raw loop beside a Poller.
  const jsRow = b[0].startsWith('evring-') ? undefined : jsFloorOf(a[0]);
  const js = jsRow === undefined ? undefined : ratioOf([jsRow, a[1]], b);
  if (js !== undefined) verdict.jsFloor = { ratio: js, met: js <= limit };
  const libevThreaded = threadedOf(b[0]);
  const threaded = libevThreaded === undefined ? undefined : ratioOf(a, [libevThreaded, b[1]]);
  if (threaded !== undefined) verdict.threaded = { ratio: threaded, met: threaded <= limit };
  return verdict;
}

/** The loop's scavenges per event no more than its Poller's (a value per side, compared). */
function noMoreScavenges(rows: readonly BenchRow[], backend: string, at: At): TargetVerdict {
  const loop = rowAt(rows, `loop-${backend}`, 'level', at)?.scavengesPer100k;
  const poller = rowAt(rows, `evring-${backend}`, 'level', at)?.scavengesPer100k;
  const verdict: TargetVerdict = {
    claim: `loop-${backend}: scavenges per 100,000 events no more than evring-${backend}'s, at ${label(at)} (the difference; ≤ 0 needed)`,
    limit: 0,
  };
  if (loop === undefined || poller === undefined) return verdict;
  verdict.ratio = loop - poller;
  verdict.met = verdict.ratio <= 0;
  return verdict;
}

const label = (at: At): string => `N=${at.n} A=${at.active}`;

/**
 * The raw C row that drives a backend's interface as an attached loop must,
 * so that Node's loop can sleep on it.
 */
const EMBEDDABLE_ROW: Readonly<Record<string, string>> = {
  // Node's epoll holds the backend's epoll fd: every wake-up of a watched fd
  // is passed on to it, in the kernel, under its locks.
  epoll: 'raw-epoll-nested (C)',
  // Node's loop sleeps on an eventfd that every iocb signals, and this
  // kernel then completes each poll from a worker.
  linuxaio: 'raw-linuxaio-eventfd (C)',
};

/**
 * The floor of an attached row: raw C made embeddable against raw C
 * alone, the same ratio the kernel allows the attached loop over the
 * standalone one.
 */
function attachedFloor(
  rows: readonly BenchRow[],
  backend: string,
  at: At,
  verdict: TargetVerdict,
): TargetVerdict {
  const embeddable = EMBEDDABLE_ROW[backend];
  if (embeddable === undefined) return verdict;
  const withFd = find(rows, embeddable, 'level', at);
  const without = find(rows, `raw-${backend} (C)`, 'level', at);
  if (withFd === undefined || without === undefined) return verdict;
  const ratio = withFd / without;
  verdict.floor = { ratio, met: ratio <= verdict.limit };
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
  const out: TargetVerdict[] = [];
  const backends = ['epoll', 'linuxaio', 'iouring'];
  // Issue #18: every layer against the one below it, in each level case.
  for (const at of READINESS_CASES) {
    for (const x of backends) {
      out.push(
        atMost(
          rows,
          `evring-${x} within 1.3× of raw-${x} (C), ${label(at)}`,
          level(`evring-${x}`),
          level(`raw-${x} (C)`),
          1.3,
          at,
          false,
        ),
        atMost(
          rows,
          `loop-${x} within 1.15× of evring-${x}, ${label(at)}`,
          level(`loop-${x}`),
          level(`evring-${x}`),
          1.15,
          at,
          false,
        ),
        attachedFloor(
          rows,
          x,
          at,
          atMost(
            rows,
            `loop-${x} attached within ${at.active === 1 ? '1.2' : '1.05'}× of loop-${x} standalone, ${label(at)}`,
            level(`loop-${x} attached`),
            level(`loop-${x}`),
            at.active === 1 ? 1.2 : 1.05,
            at,
            false,
          ),
        ),
        noMoreScavenges(rows, x, at),
      );
    }
  }
  out.push(
    atMost(
      rows,
      'evring-epoll within 1.3× of libev-epoll (C), N=1000 A=100',
      level('evring-epoll'),
      level('libev-epoll (C)'),
      1.3,
    ),
  );
  for (const backend of ['evring-epoll', 'evring-linuxaio', 'evring-iouring']) {
    out.push(
      atMost(
        rows,
        `${backend} 3× faster than Node's libuv, N=1000 A=100`,
        level(backend),
        level('node libuv (net.Socket)'),
        1 / 3,
      ),
      atMost(
        rows,
        `${backend} 10× faster than the epoll package, N=1000 A=100`,
        level(backend),
        level('epoll (npm)'),
        1 / 10,
      ),
    );
  }
  return out;
}

/**
 * Claims raw C misses on this kernel as well (io_uring's readiness path
 * against epoll's), the loop against a Poller that runs its callbacks as
 * the loop does, and that Poller against raw C with the same ordering:
 * checked and shown for information, not aimed at.
 *
 * @example
 * ```ts
 * import { checkInformation, QUICK, runBench } from '@evring/cli';
 * const { rows } = await runBench({ matrix: QUICK, only: ['iouring', 'epoll'] });
 * for (const v of checkInformation(rows)) console.log(v.claim, v.ratio, v.floor?.ratio);
 * ```
 */
export function checkInformation(rows: readonly BenchRow[]): TargetVerdict[] {
  const level = (job: string): Side => [job, 'level'];
  // The loop against a Poller doing the same kernel work: callbacks after the
  // poll, as the loop runs them (see the evring-* job's `order`). The loop
  // targets compare with a Poller whose callbacks run inside the reap, where a
  // callback's write can complete the next poll without a wait of its own.
  const sameWork = READINESS_CASES.flatMap((at) =>
    ['epoll', 'linuxaio', 'iouring'].map((x) =>
      atMost(
        rows,
        `loop-${x} within 1.15× of evring-${x}, after poll (the same kernel work), ${label(at)}`,
        level(`loop-${x}`),
        level(`evring-${x}, after poll`),
        1.15,
        at,
        false,
      ),
    ),
  );
  // The Poller with the loop's ordering against raw C with the same ordering:
  // the evring-X targets' question, asked of the kernel work the loop does.
  const afterPollFloors = READINESS_CASES.flatMap((at) =>
    ['epoll', 'linuxaio', 'iouring'].map((x) =>
      atMost(
        rows,
        `evring-${x}${AFTER_POLL} within 1.3× of ${rawAfterPoll(x, 'C')}, ${label(at)}`,
        level(`evring-${x}${AFTER_POLL}`),
        level(rawAfterPoll(x, 'C')),
        1.3,
        at,
        false,
      ),
    ),
  );
  return [
    ...sameWork,
    ...afterPollFloors,
    atMost(
      rows,
      'evring-iouring no slower than evring-epoll, N=1000 A=100',
      level('evring-iouring'),
      level('evring-epoll'),
      1,
    ),
    atMost(
      rows,
      'evring-iouring at most 0.8× libev-iouring (C), N=1000 A=100',
      level('evring-iouring'),
      level('libev-iouring (C)'),
      0.8,
    ),
    atMost(
      rows,
      'evring-iouring EDGE faster than libev-epoll (C), N=1000 A=100',
      ['evring-iouring', 'edge'],
      level('libev-epoll (C)'),
      1,
    ),
  ];
}
