/**
 * The recipes of docs/watching-fds.md, run: fds a program gets from Node (a
 * server's connection with pauseOnConnect, a child's output through a pipe
 * it never reads) and from the kernel (inotify) are watched by io watchers
 * on every backend, attached to Node's loop.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  IN_CLOEXEC,
  IN_CREATE,
  IN_NONBLOCK,
  O_CLOEXEC,
  O_NONBLOCK,
  readInotifyEvents,
} from '@evring/abi';
import { close, inotifyAddWatch, inotifyInit1, pipe2, read } from '@evring/sys';
import { describe, expect, it } from 'vitest';
import { READ } from '../src/index.js';
import { BACKENDS, testScope } from './helpers.js';

/** The fd under a connected net.Socket (Node's handle keeps owning it). */
const fdOf = (socket: Socket): number =>
  (socket as unknown as { _handle: { fd: number } })._handle.fd;

describe.each(BACKENDS)('fds from the world, watched on %s', (backend) => {
  const t = testScope();

  it('a connection from net.createServer({ pauseOnConnect: true }): the loop reads it, Node does not', async () => {
    const loop = t.loop({ backend, attach: true });
    const got: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const server = createServer({ pauseOnConnect: true }, (conn) => {
        const fd = fdOf(conn);
        const buf = Buffer.alloc(64);
        const io = loop
          .io(fd, READ, () => {
            const n = read(fd, buf);
            if (n > 0) got.push(buf.toString('utf8', 0, n));
            if (n === 0 || got.join('') === 'hello from a client') {
              io.stop(); // stop watching before Node closes the fd
              conn.destroy();
              server.close(() => resolve());
            }
          })
          .start();
        conn.on('data', () => reject(new Error('Node read the socket too')));
      });
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        const client = connect(port, '127.0.0.1', () => client.end('hello from a client'));
        client.on('error', () => {});
      });
    });
    await done;
    expect(got.join('')).toBe('hello from a client');
  });

  it("a child's output through a pipe made with sys.pipe2 and handed to spawn as its stdout", async () => {
    const loop = t.loop({ backend, attach: true });
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const child = spawn(process.execPath, ['-e', "process.stdout.write('from the child')"], {
      stdio: ['ignore', w, 'inherit'],
    });
    close(w); // the child has its copy; the read end sees EOF when it exits
    let text = '';
    await new Promise<void>((resolve) => {
      const buf = Buffer.alloc(256);
      const io = loop
        .io(r, READ, () => {
          const n = read(r, buf);
          if (n > 0) text += buf.toString('utf8', 0, n);
          if (n === 0) {
            io.stop();
            close(r);
            resolve();
          }
        })
        .start();
    });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(text).toBe('from the child');
  });

  it('an inotify fd: a file created in a watched directory', async () => {
    const loop = t.loop({ backend, attach: true });
    const dir = mkdtempSync(join(tmpdir(), 'evring-watch-'));
    const fd = inotifyInit1(IN_NONBLOCK | IN_CLOEXEC);
    try {
      inotifyAddWatch(fd, dir, IN_CREATE);
      const names = await new Promise<string[]>((resolve) => {
        const buf = new Uint8Array(4096);
        const io = loop
          .io(fd, READ, () => {
            const n = read(fd, buf);
            if (n <= 0) return;
            io.stop();
            resolve(readInotifyEvents(buf, n).map((e) => e.name));
          })
          .start();
        setTimeout(() => writeFileSync(join(dir, 'ready.flag'), ''), 5);
      });
      expect(names).toEqual(['ready.flag']);
    } finally {
      close(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
