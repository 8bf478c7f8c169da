// Run by hot-call-entry.test.ts, once with the hot calls entered straight
// from V8 and once through Node-API (EVRING_SYS_NODE_API=1): calls each hot
// call with every argument shape in turn, from a valid call, and prints one
// JSON line per call: what it returned or threw, and the bytes it moved.
// The two runs must print the same lines.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const sys = await import(join(here, '..', 'dist', 'index.js'));
const native = require(join(here, '..', 'build', 'Release', 'evring_sys.node'));

const O_NONBLOCK = 0o4000;
const lines = [];

function outcome(fn) {
  try {
    const r = fn();
    return { r: typeof r === 'number' && Object.is(r, -0) ? '-0' : r };
  } catch (err) {
    return { name: err?.constructor?.name, code: err?.code, message: String(err?.message) };
  }
}

function detachedView() {
  const ab = new ArrayBuffer(8);
  const view = new Uint8Array(ab);
  structuredClone(ab, { transfer: [ab] });
  return view;
}

// The same shapes, made afresh for each call (a call may fill a buffer).
const numbers = () => [
  ['0', 0],
  ['1', 1],
  ['-1', -1],
  ['1.5', 1.5],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-0', -0],
  ['2^31-1', 2 ** 31 - 1],
  ['2^31', 2 ** 31],
  ['2^32', 2 ** 32],
  ['2^53', 2 ** 53],
  ['heap 3', 3 + Number.EPSILON * 0], // a double that holds an integer
  ['string', '1'],
  ['null', null],
  ['undefined', undefined],
  ['true', true],
  ['bigint', 1n],
  ['object', {}],
  ['Number', new Number(1)],
];

const views = () => {
  const rab = new ArrayBuffer(8, { maxByteLength: 16 });
  const tracking = new Uint8Array(rab);
  const shrunk = new ArrayBuffer(8, { maxByteLength: 16 });
  const outOfBounds = new Uint8Array(shrunk, 4, 4);
  shrunk.resize(2);
  return [
    ['Buffer', Buffer.alloc(8)],
    ['Uint8Array', new Uint8Array(8)],
    ['Uint8Array offset', new Uint8Array(new ArrayBuffer(16), 4, 8)],
    ['on-heap small', new Uint8Array(4)],
    ['Float64Array', new Float64Array(1)],
    ['DataView', new DataView(new ArrayBuffer(8))],
    ['SharedArrayBuffer view', new Uint8Array(new SharedArrayBuffer(8))],
    ['resizable, tracking', tracking],
    ['resizable, out of bounds', outOfBounds],
    ['detached', detachedView()],
    ['ArrayBuffer', new ArrayBuffer(8)],
    ['string', 'abcd'],
    ['null', null],
    ['undefined', undefined],
  ];
};

function bytesOf(v) {
  if (!ArrayBuffer.isView(v)) return undefined;
  try {
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  } catch {
    return 'unreadable';
  }
}

function drain(fd) {
  const out = Buffer.alloc(64);
  let all = '';
  for (;;) {
    const n = sys.read(fd, out, 0, 64);
    if (n <= 0) return all;
    all += out.subarray(0, n).toString('hex');
  }
}

// (fd, buffer, offset, length[, flags]): each argument varied from a valid call.
function dataCalls(name, call, fds) {
  const base = (args) => args;
  for (let i = 0; i < (name === 'send' || name === 'recv' ? 5 : 4); i++) {
    const pool = i === 1 ? views() : numbers();
    for (const [label, value] of pool) {
      const [readEnd, writeEnd] = fds();
      if (name === 'read' || name === 'recv') sys.write(writeEnd, Buffer.from('abcd'), 0, 4);
      const args = base([name === 'read' || name === 'recv' ? readEnd : writeEnd, Buffer.alloc(8), 1, 3, 0]);
      if (i === 1) args[1] = value;
      else if (i === 0 && typeof value === 'number' && value >= 0 && value < 1000 && Number.isInteger(value)) {
        args[0] = value === 0 ? 2 ** 20 : value + 900; // a number with no file behind it
      } else args[i] = value;
      if (name === 'read' || name === 'write') args.length = 4;
      const o = outcome(() => call(...args));
      const moved = name === 'write' || name === 'send' ? drain(readEnd) : bytesOf(args[1]);
      lines.push(JSON.stringify({ call: name, arg: i + 1, shape: label, ...o, moved }));
      drain(readEnd);
    }
  }
  // Fewer arguments than the call takes: the optional ones absent.
  for (let count = 0; count <= 4; count++) {
    const [readEnd, writeEnd] = fds();
    sys.write(writeEnd, Buffer.from('abcd'), 0, 4);
    const buf = Buffer.alloc(8);
    const args = [name === 'read' || name === 'recv' ? readEnd : writeEnd, buf, 0, 8, 0].slice(0, count);
    const o = outcome(() => call(...args));
    lines.push(JSON.stringify({ call: name, argc: count, ...o, moved: bytesOf(buf) }));
    drain(readEnd);
  }
}

const pipe = sys.pipe2(O_NONBLOCK);
const pair = sys.socketpair(1 /* AF_UNIX */, 1 /* SOCK_STREAM */ | O_NONBLOCK, 0);
dataCalls('read', sys.read, () => pipe);
dataCalls('write', sys.write, () => pipe);
dataCalls('send', sys.send, () => [pair[0], pair[1]]);
dataCalls('recv', sys.recv, () => [pair[0], pair[1]]);

