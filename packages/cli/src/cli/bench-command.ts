/**
 * `evring bench`: runs the benchmark with a progress display on stderr,
 * prints the table (or the JSON report with --json), and writes
 * `bench.json` and `bench.svg` into --out (default ./evring-bench).
 *
 * @module
 */

import { allJobs } from '../bench/jobs/index.js';
import { configLabel, FULL, type MatrixOptions, QUICK } from '../bench/matrix.js';
import { type BenchProgress, runBench } from '../bench/run.js';
import { renderSvg } from '../bench/svg.js';
import { formatTable } from '../bench/table.js';
import { type FlagSpec, intList, parseFlags, positiveInt, wordList } from './args.js';
import type { Io } from './io.js';
import { finishReport } from './report-output.js';

/** The flags `evring bench` takes. */
export const BENCH_FLAGS: FlagSpec = {
  booleans: ['quick', 'json', 'no-files', 'iouring-variants'],
  values: ['n', 'a', 'kind', 'mode', 'writes', 'rounds', 'budget', 'only', 'out'],
};

/** Usage text. */
export const BENCH_USAGE = `usage: evring bench [--quick] [--n 100,1000,10000] [--a 1,100,1000]
                    [--kind pipe,socketpair] [--mode level,edge] [--writes W]
                    [--rounds R] [--budget MS] [--only NAME,...] [--out DIR]
                    [--no-files] [--json] [--iouring-variants]

The classic libevent/libev pipe benchmark: N fds (pipes or socketpairs),
each with a read watcher; A of them active; each callback reads its byte
and writes one byte to the next fd, until W writes are done in the round.
Only event processing is timed. ns/event is the median round's time per
event: lower is better. --mode level: level-triggered watchers; edge:
EDGE watchers, whose callback reads until a short read (linuxaio serves
EDGE as level). Rows, lowest layer first:
  raw-*      the kernel interface driven from C with no library, and (JS)
             the same loop in JavaScript on sys: the floor
             (raw-epoll-nested: its epoll fd in an outer epoll that sleeps
             for it, the floor of loop-epoll attached; raw-linuxaio-eventfd:
             AIO as an embedder needs it, an eventfd on every iocb, the
             floor of loop-linuxaio attached; raw-iouring, after poll: the
             callbacks run once the wait returned, as a loop runs them)
  libev-*    libev in C (needs libev-dev)
  evring-*   an evring backend driven by a bare Poller, from JavaScript
             (", after poll": callbacks run once the poll returned, as a
             loop runs them: the same kernel work as the loop-* row)
  loop-*     the same through @evring/loop io watchers, as a program uses it
  libuv      Node's own event loop (a net.Socket per fd)
  epoll      the epoll npm package
Then "targets": ratios the design aims at, met or MISSED on this run (a
MISSED target is a finding to read, not an error).

  --n          N: fds watched (default 100,1000,10000)
  --a          A: fds written to per round (default 1,100,1000)
  --kind       pipe, socketpair (default both)
  --mode       level, edge (default both)
  --writes     W: writes per round (default 1000)
  --quick      N=1000 A=100 only, 25 rounds: under a minute
  --rounds     rounds per job, at most (default 100; 25 with --quick)
  --budget     per-job time budget in ms, after at least 10 rounds (default 2000)
  --only       jobs whose names contain one of these (evring, loop, libev, libuv, epoll)
  --out        where bench.json and bench.svg go (default ./evring-bench)
  --no-files   write nothing, only print
  --json       print the JSON report instead of the table
  --iouring-variants  add io_uring rows on a tracking ring (a Loop's default), with COOP_TASKRUN and with an unregistered ring fd`;

function progressPrinter(io: Io): (p: BenchProgress) => void {
  let lastGroup = '';
  return (p) => {
    const group = `${configLabel(p.row.config)} · ${p.row.mode}`;
    if (io.stderrIsTTY) {
      const text = `[${p.step}/${p.steps}] ${group}: ${p.row.job}`;
      io.stderr(`\r\x1b[K${p.starting ? text : ''}`);
      if (p.step === p.steps && !p.starting) io.stderr('\r\x1b[K');
    } else if (p.starting && group !== lastGroup) {
      lastGroup = group;
      io.stderr(`[${p.step}/${p.steps}] ${group}\n`);
    }
  };
}

/** Runs `evring bench` with `argv`; resolves to the exit code. */
export async function benchCommand(argv: readonly string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, BENCH_FLAGS);
  const quick = flags.has('quick');
  const base = quick ? QUICK : FULL;
  const matrix: MatrixOptions = {
    n: intList(flags, 'n', 100_000) ?? base.n,
    active: intList(flags, 'a', 100_000) ?? base.active,
    kinds: wordList(flags, 'kind', ['pipe', 'socketpair'] as const) ?? base.kinds,
    modes: wordList(flags, 'mode', ['level', 'edge'] as const) ?? base.modes,
    writes: positiveInt(flags, 'writes', 10_000_000) ?? base.writes,
    rounds: positiveInt(flags, 'rounds', 100_000) ?? base.rounds,
    budgetMs: positiveInt(flags, 'budget', 3_600_000) ?? base.budgetMs,
  };
  const only = flags.has('only') ? String(flags.get('only')).split(',') : undefined;
  const report = await runBench({
    matrix,
    quick,
    ...(only ? { only } : {}),
    jobs: allJobs({ iouringVariants: flags.has('iouring-variants') }),
    onProgress: progressPrinter(io),
  });
  return finishReport(
    io,
    flags,
    report,
    'bench',
    () => formatTable(report),
    () => renderSvg(report),
  );
}
