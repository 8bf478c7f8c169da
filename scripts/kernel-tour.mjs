#!/usr/bin/env node
// A tour of what this kernel offers evring (pnpm tour), shown
// through the packages themselves. Every line is measured, nothing assumed.
import { readFileSync } from 'node:fs';
import * as abi from '@evring/abi';
import * as sys from '@evring/sys';

const {
  IORING_ENTER_GETEVENTS,
  IORING_OP_NOP,
  IORING_OP_POLL_ADD,
  IORING_OP_TIMEOUT,
  IORING_OP_EPOLL_CTL,
  O_NONBLOCK,
  O_CLOEXEC,
  POLLIN,
  EPOLLIN,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLL_EVENT_SIZE,
} = abi;

const line = (label, value) => console.log(`  ${label.padEnd(30)} ${value}`);
const features = Object.entries(abi)
  .filter(([name]) => name.startsWith('IORING_FEAT_'))
  .sort((a, b) => a[1] - b[1]);

console.log(`evring demo: kernel ${sys.kernelRelease()} on ${abi.ARCH}`);
const limit = sys.getrlimitNofile();
line('RLIMIT_NOFILE', `${limit.soft} (hard ${limit.hard})`);

// io_uring: features, probe, and a NOP through the mapped rings.
console.log('\nio_uring');
try {
  const ring = sys.IoUring.setup(8);
  const have = features.filter(([, bit]) => ring.params.features & bit).map(([n]) => n.slice(12));
  const lack = features
    .filter(([, bit]) => !(ring.params.features & bit))
    .map(([n]) => n.slice(12));
  line('features', have.join(' '));
  if (lack.length) line('missing features', lack.join(' '));
  line('rings mapped', ring.singleMmap ? 'once (single mmap)' : 'three times');
  const probe = ring.probe();
  const names = {
    NOP: IORING_OP_NOP,
    POLL_ADD: IORING_OP_POLL_ADD,
    TIMEOUT: IORING_OP_TIMEOUT,
    EPOLL_CTL: IORING_OP_EPOLL_CTL,
  };
  line(
    'opcodes supported',
    `${probe.supported.size} (last ${probe.lastOp}); ${Object.entries(names)
      .map(([n, op]) => `${n}${probe.supported.has(op) ? '' : '(no)'}`)
      .join(' ')}`,
  );

  const p = ring.params;
  const sq = new Uint32Array(ring.sqRing);
  const cq = new Uint32Array(ring.cqRing);
  const sqMask = sq[p.sqOff.ringMask >>> 2];
  const cqMask = cq[p.cqOff.ringMask >>> 2];
  const t0 = process.hrtime.bigint();
  const rounds = 10000;
  for (let i = 0; i < rounds; i++) {
    const tail = Atomics.load(sq, p.sqOff.tail >>> 2);
    const idx = tail & sqMask;
    abi.prepNop(new DataView(ring.sqes), idx * ring.sqeSize, i);
    Atomics.store(sq, (p.sqOff.array >>> 2) + idx, idx);
    Atomics.store(sq, p.sqOff.tail >>> 2, tail + 1);
    ring.enter(1, 1, IORING_ENTER_GETEVENTS);
    const head = Atomics.load(cq, p.cqOff.head >>> 2);
    const cqe = abi.readCqe(
      new DataView(ring.cqRing),
      p.cqOff.cqes + (head & cqMask) * ring.cqeSize,
    );
    if (cqe.userData !== BigInt(i) || cqe.res !== 0)
      throw new Error(`unexpected CQE ${JSON.stringify(cqe)}`);
    Atomics.store(cq, p.cqOff.head >>> 2, head + 1);
  }
  const ns = Number(process.hrtime.bigint() - t0) / rounds;
  line(
    'NOP round trip',
    `${(ns / 1000).toFixed(2)} µs (SQE written and CQE read from JS, one io_uring_enter)`,
  );
  ring.close();
} catch (err) {
  line('unavailable', err.message);
}

// Linux AIO: a poll on a pipe, completed into the mapped ring.
console.log('\nLinux AIO (IOCB_CMD_POLL)');
try {
  const aio = sys.AioContext.setup(64, 4);
  const hdr = abi.readAioRingHeader(new DataView(aio.ring), 0);
  line(
    'ring',
    `${hdr.nr} events, magic 0x${(hdr.magic >>> 0).toString(16)}, header ${hdr.headerLength} bytes (${abi.aioRingInvalidReason(hdr) ?? 'readable from user space'})`,
  );
  const [r, w] = sys.pipe2(O_NONBLOCK | O_CLOEXEC);
  abi.prepIocbPoll(new DataView(aio.iocbs), 0, r, POLLIN, r, 1, -1);
  sys.write(w, Buffer.from('x'));
  const t0 = process.hrtime.bigint();
  if (aio.submit(Uint32Array.of(0), 1) !== 1) throw new Error('io_submit refused the poll');
  // head at word 2, tail at word 3: the kernel completes an already-readable pipe at once.
  const words = new Uint32Array(aio.ring, 0, 8);
  for (let spins = 0; Atomics.load(words, 3) === Atomics.load(words, 2); spins++) {
    if (spins > 1e6) throw new Error('no completion arrived');
  }
  const head = Atomics.load(words, 2);
  const res = abi.ioEventRes(new DataView(aio.ring), 32 + head * 32);
  Atomics.store(words, 2, (head + 1) % hdr.nr);
  line(
    'poll round trip',
    `${(Number(process.hrtime.bigint() - t0) / 1000).toFixed(1)} µs, res 0x${res.toString(16)} (POLLIN${res & POLLIN ? '' : ' missing!'})`,
  );
  aio.destroy();
  sys.close(r);
  sys.close(w);
  const max = readFileSync('/proc/sys/fs/aio-max-nr', 'utf8').trim();
  const used = readFileSync('/proc/sys/fs/aio-nr', 'utf8').trim();
  line('fs.aio-nr / aio-max-nr', `${used} / ${max}`);
} catch (err) {
  line('unavailable', err.message);
}

// epoll: a pipe round trip.
console.log('\nepoll');
{
  const ep = sys.epollCreate1(EPOLL_CLOEXEC);
  const [r, w] = sys.pipe2(O_NONBLOCK | O_CLOEXEC);
  sys.epollCtl(ep, EPOLL_CTL_ADD, r, EPOLLIN, r, 7);
  const out = new Uint8Array(4 * EPOLL_EVENT_SIZE);
  const t0 = process.hrtime.bigint();
  sys.write(w, Buffer.from('x'));
  const n = sys.epollWait(ep, out, 4, 1000);
  const view = new DataView(out.buffer);
  line(
    'pipe round trip',
    `${(Number(process.hrtime.bigint() - t0) / 1000).toFixed(1)} µs, ${n} event: fd ${abi.epollEventDataLo(view, 0)} generation ${abi.epollEventDataHi(view, 0)} events 0x${abi.epollEventEvents(view, 0).toString(16)}`,
  );
  line('epoll_event', `${EPOLL_EVENT_SIZE} bytes on ${abi.ARCH}`);
  for (const fd of [r, w, ep]) sys.close(fd);
}

const counts = sys.syscallCounts();
console.log(
  `\nsyscalls made: ${Object.entries(counts)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);
