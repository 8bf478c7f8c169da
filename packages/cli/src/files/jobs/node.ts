/**
 * Node's rows: what a Node program uses today for the same workload —
 * `FileHandle.read`/`write` (fs/promises), `fs.read`/`fs.write` with
 * callbacks (both on libuv's thread pool), and `fs.readSync`/`writeSync`
 * (one at a time, blocking the loop). The same code runs in a child
 * process with `UV_USE_IO_URING=1` for libuv's own io_uring path.
 *
 * @module
 */

import * as fs from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { type FileJob, type FileSession, timed } from '../job.js';
import type { BenchFile } from '../test-file.js';
import { BlockPicker, type FileWorkload } from '../workload.js';

/**
 * Node's ways to do file I/O: `fs/promises` FileHandles, `fs` callbacks, `fs` sync calls.
 *
 * @example
 * ```ts
 * import { type NodeFileApi, nodeFileJob } from '@evring/cli';
 * const api: NodeFileApi = 'callbacks';
 * console.log(nodeFileJob(api).name); // 'node fs (callbacks)'
 * ```
 */
export type NodeFileApi = 'promises' | 'callbacks' | 'sync';

/** The row name of each way. */
export const NODE_FILE_ROWS: Record<NodeFileApi, string> = {
  promises: 'node fs/promises (FileHandle)',
  callbacks: 'node fs (callbacks)',
  sync: 'node fs (sync, blocks the loop)',
};

const isWrite = (w: FileWorkload): boolean => w.kind === 'randwrite' || w.kind === 'randwrite-sync';

function callbackRound(
  fd: number,
  w: FileWorkload,
  ops: number,
  picker: BlockPicker,
  buffers: Buffer[],
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let started = 0;
    let done = 0;
    const lanes = Math.min(w.depth, ops);
    for (let i = 0; i < lanes; i++) {
      const buf = buffers[i]!;
      const next = (): void => {
        started++;
        if (isWrite(w)) fs.write(fd, buf, 0, w.block, picker.next(), written);
        else fs.read(fd, buf, 0, w.block, picker.next(), opDone);
      };
      const opDone = (err: Error | null): void => {
        if (err) {
          reject(err);
          return;
        }
        done++;
        if (started < ops) next();
        else if (done === ops) resolve();
      };
      const written =
        w.kind === 'randwrite-sync'
          ? (err: Error | null): void => (err ? reject(err) : fs.fdatasync(fd, opDone))
          : opDone;
      next();
    }
  });
}

async function promiseRound(
  fh: FileHandle,
  w: FileWorkload,
  ops: number,
  picker: BlockPicker,
  buffers: Buffer[],
): Promise<void> {
  let started = 0;
  const lane = async (buf: Buffer): Promise<void> => {
    while (started < ops) {
      started++;
      if (!isWrite(w)) await fh.read(buf, 0, w.block, picker.next());
      else {
        await fh.write(buf, 0, w.block, picker.next());
        if (w.kind === 'randwrite-sync') await fh.datasync();
      }
    }
  };
  await Promise.all(buffers.slice(0, Math.min(w.depth, ops)).map(lane));
}

function syncRound(
  fd: number,
  w: FileWorkload,
  ops: number,
  picker: BlockPicker,
  buf: Buffer,
): void {
  for (let i = 0; i < ops; i++) {
    if (!isWrite(w)) fs.readSync(fd, buf, 0, w.block, picker.next());
    else {
      fs.writeSync(fd, buf, 0, w.block, picker.next());
      if (w.kind === 'randwrite-sync') fs.fdatasyncSync(fd);
    }
  }
}

/** Opens `api` on the workload in this process. */
export async function openNodeFileApi(
  api: NodeFileApi,
  w: FileWorkload,
  file: Pick<BenchFile, 'path' | 'size'>,
): Promise<FileSession> {
  const flags = isWrite(w) ? 'r+' : 'r';
  const picker = new BlockPicker(w, file.size);
  const buffers = Array.from({ length: w.depth }, () => Buffer.alloc(w.block, 0x65));
  const cpu = { user: 0, system: 0 };
  if (api === 'promises') {
    const fh = await open(file.path, flags);
    return {
      inProcess: true,
      cpu,
      round: (ops = w.ops) => timed(() => promiseRound(fh, w, ops, picker, buffers), cpu),
      close: () => fh.close(),
    };
  }
  const fd = fs.openSync(file.path, flags);
  return {
    inProcess: true,
    cpu,
    round: (ops = w.ops) =>
      timed(
        api === 'sync'
          ? () => syncRound(fd, w, ops, picker, buffers[0]!)
          : () => callbackRound(fd, w, ops, picker, buffers),
        cpu,
      ),
    close: () => fs.closeSync(fd),
  };
}

/**
 * A row of Node's own file API.
 *
 * @example
 * ```ts
 * import { makeBenchFile, nodeFileJob } from '@evring/cli';
 * const file = makeBenchFile(16 << 20);
 * const session = await nodeFileJob('callbacks').open({ kind: 'randread', block: 4096, depth: 64, ops: 5000 }, file);
 * if (!('missing' in session)) console.log(await session.round(), 'ns'), await session.close();
 * file.remove();
 * ```
 */
export function nodeFileJob(api: NodeFileApi): FileJob {
  return {
    name: NODE_FILE_ROWS[api],
    family: 'node',
    open: (w, file) => openNodeFileApi(api, w, file),
  };
}
