/**
 * Every test leaves the process as it found it: this setup file, loaded by
 * every package's vitest config, records the open fds (number and what each
 * refers to) and the kernel-object mappings (io_uring rings, AIO rings)
 * before each test and checks them after it, as libuv's suite closes each
 * loop with a check. A test file's own `beforeAll`/`afterAll` pair is
 * checked the same way around the whole file.
 *
 * The kernel and Node may release things a little after a test returns (a
 * child's pipes once its exit is reaped, a worker's loop once it ends), so a
 * difference is looked at again for up to {@link SETTLE_MS} before it fails
 * the test. A difference that lasts is a leak, or a close of an fd the test
 * did not own; either is reported with what the fd refers to.
 */

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/** How long a difference may take to go away: the kernel and libuv finish closes asynchronously. */
const SETTLE_MS = 2000;

interface ProcessState {
  /** fd → what it refers to (`pipe:[123]`, `anon_inode:[eventfd]`, a path). */
  fds: Map<number, string>;
  /** One entry per io_uring or AIO ring mapping, by address range and name. */
  mappings: Set<string>;
}

function snapshot(): ProcessState {
  const fds = new Map<number, string>();
  const dir = '/proc/self/fd';
  for (const name of readdirSync(dir)) {
    let target: string;
    try {
      target = readlinkSync(`${dir}/${name}`);
    } catch {
      continue; // closed while listing: the directory's own fd, or a close from another thread
    }
    if (target.startsWith('/proc/') && target.endsWith('/fd')) continue; // the listing's own fd
    fds.set(Number(name), target);
  }
  const mappings = new Set<string>();
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    if (line.includes('anon_inode:[io_uring]') || line.includes('/[aio]')) {
      const fields = line.split(/\s+/);
      mappings.add(`${fields[0]} ${fields.slice(5).join(' ')}`);
    }
  }
  return { fds, mappings };
}

/** What differs between two snapshots, one line each; empty when nothing does. */
function differences(before: ProcessState, after: ProcessState): string[] {
  const out: string[] = [];
  for (const [fd, target] of after.fds) {
    const was = before.fds.get(fd);
    if (was === undefined) out.push(`fd ${fd} (${target}) was opened and not closed`);
    else if (was !== target) out.push(`fd ${fd} was ${was}, is now ${target}: closed and reused`);
  }
  for (const [fd, target] of before.fds) {
    if (!after.fds.has(fd)) out.push(`fd ${fd} (${target}) was closed, though the test did not open it`);
  }
  for (const m of after.mappings) if (!before.mappings.has(m)) out.push(`mapping ${m} left behind`);
  for (const m of before.mappings) if (!after.mappings.has(m)) out.push(`mapping ${m} was unmapped`);
  return out;
}

/** Waits (bounded by time) for the process to be back to `before`; throws what still differs. */
async function expectBackTo(before: ProcessState, what: string): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  let diff = differences(before, snapshot());
  while (diff.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    diff = differences(before, snapshot());
  }
  if (diff.length > 0) {
    throw new Error(`${what} left the process changed:\n  ${diff.join('\n  ')}`);
  }
}

let fileStart: ProcessState;
let testStart: ProcessState;

/**
 * Takes what is open now as the starting point of the checks still to come.
 * For what another module opens once and keeps for the life of the process
 * by design (the epoll package's own epoll fd, say): call it right after
 * that first use, saying why.
 */
export function keptForTheProcess(why: string): void {
  if (why.length === 0) throw new Error('keptForTheProcess: say why');
  fileStart = snapshot();
  testStart = snapshot();
}

beforeAll(() => {
  fileStart = snapshot();
});

beforeEach(() => {
  testStart = snapshot();
});

afterEach(async () => {
  await expectBackTo(testStart, 'the test');
});

afterAll(async () => {
  await expectBackTo(fileStart, 'the test file (its beforeAll/afterAll)');
});
