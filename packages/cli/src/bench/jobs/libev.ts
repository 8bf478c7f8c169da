/**
 * The libev-* (C) rows: the same benchmark on libev itself, compiled here
 * against the system's libev (Debian's `libev-dev`). When libev or a C
 * compiler is missing the rows say how to get them, and the run goes on.
 *
 * @module
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchJob, JobMissing, JobTimes } from '../job.js';

/** libev's EVBACKEND_* flags. */
const LIBEV_FLAGS = { epoll: 4, linuxaio: 64, iouring: 128 } as const;

const SOURCE = new URL('../../../c/libev-bench.c', import.meta.url);

let built: { bin: string } | JobMissing | undefined;

/** Compiles the C benchmark once per source version, into the temp dir. */
function build(): { bin: string } | JobMissing {
  if (built) return built;
  if (!existsSync('/usr/include/ev.h')) {
    built = { missing: 'libev is not installed: apt-get install libev-dev (Debian/Ubuntu)' };
    return built;
  }
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), 'evring-bench');
  const bin = join(dir, `libev-bench-${hash}`);
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('gcc', ['-O2', '-o', bin, SOURCE.pathname, '-lev'], { stdio: 'pipe' });
    } catch (err) {
      const detail = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0];
      built = { missing: `compiling the libev benchmark failed: ${detail ?? String(err)}` };
      return built;
    }
  }
  built = { bin };
  return built;
}

/** A libev job on one of its Linux backends (level mode only: libev has no edge-triggered io). */
export function libevJob(backend: keyof typeof LIBEV_FLAGS): BenchJob {
  return {
    name: `libev-${backend} (C)`,
    family: 'libev',
    modes: ['level'],
    run(config): JobTimes | JobMissing {
      const b = build();
      if ('missing' in b) return b;
      const args = [
        LIBEV_FLAGS[backend],
        config.kind,
        config.n,
        config.active,
        config.writes,
        config.rounds,
      ];
      const res = spawnSync(b.bin, args.map(String), { encoding: 'utf8' });
      if (res.status !== 0)
        return { missing: `libev benchmark exited with ${res.status}: ${res.stderr.trim()}` };
      const lines = res.stdout.trim().split('\n');
      if (lines[0] === 'unavailable')
        return {
          missing: `libev, as built on this system, does not offer its ${backend} backend here`,
        };
      return { times: lines.map(Number) };
    },
  };
}
