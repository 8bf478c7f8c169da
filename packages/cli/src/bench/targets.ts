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

/** `a / b <= limit` when both ran. */
function atMost(
  claim: string,
  a: number | undefined,
  b: number | undefined,
  limit: number,
): TargetVerdict {
  if (a === undefined || b === undefined) return { claim, limit };
  const ratio = a / b;
  return { claim, ratio, limit, met: ratio <= limit };
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
  const t = (job: string, mode: 'level' | 'edge' = 'level'): number | undefined =>
    find(rows, job, mode);
  const out: TargetVerdict[] = [
    atMost(
      'evring-epoll within 1.3× of libev-epoll (C)',
      t('evring-epoll'),
      t('libev-epoll (C)'),
      1.3,
    ),
    atMost('evring-iouring no slower than evring-epoll', t('evring-iouring'), t('evring-epoll'), 1),
    atMost(
      'evring-iouring at most 0.8× libev-iouring (C)',
      t('evring-iouring'),
      t('libev-iouring (C)'),
      0.8,
    ),
    atMost(
      'evring-iouring EDGE faster than libev-epoll (C)',
      t('evring-iouring', 'edge'),
      t('libev-epoll (C)'),
      1,
    ),
  ];
  for (const backend of ['evring-epoll', 'evring-linuxaio', 'evring-iouring']) {
    out.push(
      atMost(
        `${backend} 3× faster than Node's libuv`,
        t(backend),
        t('node libuv (net.Socket)'),
        1 / 3,
      ),
    );
    out.push(
      atMost(`${backend} 10× faster than the epoll package`, t(backend), t('epoll (npm)'), 1 / 10),
    );
  }
  return out;
}
