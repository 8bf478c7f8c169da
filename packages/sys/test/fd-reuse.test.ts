/**
 * Resources have identities, not numbers: an fd closed behind sys's back
 * (Node's fs.closeSync, another addon, a worker) and its number reused must
 * never make sys act on the wrong file, free memory it still uses, or kill
 * somebody else's watcher. Each case is one of the sequences that broke an
 * earlier sys.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, readFileSync, readlinkSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import {
  cqeRes,
  cqeUserDataLo,
  errno,
  IORING_ENTER_GETEVENTS,
  O_CLOEXEC,
  O_NONBLOCK,
  POLLIN,
  prepIocbPoll,
  prepNop,
  prepRead,
  sqeSetData,
} from '@evring/abi';
import { describe, expect, it } from 'vitest';
import {
  AioContext,
  close,
  dup,
  eventfd,
  eventfdWrite,
  FdPoll,
  fcntl,
  IoUring,
  pinnedAlloc,
  pinnedFree,
  pipe2,
  read,
  resetSyscallCounts,
  signalRelayAdd,
  signalRelayRemove,
  syscallCounts,
  UV_READABLE,
  write,
} from '../src/index.js';

const distEntry = new URL('../dist/index.js', import.meta.url).href;
const F_GETFD = 1;

/** Whether `fd` is open. */
function isOpen(fd: number): boolean {
  try {
    fcntl(fd, F_GETFD);
    return true;
  } catch {
    return false;
  }
}

/** Opens files with `make` until one gets number `fd`; closes the others. */
function takeNumber(fd: number, make: () => number): number {
  const extra: number[] = [];
  try {
    for (let i = 0; i < 64; i++) {
      const n = make();
      if (n === fd) return n;
      extra.push(n);
    }
  } finally {
    for (const n of extra) close(n);
  }
  throw new Error(`could not get fd number ${fd} back`);
}

/** One NOP through `ring`: its user_data comes back on this ring's CQ. */
function nopRoundTrip(ring: IoUring, userData: number): number[] {
  const at = ring.nextSqe();
  prepNop(ring.sqeWords, at);
  sqeSetData(ring.sqeWords, at, userData, 0);
  ring.advance();
  expect(ring.enter(1, 1, IORING_ENTER_GETEVENTS)).toBe(1);
  const out: number[] = [];
  let head = ring.cqHead;
  for (; head !== ring.cqTail; head = (head + 1) >>> 0) {
    out.push(cqeUserDataLo(ring.cqes, ring.cqeAt(head)));
  }
  ring.setCqHead(head);
  return out;
}

/** Runs an ES module script in a fresh node; returns its exit signal, status and output. */
function runChild(script: string, args: string[] = [], timeout = 20_000) {
  return spawnSync(process.execPath, [...args, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout,
    killSignal: 'SIGKILL',
  });
}

function _ioUringMappings(): number {
  return readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((l) => l.includes('io_uring') || l.includes('[aio]') || l.includes('/aio')).length;
}

