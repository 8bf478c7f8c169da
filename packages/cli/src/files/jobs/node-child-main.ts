/**
 * Entry point of the `UV_USE_IO_URING=1` child: opens one of Node's file
 * APIs on a workload, prints `ready`, then runs a round per line on stdin
 * and prints its nanoseconds.
 *
 * Arguments: api, workload JSON, path, size.
 *
 * @module
 */

import { createInterface } from 'node:readline';
import { type NodeFileApi, openNodeFileApi } from './node.js';

const [api, workload, path, size] = process.argv.slice(2);
const session = await openNodeFileApi(api as NodeFileApi, JSON.parse(workload!), {
  path: path!,
  size: Number(size),
});
process.stdout.write('ready\n');
for await (const _ of createInterface({ input: process.stdin })) {
  const before = { ...session.cpu };
  const ns = await session.round();
  // ns, no syscall count, then the round's CPU microseconds (user, system)
  process.stdout.write(
    `${ns} - ${session.cpu.user - before.user} ${session.cpu.system - before.system}\n`,
  );
}
await session.close();
