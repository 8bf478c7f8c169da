import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { Poller, READ } from '@evring/backend';
import { epollBackend } from '@evring/backend-epoll';
import * as sys from '@evring/sys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptForTheProcess } from '../../../test-support/leak-check.js';
import { closeRing, nextWakeByFd, openRing } from '../src/bench/fd-ring.js';
import {
  type BenchConfig,
  type BenchJob,
  eventsPerRound,
  WARMUP_EVENTS,
  WarmUp,
  warmupRounds,
} from '../src/bench/job.js';
import { loadEpollPackage } from '../src/bench/jobs/epoll-npm.js';
import { type MatrixOptions, plan } from '../src/bench/matrix.js';
import type { BenchReport, BenchRow } from '../src/bench/report.js';
import { runBench } from '../src/bench/run.js';
import { renderSvg } from '../src/bench/svg.js';
import { fdCallback, RoundState, timeRounds } from '../src/bench/sync-rounds.js';
import { formatTable, targetLine } from '../src/bench/table.js';
import { checkInformation, checkTargets } from '../src/bench/targets.js';
import { emptyYoungGeneration } from '../src/bench/young-generation.js';
import { capture } from './capture.js';

const BENCH_PKG = new URL('../../bench/', import.meta.url).pathname;
const SMALL: MatrixOptions = {
  n: [10],
  active: [2],
  kinds: ['pipe', 'socketpair'],
  modes: ['level', 'edge'],
  writes: 40,
  rounds: 3,
  budgetMs: 5000,
  warmupEvents: 100,
};

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('evring bench on a small configuration', () => {
  let report: BenchReport;
  let fdsBefore = 0;
  const cwd = process.cwd();

  beforeAll(async () => {
    // From the private bench package, where the epoll package is installed.
    process.chdir(BENCH_PKG);
    // Node's net and the epoll package each open an fd of their own on first
    // use, kept for the process: a first run takes those before counting.
    await runBench({ matrix: { ...SMALL, rounds: 1 }, only: ['libuv', 'epoll (npm)'] });
    keptForTheProcess("Node's net and the epoll package's own fds");
    fdsBefore = openFds();
    report = await runBench({ matrix: SMALL });
  }, 120_000);
  afterAll(() => process.chdir(cwd));

  const rows = (job: string, mode = 'level'): BenchRow[] =>
    report.rows.filter((r) => r.job === job && r.mode === mode);

  it('measures every evring backend and loop in both fd kinds, counting syscalls', () => {
    for (const job of [
      'evring-epoll',
      'evring-linuxaio',
      'evring-iouring',
      'evring-epoll, after poll',
      'evring-linuxaio, after poll',
      'evring-iouring, after poll',
      'loop-epoll',
      'loop-linuxaio',
      'loop-iouring',
    ]) {
      const got = rows(job);
      expect(
        got.map((r) => r.config.kind),
        job,
      ).toEqual(['pipe', 'socketpair']);
      for (const r of got) {
        expect(r.error, job).toBeUndefined();
        expect(r.roundsRun).toBe(3);
        expect(r.nsPerEvent).toBeGreaterThan(0);
        expect(r.p10!).toBeLessThanOrEqual(r.median!);
        expect(r.median!).toBeLessThanOrEqual(r.p90!);
        // Each event reads one byte and writes one (2 syscalls), plus the waits.
        expect(r.syscallsPerEvent!).toBeGreaterThanOrEqual(1.9);
        expect(r.syscallsPerEvent!).toBeLessThan(4);
      }
    }
  });

  it('runs EDGE only on the backends that offer it', () => {
    const edgeJobs = new Set(report.rows.filter((r) => r.mode === 'edge').map((r) => r.job));
    expect([...edgeJobs].sort()).toEqual([
      'epoll (npm)',
      'evring-epoll',
      'evring-iouring',
      'loop-epoll',
      'loop-epoll attached',
      'loop-iouring',
      'loop-iouring attached',
      'raw-epoll (C)',
      'raw-epoll (JS)',
      'raw-iouring (C)',
      'raw-iouring (JS)',
    ]);
    for (const r of rows('evring-iouring', 'edge')) expect(r.nsPerEvent).toBeGreaterThan(0);
  });

  it("measures the loop attached to Node's loop, and counts scavenges on the in-process rows", () => {
    for (const r of report.rows.filter((row) => row.job.endsWith(' attached'))) {
      expect(r.error, r.job).toBeUndefined();
      expect(r.roundsRun, r.job).toBe(3);
      expect(r.nsPerEvent, r.job).toBeGreaterThan(0);
    }
    for (const r of report.rows.filter((row) => row.family === 'evring' || row.family === 'loop')) {
      if (r.roundsRun) expect(r.scavengesPer100k, r.job).toBeGreaterThanOrEqual(0);
    }
    for (const r of report.rows.filter((row) => row.family === 'raw'))
      expect(r.scavengesPer100k).toBeUndefined();
  });

  it("measures Node's libuv through net.Socket", () => {
    for (const r of rows('node libuv (net.Socket)')) {
      expect(r.error).toBeUndefined();
      expect(r.roundsRun).toBe(3);
      expect(r.nsPerEvent).toBeGreaterThan(0);
    }
  });

  it('measures the epoll npm package (installed in packages/bench), level and EDGE', () => {
    expect('missing' in loadEpollPackage()).toBe(false);
    for (const mode of ['level', 'edge']) {
      for (const r of rows('epoll (npm)', mode)) {
        expect(r.error).toBeUndefined();
        expect(r.nsPerEvent).toBeGreaterThan(0);
      }
    }
  });

  it(
    existsSync('/usr/include/ev.h')
      ? 'measures libev in C (libev-dev is installed here)'
      : 'says how to install libev-dev (it is not installed here)',
    () => {
      for (const r of rows('libev-epoll (C)')) {
        if (existsSync('/usr/include/ev.h')) {
          expect(r.nsPerEvent).toBeGreaterThan(0);
          expect(r.vsLibevEpoll).toBe(1);
        } else expect(r.missing).toMatch(/apt-get install libev-dev/);
      }
      for (const job of ['libev-epoll (C, threaded)', 'libev-iouring (C, threaded)']) {
        const measured = rows(job);
        expect(measured.length, job).toBeGreaterThan(0);
        for (const r of measured) {
          if (existsSync('/usr/include/ev.h')) expect(r.nsPerEvent, job).toBeGreaterThan(0);
          else expect(r.missing).toMatch(/apt-get install libev-dev/);
        }
      }
    },
  );

  it('measures the kernel interfaces in raw C, the floor of every row', () => {
    for (const [job, modes] of [
      ['raw-epoll (C)', ['level', 'edge']],
      ['raw-epoll-nested (C)', ['level']],
      ['raw-iouring (C)', ['level', 'edge']],
      ['raw-iouring, after poll (C)', ['level']],
      ['raw-linuxaio (C)', ['level']],
      ['raw-linuxaio-eventfd (C)', ['level']],
    ] as const) {
      for (const mode of modes) {
        const measured = rows(job, mode);
        expect(measured.length, `${job} ${mode}`).toBeGreaterThan(0);
        for (const r of measured) {
          expect(r.error).toBeUndefined();
          expect(r.missing).toBeUndefined();
          expect(r.nsPerEvent).toBeGreaterThan(0);
          expect(r.roundsRun, 'the warm-up rounds the program printed are not counted').toBe(3);
        }
      }
    }
    // A one-shot AIO poll has no edge mode: no such row.
    expect(rows('raw-linuxaio (C)', 'edge')).toEqual([]);
    expect(rows('raw-iouring, after poll (C)', 'edge')).toEqual([]);
  });

  it('measures the same loops in JavaScript on sys, each with its own syscalls', () => {
    for (const [job, modes] of [
      ['raw-epoll (JS)', ['level', 'edge']],
      ['raw-iouring (JS)', ['level', 'edge']],
      ['raw-iouring, after poll (JS)', ['level']],
      ['raw-linuxaio (JS)', ['level']],
    ] as const) {
      for (const mode of modes) {
        const measured = rows(job, mode);
        expect(
          measured.map((r) => r.config.kind),
          `${job} ${mode}`,
        ).toEqual(['pipe', 'socketpair']);
        for (const r of measured) {
          expect(r.error, `${job} ${mode}`).toBeUndefined();
          expect(r.family).toBe('raw-js');
          expect(r.roundsRun).toBe(3);
          expect(r.nsPerEvent).toBeGreaterThan(0);
          // A read and a write an event, plus the waits (and on Linux AIO the
          // re-arming io_submit: up to two more an event when one comes a wait).
          expect(r.syscallsPerEvent!, `${job} ${mode}`).toBeGreaterThanOrEqual(1.9);
          expect(r.syscallsPerEvent!, `${job} ${mode}`).toBeLessThanOrEqual(
            job.includes('linuxaio') ? 4.1 : 3.1,
          );
        }
      }
    }
  });

  it('closes every fd it opened (pipes, socketpairs, rings, loops)', () => {
    expect(openFds()).toBe(fdsBefore);
  });

  it('prints a table with every job and the targets', () => {
    const text = formatTable(report);
    for (const r of report.rows) expect(text).toContain(r.job);
    expect(text).toMatch(/pipe N=10 A=2 · level/);
    expect(text).toMatch(
      /targets \(pipes, level; each names its N and A\): .*MISSED is a finding, not an error/,
    );
    expect(text).toMatch(/information \(claims raw C misses on this kernel too/);
    expect(text).toContain('lower is better');
    // The headline configuration did not run: no target may claim to be met.
    expect(report.targets.every((t) => t.met === undefined)).toBe(true);
    expect(text).toMatch(/not checked {2}evring-epoll within 1\.3× of raw-epoll \(C\), N=100 A=1/);
    expect(text).toMatch(
      /not checked {2}loop-iouring attached within 1\.2× of loop-iouring standalone, N=1000 A=1/,
    );
  });

  it('draws a well-formed SVG with a bar per measured row, whiskers, a legend and "lower is better"', () => {
    const svg = renderSvg(report);
    expect(svg).toContain('lower is better');
    expect(svg).toContain('whiskers: p10–p90 of the rounds');
    for (const label of [
      'raw C: the kernel interface alone',
      'raw JS: the same loops on sys',
      'libev in C',
      '@evring/loop',
    ]) {
      expect(svg).toContain(label);
    }
    const whiskers = (svg.match(/<line [^>]*stroke="#9ca3af"/g) ?? []).length;
    expect(whiskers).toBe(report.rows.filter((r) => r.nsPerEvent && r.p10 !== undefined).length);
    const bars = (svg.match(/<rect x="210"/g) ?? []).length;
    expect(bars).toBe(report.rows.filter((r) => r.nsPerEvent).length);
    const parsed = spawnSync(
      'python3',
      ['-c', 'import sys, xml.etree.ElementTree as E; E.fromstring(sys.stdin.read())'],
      {
        input: svg,
        encoding: 'utf8',
      },
    );
    expect(parsed.stderr).toBe('');
    expect(parsed.status).toBe(0);
  });
});

describe('a Poller that runs its callbacks after the poll', () => {
  it('waits once an event at A=1, where callbacks inside the reap chain without waiting', async () => {
    const one: MatrixOptions = { ...SMALL, active: [1], kinds: ['pipe'], modes: ['level'] };
    const { rows } = await runBench({
      matrix: { ...one, writes: 200 },
      only: ['evring-iouring', 'raw-iouring'],
    });
    const waits = (job: string) => rows.find((r) => r.job === job)?.waitsPerEvent;
    // In the reap, a callback's write completes the next fd's poll on the plain
    // ring and the same reap takes it: a wait only when the chain comes round.
    expect(waits('evring-iouring')).toBeLessThan(0.5);
    // After the poll, the write happens once the poll returned: the next event
    // is the next poll's, on the tracking ring a Loop uses.
    expect(waits('evring-iouring, after poll')).toBeGreaterThanOrEqual(0.9);
    // The raw loops in JavaScript show the same difference, with no Poller.
    expect(waits('raw-iouring (JS)')).toBeLessThan(0.5);
    expect(waits('raw-iouring, after poll (JS)')).toBeGreaterThanOrEqual(0.9);
    expect(rows.find((r) => r.job === 'raw-iouring, after poll (C)')?.nsPerEvent).toBeGreaterThan(
      0,
    );
  }, 60_000);
});

describe('warm-up', () => {
  const config: BenchConfig = {
    kind: 'pipe',
    n: 1000,
    active: 100,
    writes: 1000,
    rounds: 25,
    budgetMs: 1000,
  };
  it('runs enough untimed rounds for WARMUP_EVENTS, at least 2, none when asked for none', () => {
    expect(warmupRounds(config)).toBe(Math.ceil(WARMUP_EVENTS / 1100));
    expect(warmupRounds({ ...config, warmupEvents: 100 })).toBe(2);
    expect(warmupRounds({ ...config, warmupEvents: 0 })).toBe(0);
  });

  it('times only the rounds after it', () => {
    const small: BenchConfig = {
      ...config,
      n: 10,
      active: 2,
      writes: 20,
      rounds: 3,
      warmupEvents: 110,
    };
    const ring = openRing('pipe', small.n);
    const state = new RoundState();
    const cb = fdCallback(state, nextWakeByFd(ring), small, false);
    let callbacks = 0;
    let warmUpOver = 0; // when the callback of the last warm-up round's last event ran
    const poller = new Poller(epollBackend, (fd) => {
      callbacks++;
      cb(fd);
      if (callbacks === 5 * eventsPerRound(small)) warmUpOver = performance.now();
    });
    try {
      for (const fd of ring.read) poller.set(fd, READ);
      const result = timeRounds(small, ring, state, () => poller.poll(1000));
      const end = performance.now();
      expect(warmupRounds(small)).toBe(5); // 110 events at 22 a round
      expect(result.times).toHaveLength(3);
      expect(callbacks).toBe((5 + 3) * eventsPerRound(small));
      // Scavenges are counted from here: after the warm-up, before the end.
      expect(result.timedSince).toBeGreaterThanOrEqual(warmUpOver);
      expect(result.timedSince).toBeLessThanOrEqual(end);
    } finally {
      poller.destroy();
      closeRing(ring);
    }
  });
});

describe('the timed rounds start with an empty young generation', () => {
  it('so that what the warm-up left there cannot make a scavenge in them', () => {
    const young = () =>
      getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
    const warm = new WarmUp({
      kind: 'pipe',
      n: 10,
      active: 2,
      writes: 20,
      rounds: 3,
      budgetMs: 1000,
      warmupEvents: 44, // two rounds of 22 events
    });
    let kept: unknown[] = [];
    const litter = () => {
      // About 400 KiB of short-lived objects, as a warm-up's JIT and setup leave.
      kept = [];
      for (let i = 0; i < 10_000; i++) kept.push({ i, s: `x${i}` });
      kept = [];
    };
    litter();
    expect(warm.roundDone()).toBe(true); // the first warm-up round
    // From an empty young generation (1 MiB at least), so that no scavenge
    // of V8's own empties it while the litter is made.
    emptyYoungGeneration();
    litter();
    const before = young();
    expect(warm.roundDone()).toBe(true); // the last one
    const after = young();
    expect(before).toBeGreaterThan(100_000);
    expect(after).toBeLessThan(before / 4);
    expect(warm.roundDone()).toBe(false); // timed from here
    expect(kept).toEqual([]);
  });
});

describe('the plan', () => {
  it('leaves out A > N, and pipes the fd limit cannot hold', () => {
    const p = plan({ ...SMALL, n: [100, 10000], active: [1, 1000], kinds: ['pipe', 'socketpair'] });
    const labels = p.map(
      (c) => `${c.config.kind} ${c.config.n} ${c.config.active} ${c.skip ? 'skip' : 'run'}`,
    );
    const { soft } = sys.getrlimitNofile();
    const pipesFit = 20000 + 200 <= soft;
    expect(labels).toEqual([
      'pipe 100 1 run',
      `pipe 10000 1 ${pipesFit ? 'run' : 'skip'}`,
      `pipe 10000 1000 ${pipesFit ? 'run' : 'skip'}`,
      'socketpair 100 1 run',
      'socketpair 10000 1 run',
      'socketpair 10000 1000 run',
    ]);
    if (!pipesFit) expect(p[1]!.skip).toMatch(/RLIMIT_NOFILE allows .*socketpairs reach this N/);
  });
});

describe('targets', () => {
  const row = (
    job: string,
    ns: number,
    mode: 'level' | 'edge' = 'level',
    at = { n: 1000, active: 100 },
    extra: Partial<BenchRow> = {},
  ): BenchRow => ({
    config: { kind: 'pipe', ...at, writes: 1000, rounds: 1, budgetMs: 1 },
    mode,
    job,
    family: 'evring',
    nsPerEvent: ns,
    ...extra,
  });
  const all = (rows: BenchRow[]) => [...checkTargets(rows), ...checkInformation(rows)];

  it('are met, missed, or unchecked when a side did not run', () => {
    const t = all([
      row('libev-epoll (C)', 1000),
      row('evring-epoll', 1200),
      row('evring-iouring', 1300),
    ]);
    const by = (claim: string) => t.find((v) => v.claim.startsWith(claim))!;
    expect(by('evring-epoll within 1.3× of libev')).toMatchObject({ met: true, ratio: 1.2 });
    expect(by('evring-iouring no slower')).toMatchObject({ met: false });
    expect(by('evring-iouring at most 0.8×').met).toBeUndefined();
    expect(by('evring-iouring EDGE').ratio).toBeUndefined();
  });

  it("issue #18's: each layer against the one below, per N and A; attached against standalone; scavenges", () => {
    const at = { n: 100, active: 1 };
    const t = checkTargets([
      row('raw-epoll (C)', 1000, 'level', at),
      row('evring-epoll', 1250, 'level', at, { scavengesPer100k: 0 }),
      row('loop-epoll', 1500, 'level', at, { scavengesPer100k: 2 }),
      row('loop-epoll attached', 1700, 'level', at),
    ]);
    const by = (claim: string) => t.find((v) => v.claim === claim)!;
    expect(by('evring-epoll within 1.3× of raw-epoll (C), N=100 A=1')).toMatchObject({
      met: true,
      ratio: 1.25,
    });
    expect(by('loop-epoll within 1.15× of evring-epoll, N=100 A=1')).toMatchObject({
      met: false,
      ratio: 1.2,
    });
    const attached = by('loop-epoll attached within 1.2× of loop-epoll standalone, N=100 A=1');
    expect(attached.met).toBe(true);
    expect(attached.ratio).toBeCloseTo(1700 / 1500);
    expect(
      by(
        "loop-epoll: scavenges per 100,000 events no more than evring-epoll's, at N=100 A=1 (the difference; ≤ 0 needed)",
      ),
    ).toMatchObject({ met: false, ratio: 2 });
    // The other cases did not run: unchecked, never met.
    expect(by('evring-epoll within 1.3× of raw-epoll (C), N=1000 A=1').met).toBeUndefined();
    expect(t.find((v) => v.claim.startsWith('loop-epoll attached within 1.05×'))).toBeDefined();
  });

  it('give an attached target the floor of raw C made embeddable, per backend', () => {
    const at = { n: 1000, active: 100 };
    const t = checkTargets([
      row('raw-epoll (C)', 1000, 'level', at),
      row('raw-epoll-nested (C)', 1070, 'level', at),
      row('loop-epoll', 2000, 'level', at),
      row('loop-epoll attached', 2180, 'level', at),
      row('raw-linuxaio (C)', 1000, 'level', at),
      row('raw-linuxaio-eventfd (C)', 2000, 'level', at),
      row('loop-linuxaio', 2000, 'level', at),
      row('loop-linuxaio attached', 3000, 'level', at),
      row('raw-iouring (C)', 1000, 'level', at),
      row('loop-iouring', 2000, 'level', at),
      row('loop-iouring attached', 2000, 'level', at),
    ]);
    const by = (x: string) =>
      t.find(
        (v) => v.claim === `loop-${x} attached within 1.05× of loop-${x} standalone, N=1000 A=100`,
      )!;
    expect(by('epoll')).toMatchObject({ met: false });
    expect(by('epoll').ratio).toBeCloseTo(1.09);
    expect(by('epoll').floor?.met).toBe(false);
    expect(by('epoll').floor?.ratio).toBeCloseTo(1.07);
    expect(targetLine(by('epoll'))).toMatch(/raw C: 1\.07, out of reach on this kernel\)$/);
    expect(by('linuxaio').floor).toEqual({ ratio: 2, met: false });
    // No raw C row drives io_uring as an attached loop does (its fds watched
    // through an embedded epoll, its completions through an eventfd): no floor.
    expect(by('iouring')).toMatchObject({ met: true, ratio: 1 });
    expect(by('iouring').floor).toBeUndefined();
  });

  it('set the loop beside a Poller that runs its callbacks after the poll, for information', () => {
    const at = { n: 1000, active: 1 };
    const t = checkInformation([
      row('evring-iouring', 2000, 'level', at),
      row('evring-iouring, after poll', 3000, 'level', at),
      row('loop-iouring', 3300, 'level', at),
    ]);
    const by = (claim: string) => t.find((v) => v.claim === claim)!;
    const sameWork = by(
      'loop-iouring within 1.15× of evring-iouring, after poll (the same kernel work), N=1000 A=1',
    );
    expect(sameWork.met).toBe(true);
    expect(sameWork.ratio).toBeCloseTo(1.1);
    // Not a target: the target against the in-reap Poller is unchanged.
    const target = checkTargets([
      row('evring-iouring', 2000, 'level', at),
      row('loop-iouring', 3300, 'level', at),
    ]).find((v) => v.claim === 'loop-iouring within 1.15× of evring-iouring, N=1000 A=1')!;
    expect(target).toMatchObject({ met: false, ratio: 1.65 });
    expect(
      by('loop-epoll within 1.15× of evring-epoll, after poll (the same kernel work), N=100 A=1')
        .met,
    ).toBeUndefined();
  });

  it("set the Poller with the loop's ordering beside raw C with the same ordering, for information", () => {
    const at = { n: 1000, active: 1 };
    const t = checkInformation([
      row('evring-iouring, after poll', 6000, 'level', at),
      row('raw-iouring, after poll (C)', 4000, 'level', at),
      row('raw-iouring, after poll (JS)', 5000, 'level', at),
      row('raw-iouring (C)', 2500, 'level', at),
      row('evring-epoll, after poll', 4400, 'level', at),
      row('raw-epoll (C)', 4000, 'level', at),
      row('raw-epoll (JS)', 4200, 'level', at),
    ]);
    const by = (claim: string) => t.find((v) => v.claim === claim)!;
    // io_uring against its own after-poll rows, not the chaining raw loop.
    const iouring = by(
      'evring-iouring, after poll within 1.3× of raw-iouring, after poll (C), N=1000 A=1',
    );
    expect(iouring).toMatchObject({ met: false, ratio: 1.5 });
    expect(iouring.jsFloor).toEqual({ ratio: 1.25, met: true });
    expect(targetLine(iouring)).toMatch(/the same loop in JS on sys: 1\.25\)$/);
    // epoll's raw loops run their callbacks after the wait already.
    const epoll = by('evring-epoll, after poll within 1.3× of raw-epoll (C), N=1000 A=1');
    expect(epoll.met).toBe(true);
    expect(epoll.ratio).toBeCloseTo(1.1);
    expect(epoll.jsFloor?.ratio).toBeCloseTo(1.05);
    expect(
      by('evring-linuxaio, after poll within 1.3× of raw-linuxaio (C), N=1000 A=1').met,
    ).toBeUndefined();
  });

  it('say whether raw C reaches a target: a target raw C misses is out of reach here', () => {
    const t = all([
      row('evring-epoll', 1200),
      row('evring-iouring', 1500),
      row('raw-epoll (C)', 600),
      row('raw-iouring (C)', 800),
      row('libev-epoll (C)', 1000),
    ]);
    const by = (claim: string) => t.find((v) => v.claim.startsWith(claim))!;
    const sameKernel = by('evring-iouring no slower');
    expect(sameKernel).toMatchObject({ met: false, ratio: 1.25 });
    expect(sameKernel.floor?.met).toBe(false);
    expect(sameKernel.floor?.ratio).toBeCloseTo(800 / 600);
    expect(targetLine(sameKernel)).toMatch(/raw C: 1\.33, out of reach on this kernel/);
    const vsLibev = by('evring-epoll within 1.3× of libev');
    expect(vsLibev.floor).toEqual({ ratio: 0.6, met: true });
    expect(targetLine(vsLibev)).toMatch(/raw C: 0\.60\)$/);
    expect(vsLibev.threaded).toBeUndefined(); // no threaded libev row in this run
  });

  it('set the same loop in JavaScript on sys beside each evring claim against C or a peer', () => {
    const at = { n: 100, active: 1 };
    const t = all([
      row('evring-epoll', 1500, 'level', at),
      row('raw-epoll (JS)', 1400, 'level', at),
      row('raw-epoll (C)', 1000, 'level', at),
      row('evring-iouring', 1200),
      row('raw-iouring (JS)', 1100),
      row('evring-epoll', 1000),
    ]);
    const by = (claim: string) => t.find((v) => v.claim === claim)!;
    const vsC = by('evring-epoll within 1.3× of raw-epoll (C), N=100 A=1');
    expect(vsC).toMatchObject({ met: false, ratio: 1.5 });
    expect(vsC.jsFloor?.met).toBe(false);
    expect(vsC.jsFloor?.ratio).toBeCloseTo(1.4);
    expect(targetLine(vsC)).toMatch(
      /the same loop in JS on sys: 1\.40, out of reach from JS here\)$/,
    );
    // evring against evring: no raw loop is set beside a Poller.
    expect(by('evring-iouring no slower than evring-epoll, N=1000 A=100').jsFloor).toBeUndefined();
    // Claims about the loop have no raw JS side.
    expect(by('loop-epoll within 1.15× of evring-epoll, N=100 A=1').jsFloor).toBeUndefined();
  });

  it('judge a claim against libev also against libev with a thread asleep, as in Node', () => {
    const t = all([
      row('evring-epoll', 1400),
      row('libev-epoll (C)', 1000),
      row('libev-epoll (C, threaded)', 1120),
      row('evring-iouring', 1500),
    ]);
    const vsLibev = t.find((v) => v.claim.startsWith('evring-epoll within 1.3× of libev'))!;
    expect(vsLibev).toMatchObject({ met: false, ratio: 1.4 });
    expect(vsLibev.threaded).toEqual({ ratio: 1.25, met: true });
    expect(targetLine(vsLibev)).toMatch(
      /MISSED .*against libev with a thread, as in Node: 1\.25, met\)$/,
    );
    // Claims between evring rows have no libev side to replace.
    expect(t.find((v) => v.claim.startsWith('evring-iouring no slower'))!.threaded).toBeUndefined();
  });
});