describe('a ring keeps its identity when its fd number is closed and reused', () => {
  it('entering ring B after B.fd was closed and dup(A.fd) took the number still enters B', () => {
    const a = IoUring.setup(4);
    const b = IoUring.setup(4);
    try {
      closeSync(b.fd); // behind sys's back
      const y = takeNumber(b.fd, () => dup(a.fd));
      expect(nopRoundTrip(b, 2)).toEqual([2]);
      expect(a.cqTail).toBe(0); // nothing landed on A
      expect(nopRoundTrip(a, 1)).toEqual([1]);
      close(y);
    } finally {
      a.close();
      b.close();
    }
  });

  it('a READ into pinned memory is refused on every ring, whatever number names it', () => {
    const a = IoUring.setup(4);
    const b = IoUring.setup(4);
    const mem = pinnedAlloc(64);
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    try {
      write(w, Buffer.from('secret'));
      closeSync(b.fd);
      const y = takeNumber(b.fd, () => dup(a.fd));
      resetSyscallCounts();
      const at = a.nextSqe();
      prepRead(a.sqeWords, at, r, mem.address, 6, -1);
      sqeSetData(a.sqeWords, at, 7, 0);
      a.advance();
      expect(a.enter(1, 1, IORING_ENTER_GETEVENTS)).toBe(1);
      expect(cqeRes(a.cqes, a.cqeAt(a.cqHead))).toBe(-errno.EINVAL);
      expect(syscallCounts().sqe_rejected).toBe(1);
      expect(Buffer.from(mem.buffer).subarray(0, 6).toString()).toBe('\0'.repeat(6));
      close(y);
    } finally {
      a.close();
      b.close();
      pinnedFree(mem.buffer);
      close(r);
      close(w);
    }
  });

  it("closing a ring whose fd number now names someone else's file leaves that file open", () => {
    const ring = IoUring.setup(4);
    closeSync(ring.fd);
    const e = takeNumber(ring.fd, () => eventfd(0, O_CLOEXEC));
    ring.close();
    expect(isOpen(e)).toBe(true);
    expect(readlinkSync(`/proc/self/fd/${e}`)).toBe('anon_inode:[eventfd]');
    close(e);
  });

  it("a ring collected by the GC leaves someone else's file open too", () => {
    const res = runChild(
      `
      import { IoUring, eventfd, fcntl } from '${distEntry}';
      import { closeSync } from 'node:fs';
      let ring = IoUring.setup(4);
      const fd = ring.fd;
      closeSync(fd);
      const e = eventfd(0, 0);
      if (e !== fd) throw new Error('number not reused');
      ring = null;
      for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
      fcntl(e, 1);
      console.log('open');
      `,
      ['--expose-gc'],
    );
    expect(res.signal, res.stderr).toBeNull();
    expect(res.stdout, res.stderr).toBe('open\n');
  });

  it("a ring's handle means nothing in another worker, which can neither enter nor close it", async () => {
    const ring = IoUring.setup(4);
    try {
      const handle = (ring as unknown as Record<string, unknown>).fd; // the public number is all a worker could learn
      const code = `
        const { parentPort, workerData } = require('node:worker_threads');
        const { createRequire } = require('node:module');
        const native = createRequire(workerData.pkg)('./build/Release/evring_sys.node');
        const out = {};
        for (const h of [0, 1, 1048576, 1048577, workerData.fd]) {
          out[h] = { enter: native.ringEnter(h, 0, 0, 0), close: native.ringClose(h) };
        }
        parentPort.postMessage(out);
      `;
      const pkg = new URL('../package.json', import.meta.url).pathname;
      // execArgv: not the test runner's module hooks.
      const worker = new Worker(code, {
        eval: true,
        workerData: { fd: handle, pkg },
        execArgv: [],
      });
      // Listened for at once: when the worker's exit is noticed before its
      // message, Node emits 'message' and then 'exit' in the same tick, and
      // a listener added after awaiting the message would wait forever.
      const exited = new Promise((r) => worker.once('exit', r));
      const out = (await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      })) as Record<string, { enter: number; close: boolean }>;
      await exited;
      for (const v of Object.values(out)) expect(v).toEqual({ enter: -errno.EBADF, close: false });
      expect(nopRoundTrip(ring, 5)).toEqual([5]);
    } finally {
      ring.close();
    }
  });

  it('ring buffers posted to a worker arrive as copies; the ring is untouched', async () => {
    const ring = IoUring.setup(4);
    try {
      const sqes = ring.sqes.buffer as ArrayBuffer;
      const worker = new Worker(
        `require('node:worker_threads').parentPort.once('message', (ab) => { new Uint8Array(ab).fill(0xff); process.exit(0); });`,
        { eval: true, execArgv: [] },
      );
      worker.postMessage(sqes, [sqes]);
      await new Promise((r) => worker.once('exit', r));
      expect(sqes.byteLength).toBeGreaterThan(0);
      expect(new Uint8Array(sqes).every((b) => b !== 0xff)).toBe(true);
      expect(nopRoundTrip(ring, 6)).toEqual([6]);
    } finally {
      ring.close();
    }
  });
});

describe('memory sys depends on cannot be freed through sys while in use', () => {
  it("an AIO context's iocbs and ring refuse pinnedFree; submit still works", () => {
    const a = AioContext.setup(8, 4);
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    try {
      expect(() => pinnedFree(a.iocbs)).toThrow(TypeError);
      expect(() => pinnedFree(a.ring)).toThrow(TypeError);
      prepIocbPoll(new Uint32Array(a.iocbs), 0, r, POLLIN);
      expect(a.submit(Uint32Array.of(0), 1)).toBe(1);
      write(w, Buffer.from('x'));
      const out = new Uint8Array(32);
      expect(a.getevents(1, 1, out, 1000)).toBe(1);
    } finally {
      a.destroy();
      close(r);
      close(w);
    }
  });
});