// eventfdRead(fd) and eventfdWrite(fd, value) on an eventfd with a count.
const efd = sys.eventfd(0, O_NONBLOCK);
for (const [label, value] of numbers()) {
  sys.eventfdWrite(efd, 5);
  const fd = typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1000 ? value + 900 : value;
  lines.push(JSON.stringify({ call: 'eventfdRead', shape: label, ...outcome(() => sys.eventfdRead(fd)) }));
  lines.push(JSON.stringify({ call: 'eventfdRead', shape: 'valid', ...outcome(() => sys.eventfdRead(efd)) }));
  lines.push(JSON.stringify({ call: 'eventfdWrite', arg: 2, shape: label, ...outcome(() => sys.eventfdWrite(efd, value)) }));
  lines.push(JSON.stringify({ call: 'eventfdWrite', arg: 1, shape: label, ...outcome(() => sys.eventfdWrite(fd, 1)) }));
  sys.eventfdRead(efd);
}

// epollWait(epfd, out, maxevents, timeoutMs?) with an fd always ready, so no shape blocks.
const ep = sys.epollCreate1(0);
const ready = sys.eventfd(1, O_NONBLOCK);
sys.epollCtl(ep, 1 /* ADD */, ready, 1 /* EPOLLIN */, ready, 0);
for (let i = 0; i < 4; i++) {
  const pool = i === 1 ? views() : numbers();
  for (const [label, value] of pool) {
    const out = new Uint8Array(64);
    const args = [ep, out, 2, 0];
    if (i === 0 && typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1000) args[0] = value + 900;
    else args[i] = value;
    const o = outcome(() => sys.epollWait(...args));
    lines.push(JSON.stringify({ call: 'epollWait', arg: i + 1, shape: label, ...o, moved: bytesOf(args[1]) }));
  }
}
lines.push(JSON.stringify({ call: 'epollWait', argc: 3, ...outcome(() => sys.epollWait(ep, new Uint8Array(64), 2)) }));

// ringEnter(handle, toSubmit, minComplete, flags, timeoutMs?, minWaitUsec?): nothing to wait for.
const ring = sys.IoUring.setup(8);
const GETEVENTS = 1;
const EXT_ARG = 8;
for (let i = 0; i < 6; i++) {
  for (const [label, value] of numbers()) {
    const args = [ring.handle, 0, 0, GETEVENTS | EXT_ARG, 0, 0];
    if (i === 0 && typeof value === 'number' && Number.isInteger(value) && value >= 0) args[0] = value + 900;
    else if (i === 2 && typeof value === 'number' && value >= 1) continue; // would wait for a completion
    else args[i] = value;
    lines.push(JSON.stringify({ call: 'ringEnter', arg: i + 1, shape: label, ...outcome(() => native.ringEnter(...args)) }));
  }
}
for (let count = 0; count <= 6; count++) {
  const args = [ring.handle, 0, 0, 0, undefined, undefined].slice(0, count);
  lines.push(JSON.stringify({ call: 'ringEnter', argc: count, ...outcome(() => native.ringEnter(...args)) }));
}
ring.close();
lines.push(JSON.stringify({ call: 'ringEnter', shape: 'closed ring', ...outcome(() => native.ringEnter(ring.handle, 0, 0, 0)) }));

// ioSubmit(handle, indices, count) on an ordinary context: poll iocbs on a
// pipe with data, so each completes at once; the completions are reaped.
const aio = sys.AioContext.setup(64, 4);
const iocbs = new Uint32Array(aio.iocbs);
const polled = sys.pipe2(O_NONBLOCK);
sys.write(polled[1], Buffer.from('x'), 0, 1);
const IOCB_CMD_POLL = 5;
const IOCB_CMD_PREAD = 0;
for (let i = 0; i < 4; i++) {
  iocbs.fill(0, i * 16, i * 16 + 16);
  iocbs[i * 16 + 4] = i === 3 ? IOCB_CMD_PREAD : IOCB_CMD_POLL; // aio_lio_opcode (low half)
  iocbs[i * 16 + 5] = polled[0]; // aio_fildes
  iocbs[i * 16 + 6] = 1; // aio_buf: POLLIN
}
const reap = () => aio.getevents(0, 64, new Uint8Array(64 * 32), 0);
const indexShapes = () => [
  ['Uint32Array', Uint32Array.of(0, 1)],
  ['Uint32Array offset', new Uint32Array(Uint32Array.of(9, 0, 1).buffer, 4, 2)],
  ['index out of range', Uint32Array.of(0, 9)],
  ['not a poll', Uint32Array.of(0, 3)],
  ['Int32Array', Int32Array.of(0, 1)],
  ['Uint8Array', Uint8Array.of(0, 1)],
  ['Float64Array', Float64Array.of(0, 1)],
  ['ArrayBuffer', Uint32Array.of(0, 1).buffer],
  ['detached', (() => {
    const v = Uint32Array.of(0, 1);
    structuredClone(v.buffer, { transfer: [v.buffer] });
    return v;
  })()],
  ['string', '01'],
  ['null', null],
];
for (let i = 0; i < 3; i++) {
  const pool = i === 1 ? indexShapes() : numbers();
  for (const [label, value] of pool) {
    const args = [aio.handle, Uint32Array.of(0, 1), 2];
    if (i === 0 && typeof value === 'number' && Number.isInteger(value) && value >= 0) args[0] = value + 900;
    else args[i] = value;
    const o = outcome(() => native.ioSubmit(...args));
    lines.push(JSON.stringify({ call: 'ioSubmit', arg: i + 1, shape: label, ...o, reaped: reap() }));
  }
}
aio.destroy();
lines.push(JSON.stringify({ call: 'ioSubmit', shape: 'destroyed', ...outcome(() => native.ioSubmit(aio.handle, Uint32Array.of(0), 1)) }));

for (const fd of [...pipe, ...pair, ...polled, efd, ep, ready]) sys.close(fd);
process.stdout.write(`${JSON.stringify({ entry: native.hotCallEntry, calls: lines.length })}\n${lines.join('\n')}\n`);
