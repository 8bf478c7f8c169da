#!/usr/bin/env node
// pnpm bench: the classic libevent/libev pipe benchmark, evring's backends and
// libev in C side by side on this machine. N pipes each with a read watcher,
// A of them active, each callback reads its byte and writes one byte to the
// next pipe until W writes are done; only event processing is timed; the
// median of many rounds is reported with the spread.
// The loop-* rows run the same job on @evring/loop's io watchers (standalone).
// Options: --quick (fewer rounds), --n N, --a A, --w W, --rounds R.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { O_CLOEXEC, O_NONBLOCK } from '@evring/abi';
import { EDGE, Poller, READ } from '@evring/backend';
import { epollBackend } from '@evring/backend-epoll';
import { iouringBackend } from '@evring/backend-iouring';
import { linuxaioBackend } from '@evring/backend-linuxaio';
import { Loop } from '@evring/loop';
import * as sys from '@evring/sys';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const quick = args.includes('--quick');
const N = opt('n', 1000);
const A = opt('a', 100);
const W = opt('w', 1000);
const ROUNDS = opt('rounds', quick ? 30 : 200);

const one = Buffer.from('e');
// Counter slots: SQEs sys refused are not syscalls; waits are the sleeping calls.
const REJECTED = sys.syscallCountNames.indexOf('sqe_rejected');
const WAIT_KINDS = ['io_uring_enter', 'epoll_wait', 'io_getevents'].map((n) => sys.syscallCountNames.indexOf(n));
const scratch = Buffer.alloc(4096);

function benchEvring(factory, options, edge) {
  const r = new Int32Array(N);
  const w = new Int32Array(N);
  const index = new Int32Array(65536).fill(-1);
  for (let i = 0; i < N; i++) {
    const [rd, wr] = sys.pipe2(O_NONBLOCK | O_CLOEXEC);
    r[i] = rd;
    w[i] = wr;
    index[rd] = i;
  }
  let fired = 0;
  let writes = 0;
  const poller = new Poller(
    factory,
    (fd) => {
      const i = index[fd];
      if (edge) {
        for (;;) {
          const got = sys.read(fd, scratch, 0, scratch.length);
          if (got <= 0) break;
          fired += got;
        }
      } else if (sys.read(fd, scratch, 0, 1) === 1) fired++;
      if (writes < W) {
        if (sys.write(w[(i + 1) % N], one, 0, 1) === 1) writes++;
      }
    },
    options,
  );
  for (let i = 0; i < N; i++) poller.set(r[i], edge ? READ | EDGE : READ);
  poller.poll(0);
  const space = Math.floor(N / A);
  const times = [];
  const counts = new Float64Array(sys.syscallCountNames.length);
  let syscalls = 0;
  let waits = 0;
  const sample = () => {
    sys.syscallCountsInto(counts);
    let all = 0;
    for (let k = 0; k < counts.length; k++) if (k !== REJECTED) all += counts[k];
    return [all, WAIT_KINDS.reduce((sum, k) => sum + counts[k], 0)];
  };
  for (let round = 0; round < ROUNDS; round++) {
    fired = 0;
    writes = 0;
    const [allBefore, waitsBefore] = sample();
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < A; k++) sys.write(w[(k * space) % N], one, 0, 1);
    while (fired < W + A) poller.poll(-1);
    times.push(Number(process.hrtime.bigint() - t0));
    const [allAfter, waitsAfter] = sample();
    syscalls += allAfter - allBefore;
    waits += waitsAfter - waitsBefore;
  }
  poller.destroy();
  for (let i = 0; i < N; i++) {
    sys.close(r[i]);
    sys.close(w[i]);
  }
  const events = ROUNDS * (W + A);
  return { times, syscallsPerEvent: syscalls / events, waitsPerEvent: waits / events };
}

/** The same benchmark one layer up: io watchers on an @evring/loop, run standalone. */
function benchLoop(backend, edge) {
  const loop = new Loop({ backend, attach: false, env: false, fallback: false });
  const r = new Int32Array(N);
  const w = new Int32Array(N);
  for (let i = 0; i < N; i++) [r[i], w[i]] = sys.pipe2(O_NONBLOCK | O_CLOEXEC);
  // One callback for every watcher, as libev's benchmark: the fd says which pipe.
  const nextWrite = new Int32Array(65536).fill(-1);
  for (let i = 0; i < N; i++) nextWrite[r[i]] = w[(i + 1) % N];
  let fired = 0;
  let writes = 0;
  const level = (watcher) => {
    const fd = watcher.fd;
    if (sys.read(fd, scratch, 0, 1) === 1) fired++;
    if (writes < W && sys.write(nextWrite[fd], one, 0, 1) === 1) writes++;
  };
  const drain = (watcher) => {
    const fd = watcher.fd;
    for (;;) {
      const got = sys.read(fd, scratch, 0, scratch.length);
      if (got <= 0) break;
      fired += got;
    }
    if (writes < W && sys.write(nextWrite[fd], one, 0, 1) === 1) writes++;
  };
  for (let i = 0; i < N; i++) loop.io(r[i], edge ? READ | EDGE : READ, edge ? drain : level).start();
  loop.run('nowait');
  const space = Math.floor(N / A);
  const times = [];
  const counts = new Float64Array(sys.syscallCountNames.length);
  const calls = () => {
    sys.syscallCountsInto(counts);
    let all = 0;
    for (let k = 0; k < counts.length; k++) if (k !== REJECTED) all += counts[k];
    return all;
  };
  let syscalls = 0;
  for (let round = 0; round < ROUNDS; round++) {
    fired = 0;
    writes = 0;
    const before = calls();
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < A; k++) sys.write(w[(k * space) % N], one, 0, 1);
    while (fired < W + A) loop.run('once');
    times.push(Number(process.hrtime.bigint() - t0));
    syscalls += calls() - before;
  }
  loop.destroy();
  for (let i = 0; i < N; i++) {
    sys.close(r[i]);
    sys.close(w[i]);
  }
  return { times, syscallsPerEvent: syscalls / (ROUNDS * (W + A)) };
}