describe('FdPoll keeps its identity', () => {
  it('start() after close(fd) through sys throws EBADF instead of aborting in libuv', async () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const p = new FdPoll(r, () => {});
    p.start(UV_READABLE);
    close(r);
    expect(p.active).toBe(false);
    expect(() => p.start(UV_READABLE)).toThrow(
      expect.objectContaining({ code: 'EBADF', syscall: 'FdPoll.start' }),
    );
    await new Promise((res) => setTimeout(res, 10)); // a poll turn: libuv must not abort
    p.close();
    close(w);
  });

  it('start() after an fd was closed behind sys`s back and its number reused throws EBADF', () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const p = new FdPoll(r, () => {});
    p.start(UV_READABLE);
    p.stop();
    closeSync(r);
    const e = takeNumber(r, () => eventfd(0, O_NONBLOCK | O_CLOEXEC));
    expect(() => p.start(UV_READABLE)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    p.close();
    close(e);
    close(w);
  });

  it('an active watcher whose fd is closed behind its back reports -EBADF once, then stops', async () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const calls: Array<[number, number]> = [];
    const p = new FdPoll(r, (status, events) => calls.push([status, events]));
    p.start(UV_READABLE);
    closeSync(r); // the watcher's duplicate keeps the pipe open
    write(w, Buffer.from('x'));
    const deadline = Date.now() + 2000;
    while (calls.length === 0 && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 5));
    await new Promise((res) => setTimeout(res, 20));
    expect(calls).toEqual([[-errno.EBADF, 0]]);
    expect(p.active).toBe(false);
    expect(p.closed).toBe(true);
    close(w);
  });

  it('recheck: false — the number is checked at start() only, and the watcher goes on watching the file it was given', async () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const calls: number[] = [];
    const p = new FdPoll(r, (status) => calls.push(status), { recheck: false });
    p.start(UV_READABLE);
    closeSync(r); // behind sys's back: the duplicate keeps the pipe open
    const e = takeNumber(r, () => eventfd(0, O_NONBLOCK | O_CLOEXEC)); // and the number names an eventfd
    write(w, Buffer.from('x'));
    const deadline = Date.now() + 2000;
    while (calls.length < 3 && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 5));
    // Level-triggered on the pipe, still unread: a wake-up per Node turn, never EBADF.
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.every((status) => status === 0)).toBe(true);
    expect(p.active).toBe(true);
    // start() still checks the number: it names the eventfd now.
    p.stop();
    expect(() => p.start(UV_READABLE)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    p.close();
    close(e);
    close(w);
  });

  it('recheck: false spares the kcmp(2) a callback; the default makes one a callback', async () => {
    /** sys's "other" system calls (kcmp among them) over three wake-ups of an eventfd watcher. */
    const othersOverThreeWakeUps = async (options: { recheck?: boolean } | undefined) => {
      const e = eventfd(0, O_NONBLOCK | O_CLOEXEC);
      let fired = 0;
      const p = new FdPoll(
        e,
        () => {
          fired++;
          read(e, Buffer.alloc(8));
        },
        options,
      );
      p.start(UV_READABLE);
      await new Promise((res) => setTimeout(res, 5));
      resetSyscallCounts();
      for (let round = 1; round <= 3; round++) {
        eventfdWrite(e, 1);
        const deadline = Date.now() + 2000;
        while (fired < round && Date.now() < deadline)
          await new Promise((res) => setTimeout(res, 1));
      }
      const others = syscallCounts().other!;
      p.close();
      close(e);
      expect(fired).toBe(3);
      return others;
    };
    expect(await othersOverThreeWakeUps({ recheck: false })).toBe(0);
    expect(await othersOverThreeWakeUps(undefined)).toBe(3);
    expect(await othersOverThreeWakeUps({})).toBe(3);
  });

  it('options must be an object whose recheck is a boolean', () => {
    const e = eventfd(0, O_NONBLOCK | O_CLOEXEC);
    try {
      for (const bad of [1, 'x', null] as unknown[]) {
        expect(() => new FdPoll(e, () => {}, bad as never)).toThrow(
          expect.objectContaining({
            code: 'ERR_INVALID_ARG_TYPE',
            message: expect.stringContaining('options'),
          }),
        );
      }
      expect(() => new FdPoll(e, () => {}, { recheck: 1 as never })).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_ARG_TYPE',
          message: expect.stringContaining('recheck'),
        }),
      );
      new FdPoll(e, () => {}, {}).close();
      new FdPoll(e, () => {}, undefined).close();
    } finally {
      close(e);
    }
  });

  it("closing a stale watcher does not silence the live watcher now on its fd's number", async () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const stale = new FdPoll(r, () => {});
    stale.start(UV_READABLE);
    stale.stop();
    closeSync(r);
    const e = takeNumber(r, () => eventfd(0, O_NONBLOCK | O_CLOEXEC));
    let fired = 0;
    const live = new FdPoll(e, () => {
      fired++;
      read(e, Buffer.alloc(8));
    });
    live.start(UV_READABLE);
    stale.close(); // must not unregister fd e from Node's loop
    await new Promise((res) => setTimeout(res, 10));
    for (let round = 1; round <= 3; round++) {
      eventfdWrite(e, 1);
      const deadline = Date.now() + 2000;
      while (fired < round && Date.now() < deadline) await new Promise((res) => setTimeout(res, 2));
      expect(fired).toBe(round);
    }
    live.close();
    close(e);
    close(w);
  });

  it('the same with the stale watcher collected by the GC', () => {
    const res = runChild(
      `
      import { FdPoll, UV_READABLE, pipe2, eventfd, eventfdWrite, read } from '${distEntry}';
      import { closeSync } from 'node:fs';
      const [r] = pipe2(0);
      let stale = new FdPoll(r, () => {});
      stale.start(UV_READABLE);
      stale.stop();
      closeSync(r);
      const e = eventfd(0, 2048);
      if (e !== r) throw new Error('number not reused');
      let fired = 0;
      const live = new FdPoll(e, () => { fired++; read(e, Buffer.alloc(8)); });
      live.start(UV_READABLE);
      stale = null;
      for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((res) => setTimeout(res, 10)); }
      for (let round = 1; round <= 3; round++) {
        eventfdWrite(e, 1);
        const deadline = Date.now() + 2000;
        while (fired < round && Date.now() < deadline) await new Promise((res) => setTimeout(res, 2));
      }
      console.log('fired', fired);
      live.close();
      `,
      ['--expose-gc'],
    );
    expect(res.signal, res.stderr).toBeNull();
    expect(res.stdout, res.stderr).toBe('fired 3\n');
  });
});

