// Fuzz target, run in a child process by fuzz.test.ts: calls every export of
// the raw binding and of the package with random and hostile arguments,
// writes random SQEs and iocbs into real rings before submitting them, and
// plays hostile sequences: fds closed behind sys's back (Node's closeSync)
// and their numbers reused, dup'd, dup2'd over; memory sys depends on handed
// to pinnedFree; workers exiting with resources open. It must never die by a
// signal. Arguments that would legitimately block forever (an infinite
// timeout, waiting for completions that never come) are drawn from safe
// pools, so a hang is a bug too.
import { closeSync, readlinkSync, writeFileSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const sys = await import(join(here, '..', 'dist', 'index.js'));
const native = require(join(here, '..', 'build', 'Release', 'evring_sys.node'));

// What stdio names at the start: a fuzzer that closes or replaces one of
// Node's own fds (a double close, a tie on the wrong number) would lose its
// verdict silently. Checked at the end, the verdict also written to a file.
const stdioAt = () => [0, 1, 2].map((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`); } catch (e) { return e.code; } });
const stdioBefore = stdioAt().join(' ');

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
const notNumbers = () => hostile().filter((a) => typeof a !== 'number');
const fdArg = () => (owned.size && rnd() < 0.7 ? pick([...owned]) : pick([-1, 99999, 2 ** 31, 1.5, 'x', undefined, 1e9]));
// Never null or undefined: those mean "wait forever", a correct answer, not a bug to find.
const safeTimeout = () => pick([0, 0.3, 1, 2, Number.NaN, 'x', -0]);
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

// An IORING_OP_CLOSE on one of the fuzzer's fds may close it in the kernel:
// the number is no longer the fuzzer's to close (a later close of it would be
// a double close, hitting whatever file took the number next, Node's own
// included). The data file is opened afresh for the next round.
const OP_CLOSE = 19;
function forgetIfClosed(opcode, fd) {
  if (opcode !== OP_CLOSE) return;
  owned.delete(fd);
  if (fd === dataFd) dataFd = -1;
}

// Random SQEs through the ring's own bookkeeping, plus raw scribbles on the
// shared ring words (heads, tails, the index array) that JavaScript can
// reach: sys must check what the kernel will really consume.
function randomSqes(ring) {
  const view = ring.sqes;
  const n = 1 + int(6);
  let written = 0;
  for (let i = 0; i < n; i++) {
    const base = ring.nextSqe();
    if (base < 0) break;
    for (let b = 0; b < ring.sqeSize; b += 4) view.setUint32(base + b, int(2 ** 32));
    view.setUint8(base, int(64)); // opcode, including every pointer-writing one
    view.setInt32(base + 4, rnd() < 0.8 && owned.size ? pick([...owned]) : -1, true); // fd: never Node's own
    view.setBigUint64(base + 16, BigInt(pick([0, 1, 0x1000, 2 ** 47, int(2 ** 32)])), true);
    view.setUint32(base + 24, pick([0, 1, 8, 4096, int(2 ** 32)]), true);
    if (rnd() < 0.5) view.setUint8(base + 1, 0);
    forgetIfClosed(view.getUint8(base), view.getInt32(base + 4, true));
    ring.advance();
    written++;
  }
  if (ring.singleMmap && rnd() < 0.15) {
    // Scribble on the shared ring words JavaScript can reach: a bogus SQ
    // head, tail or index entry, or CQ head or tail.
    const p = ring.params;
    const words = new Uint32Array(ring.cqes.buffer);
    const target = pick([p.sqOff.head, p.sqOff.tail, p.sqOff.array + 4 * int(ring.sqEntries), p.cqOff.head, p.cqOff.tail]);
    words[target >>> 2] = pick([0, int(2 ** 32), 0xffffffff, ring.sqEntries]);
  }
  return written;
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
const creators = new Set(['eventfd', 'timerfdCreate', 'signalfd', 'pipe2', 'socketpair', 'dup', 'openpty', 'epollCreate1']);
const blocking = new Set(['epollWait', 'ringEnter', 'ioGetevents', 'read', 'recv', 'write', 'send', 'eventfdRead', 'eventfdWrite']);
// Live handles are slot + generation * 2^20: the first rings of a thread are 1048576, 1048577, ...
const handleArg = () => pick([0, 1, 1048576, 1048577, 1048578, 2097152, -1, 2 ** 53, 1.5, 'x', undefined]);

function callNative(name) {
  let args;
  switch (name) {
    case 'epollWait': args = [fdArg(), bufArg(), pick([1, 4, 0, -1, 'x', 1e9]), safeTimeout()]; break;
    case 'ringEnter': {
      const min = pick([0, Number.NaN, 'x', -1, 2 ** 33, 1]);
      const flags = pick([0, 1, 8, 9, 16, 0xff, int(2 ** 32), -1]);
      const t = safeTimeout();
      // Waiting for a completion that never comes needs a bounded wait.
      args = min === 1 ? [handleArg(), int(8), 1, 9, pick([0, 1, 2])] : [handleArg(), pick([0, 1, 8, 2 ** 32]), min, flags & ~1, t];
      break;
    }
    case 'ringSetup': args = [pick([1, 4, 8, 0, 2 ** 21, 'x']), pick([new Uint8Array(120), new Uint8Array(64), anyArg()]), pick([true, false, 1]), pick([true, false, 'x']), pick([true, false, undefined])]; break;
    case 'ringClose': case 'ringRegister': args = [handleArg(), int(40), bufArg(), int(300)]; break;
    case 'ioGetevents': args = [aios.length ? pick(aios).handle : anyArg(), pick([0, 1, 5, 'x']), pick([1, 4, 0, 1e9]), bufArg(), pick([0, 1, 2])]; break;
    case 'setrlimitNofile': args = [pick(['x', -1, Number.NaN, 2 ** 60]), pick([undefined, 1.5])]; break;
    case 'fcntl': {
      const cmd = pick([1, 2, 3, 4, 0, 1030, 'x', -1]);
      args = [fdArg(), cmd, cmd === 4 ? int(2 ** 31) | O_NONBLOCK : anyArg()];
      break;
    }
    case 'close': case 'dup': case 'eventfdRead': args = [fdArg(), anyArg(), pick([true, false, undefined, 'x'])]; break;
    // The tie calls close (closeOwned, or the environment's end) whatever
    // number was tied: a tie on one of Node's own fds (stdio, libuv's pipes
    // and eventfds) is a correct request to close it, not a bug to find.
    case 'ownFd': case 'closeOwned': case 'disownFd': case 'disownIfClosed': case 'claimFd': args = [rnd() < 0.8 ? fdArg() : pick(notNumbers())]; break;
    // dup2 onto one of Node's own fds (stdio, libuv's epoll) would replace it: a correct
    // effect, and a program that does it has broken Node, not sys. Targets are the fuzzer's.
    case 'dup2': args = [fdArg(), fdArg(), pick([true, false, undefined, 'x'])]; break;
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
    // A closed fd is no longer the fuzzer's: closing its number again would be
    // a double close, which can hit any file (Node's own, or sys's private
    // duplicates) and which no library can defend against. closeOwned may
    // have closed it too (when the fuzzer had called ownFd on it).
    if (name === 'close' || name === 'closeOwned') owned.delete(args[0]);
    if (name === 'ringSetup' && result && typeof result.handle === 'number') native.ringClose(result.handle);
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
      ring.enter(pick([n, ring.toSubmit, ring.sqEntries, 0]), 0, pick([0, 8]), pick([undefined, 0]));
    } catch {}
    try { ring.enter(0, 1, 9, 1); } catch {}
    try { ring.setCqHead(ring.cqTail); } catch {}
    try { ring.register(int(40), bufArg(), int(300)); } catch {}
    try { native.pinnedFree(pick([ring.sqes.buffer, ring.cqes.buffer, new ArrayBuffer(8), anyArg()])); } catch {}
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
    try { native.pinnedFree(pick([aio.iocbs, aio.ring])); } catch {}
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

// Hostile sequences: a file closed behind sys's back, its number reused by
// another file (or a dup of one), and sys's objects used on regardless.
const polls = [];
const relays = [];
const closedRingFds = new WeakSet();
function sequences() {
  if (process.env.FUZZ_TRACE) writeSync(2, 'sequences\n');
  const live = rings.filter((r) => !r.closed);
  // Only numbers the fuzzer knows to be open and its own: a ring's public fd
  // until it is closed once, and its own fds (watched and relayed ones too).
  const liveRingFds = live.filter((r) => !closedRingFds.has(r)).map((r) => r.fd);
  const candidates = [...owned, ...liveRingFds];
  if (candidates.length && rnd() < 0.6) {
    const victim = pick(candidates);
    try { closeSync(victim); } catch {}
    owned.delete(victim);
    for (const r of live) if (r.fd === victim) closedRingFds.add(r);
    // Reuse the number: a new file, or a dup of a ring, a pipe, an eventfd.
    const makers = [
      () => sys.eventfd(0, O_NONBLOCK),
      () => sys.pipe2(O_NONBLOCK)[0],
      () => (live.length ? sys.dup(pick(live).fd) : sys.eventfd(0, 0)),
      () => (owned.size ? sys.dup(pick([...owned])) : sys.eventfd(0, 0)),
    ];
    try { track(pick(makers)()); } catch {}
  }
  // dup2 emulated: close a number, dup into it.
  if (owned.size > 1 && rnd() < 0.3) {
    const [a, b] = [pick([...owned]), pick([...owned])];
    try { closeSync(b); owned.delete(b); track(sys.dup(a)); } catch {}
  }
  for (const p of polls.splice(0)) {
    try { pick([() => p.start(pick([1, 2, 3])), () => p.stop(), () => p.close(), () => p.start(1)])(); } catch {}
    if (!p.closed && rnd() < 0.7) polls.push(p);
  }
  if (owned.size && polls.length < 8) {
    try {
      const p = new sys.FdPoll(pick([...owned]), () => {});
      p.start(pick([1, 2, 3]));
      polls.push(p);
    } catch {}
  }
  if (owned.size && relays.length < 4 && rnd() < 0.3) {
    try {
      const efd = sys.eventfd(0, O_NONBLOCK);
      own(efd);
      sys.signalRelayAdd(12, efd);
      relays.push(efd);
    } catch {}
  }
  if (relays.length && rnd() < 0.3) {
    try { process.kill(process.pid, 'SIGUSR2'); } catch {}
    try { sys.signalRelayTake(pick(relays)); } catch {}
    if (rnd() < 0.3) try { sys.signalRelayRemove(12, relays.pop()); } catch {}
  }
  for (const ring of live) {
    try { ring.enter(ring.toSubmit, 0, 0); } catch {}
    if (rnd() < 0.05) ring.close();
  }
}

// Tracking rings (DEFER_TASKRUN): random READ/WRITE/READV/WRITEV/cancel/NOP SQEs aimed
// at pinned blocks, their edges, heap memory and random addresses; user_data
// that looks like sys's tokens; forged CQEs and tails; blocks freed and
// collected mid-operation; rings closed with reads in flight. Canaries (heap
// buffers and pinned blocks no SQE is aimed at) must come out untouched, and
// in the end no operation may hold memory.
const DEFER = (1 << 12) | (1 << 13);
let dataOps = 0; // completions with a positive result: bytes the kernel really moved, polls that fired
const tracked = [];
const blocks = [];
const CANARY = 0xa5;
const canaries = [new Uint8Array(4096).fill(CANARY), Buffer.alloc(65536, CANARY)];
const pinnedCanaries = [];
for (let i = 0; i < 4; i++) {
  const c = sys.pinnedAlloc(4096);
  new Uint8Array(c.buffer).fill(CANARY);
  pinnedCanaries.push(c);
}
let dataFd = -1;
function trackedOps() {
  if (dataFd < 0) {
    const fs = require('node:fs');
    fs.writeFileSync('data', Buffer.alloc(1 << 16, 1));
    dataFd = fs.openSync('data', 'r+');
  }
  if (tracked.length < 2) tracked.push(sys.IoUring.setup(pick([4, 8, 32]), { flags: DEFER, singleMmap: rnd() < 0.5, holdOpenedFds: rnd() < 0.5 }));
  if (blocks.length < 6) blocks.push(sys.pinnedAlloc(pick([64, 4096, 65536])));
  // Read afresh for every SQE: one may close the data file or an owned fd.
  const fds = () => [dataFd, ...[...owned].slice(0, 4), -1, 99999];
  for (const ring of tracked) {
    if (ring.closed) continue;
    try {
      fuzzTrackedRing(ring, fds);
    } catch {
      // The raw binding's ringClose may have closed it behind the object's back: its buffers are detached.
      ring.close();
    }
  }
  if (rnd() < 0.3 && blocks.length > 0) {
    const b = blocks.splice(int(blocks.length), 1)[0];
    if (rnd() < 0.5) sys.pinnedFree(b.buffer); // else left to the collector
  }
  for (let i = tracked.length - 1; i >= 0; i--) if (tracked[i].closed) tracked.splice(i, 1);
}

function fuzzTrackedRing(ring, fds) {
  {
    const n = int(ring.sqEntries + 1);
    for (let k = 0; k < n; k++) {
      const at = ring.nextSqe();
      if (at < 0) break;
      const q = ring.sqeWords;
      const b = pick(blocks);
      const len = pick([1, 8, 4096, 65536, 1 << 20, int(2 ** 32)]);
      const addr = pick([
        b.address, b.address + int(b.buffer.byteLength || 64), b.address - 8, b.address + 65536,
        0, int(2 ** 48), 4096,
      ]);
      // READ WRITE NOP ASYNC_CANCEL POLL_ADD TIMEOUT FSYNC OPENAT CLOSE STATX RENAMEAT UNLINKAT MKDIRAT
      // SYMLINKAT LINKAT FTRUNCATE, random.
      // Paths come from block contents (zeros, and the data file's 0x01 bytes): relative names in the fuzzer's temp cwd.
      // 4, 5: READ_FIXED, WRITE_FIXED; 1, 2: READV, WRITEV (the iovec array is whatever the block holds).
      const op = pick([22, 23, 0, 14, 6, 11, 3, 22, 23, 18, 19, 21, 35, 36, 37, 38, 39, 55, 4, 5, 1, 2, int(64)]);
      for (let w = 0; w < ring.sqeSize / 4; w++) q[(at >>> 2) + w] = 0;
      q[at >>> 2] = op | (pick([0, 0, 0, 4, 8, 16, 32, 64, int(256)]) << 8); // flags: LINK, HARDLINK, ASYNC, BUFFER_SELECT, SKIP_SUCCESS, random
      q[(at >>> 2) + 1] = pick(fds());
      const addr2 = pick([b.address, b.address + int(b.buffer.byteLength || 64), int(2 ** 32)]);
      q[(at >>> 2) + 2] = pick([0, 0xffffffff, int(4096), addr2 >>> 0]);
      q[(at >>> 2) + 3] = pick([0, 0xffffffff, Math.floor(addr2 / 2 ** 32)]);
      q[(at >>> 2) + 4] = addr >>> 0;
      q[(at >>> 2) + 5] = Math.floor(addr / 2 ** 32);
      q[(at >>> 2) + 6] = len >>> 0;
      q[(at >>> 2) + 7] = pick([0, 0, int(2 ** 32)]);
      if ((op === 4 || op === 5) && rnd() < 0.7) q[(at >>> 2) + 10] = int(3); // buf_index
      q[(at >>> 2) + 8] = int(2 ** 32); // user_data: anything, tokens included
      q[(at >>> 2) + 9] = pick([int(2 ** 32), 0x80000000 | int(2 ** 31), 0]);
      if (rnd() < 0.1) q[(at >>> 2) + 12] = int(2 ** 32); // bytes 48-63
      if (rnd() < 0.4 && b.buffer.byteLength > 0) {
        // A well-formed one, so the kernel really moves bytes in and out of pinned memory.
        const size = b.buffer.byteLength;
        const off = int(size);
        for (let w = 0; w < ring.sqeSize / 4; w++) q[(at >>> 2) + w] = 0;
        q[at >>> 2] = pick([22, 23]);
        q[(at >>> 2) + 1] = dataFd;
        q[(at >>> 2) + 2] = int(1 << 16);
        q[(at >>> 2) + 4] = (b.address + off) >>> 0;
        q[(at >>> 2) + 5] = Math.floor((b.address + off) / 2 ** 32);
        q[(at >>> 2) + 6] = 1 + int(size - off);
        q[(at >>> 2) + 8] = int(2 ** 32);
      }
      if (rnd() < 0.15 && b.buffer.byteLength >= 64) vectoredSqe(q, at, b);
      forgetIfClosed(q[at >>> 2] & 0xff, q[(at >>> 2) + 1] | 0);
      ring.advance();
    }
    if (rnd() < 0.05) {
      // Fixed buffers: register some blocks (or junk), or let them go.
      try {
        if (rnd() < 0.5) ring.registerBuffers(blocks.slice(0, 1 + int(3)).map((x) => x.buffer));
        else ring.unregisterBuffers();
      } catch {}
    }
    if (rnd() < 0.2) {
      // Forge CQEs from the tokens sys wrote into the SQEs, and move the tail.
      const cq = ring.cqWords;
      const tail = ring.cqTail;
      for (let f = 0; f < 4; f++) {
        const c = ring.cqeAt(tail + f) >>> 2;
        cq[c] = ring.sqeWords[int(ring.sqeWords.length)];
        cq[c + 1] = 0x80000000 | int(2 ** 31);
        cq[c + 2] = int(2 ** 32);
        cq[c + 3] = pick([0, 2]);
      }
      cq[ring.params.cqOff.tail >>> 2] = tail + pick([1, 4, ring.cqEntries, int(2 ** 32)]);
    }
    if (rnd() < 0.1) ring.cqWords[ring.params.cqOff.head >>> 2] = int(2 ** 32);
    try { ring.enter(pick([ring.toSubmit, 0, n]), 0, pick([1, 1, 0])); } catch {}
    // The iovec arrays just submitted now name a canary: whenever the kernel
    // imports an array, it must be the copy sys checked. Zeroed again below,
    // before anything else can submit them.
    for (const { view, count } of iovecArrays) {
      for (let e = 0; e < count; e++) {
        view.setBigUint64(e * 16, BigInt(pinnedCanaries[0].address), true);
        view.setBigUint64(e * 16 + 8, 64n, true);
      }
    }
    const ready = Math.min((ring.cqTail - ring.cqHead) >>> 0, ring.cqEntries); // head may be forged too
    for (let h = ring.cqHead, k = 0; k < ready; h = (h + 1) >>> 0, k++) {
      if (ring.cqes.getInt32(ring.cqeAt(h) + 8, true) > 0) dataOps++;
    }
    try { ring.setCqHead(ring.cqTail); } catch {}
    for (const { view, count } of iovecArrays.splice(0)) {
      for (let e = 0; e < count * 16; e += 8) view.setBigUint64(e, 0n, true);
    }
    if (rnd() < 0.05) ring.close();
  }
}

// Iovec arrays written into pinned blocks this round, rewritten after the enter.
const iovecArrays = [];

// A READV or WRITEV on the data file, its iovec array in block `b`, its
// entries in pinned blocks (edges and overruns included) or wild.
function vectoredSqe(q, at, b) {
  const size = b.buffer.byteLength;
  const count = pick([0, 1, 1, 2, 2, 4, 4, 1025]);
  const arrayAt = int(size - Math.min(count, 4) * 16 + 1) & ~7;
  if (arrayAt < 0) return;
  const view = new DataView(b.buffer, arrayAt);
  const entries = Math.min(count, Math.floor((size - arrayAt) / 16));
  for (let e = 0; e < entries; e++) {
    const t = pick(blocks);
    const tsize = t.buffer.byteLength || 64;
    const off = int(tsize);
    // Mostly well-formed, so that the kernel really moves bytes through the copies.
    const wild = rnd() < 0.1;
    view.setBigUint64(e * 16, BigInt(wild ? pick([0x1000, int(2 ** 32)]) : t.address + off), true);
    const len = rnd() < 0.9 ? 1 + int(tsize - off) : pick([0, tsize - off + 1, 2 ** 31]);
    view.setBigUint64(e * 16 + 8, BigInt(len), true);
  }
  for (let w = 0; w < 16; w++) q[(at >>> 2) + w] = 0;
  q[at >>> 2] = pick([1, 2]) | (pick([0, 0, 0, 4, 8]) << 8);
  q[(at >>> 2) + 1] = dataFd;
  q[(at >>> 2) + 2] = int(1 << 16);
  const addr = b.address + arrayAt;
  q[(at >>> 2) + 4] = addr >>> 0;
  q[(at >>> 2) + 5] = Math.floor(addr / 2 ** 32);
  q[(at >>> 2) + 6] = count;
  q[(at >>> 2) + 8] = int(2 ** 32);
  iovecArrays.push({ view, count: entries });
}

// A tracking AIO context: random iocbs (every command, pinned and wild
// buffers, iovec arrays of random content), resubmitted indices, random
// reaping, destroys with completions unreaped. All fds are non-blocking or
// regular files, so no buffered AIO waits forever inside io_submit.
let trackedAio = null;
function trackedAioOps() {
  if (!trackedAio || trackedAio.destroyed) trackedAio = sys.AioContext.setup(pick([4, 16]), 8, { tracking: true });
  const aio = trackedAio;
  if (blocks.length === 0) blocks.push(sys.pinnedAlloc(4096));
  const cbs = new Uint32Array(aio.iocbs);
  const fds = [dataFd, ...[...owned].slice(0, 4), -1];
  const n = 1 + int(4);
  const idx = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const i = int(8);
    idx[k] = i;
    const b = pick(blocks);
    const size = b.buffer.byteLength || 64;
    const at = i * 16;
    for (let w = 0; w < 16; w++) cbs[at + w] = 0;
    const op = pick([0, 1, 2, 3, 5, 6, 7, 8, int(16)]);
    const addr = pick([b.address, b.address + int(size), b.address - 8, 0x1000, int(2 ** 47)]);
    cbs[at + 4] = op; // aio_lio_opcode (u16) | aio_reqprio
    cbs[at + 5] = pick(fds);
    cbs[at + 6] = addr >>> 0;
    cbs[at + 7] = Math.floor(addr / 2 ** 32);
    cbs[at + 8] = pick([1, 16, size, int(2 ** 20), 3]);
    cbs[at + 10] = int(1 << 16);
    if (op === 7 || op === 8) {
      // An iovec array at the block's start, its entries half sane, half wild.
      const dv = new DataView(b.buffer.byteLength ? b.buffer : new ArrayBuffer(64));
      for (let v = 0; v + 16 <= Math.min(dv.byteLength, 48); v += 16) {
        dv.setBigUint64(v, BigInt(pick([b.address + 32, int(2 ** 40)])), true);
        dv.setBigUint64(v + 8, BigInt(pick([8, 16, int(2 ** 20)])), true);
      }
    }
    if (rnd() < 0.1) cbs[at + 14] = int(2 ** 32); // aio_flags / aio_resfd: RESFD with a random fd
  }
  try { aio.submit(idx, n); } catch {}
  if (rnd() < 0.7) {
    const out = new Uint8Array(16 * 32);
    const got = aio.getevents(0, 16, out, 0);
    if (got > 0) for (let e = 0; e < got; e++) if (new DataView(out.buffer).getInt32(e * 32 + 16, true) > 0) dataOps++;
  }
  if (rnd() < 0.05) aio.destroy();
}

function checkTracked() {
  trackedAio?.destroy();
  for (const ring of tracked) ring.close();
  if (dataFd >= 0) closeSync(dataFd);
  for (const b of blocks) sys.pinnedFree(b.buffer);
  const stats = sys.pinnedStats();
  const intact = (u8) => u8.every((x) => x === CANARY);
  if (!canaries.every(intact) || !pinnedCanaries.every((c) => intact(new Uint8Array(c.buffer)))) {
    console.error('a canary was overwritten');
    process.exit(4);
  }
  if (dataOps === 0) {
    console.error('no tracked operation ever completed: the fuzz did not reach the kernel');
    process.exit(6);
  }
  if (stats.held !== 0) {
    console.error('operations still hold pinned memory after every ring closed:', stats);
    process.exit(5);
  }
}

// A worker that opens one of everything and exits (or is terminated) without closing any of it.
let workers = 0;
async function workerExit() {
  if (process.env.FUZZ_TRACE) writeSync(2, 'worker\n');
  workers++;
  const code = `
    const { parentPort } = require('node:worker_threads');
    import(${JSON.stringify(join(here, '..', 'dist', 'index.js'))}).then((sys) => {
      const ring = sys.IoUring.setup(4);
      const aio = sys.AioContext.setup(8, 2);
      const [r, w] = sys.pipe2(0);
      const p = new sys.FdPoll(r, () => {});
      p.start(1);
      parentPort.postMessage([r, w]);
      if (${rnd() < 0.5}) process.exit(0);
    });
  `;
  const w = new Worker(code, { eval: true });
  const fds = await new Promise((res) => { w.once('message', res); w.once('error', () => res([])); w.once('exit', () => res([])); });
  await w.terminate();
  for (const fd of fds) try { sys.close(fd); } catch {}
}

process.on('SIGUSR2', () => {}); // keeps libuv's handler under the relay

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
  if (i % 3 === 0) sequences();
  if (i % 2 === 0) trackedOps();
  if (i % 2 === 1) trackedAioOps();
  if (i % 60 === 30) await workerExit();
  if (owned.size > 200) {
    for (const fd of owned) try { sys.close(fd); } catch {}
    owned.clear();
  }
  if (i % 50 === 0) await new Promise((r) => setImmediate(r)); // let FdPoll callbacks and finalizers run
}
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 20));
checkTracked();
for (const p of polls) try { p.close(); } catch {}
for (const efd of relays) try { sys.signalRelayRemove(12, efd); } catch {}
const stdioAfter = stdioAt().join(' ');
if (stdioAfter !== stdioBefore) {
  writeFileSync('fuzz-result', `stdio changed: ${stdioBefore} -> ${stdioAfter}\n`);
  process.exit(7);
}
const verdict = `hot calls: ${native.hotCallEntry}\nfuzz ok: seed ${process.argv[2]}, ${iterations} iterations, ${workers} workers, ${dataOps} tracked completions with a result\n`;
writeFileSync('fuzz-result', verdict);
process.stdout.write(verdict);
process.exit(0);
