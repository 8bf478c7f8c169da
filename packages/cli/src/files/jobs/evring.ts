/**
 * evring's rows: `loop.fs` on each backend, in the callback form (standalone
 * `loop.run()`, and attached to Node's loop, the default) and the promise
 * form, on buffers from `loop.fs.alloc()` (pinned: the kernel reads into
 * them without a copy). Each completion starts its lane's next operation,
 * so `depth` stay in flight.
 *
 * @module
 */

import { closeSync, openSync } from 'node:fs';
import type { BackendName } from '@evring/backend';
import { Loop, type LoopOptions } from '@evring/loop';
import { SyscallMeter } from '../../bench/syscall-meter.js';
import { type FileJob, type FileSession, timed } from '../job.js';
import type { BenchFile } from '../test-file.js';
import { BlockPicker, type FileWorkload } from '../workload.js';

/**
 * How a row drives the loop: callbacks standalone (`loop.run()`), callbacks
 * attached to Node's loop, or promises attached.
 *
 * @example
 * ```ts
 * import { type EvringFileForm, evringFileJob } from '@evring/cli';
 * const form: EvringFileForm = 'promise, attached';
 * console.log(evringFileJob('iouring', form).name); // 'evring-iouring (promise, attached)'
 * ```
 */
export type EvringFileForm = 'callback' | 'callback, attached' | 'promise, attached';

function loopOptions(backend: BackendName, attach: boolean): LoopOptions {
  return {
    backend,
    attach,
    env: false,
    fallback: false,
  };
}

function fail(err: Error): never {
  throw err;
}

/** One round in the callback form: resolves (or, standalone, returns) when `ops` are done. */
function callbackRound(
  loop: Loop,
  fd: number,
  w: FileWorkload,
  ops: number,
  picker: BlockPicker,
  buffers: Buffer[],
  attached: boolean,
): Promise<void> | void {
  const write = w.kind === 'randwrite' || w.kind === 'randwrite-sync';
  const sync = w.kind === 'randwrite-sync';
  let started = 0;
  let done = 0;
  let finish: () => void = () => {};
  const lanes = Math.min(w.depth, ops);
  for (let i = 0; i < lanes; i++) {
    const buf = buffers[i]!;
    const next = (): void => {
      started++;
      if (write) loop.fs.write(fd, buf, picker.next(), written);
      else loop.fs.read(fd, buf, picker.next(), opDone);
    };
    const opDone = (err: Error | null): void => {
      if (err) fail(err);
      done++;
      if (started < ops) next();
      else if (done === ops) finish();
    };
    const written = sync
      ? (err: Error | null): void => {
          if (err) fail(err);
          loop.fs.fdatasync(fd, opDone);
        }
      : opDone;
    next();
  }
  if (!attached) {
    loop.run();
    return;
  }
  return new Promise<void>((resolve) => {
    finish = resolve;
  });
}

/** One round in the promise form: `depth` async lanes, `ops` operations. */
async function promiseRound(
  loop: Loop,
  fd: number,
  w: FileWorkload,
  ops: number,
  picker: BlockPicker,
  buffers: Buffer[],
): Promise<void> {
  let started = 0;
  const fs = loop.fs.promises;
  const lane = async (buf: Buffer): Promise<void> => {
    while (started < ops) {
      started++;
      if (w.kind === 'randread' || w.kind === 'seqread') await fs.read(fd, buf, picker.next());
      else {
        await fs.write(fd, buf, picker.next());
        if (w.kind === 'randwrite-sync') await fs.fdatasync(fd);
      }
    }
  };
  await Promise.all(buffers.slice(0, Math.min(w.depth, ops)).map(lane));
}

/**
 * A row of `loop.fs` on `backend`.
 *
 * @example
 * ```ts
 * import { evringFileJob, makeBenchFile } from '@evring/cli';
 * const file = makeBenchFile(16 << 20);
 * const session = await evringFileJob('iouring', 'callback').open({ kind: 'randread', block: 4096, depth: 64, ops: 5000 }, file);
 * if (!('missing' in session)) console.log(await session.round(), 'ns'), await session.close();
 * file.remove();
 * ```
 */
export function evringFileJob(backend: BackendName, form: EvringFileForm): FileJob {
  const attached = form !== 'callback';
  return {
    name: form === 'callback' ? `evring-${backend}` : `evring-${backend} (${form})`,
    family: 'evring',
    countsSyscalls: true,
    async open(w: FileWorkload, file: BenchFile): Promise<FileSession> {
      const loop = new Loop(loopOptions(backend, attached));
      const fd = openSync(file.path, w.kind.startsWith('randwrite') ? 'r+' : 'r');
      const picker = new BlockPicker(w, file.size);
      const buffers = Array.from({ length: w.depth }, () => loop.fs.alloc(w.block).fill(0x65));
      const meter = new SyscallMeter();
      let calls = 0;
      const cpu = { user: 0, system: 0 };
      const round =
        form === 'promise, attached'
          ? (ops: number) => promiseRound(loop, fd, w, ops, picker, buffers)
          : (ops: number) => callbackRound(loop, fd, w, ops, picker, buffers, attached);
      return {
        inProcess: true,
        cpu,
        async round(ops = w.ops) {
          meter.sample();
          const before = meter.all;
          const ns = await timed(() => round(ops), cpu);
          meter.sample();
          calls += meter.all - before; // this row's own: the rows take turns
          return ns;
        },
        syscalls: () => calls,
        close() {
          loop.destroy();
          closeSync(fd);
        },
      };
    },
  };
}
