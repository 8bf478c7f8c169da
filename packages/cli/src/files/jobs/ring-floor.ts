/**
 * A reference row: the C program's loop written in JavaScript straight on
 * sys's io_uring, with no loop, Poller or backend above it. Its SQEs are
 * written into the mapped ring and its CQEs read from it, one
 * `io_uring_enter` per batch, as liburing's row does; sys still checks
 * every SQE and tracks every operation (the ring is a tracking ring, the
 * only kind on which sys lets the kernel write into memory).
 *
 * So it is the floor of anything evring builds on sys: what JavaScript and
 * sys's safety checks cost over C. evring's rows minus this row is what the
 * loop, the Poller and the backend add; the files bench sets them side by
 * side (its information block).
 *
 * @module
 */

import { closeSync, openSync } from 'node:fs';
import {
  CQE_RES_WORD,
  CQE_USER_DATA_WORD,
  errno,
  IORING_ENTER_GETEVENTS,
  IORING_SETUP_DEFER_TASKRUN,
  IORING_SETUP_SINGLE_ISSUER,
  isSystemError,
  prepFsync,
  prepRead,
  prepWrite,
  sqeSetData,
  systemError,
} from '@evring/abi';
import { IoUring, pinnedAlloc, pinnedFree } from '@evring/sys';
import { SyscallMeter } from '../../bench/syscall-meter.js';
import { type FileJob, type FileJobMissing, type FileSession, timed } from '../job.js';
import type { BenchFile } from '../test-file.js';
import { BlockPicker, type FileWorkload } from '../workload.js';

/** The row's name in the table. */
export const RING_FLOOR_ROW = 'sys ring alone (JS, no loop)';

const DATASYNC = Object.freeze({ datasync: true });
const EINTR = -errno.EINTR;

/** The workload's operations on one ring: the C program's loop, in JavaScript. */
class RingLoop {
  readonly #ring: IoUring;
  readonly #fd: number;
  readonly #w: FileWorkload;
  readonly #picker: BlockPicker;
  /** One pinned block per lane: a block is at most 1 MiB, and 16 lanes of 128 KiB are 2. */
  readonly #mems: ReturnType<typeof pinnedAlloc>[];
  readonly #write: boolean;
  readonly #sync: boolean;
  #started = 0;

  constructor(ring: IoUring, fd: number, w: FileWorkload, fileSize: number) {
    this.#ring = ring;
    this.#fd = fd;
    this.#w = w;
    this.#picker = new BlockPicker(w, fileSize);
    this.#mems = Array.from({ length: w.depth }, () => {
      const mem = pinnedAlloc(w.block);
      new Uint8Array(mem.buffer).fill(0x65);
      return mem;
    });
    this.#write = w.kind === 'randwrite' || w.kind === 'randwrite-sync';
    this.#sync = w.kind === 'randwrite-sync';
  }

  /** Queues lane `lane`'s next operation, or its fdatasync (`syncStep`). */
  #queue(lane: number, syncStep: number): void {
    const ring = this.#ring;
    const at = ring.nextSqe(); // the SQ holds twice the lanes: never full
    const sqes = ring.sqeWords;
    const block = this.#w.block;
    const addr = this.#mems[lane]!.address;
    if (syncStep) prepFsync(sqes, at, this.#fd, DATASYNC);
    else if (this.#write) prepWrite(sqes, at, this.#fd, addr, block, this.#picker.next());
    else prepRead(sqes, at, this.#fd, addr, block, this.#picker.next());
    sqeSetData(sqes, at, lane, syncStep);
    ring.advance();
  }

  round(ops: number): void {
    const ring = this.#ring;
    const cq = ring.cqWords;
    let done = 0;
    this.#started = 0;
    for (let lane = 0; lane < this.#w.depth && this.#started < ops; lane++, this.#started++) {
      this.#queue(lane, 0);
    }
    while (done < ops) {
      const r = ring.enter(ring.toSubmit, 1, IORING_ENTER_GETEVENTS);
      if (r < 0 && r !== EINTR) throw systemError(r, 'io_uring_enter');
      let head = ring.cqHead;
      const tail = ring.cqTail;
      while (head !== tail) {
        const at = ring.cqeAt(head) >>> 2;
        const lane = cq[at + CQE_USER_DATA_WORD]!;
        const syncStep = cq[at + CQE_USER_DATA_WORD + 1]!;
        const res = cq[at + CQE_RES_WORD]! | 0;
        head = (head + 1) >>> 0;
        if (res < 0) throw systemError(res, this.#write ? 'write' : 'read');
        // Every block lies inside the file: less than a block is a bug here.
        if (syncStep === 0 && res !== this.#w.block) {
          throw new Error(`${this.#write ? 'wrote' : 'read'} ${res} of ${this.#w.block} bytes`);
        }
        if (this.#sync && syncStep === 0) {
          this.#queue(lane, 1); // the write is done: its fdatasync next
          continue;
        }
        done++;
        if (this.#started < ops) {
          this.#queue(lane, 0);
          this.#started++;
        }
      }
      ring.setCqHead(head);
    }
  }

  close(): void {
    this.#ring.close();
    for (const mem of this.#mems) pinnedFree(mem.buffer);
  }
}

/** A tracking ring for `depth` lanes, or why this kernel has none (DEFER_TASKRUN came with linux 6.1). */
function openRing(depth: number): IoUring | FileJobMissing {
  let entries = 1;
  while (entries < depth * 2) entries *= 2;
  try {
    return IoUring.setup(entries, {
      flags: IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
    });
  } catch (err) {
    if (isSystemError(err)) {
      return { missing: `no tracking ring here (${err.code}; needs linux 6.1)` };
    }
    throw err;
  }
}

/**
 * The reference row: the workload's operations written straight into sys's
 * io_uring from JavaScript, one enter per batch.
 *
 * @example
 * ```ts
 * import { makeBenchFile, ringFloorJob } from '@evring/cli';
 * const file = makeBenchFile(16 << 20);
 * const session = await ringFloorJob().open({ kind: 'randread', block: 4096, depth: 64, ops: 5000 }, file);
 * if (!('missing' in session)) console.log(await session.round(), 'ns'), await session.close();
 * file.remove();
 * ```
 */
export function ringFloorJob(): FileJob {
  return {
    name: RING_FLOOR_ROW,
    family: 'reference',
    countsSyscalls: true,
    async open(w: FileWorkload, file: BenchFile): Promise<FileSession | FileJobMissing> {
      const ring = openRing(w.depth);
      if (!(ring instanceof IoUring)) return ring;
      const fd = openSync(file.path, w.kind.startsWith('randwrite') ? 'r+' : 'r');
      const lanes = new RingLoop(ring, fd, w, file.size);
      const meter = new SyscallMeter();
      const cpu = { user: 0, system: 0 };
      let calls = 0;
      return {
        inProcess: true,
        cpu,
        async round(ops = w.ops) {
          meter.sample();
          const before = meter.all;
          const ns = await timed(() => lanes.round(ops), cpu);
          meter.sample();
          calls += meter.all - before;
          return ns;
        },
        syscalls: () => calls,
        close() {
          lanes.close();
          closeSync(fd);
        },
      };
    },
  };
}
