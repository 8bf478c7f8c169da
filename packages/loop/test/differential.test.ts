/**
 * The randomized differential test: random but legal libev operation
 * sequences (differential/generate.ts) played on every backend, on a model
 * of libev's rules (differential/model.ts) and, where libev is installed, on
 * libev itself in C (its epoll backend, and its io_uring one, whose spurious
 * readiness the model must permit); the traces, compared per iteration
 * (order only where libev defines it: by priority), must be equal, but for
 * the spurious readiness notifications libev permits (differential/model.ts). A
 * divergence shrinks to a minimal sequence and is printed.
 *
 * `pnpm test` plays a fixed seed; `pnpm fuzz` plays many more with a random
 * seed (EVRING_FUZZ_SEED and EVRING_FUZZ_RUNS set them) and prints the seed.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbScript } from './differential/generate.js';
import { libevHas, libevInterpreter, runOnLibev } from './differential/libev-runner.js';
import { LibevModel } from './differential/model.js';
import { runOnEvring } from './differential/runner.js';
import { describe as describeScript, normalize, type Script } from './differential/script.js';
import { BACKENDS } from './helpers.js';

const SEED = Number(process.env.EVRING_FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.EVRING_FUZZ_RUNS ?? 600);
const libev = libevInterpreter();

function divergence(what: string, script: Script, want: string, got: string): Error {
  return new Error(
    `${what} diverges (seed ${SEED}).\n--- script\n${describeScript(script)}\n--- expected (libev's rules)\n${want}\n--- got\n${got}`,
  );
}

describe("the loop against libev's rules on random operation sequences", () => {
  it('libev itself agrees with the model' +
    ('missing' in libev ? ` (${libev.missing}: not compared here)` : ''), {
    skip: 'missing' in libev,
    timeout: 120_000,
  }, () => {
    if (!('bin' in libev)) return;
    fc.assert(
      fc.property(arbScript, (script) => {
        const want = normalize(new LibevModel(script).play(), script);
        const got = normalize(runOnLibev(libev.bin, script), script);
        if (got !== want) throw divergence('libev', script, want, got);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  // libev's io_uring backend gives the spurious readiness the model permits
  // (one-shot polls): it checks that the permission is libev's, not evring's.
  const uring = 'bin' in libev && libevHas(libev.bin, 'iouring');
  it('libev on its io_uring backend agrees with the model, spurious readiness as permitted' +
    ('missing' in libev
      ? ` (${libev.missing}: not compared here)`
      : uring
        ? ''
        : ' (libev here does not open EVBACKEND_IOURING: not compared here)'), {
    skip: !uring,
    timeout: 120_000,
  }, () => {
    if (!('bin' in libev)) return;
    fc.assert(
      fc.property(arbScript, (script) => {
        // libev's io_uring backend keeps an io watcher of its own on a
        // timerfd at EV_MINPRI, pending after every zero-timeout poll, and
        // idle_reify runs no idle watcher at or below a priority with
        // something pending: an idle watcher at EV_MINPRI never runs there
        // (evring's backends run it, as libev's epoll does). Not a rule of
        // libev's, so those scripts are not compared.
        fc.pre(!script.watchers.some((w) => w.kind === 'idle' && w.pri === -2));
        const run = runOnLibev(libev.bin, script, 'iouring');
        const want = normalize(new LibevModel(script).play(run), script);
        const got = normalize(run, script);
        if (got !== want) throw divergence('libev on io_uring', script, want, got);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  for (const backend of BACKENDS) {
    it(`${backend} matches the model of libev's rules (checked against libev itself above)`, {
      timeout: 120_000,
    }, () => {
      fc.assert(
        fc.property(arbScript, (script) => {
          const run = runOnEvring(script, backend);
          const want = normalize(new LibevModel(script).play(run), script);
          const got = normalize(run, script);
          if (got !== want) throw divergence(`evring on ${backend}`, script, want, got);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      expect(RUNS).toBeGreaterThan(0);
    });
  }
});