describe('a signal relay keeps its identity', () => {
  it('a relayed eventfd closed behind sys`s back and reused by a pipe: the pipe gets nothing', async () => {
    const efd = eventfd(0, O_NONBLOCK | O_CLOEXEC);
    const keep = () => {};
    process.on('SIGUSR2', keep);
    try {
      signalRelayAdd(12, efd);
      const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
      closeSync(efd);
      const wAtEfd = takeNumber(efd, () => dup(w)); // a pipe's write end under the old number
      process.kill(process.pid, 'SIGUSR2');
      await new Promise((res) => setTimeout(res, 10));
      expect(read(r, Buffer.alloc(64))).toBe(-errno.EAGAIN);
      expect(signalRelayRemove(12, efd)).toBe(true); // found by the number it was added with
      close(wAtEfd);
      close(r);
      close(w);
    } finally {
      process.off('SIGUSR2', keep);
    }
  });
});

describe('fds an environment owns (ownFd)', () => {
  it('closed when their worker ends (returning or terminated); not the number once another file took it; close and dup2 end the tie; closeOwned, disownFd and disownIfClosed', () => {
    const res = runChild(`
      import { Worker } from 'node:worker_threads';
      import { closeSync, fstatSync, openSync } from 'node:fs';
      import { close, closeOwned, disownFd, disownIfClosed, dup2, eventfd, fcntl, ownFd, ownedFdCount, pipe2 } from '${distEntry}';
      const isOpen = (fd) => { try { fcntl(fd, 1); return true; } catch { return false; } };
      // A worker owns an eventfd and a pipe's read end, and a pipe's write end it
      // hands out (closed behind sys's back below); it ends as told.
      const run = (end) => new Promise((resolve, reject) => {
        const w = new Worker(\`
          const { parentPort } = require('node:worker_threads');
          import('${distEntry}').then((sys) => {
            const e = sys.eventfd(0, 0);
            const [r, w] = sys.pipe2(0);
            for (const fd of [e, r, w]) sys.ownFd(fd);
            parentPort.postMessage({ e, r, w, owned: sys.ownedFdCount() });
            parentPort.once('message', () => { if ('\${end}' === 'exit') process.exit(0); });
          });
        \`, { eval: true, execArgv: [] });
        w.once('error', reject);
        w.once('message', (fds) => resolve({ w, fds }));
      });
      const out = [];
      for (const end of ['exit', 'terminate']) {
        const { w, fds } = await run(end);
        closeSync(fds.w); // behind sys's back: the number is free
        const mine = openSync('/dev/null', 'r'); // and taken by the main thread
        w.postMessage('end');
        if (end === 'terminate') await w.terminate();
        else await new Promise((r) => w.once('exit', r));
        out.push(\`\${end}: owned \${fds.owned}, eventfd \${isOpen(fds.e)}, pipe \${isOpen(fds.r)}, reused number \${mine === fds.w ? isOpen(mine) : 'not reused'}\`);
        closeSync(mine);
      }
      // close and dup2 through sys end the tie (and free the duplicate it holds).
      const a = eventfd(0, 0);
      const [r, w] = pipe2(0);
      ownFd(a);
      ownFd(r);
      const owned = ownedFdCount();
      close(a);
      dup2(w, r);
      out.push(\`main: owned \${owned}, then \${ownedFdCount()}\`);
      close(r);
      close(w);
      // closeOwned closes only the file that was tied: not another open of the
      // same file under the same number; disownFd leaves the fd open.
      const c = eventfd(0, 0);
      ownFd(c);
      const first = closeOwned(c);
      const again = closeOwned(c);
      const f = openSync('/dev/null', 'r');
      ownFd(f);
      closeSync(f); // behind sys's back
      const g = openSync('/dev/null', 'r'); // the same file, the same number
      const tied = closeOwned(f);
      const d = eventfd(0, 0);
      ownFd(d);
      disownFd(d);
      out.push(\`closeOwned \${first} \${again}, reused \${g === f} \${tied} \${isOpen(g)}, disowned \${isOpen(d)} \${ownedFdCount()}\`);
      close(g);
      close(d);
      // disownIfClosed ends a tie only once its number no longer names the
      // tied file (a close made elsewhere, as a kernel close), and leaves a
      // tie the number was given since.
      const h = openSync('/dev/null', 'r');
      ownFd(h);
      const whileOpen = disownIfClosed(h);
      closeSync(h); // as an io_uring close would: not through sys
      const afterClose = disownIfClosed(h);
      const m = openSync('/dev/null', 'r');
      ownFd(m);
      closeSync(m);
      const n = openSync('/dev/zero', 'r'); // the number, tied again
      ownFd(n);
      const late = disownIfClosed(m); // the first close's completion, told late
      out.push(\`disownIfClosed \${whileOpen} \${afterClose}, late \${n === m} \${late} \${ownedFdCount()}\`);
      close(n);
      console.log(out.join('\\n'));
    `);
    expect(res.signal, res.stderr).toBeNull();
    expect(res.stdout.trim().split('\n'), res.stderr).toEqual([
      'exit: owned 3, eventfd false, pipe false, reused number true',
      'terminate: owned 3, eventfd false, pipe false, reused number true',
      'main: owned 2, then 0',
      'closeOwned true false, reused true false true, disowned true 0',
      'disownIfClosed false true, late true false 1',
    ]);
  });
});

