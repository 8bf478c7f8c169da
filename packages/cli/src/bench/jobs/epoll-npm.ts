/**
 * The epoll-npm rows: the `epoll` package from npm, the binding Node
 * programs have used for raw epoll. Its events reach JavaScript through
 * libuv; each callback reads with fs.readSync, as its README shows. The
 * package is looked up from the current directory first, then beside this
 * one; when it is not installed the row says how to get it.
 *
 * @module
 */

import { readSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AsyncRound, kickWithWrite } from '../async-rounds.js';
import { closeRing, nextWakeByFd, openRing } from '../fd-ring.js';
import type { BenchJob, JobMissing, JobTimes } from '../job.js';

interface EpollInstance {
  add(fd: number, events: number): EpollInstance;
  remove(fd: number): EpollInstance;
  close(): void;
}
interface EpollModule {
  Epoll: {
    new (cb: (err: Error | null, fd: number, events: number) => void): EpollInstance;
    EPOLLIN: number;
    EPOLLET: number;
  };
}

/** Finds the `epoll` package, or says why it cannot be used. */
export function loadEpollPackage(): EpollModule | JobMissing {
  const tried: string[] = [];
  for (const from of [join(process.cwd(), 'noop.js'), import.meta.url]) {
    try {
      return createRequire(from)('epoll') as EpollModule;
    } catch (err) {
      tried.push((err as Error).message.split('\n')[0]!);
    }
  }
  return { missing: `the epoll package is not installed here (npm install epoll): ${tried[0]}` };
}

const ONE = Buffer.from('e');
const SCRATCH = Buffer.alloc(4096);

/** The `epoll` package, level (one byte per callback) and EDGE (EPOLLET, drain). */
export function epollNpmJob(): BenchJob {
  return {
    name: 'epoll (npm)',
    family: 'epoll-npm',
    modes: ['level', 'edge'],
    async run(config, mode): Promise<JobTimes | JobMissing> {
      const mod = loadEpollPackage();
      if ('missing' in mod) return mod;
      const { Epoll } = mod;
      const edge = mode === 'edge';
      const ring = openRing(config.kind, config.n);
      const next = nextWakeByFd(ring);
      const round = new AsyncRound(config);
      const poller = new Epoll((err, fd) => {
        if (err) throw err;
        if (edge) {
          for (;;) {
            let got = 0;
            try {
              got = readSync(fd, SCRATCH, 0, SCRATCH.length, null);
            } catch {
              break; // EAGAIN: drained
            }
            if (got > 0) round.fired += got;
            if (got < SCRATCH.length) break; // a short read emptied it (see sync-rounds)
          }
        } else if (readSync(fd, SCRATCH, 0, 1, null) === 1) round.fired++;
        if (round.writes < config.writes && writeSync(next[fd]!, ONE, 0, 1) === 1) round.writes++;
        round.check();
      });
      try {
        for (const fd of ring.read)
          poller.add(fd, edge ? Epoll.EPOLLIN | Epoll.EPOLLET : Epoll.EPOLLIN);
        return await round.run(config, ring, kickWithWrite);
      } finally {
        for (const fd of ring.read) poller.remove(fd);
        poller.close();
        closeRing(ring);
      }
    },
  };
}