describe('a job that fails', () => {
  it('is reported as failed, and the command exits 1', async () => {
    const broken: BenchJob = {
      name: 'broken',
      family: 'evring',
      modes: ['level'],
      run: () => {
        throw new Error('boom');
      },
    };
    const r = await runBench({
      matrix: { ...SMALL, kinds: ['pipe'], modes: ['level'] },
      jobs: [broken],
    });
    expect(r.rows).toEqual([expect.objectContaining({ job: 'broken', error: 'boom' })]);
  });
});

describe('evring bench as a command', () => {
  it('prints the table and writes bench.json and bench.svg', async () => {
    const out = mkdtempSync(join(tmpdir(), 'evring-bench-'));
    const r = await capture([
      'bench',
      '--n',
      '10',
      '--a',
      '2',
      '--rounds',
      '3',
      '--writes',
      '20',
      '--only',
      'evring-epoll',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/evring-epoll/);
    expect(r.err).toMatch(/\[1\/\d+\] pipe N=10 A=2 · level/);
    const json = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8')) as BenchReport;
    expect(json.rows.map((row) => `${row.job} ${row.config.kind} ${row.mode}`)).toEqual([
      'evring-epoll pipe level',
      'evring-epoll, after poll pipe level',
      'evring-epoll pipe edge',
      'evring-epoll socketpair level',
      'evring-epoll, after poll socketpair level',
      'evring-epoll socketpair edge',
    ]);
    expect(readFileSync(join(out, 'bench.svg'), 'utf8')).toMatch(/^<svg /);
  });
});