describe('fds an open holds for its environment (claimFd)', () => {
  it('held from the open (or a dup with hold) until claimFd, ownFd or a close through sys takes it; a worker ending first closes what it still holds; a bad hold argument opens nothing', () => {
    const res = runChild(`
      import { Worker } from 'node:worker_threads';
      import { readdirSync } from 'node:fs';
      import { claimFd, close, dup, fcntl, fileIoSync, ownFd, ownedFdCount } from '${distEntry}';
      const isOpen = (fd) => { try { fcntl(fd, 1); return true; } catch { return false; } };
      const path = Buffer.from('/dev/null\\0');
      const open = (hold) => fileIoSync(4, -100, path, 0, 0x80000 /* O_CLOEXEC */, 0, hold);
      const out = [];
      const base = ownedFdCount();
      const a = open(true);
      const heldA = ownedFdCount() - base;
      out.push(\`claim: held \${heldA}, \${claimFd(a)} \${claimFd(a)}, open \${isOpen(a)}, held \${ownedFdCount() - base}\`);
      close(a);
      const b = open(true);
      close(b);
      const c = open(true);
      ownFd(c);
      out.push(\`close \${ownedFdCount() - base}, owned \${ownedFdCount() - base} \${claimFd(c)}\`);
      close(c);
      const d = open(false);
      out.push(\`no hold \${ownedFdCount() - base} \${claimFd(d)}\`);
      // A duplicate held from its dup until the tie is made (the Poller's).
      const e = dup(d, true, true);
      const heldDup = ownedFdCount() - base;
      ownFd(e);
      const plain = dup(d);
      out.push(\`dup: held \${heldDup}, then owned \${ownedFdCount() - base}, plain dup \${claimFd(plain)}\`);
      close(plain);
      close(e);
      close(d);
      const fds = readdirSync('/proc/self/fd').length;
      let thrown = '';
      try { open(1); } catch (err) { thrown = err.code; }
      out.push(\`bad hold \${thrown}, fds \${readdirSync('/proc/self/fd').length - fds}\`);
      // A worker holds two opens, claims one and ends (as told) before taking the other.
      for (const end of ['exit', 'terminate']) {
        const w = new Worker(\`
          const { parentPort } = require('node:worker_threads');
          import('${distEntry}').then((sys) => {
            const path = Buffer.from('/dev/null\\\\0');
            const kept = sys.fileIoSync(4, -100, path, 0, 0x80000, 0, true);
            const left = sys.fileIoSync(4, -100, path, 0, 0x80000, 0, true);
            const copy = sys.dup(kept, true, true);
            sys.claimFd(kept);
            parentPort.postMessage({ kept, left, copy, held: sys.ownedFdCount() });
            if ('\${end}' === 'exit') process.exit(0);
          });
        \`, { eval: true, execArgv: [] });
        const fds = await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
        if (end === 'terminate') await w.terminate();
        else await new Promise((r) => w.once('exit', r));
        out.push(\`\${end}: held \${fds.held}, claimed open \${isOpen(fds.kept)}, unclaimed open \${isOpen(fds.left)}, held dup open \${isOpen(fds.copy)}\`);
        close(fds.kept);
      }
      console.log(out.join('\\n'));
    `);
    expect(res.signal, res.stderr).toBeNull();
    expect(res.stdout.trim().split('\n'), res.stderr).toEqual([
      'claim: held 1, true false, open true, held 0',
      'close 1, owned 1 false',
      'no hold 0 false',
      'dup: held 1, then owned 1, plain dup false',
      'bad hold ERR_INVALID_ARG_TYPE, fds 0',
      'exit: held 2, claimed open true, unclaimed open false, held dup open false',
      'terminate: held 2, claimed open true, unclaimed open false, held dup open false',
    ]);
  });
});

