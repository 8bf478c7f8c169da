// Fuzz target, run in a child process by fuzz.test.ts: calls every export of
// the raw binding and of the package with random and hostile arguments, and
// writes random SQEs and iocbs into real rings before submitting them. It
// must never die by a signal. Arguments that would legitimately block
// forever (an infinite timeout, waiting for completions that never come) are
// drawn from safe pools, so a hang is a bug too.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const sys = await import(join(here, '..', 'dist', 'index.js'));
const native = require(join(here, '..', 'build', 'Release', 'evring_sys.node'));

let seed = Number(process.argv[2] ?? 1) >>> 0 || 1;
const iterations = Number(process.argv[3] ?? 300);
function rnd() {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 2 ** 32;
}
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const int = (n) => Math.floor(rnd() * n);

const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;
const owned = new Set(); // fds this fuzzer created: the only open fds it may pass
const rings = [];
const aios = [];

function detached() {
  const ab = new ArrayBuffer(16);
  structuredClone(ab, { transfer: [ab] });
  return ab;
}
const hostile = () => [
  undefined, null, -1, 0, 1, 7, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), Number.NaN, Infinity, -Infinity,
  1.5, '3', {}, [], [1, 2], 1n, () => 0, Symbol('s'), true,
  new Uint8Array(0), new Uint8Array(3), new Uint8Array(int(300)), new DataView(new ArrayBuffer(64), 8),
  new Float64Array(4), new Uint32Array(2), new SharedArrayBuffer(64), new ArrayBuffer(128), detached(),
  new Proxy({}, { get() { throw new Error('trap'); } }),
  { valueOf() { throw new Error('valueOf'); } },
];
const anyArg = () => pick(hostile());
const fdArg = () => (owned.size && rnd() < 0.7 ? pick([...owned]) : pick([-1, 99999, 2 ** 31, 1.5, 'x', undefined, 1e9]));
const safeTimeout = () => pick([0, 0.3, 1, 2, Number.NaN, 'x', null]);
const bufArg = () => pick([new Uint8Array(int(512)), new Uint8Array(4096), new DataView(new ArrayBuffer(256), int(200)), anyArg()]);

// Every fd the fuzzer keeps is non-blocking: a blocking read of an empty fd
// is a correct wait forever, not a bug to find.
function own(fd) {
  try {
    sys.setNonblocking(fd, true);
    owned.add(fd);
  } catch {}
}

function track(v) {
  if (typeof v === 'number' && v >= 3) own(v);
  if (Array.isArray(v)) for (const x of v) track(x);
  if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) {
    for (const k of ['master', 'slave']) if (typeof v[k] === 'number') own(v[k]);
  }
  return v;
}

function nonblockingPool() {
  track(sys.pipe2(O_NONBLOCK | O_CLOEXEC));
  track(sys.socketpair(1, 1 | O_NONBLOCK | O_CLOEXEC, 0));
  track(sys.eventfd(0, O_NONBLOCK | O_CLOEXEC));
}

function randomSqes(ring) {
  const view = new DataView(ring.sqes);
  const sq = new Uint32Array(ring.sqRing);
  const p = ring.params;
  const mask = sq[p.sqOff.ringMask >>> 2];
  const n = 1 + int(6);
  for (let i = 0; i < n; i++) {
    const tail = sq[p.sqOff.tail >>> 2];
    const idx = tail & mask;
    const base = idx * ring.sqeSize;
    for (let b = 0; b < ring.sqeSize; b += 4) view.setUint32(base + b, int(2 ** 32));
    view.setUint8(base, int(64)); // opcode, including every pointer-writing one
    view.setInt32(base + 4, rnd() < 0.8 && owned.size ? pick([...owned]) : -1, true); // fd: never Node's own
    view.setBigUint64(base + 16, BigInt(pick([0, 1, 0x1000, 2 ** 47, int(2 ** 32)])), true);
    view.setUint32(base + 24, pick([0, 1, 8, 4096, int(2 ** 32)]), true);
    if (rnd() < 0.5) view.setUint8(base + 1, 0);
    sq[(p.sqOff.array >>> 2) + idx] = rnd() < 0.95 ? idx : int(2 ** 32);
    sq[p.sqOff.tail >>> 2] = tail + 1;
  }
  return n;
}

function randomIocbs(aio) {
  const view = new DataView(aio.iocbs);
  for (let i = 0; i < aio.iocbCount; i++) {
    const base = i * 64;
    for (let b = 0; b < 64; b += 4) view.setUint32(base + b, int(2 ** 32));
    if (rnd() < 0.7) view.setUint16(base + 16, 5, true); // IOCB_CMD_POLL
    view.setUint32(base + 20, owned.size ? pick([...owned]) : 99999, true);
    if (rnd() < 0.5) for (const off of [8, 12, 32, 40, 48, 56]) view.setUint32(base + off, 0, true);
    view.setBigUint64(base + 24, BigInt(pick([1, 4, 5, 0x10000])), true);
  }
}

const describe = (a) => (typeof a === 'object' && a ? (a.constructor?.name ?? 'obj') : typeof a === 'symbol' ? 'sym' : String(a));
const natives = Object.keys(native).filter((k) => typeof native[k] === 'function' && k !== 'init' && k !== 'FdPoll');
const creators = new Set(['eventfd', 'timerfdCreate', 'signalfd', 'pipe2', 'socketpair', 'dup', 'openpty', 'epollCreate1', 'ioUringSetup']);
const blocking = new Set(['epollWait', 'ioUringEnter', 'ioGetevents', 'read', 'recv', 'write', 'send', 'eventfdRead', 'eventfdWrite']);