function benchLibev(flag) {
  const src = new URL('./c/libev-bench.c', import.meta.url).pathname;
  if (!existsSync('/usr/include/ev.h')) return { missing: 'libev-dev is not installed (apt-get install libev-dev)' };
  const dir = new URL('./build/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, 'libev-bench');
  if (!existsSync(bin)) execFileSync('gcc', ['-O2', '-o', bin, src, '-lev']);
  const res = spawnSync(bin, [String(flag), String(N), String(A), String(W), String(ROUNDS)], { encoding: 'utf8' });
  const lines = res.stdout.trim().split('\n');
  if (lines[0] === 'unavailable') return { missing: 'backend unavailable in libev' };
  return { times: lines.map(Number) };
}

function summary(times) {
  const s = [...times].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p10: q(0.1), p90: q(0.9) };
}

const rows = [];
const add = (name, r) => {
  if (r.missing) {
    rows.push({ name, note: r.missing });
    return;
  }
  const s = summary(r.times);
  rows.push({ name, ...s, nsPerEvent: s.median / (W + A), syscallsPerEvent: r.syscallsPerEvent, waitsPerEvent: r.waitsPerEvent });
};

console.log(`pipe benchmark: N=${N} pipes, A=${A} active, W=${W} writes, ${ROUNDS} rounds (median, p10-p90)`);
add('libev-epoll (C)', benchLibev(4));
add('libev-iouring (C)', benchLibev(128));
add('libev-linuxaio (C)', benchLibev(64));
add('evring-epoll', benchEvring(epollBackend, {}, false));
add('evring-linuxaio', benchEvring(linuxaioBackend, {}, false));
add('evring-iouring', benchEvring(iouringBackend, {}, false));
if (args.includes('--iouring-flags')) {
  const { IORING_SETUP_COOP_TASKRUN, IORING_SETUP_TASKRUN_FLAG, IORING_SETUP_SINGLE_ISSUER, IORING_SETUP_DEFER_TASKRUN } = await import('@evring/abi');
  add('iouring COOP_TASKRUN', benchEvring(iouringBackend, { setupFlags: IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG }, false));
  add('iouring DEFER_TASKRUN', benchEvring(iouringBackend, { setupFlags: IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN }, false));
  add('iouring registered fd', benchEvring(iouringBackend, { registerRing: true }, false));
  add('iouring EDGE COOP', benchEvring(iouringBackend, { setupFlags: IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG }, true));
  add('iouring EDGE DEFER', benchEvring(iouringBackend, { setupFlags: IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN }, true));
}
add('evring-epoll EDGE', benchEvring(epollBackend, {}, true));
add('evring-iouring EDGE', benchEvring(iouringBackend, {}, true));
add('loop-epoll', benchLoop('epoll', false));
add('loop-linuxaio', benchLoop('linuxaio', false));
add('loop-iouring', benchLoop('iouring', false));
add('loop-iouring EDGE', benchLoop('iouring', true));

const base = rows.find((r) => r.name === 'libev-epoll (C)' && r.nsPerEvent);
console.log('backend'.padEnd(22), 'µs/round'.padStart(10), 'p10-p90'.padStart(16), 'ns/event'.padStart(10), 'syscalls/ev'.padStart(12), 'waits/ev'.padStart(9), 'vs libev-epoll'.padStart(15));
for (const r of rows) {
  if (r.note) {
    console.log(r.name.padEnd(22), `  (${r.note})`);
    continue;
  }
  console.log(
    r.name.padEnd(22),
    (r.median / 1000).toFixed(1).padStart(10),
    `${(r.p10 / 1000).toFixed(0)}-${(r.p90 / 1000).toFixed(0)}`.padStart(16),
    r.nsPerEvent.toFixed(0).padStart(10),
    (r.syscallsPerEvent === undefined ? '' : r.syscallsPerEvent.toFixed(2)).padStart(12),
    (r.waitsPerEvent === undefined ? '' : r.waitsPerEvent.toFixed(3)).padStart(9),
    (base ? `${(r.nsPerEvent / base.nsPerEvent).toFixed(2)}x` : '').padStart(15),
  );
}
