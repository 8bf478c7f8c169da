/**
 * Entry point of a row run in its own process (every Node-side row is):
 * opens the in-process row named on the command line, prints `ready`, then
 * runs a round per line on stdin (the line gives its operation count) and
 * answers with its nanoseconds, the syscalls it made (or `-`), the CPU
 * microseconds it used (user, system) and the scavenges V8 ran during it.
 *
 * A process per row is what a program gets: one backend, one file API, and
 * a JIT that has seen only that row's code. In one shared process the rows
 * made each other's call sites polymorphic, which a real program never is.
 *
 * Arguments: row name, workload JSON, path, size.
 *
 * @module
 */

import { createInterface } from 'node:readline';
import { ScavengeLog } from '../../bench/scavenge-log.js';
import type { FileWorkload } from '../workload.js';
import { inProcessFileJobs } from './index.js';

const WARM_ROUNDS = 3;
const WARM_MS = 300;
/** Operations per warming round: a slow row (Node's thread pool at 30 µs a read) warms in a second, not in 3 rounds of the workload's count. */
const WARM_OPS = 10_000;

const [name, workload, path, size] = process.argv.slice(2);
const job = inProcessFileJobs().find((j) => j.name === name);
if (job === undefined) throw new Error(`no in-process row is called '${name}'`);
// The parent made the file and removes it.
const file = { path: path!, size: Number(size), remove() {} };
const w: FileWorkload = JSON.parse(workload!);
const session = await job.open(w, file);
if ('missing' in session) {
  process.stdout.write('unavailable\n');
  process.exit(0);
}
// Warmed up before the first timed round: V8 compiles the hot path on
// other threads of this process, whose CPU time the rounds would count.
const warm = performance.now();
const warmOps = Math.min(WARM_OPS, w.ops);
for (let i = 0; i < WARM_ROUNDS || performance.now() - warm < WARM_MS; i++)
  await session.round(warmOps);
const scavenges = new ScavengeLog();
process.stdout.write('ready\n');
// Each line asks for a round: its operation count, or empty for the workload's.
for await (const line of createInterface({ input: process.stdin })) {
  const ops = Number.parseInt(line, 10);
  const before = { ...session.cpu };
  const calls = session.syscalls?.();
  const from = performance.now();
  const ns = await session.round(ops > 0 ? ops : undefined);
  const to = performance.now();
  await scavenges.flush();
  const made = calls === undefined ? '-' : String(session.syscalls!() - calls);
  process.stdout.write(
    `${ns} ${made} ${session.cpu.user - before.user} ${session.cpu.system - before.system} ${scavenges.within([from, to])}\n`,
  );
}
scavenges.stop();
await session.close();