describe('fds a creator holds for its environment (hold)', () => {
  // What ownedFd() in @evring/backend relies on: the eventfd, epoll fd or
  // timerfd a backend makes is held from the creating call, so a worker
  // ended before the tie leaves nothing open.
  it('every creator with hold (eventfd, epollCreate1, timerfdCreate, signalfd, inotifyInit1, pipe2, socketpair, openpty): held until claimFd or ownFd takes it; closed if the worker ends first; without hold, not held; a bad hold makes nothing', () => {
    const res = runChild(`
      import { Worker } from 'node:worker_threads';
      import { readdirSync } from 'node:fs';
      import { claimFd, close, epollCreate1, eventfd, fcntl, inotifyInit1, openpty, ownFd, ownedFdCount, pipe2, signalfd, socketpair, timerfdCreate } from '${distEntry}';
      const isOpen = (fd) => { try { fcntl(fd, 1); return true; } catch { return false; } };
      // Each maker gives the fds it made (two for a pair).
      const makers = {
        eventfd: (hold) => [eventfd(0, 0x80000 /* EFD_CLOEXEC */, hold)],
        epollCreate1: (hold) => [epollCreate1(0x80000 /* EPOLL_CLOEXEC */, hold)],
        timerfdCreate: (hold) => [timerfdCreate(1 /* CLOCK_MONOTONIC */, 0x80000, hold)],
        signalfd: (hold) => [signalfd(-1, [12], 0x80000 /* SFD_CLOEXEC */, hold)],
        inotifyInit1: (hold) => [inotifyInit1(0x80000 /* IN_CLOEXEC */, hold)],
        pipe2: (hold) => pipe2(0x80000 /* O_CLOEXEC */, hold),
        socketpair: (hold) => socketpair(1 /* AF_UNIX */, 1 | 0x80000 /* SOCK_STREAM | SOCK_CLOEXEC */, 0, hold),
        openpty: (hold) => { const p = openpty(hold); return [p.master, p.slave]; },
      };
      const out = [];
      const base = ownedFdCount();
      for (const [name, make] of Object.entries(makers)) {
        const a = make(true);
        const held = ownedFdCount() - base;
        const claimed = a.map(claimFd).every(Boolean);
        const b = make(true);
        for (const fd of b) ownFd(fd);
        const owned = ownedFdCount() - base;
        const tieTookHold = b.every((fd) => claimFd(fd) === false);
        const c = make(false);
        const plain = ownedFdCount() - base;
        const fds = readdirSync('/proc/self/fd').length;
        let thrown = '';
        try { make(1); } catch (err) { thrown = err.code; }
        const made = readdirSync('/proc/self/fd').length - fds;
        out.push(\`\${name}: held \${held}, claimed \${claimed}, owned \${owned} \${tieTookHold}, plain \${plain - owned}, bad hold \${thrown} made \${made}\`);
        for (const fd of [...a, ...b, ...c]) close(fd);
      }
      // signalfd updating an fd it did not make: hold changes nothing.
      const s = signalfd(-1, [12], 0x80000);
      const before = ownedFdCount();
      signalfd(s, [10, 12], 0, true);
      out.push(\`signalfd update: held \${ownedFdCount() - before}\`);
      close(s);
      for (const end of ['exit', 'terminate']) {
        const w = new Worker(\`
          const { parentPort } = require('node:worker_threads');
          import('${distEntry}').then((sys) => {
            const fds = [sys.eventfd(0, 0x80000, true), sys.epollCreate1(0x80000, true), sys.timerfdCreate(1, 0x80000, true),
              sys.signalfd(-1, [12], 0x80000, true), sys.inotifyInit1(0x80000, true), ...sys.pipe2(0x80000, true),
              ...sys.socketpair(1, 1 | 0x80000, 0, true), ...Object.values(sys.openpty(true)).filter((v) => typeof v === 'number')];
            const kept = sys.eventfd(0, 0x80000, true);
            sys.claimFd(kept);
            parentPort.postMessage({ fds, kept, held: sys.ownedFdCount() });
            if ('\${end}' === 'exit') process.exit(0);
          });
        \`, { eval: true, execArgv: [] });
        const got = await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
        if (end === 'terminate') await w.terminate();
        else await new Promise((r) => w.once('exit', r));
        out.push(\`\${end}: held \${got.held}, open \${got.fds.map(isOpen).join(' ')}, claimed open \${isOpen(got.kept)}\`);
        close(got.kept);
      }
      console.log(out.join('\\n'));
    `);
    expect(res.signal, res.stderr).toBeNull();
    const closed = Array(11).fill('false').join(' ');
    expect(res.stdout.trim().split('\n'), res.stderr).toEqual([
      'eventfd: held 1, claimed true, owned 1 true, plain 0, bad hold ERR_INVALID_ARG_TYPE made 0',
      'epollCreate1: held 1, claimed true, owned 1 true, plain 0, bad hold ERR_INVALID_ARG_TYPE made 0',
      'timerfdCreate: held 1, claimed true, owned 1 true, plain 0, bad hold ERR_INVALID_ARG_TYPE made 0',
      'signalfd: held 1, claimed true, owned 1 true, plain 0, bad hold ERR_INVALID_ARG_TYPE made 0',
      'inotifyInit1: held 1, claimed true, owned 1 true, plain 0, bad hold ERR_INVALID_ARG_TYPE made 0',
      'pipe2: held 2, claimed true, owned 2 true, plain 0, bad hold ERR_INVALID_ARG_TYPE made 0',
      'socketpair: held 2, claimed true, owned 2 true, plain 0, bad hold ERR_INVALID_ARG_TYPE made 0',
      'openpty: held 2, claimed true, owned 2 true, plain 0, bad hold ERR_INVALID_ARG_TYPE made 0',
      'signalfd update: held 0',
      `exit: held 11, open ${closed}, claimed open true`,
      `terminate: held 11, open ${closed}, claimed open true`,
    ]);
  });
});

