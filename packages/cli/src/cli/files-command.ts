/**
 * `evring bench files`: the file benchmark, with a progress display on
 * stderr; prints the table (or the JSON report with --json) and writes
 * `files.json` and `files.svg` into --out (default ./evring-bench).
 *
 * @module
 */

import { resolve } from 'node:path';
import { runFileBench } from '../files/run.js';
import { renderFileSvg } from '../files/svg.js';
import { formatFileTable } from '../files/table.js';
import { FILE_WORKLOADS, QUICK_FILE_WORKLOADS, workloadLabel } from '../files/workload.js';
import { type FlagSpec, parseFlags, positiveInt } from './args.js';
import type { Io } from './io.js';
import { finishReport } from './report-output.js';

/** The flags `evring bench files` takes. */
export const FILES_FLAGS: FlagSpec = {
  booleans: ['quick', 'json', 'no-files'],
  values: ['size', 'dir', 'rounds', 'budget', 'only', 'out'],
};

/** Usage text. */
export const FILES_USAGE = `usage: evring bench files [--quick] [--size MIB] [--dir DIR] [--rounds R]
                          [--budget MS] [--only NAME,...] [--out DIR] [--no-files] [--json]

Times file operations on a file it makes, read once first so that reads hit
the page cache: random 4 KiB reads at 1, 16, 64 and 256 in flight,
sequential 128 KiB reads, random 4 KiB writes with and without fdatasync.
Rows: evring's loop.fs on each backend (callbacks run standalone and
attached to Node's loop; promises attached), Node's fs/promises, fs
callbacks (also with UV_USE_IO_URING=1) and fs sync calls, each in a
warmed-up process of its own, the same work from C through liburing
(the floor; needs liburing-dev), and two references: the C program's
loop in JavaScript straight on sys's ring, with no loop above it (what
JavaScript and sys's checks cost over C), and V8's promises alone with no
I/O (what the promise form cannot go below). ns/op is the median round's
time per operation: lower is better.

  --quick      random 4 KiB reads, 64 in flight, only: under a minute
  --size       the file's size in MiB (default 256; 64 with --quick)
  --dir        where the file is made (default: the temp dir)
  --rounds     timed rounds per job, at most (default 10, also with --quick)
  --budget     per-job time budget in ms, after at least 3 rounds (default 2000; 1500 with --quick)
  --only       jobs whose names contain one of these (evring, iouring, node, liburing, ...)
  --out        where files.json and files.svg go (default ./evring-bench)
  --no-files   write nothing, only print
  --json       print the JSON report instead of the table`;

/** Runs `evring bench files` with `argv`; resolves to the exit code. */
export async function filesCommand(argv: readonly string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, FILES_FLAGS);
  const quick = flags.has('quick');
  const size = positiveInt(flags, 'size', 1 << 20) ?? (quick ? 64 : 256);
  const only = flags.has('only') ? String(flags.get('only')).split(',') : undefined;
  const report = await runFileBench({
    workloads: quick ? QUICK_FILE_WORKLOADS : FILE_WORKLOADS,
    fileSize: size * (1 << 20),
    ...(flags.has('dir') ? { dir: resolve(String(flags.get('dir'))) } : {}),
    rounds: {
      rounds: positiveInt(flags, 'rounds', 100_000) ?? 10,
      budgetMs: positiveInt(flags, 'budget', 3_600_000) ?? (quick ? 1500 : 2000),
    },
    quick,
    ...(only ? { only } : {}),
    onProgress: (p) => {
      if (!p.starting) return;
      const text = `[${p.step}/${p.steps}] ${workloadLabel(p.row.workload)}: ${p.row.job}`;
      io.stderr(io.stderrIsTTY ? `\r\x1b[K${text}` : `${text}\n`);
    },
  });
  if (io.stderrIsTTY) io.stderr('\r\x1b[K');
  return finishReport(
    io,
    flags,
    report,
    'files',
    () => formatFileTable(report),
    () => renderFileSvg(report),
  );
}
