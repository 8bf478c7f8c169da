/**
 * The libuv row: Node's own event loop on the same fds, each wrapped in a
 * `net.Socket` — what a Node program gets without evring. Each 'data'
 * callback takes what arrived (one byte, as the others read) and writes one
 * byte to the next fd through its socket.
 *
 * @module
 */

import { Socket } from 'node:net';
import * as sys from '@evring/sys';
import { AsyncRound } from '../async-rounds.js';
import { nextWakeByFd, openRing } from '../fd-ring.js';
import type { BenchJob, JobTimes } from '../job.js';

const ONE = Buffer.from('e');

/** Node's libuv through net.Socket (level mode: libuv reports what is there). */
export function libuvJob(): BenchJob {
  return {
    name: 'node libuv (net.Socket)',
    family: 'libuv',
    modes: ['level'],
    async run(config): Promise<JobTimes> {
      const ring = openRing(config.kind, config.n);
      const next = nextWakeByFd(ring);
      const readable = new Set(ring.read);
      const writable = new Set(ring.wake);
      const sockets = new Map<number, Socket>();
      const round = new AsyncRound(config);
      try {
        for (const fd of ring.all) {
          const socket = new Socket({ fd, readable: readable.has(fd), writable: writable.has(fd) });
          sockets.set(fd, socket);
        }
        for (const fd of ring.read) {
          const to = sockets.get(next[fd]!)!;
          sockets.get(fd)!.on('data', (chunk: Buffer) => {
            round.fired += chunk.length;
            if (round.writes < config.writes) {
              to.write(ONE);
              round.writes++;
            }
            round.check();
          });
        }
        return await round.run(config, ring, (fd) => sockets.get(fd)!.write(ONE));
      } finally {
        // A socket owns its fd from here on: destroying it closes the fd.
        for (const fd of ring.all) {
          const socket = sockets.get(fd);
          if (socket) socket.destroy();
          else sys.close(fd);
        }
      }
    },
  };
}