describe('a worker terminated while sys calls throw', () => {
  // 40 workers, each importing sys (about 0.1 s apiece here): seconds of
  // work, more on a busy machine, so the test has a budget of its own.
  it('the process goes on: an error sys cannot throw into an ending environment is dropped, not an abort', {
    timeout: 60_000,
  }, () => {
    const res = runChild(
      `
      import { Worker } from 'node:worker_threads';
      const code = \`
        const { parentPort } = require('node:worker_threads');
        import('${distEntry}').then((sys) => {
          parentPort.postMessage('go');
          for (;;) {
            try { sys.close(1 << 30); } catch {} // EBADF: an error made by calling into JavaScript
            try { sys.dup(1 << 30); } catch {}
          }
        });
      \`;
      for (let i = 0; i < 40; i++) {
        const w = new Worker(code, { eval: true, execArgv: [] });
        await new Promise((r) => w.once('message', r));
        await new Promise((r) => setTimeout(r, i % 7));
        await w.terminate();
      }
      console.log('alive');
    `,
      [],
      50_000,
    );
    expect(res.signal, res.stderr).toBeNull();
    expect(res.stdout.trim()).toBe('alive');
  });
});

describe('a worker exiting with resources open leaves nothing behind', () => {
  it('rings, AIO contexts, fd watchers and signal relays are all released', () => {
    // In a child process of its own: a worker started inside the test runner
    // goes through the runner's module hooks, which now and then stall it.
    const res = runChild(`
      import { Worker } from 'node:worker_threads';
      import { readdirSync, readFileSync } from 'node:fs';
      import { close, fcntl } from '${distEntry}';
      const maps = () => readFileSync('/proc/self/maps', 'utf8').split('\\n')
        .filter((l) => l.includes('io_uring') || l.includes('[aio]') || l.includes('/aio')).length;
      // A first worker, for whatever Node opens once for its workers.
      await new Promise((r) => new Worker('', { eval: true, execArgv: [] }).once('exit', r));
      const fdsBefore = readdirSync('/proc/self/fd').length;
      const mapsBefore = maps();
      const code = \`
        const { parentPort } = require('node:worker_threads');
        import('${distEntry}').then((sys) => {
          const rings = [sys.IoUring.setup(8), sys.IoUring.setup(8, { singleMmap: false, registerRing: false })];
          const aio = sys.AioContext.setup(16, 4);
          const [r, w] = sys.pipe2(0);
          const p = new sys.FdPoll(r, () => {});
          p.start(sys.UV_READABLE);
          const efd = sys.eventfd(0, 0);
          process.on('SIGUSR2', () => {});
          sys.signalRelayAdd(12, efd);
          parentPort.postMessage({ fds: [r, w, efd], rings: rings.map((x) => x.fd) });
          // no close, no destroy: the environment's shutdown must release them
        });
      \`;
      const worker = new Worker(code, { eval: true, execArgv: [] });
      const msg = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      const deadline = Date.now() + 2000;
      while (maps() !== mapsBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      for (const fd of msg.fds) close(fd); // the worker's plain fds belong to the process
      const ringsOpen = msg.rings.filter((fd) => { try { fcntl(fd, 1); return true; } catch { return false; } });
      console.log(JSON.stringify({ maps: maps() - mapsBefore, ringsOpen: ringsOpen.length,
        fds: readdirSync('/proc/self/fd').length - fdsBefore }));
    `);
    expect(res.signal, res.stderr).toBeNull();
    expect(res.stdout, res.stderr).toMatch(/^\{/);
    expect(JSON.parse(res.stdout)).toEqual({ maps: 0, ringsOpen: 0, fds: 0 });
  });
});
