/**
 * Real fds of every kind the conformance suite watches, each with a way to
 * make it readable and to drain it, and a cleanup that closes everything.
 *
 * @module
 */

import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AF_UNIX,
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLL_EVENT_SIZE,
  EPOLLIN,
  MSG_OOB,
  O_CLOEXEC,
  O_NONBLOCK,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
} from '@evring/abi';
import * as sys from '@evring/sys';

/**
 * Tracks fds and other resources a test opens, and closes them all.
 *
 * @example
 * ```ts
 * import { FdScope, poke } from '@evring/backend/testing';
 * import { afterEach, it } from 'vitest';
 * const scope = new FdScope();
 * afterEach(() => scope.dispose()); // closes every fd the test opened
 * it('sees a pipe become readable', () => {
 *   const { r, w } = scope.pipe();
 *   poke(w);
 * });
 * ```
 */
export class FdScope {
  #fds = new Set<number>();
  #cleanups: (() => void | Promise<void>)[] = [];

  track(...fds: number[]): void {
    for (const fd of fds) this.#fds.add(fd);
  }

  /** Stops tracking fds the test closed itself (their numbers may be reused before cleanup). */
  untrack(...fds: number[]): void {
    for (const fd of fds) this.#fds.delete(fd);
  }

  onCleanup(fn: () => void | Promise<void>): void {
    this.#cleanups.push(fn);
  }

  /** Closes one tracked fd now. */
  close(fd: number): void {
    if (this.#fds.delete(fd)) sys.close(fd);
  }

  async dispose(): Promise<void> {
    for (const fd of this.#fds) {
      try {
        sys.close(fd);
      } catch {
        // closed by the test itself
      }
    }
    this.#fds.clear();
    for (const fn of this.#cleanups.reverse()) await fn();
    this.#cleanups = [];
  }

  pipe(): { r: number; w: number } {
    const [r, w] = sys.pipe2(O_NONBLOCK | O_CLOEXEC);
    this.track(r, w);
    return { r, w };
  }

  socketpair(): { a: number; b: number } {
    const [a, b] = sys.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    this.track(a, b);
    return { a, b };
  }

  eventfd(): number {
    const fd = sys.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    this.track(fd);
    return fd;
  }

  pty(): { master: number; slave: number } {
    const p = sys.openpty();
    this.track(p.master, p.slave);
    sys.setNonblocking(p.master, true);
    sys.setNonblocking(p.slave, true);
    return { master: p.master, slave: p.slave };
  }

  devNull(): number {
    const fd = openSync('/dev/null', 'r+');
    this.track(fd);
    return fd;
  }

  regularFile(): number {
    const dir = mkdtempSync(join(tmpdir(), 'evring-file-'));
    const path = join(dir, 'data');
    writeFileSync(path, 'some bytes');
    const fd = openSync(path, 'r+');
    this.track(fd);
    this.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    return fd;
  }

  /** A connected TCP pair on loopback; the fds belong to Node's sockets (paused, never read by Node). */
  async tcp(): Promise<{ client: number; server: number; sendOob: () => void }> {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    const accepted = new Promise<Socket>((r) => srv.once('connection', r));
    const client = connect(port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    const peer = await accepted;
    peer.pause();
    client.pause();
    const fdOf = (s: Socket) => (s as unknown as { _handle: { fd: number } })._handle.fd;
    const clientFd = fdOf(client);
    this.onCleanup(async () => {
      client.destroy();
      peer.destroy();
      await new Promise((r) => srv.close(r));
    });
    return {
      client: clientFd,
      server: fdOf(peer),
      sendOob: () => {
        if (sys.send(clientFd, Buffer.from('!'), 0, 1, MSG_OOB) !== 1)
          throw new Error('MSG_OOB send failed');
      },
    };
  }
}

/**
 * Writes one byte to `fd` (8 for an eventfd); throws if the kernel refuses.
 *
 * @example
 * ```ts
 * import { FdScope, drain, poke } from '@evring/backend/testing';
 * const scope = new FdScope();
 * const efd = scope.eventfd();
 * poke(efd, true); // an 8-byte eventfd write
 * drain(efd);      // 8
 * await scope.dispose();
 * ```
 */
export function poke(fd: number, isEventfd = false): void {
  const r = isEventfd ? sys.eventfdWrite(fd, 1) : sys.write(fd, Buffer.from('x'));
  if (r < 0) throw new Error(`poke(${fd}) failed: ${r}`);
}

const scratch = Buffer.alloc(65536);
/**
 * Reads `fd` until EAGAIN or EOF; returns the bytes read.
 *
 * @example
 * ```ts
 * import { FdScope, drain, poke } from '@evring/backend/testing';
 * const scope = new FdScope();
 * const { r, w } = scope.pipe();
 * poke(w); poke(w);
 * drain(r); // 2
 * await scope.dispose();
 * ```
 */
export function drain(fd: number): number {
  let total = 0;
  for (;;) {
    const n = sys.read(fd, scratch);
    if (n <= 0) return total;
    total += n;
  }
}

/**
 * Closes `fd` if open (for fixtures whose fd a test closed itself).
 *
 * @example
 * ```ts
 * import { closeQuietly } from '@evring/backend/testing';
 * import { eventfd, close } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * close(fd);
 * closeQuietly(fd); // no error for an fd already closed
 * ```
 */
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/**
 * Whether `fd` is readable at this instant: a zero-timeout epoll_wait on an
 * epoll set of its own, with no waiting at all. What shows that something
 * wakes a sleeper at once, not a while later.
 *
 * @example
 * ```ts
 * import { poke, readableNow } from '@evring/backend/testing';
 * import { close, pipe2 } from '@evring/sys';
 * const [r, w] = pipe2(0);
 * readableNow(r); // false
 * poke(w);
 * readableNow(r); // true
 * close(r);
 * close(w);
 * ```
 */
export function readableNow(fd: number): boolean {
  const ep = sys.epollCreate1(EPOLL_CLOEXEC);
  try {
    if (sys.epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, fd, 0) !== 0) return false;
    return sys.epollWait(ep, new Uint8Array(EPOLL_EVENT_SIZE), 1, 0) === 1;
  } finally {
    sys.close(ep);
  }
}

/** Whether `fd` becomes readable (seen from Node's own loop) within `ms`. */
export function becomesReadable(fd: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      watcher.close();
      resolve(false);
    }, ms);
    const watcher = new sys.FdPoll(fd, () => {
      clearTimeout(timer);
      watcher.close();
      resolve(true);
    });
    watcher.start(sys.UV_READABLE);
  });
}
