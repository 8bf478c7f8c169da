/**
 * Entry point of a row run in its own process (every Node-side row is):
 * opens the in-process row named on the command line, prints `ready`, then
 * runs a round per line on stdin and answers with its nanoseconds, the
 * syscalls it made (or `-`), the CPU microseconds it used (user, system)
 * and the scavenges V8 ran during it.
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
import { inProcessFileJobs } from './index.js';

const WARM_ROUNDS = 3;
const WARM_MS = 300;

const [name, workload, path, size] = process.argv.slice(2);
const job = inProcessFileJobs().find((j) => j.name === name);
if (job === undefined) throw new Error(`no in-process row is called '${name}'`);
// The parent made the file and removes it.
const file = { path: path!, size: Number(size), remove() {} };
const session = await job.open(JSON.parse(workload!), file);
if ('missing' in session) {
  process.stdout.write('unavailable\n');
  process.exit(0);
}
// Warmed up before the first timed round: V8 compiles the hot path on
// other threads of this process, whose CPU time the rounds would count.
const warm = performance.now();
for (let i = 0; i < WARM_ROUNDS || performance.now() - warm < WARM_MS; i++) await session.round();
const scavenges = new ScavengeLog();
process.stdout.write('ready\n');
for await (const _ of createInterface({ input: process.stdin })) {
  const before = { ...session.cpu };
  const calls = session.syscalls?.();
  const from = performance.now();
  const ns = await session.round();
  const to = performance.now();
  await scavenges.flush();
  const made = calls === undefined ? '-' : String(session.syscalls!() - calls);
  process.stdout.write(
    `${ns} ${made} ${session.cpu.user - before.user} ${session.cpu.system - before.system} ${scavenges.within([from, to])}\n`,
  );
}
scavenges.stop();
await session.close();
