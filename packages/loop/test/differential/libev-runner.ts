/**
 * Plays a script on libev itself (libev-script.c, built here against the
 * system's libev, Debian's `libev-dev`), on its epoll backend or its
 * io_uring one: the reference trace, or why there is none.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Call, type Script, type Trace, toLines } from './script.js';

const SOURCE = new URL('./libev-script.c', import.meta.url).pathname;

let built: { bin: string } | { missing: string } | undefined;

/** The interpreter binary, or why it cannot be built here. */
export function libevInterpreter(): { bin: string } | { missing: string } {
  if (built) return built;
  if (!existsSync('/usr/include/ev.h')) {
    built = {
      missing: 'libev is not installed (apt-get install libev-dev): compared with the model only',
    };
    return built;
  }
  const hash = createHash('sha256').update(readFileSync(SOURCE)).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), 'evring-differential');
  const bin = join(dir, `libev-script-${hash}`);
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('gcc', ['-O1', '-o', bin, SOURCE, '-lev'], { stdio: 'pipe' });
    } catch (err) {
      const detail = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0];
      built = { missing: `building the libev interpreter failed: ${detail ?? String(err)}` };
      return built;
    }
  }
  built = { bin };
  return built;
}

/** A libev backend the interpreter can ask for (libev-script.c). */
export type LibevBackend = 'epoll' | 'iouring';

/** Whether libev here opens `backend` (Debian's libev is built with io_uring; the kernel may refuse it). */
export function libevHas(bin: string, backend: LibevBackend): boolean {
  const res = spawnSync(bin, [backend], { input: 'end\n', encoding: 'utf8', timeout: 10_000 });
  return res.status === 0 && !res.stdout.startsWith('unavailable');
}

/** The trace libev gives for `script` on `backend`. */
export function runOnLibev(bin: string, script: Script, backend: LibevBackend = 'epoll'): Trace {
  const res = spawnSync(bin, [backend], {
    input: toLines(script),
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (res.status !== 0)
    throw new Error(`libev interpreter exited with ${res.status}: ${res.stderr}`);
  const trace: Trace = [];
  let calls: Call[] | null = null;
  for (const line of res.stdout.split('\n')) {
    if (line === 'R') calls = [];
    else if (line === 'E') {
      trace.push([calls!]);
      calls = null;
    } else if (line.startsWith('C ')) {
      const [, id, revents] = line.split(' ');
      calls!.push([Number(id), Number(revents)]);
    }
  }
  return trace;
}