function callNative(name) {
  let args;
  switch (name) {
    case 'epollWait': args = [fdArg(), bufArg(), pick([1, 4, 0, -1, 'x', 1e9]), safeTimeout()]; break;
    case 'ioUringEnter': {
      const min = pick([0, Number.NaN, 'x', -1, 2 ** 33, 1]);
      const flags = pick([0, 1, 8, 9, 16, 0xff, int(2 ** 32), -1]);
      const t = safeTimeout();
      // Waiting for a completion that never comes needs a bounded wait.
      args = min === 1 ? [rings.length ? pick(rings).fd : fdArg(), int(8), 1, 9, pick([0, 1, 2])] : [fdArg(), pick([0, 1, 8, 2 ** 32]), min, flags & ~1, t];
      break;
    }
    case 'ioGetevents': args = [aios.length ? pick(aios).handle : anyArg(), pick([0, 1, 5, 'x']), pick([1, 4, 0, 1e9]), bufArg(), pick([0, 1, 2])]; break;
    case 'setrlimitNofile': args = [pick(['x', -1, Number.NaN, 2 ** 60]), pick([undefined, 1.5])]; break;
    case 'fcntl': {
      const cmd = pick([1, 2, 3, 4, 0, 1030, 'x', -1]);
      args = [fdArg(), cmd, cmd === 4 ? int(2 ** 31) | O_NONBLOCK : anyArg()];
      break;
    }
    case 'close': case 'dup': case 'eventfdRead': args = [fdArg(), anyArg()]; break;
    case 'signalfd': args = [pick([-1, ...owned, 'x']), pick([[], [10], [0], [99], ['x'], 'x', [1.5]]), pick([0, O_NONBLOCK, -1, 8])]; break;
    default: {
      const n = int(7);
      args = [];
      for (let i = 0; i < n; i++) args.push(rnd() < 0.5 ? fdArg() : rnd() < 0.5 ? bufArg() : anyArg());
      if (blocking.has(name) && typeof args[0] === 'number' && !owned.has(args[0])) args[0] = 99999;
    }
  }
  if (process.env.FUZZ_TRACE) writeSync(2, `${name} ${args.map((a) => { try { return describe(a); } catch { return 'proxy'; } }).join(' ')}\n`);
  try {
    const result = native[name](...args);
    if (creators.has(name)) track(result);
  } catch (e) {
    if (process.env.FUZZ_TRACE) writeSync(2, `  threw ${e?.constructor?.name} ${String(e?.message).slice(0, 80)}\n`);
  }
  if (process.env.FUZZ_TRACE) writeSync(2, '  done\n');
}

function exerciseObjects() {
  if (process.env.FUZZ_TRACE) writeSync(2, 'objects\n');
  try {
    if (rings.length < 3) rings.push(sys.IoUring.setup(pick([1, 4, 8, 2 ** 20, 0, 'x']), { flags: pick([0, 4, 16, 2, 1 << 14, int(2 ** 16)]), cqEntries: pick([0, 64, 2 ** 30]), singleMmap: rnd() < 0.5 }));
  } catch {}
  try {
    if (aios.length < 3) aios.push(sys.AioContext.setup(pick([1, 32, 2 ** 20, 0]), pick([1, 4, 8])));
  } catch {}
  for (const ring of rings) {
    if (ring.closed) continue;
    try {
      const n = randomSqes(ring);
      ring.enter(n, 0, pick([0, 8]), pick([undefined, 0]));
    } catch {}
    try { ring.enter(0, 1, 9, 1); } catch {}
    try { const cq = new Uint32Array(ring.cqRing); cq[ring.params.cqOff.head >>> 2] = cq[ring.params.cqOff.tail >>> 2]; } catch {}
    try { ring.register(int(40), bufArg(), int(300)); } catch {}
    try { native.munmap(pick([ring.sqes, ring.sqRing, new ArrayBuffer(8), anyArg()])); } catch {}
    if (rnd() < 0.1) ring.close();
  }
  for (const aio of aios) {
    if (aio.destroyed) continue;
    try {
      randomIocbs(aio);
      const idx = Uint32Array.from({ length: int(aio.iocbCount + 2) }, () => int(aio.iocbCount + 1));
      aio.submit(idx, pick([idx.length, 0, idx.length + 1]));
    } catch {}
    try { aio.cancel(pick([0, 1, -1, 99, 'x'])); } catch {}
    try { aio.getevents(0, 4, new Uint8Array(128), 0); } catch {}
    if (rnd() < 0.15) aio.destroy();
  }
  try {
    const fd = pick([...owned]);
    const w = new sys.FdPoll(fd, () => {
      if (rnd() < 0.5) throw new Error('cb');
    });
    w.start(pick([1, 2, 3, 15, 16, -1, 'x']));
    if (rnd() < 0.3) sys.close(fd), owned.delete(fd);
    if (rnd() < 0.5) w.close();
    else if (rnd() < 0.5) w.stop();
  } catch {}
}

process.on('uncaughtException', (e) => {
  // FdPoll callbacks throw on purpose; anything else is the fuzzer's own bug.
  if (e?.message !== 'cb') {
    console.error('fuzzer error:', e);
    process.exit(3);
  }
});

for (let i = 0; i < iterations; i++) {
  if (owned.size < 6) nonblockingPool();
  for (let j = 0; j < 8; j++) callNative(pick(natives));
  if (i % 4 === 0) exerciseObjects();
  if (owned.size > 200) {
    for (const fd of owned) try { sys.close(fd); } catch {}
    owned.clear();
  }
  if (i % 50 === 0) await new Promise((r) => setImmediate(r)); // let FdPoll callbacks and finalizers run
}
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 20));
console.log(`fuzz ok: seed ${process.argv[2]}, ${iterations} iterations`);
process.exit(0);
