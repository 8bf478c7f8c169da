import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { EFD_CLOEXEC, EFD_NONBLOCK, EPOLL_CLOEXEC, EPOLLIN, layouts, O_CLOEXEC } from '@evring/abi';
import { describe, expect, it } from 'vitest';
import {
  close,
  epollCreate1,
  epollCtl,
  epollWait,
  eventfd,
  eventfdRead,
  pipe2,
  signalRelayAdd,
  signalRelayRemove,
  signalRelayTake,
} from '../src/index.js';

const SIGUSR2 = constants.signals.SIGUSR2;
const EPOLL_CTL_ADD = 1;

/** Blocks in epoll_wait on `fd` for at most `ms`; returns how many fds were ready. */
function waitReadable(fd: number, ms: number): number {
  const ep = epollCreate1(EPOLL_CLOEXEC);
  try {
    expect(epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, 0, 0)).toBe(0);
    const out = new Uint8Array(layouts.epoll_event.size);
    for (;;) {
      const n = epollWait(ep, out, 1, ms);
      if (n !== -4) return n; // EINTR: the relay's signal landed on this thread
    }
  } finally {
    close(ep);
  }
}

describe('signal relay', () => {
  it('wakes an eventfd and still runs the handler installed before it', async () => {
    const efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    let nodeSaw = 0;
    const listener = () => {
      nodeSaw++;
    };
    process.on('SIGUSR2', listener);
    try {
      signalRelayAdd(SIGUSR2, efd);
      signalRelayAdd(SIGUSR2, efd); // a second add of the same pair is a no-op
      expect(signalRelayTake(efd)).toEqual([]);
      process.kill(process.pid, 'SIGUSR2');
      expect(waitReadable(efd, 5000)).toBe(1);
      expect(eventfdRead(efd)).toBeGreaterThan(0);
      expect(signalRelayTake(efd)).toEqual([SIGUSR2]);
      expect(signalRelayTake(efd)).toEqual([]);
      // libuv's handler ran too: Node's listener sees the signal once its loop turns.
      for (let i = 0; i < 100 && nodeSaw === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(nodeSaw).toBe(1);
      expect(signalRelayRemove(SIGUSR2, efd)).toBe(true);
      expect(signalRelayRemove(SIGUSR2, efd)).toBe(false);
    } finally {
      process.off('SIGUSR2', listener);
      close(efd);
    }
  });

  it('wakes a thread blocked in the kernel, where Node signal events cannot run', () => {
    const efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    const listener = () => {};
    process.on('SIGUSR2', listener);
    try {
      signalRelayAdd(SIGUSR2, efd);
      const killer = spawn('sh', ['-c', `sleep 0.2; kill -USR2 ${process.pid}`], {
        stdio: 'ignore',
      });
      // Blocks this (the only JS) thread: only the relay can end the wait early.
      expect(waitReadable(efd, 10_000)).toBe(1);
      expect(signalRelayTake(efd)).toEqual([SIGUSR2]);
      killer.unref();
    } finally {
      process.off('SIGUSR2', listener);
      close(efd);
    }
  });

  it('treats a relayed signal as handled, and puts the default action back after the last relay', () => {
    const script = `
      import { eventfd, signalRelayAdd, signalRelayRemove, signalRelayTake, close } from '@evring/sys';
      const efd = eventfd(0, 0o4000 | 0o2000000);
      signalRelayAdd(${SIGUSR2}, efd);
      process.kill(process.pid, 'SIGUSR2');
      await new Promise((r) => setTimeout(r, 50));
      console.log('survived', JSON.stringify(signalRelayTake(efd)));
      signalRelayRemove(${SIGUSR2}, efd);
      process.kill(process.pid, 'SIGUSR2');
      await new Promise((r) => setTimeout(r, 500));
      console.log('not reached');
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: new URL('..', import.meta.url).pathname,
    });
    expect(r.stdout).toBe(`survived [${SIGUSR2}]\n`);
    expect(r.signal).toBe('SIGUSR2');
  });

  it('close() through sys removes the fd from every relay', () => {
    const efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    const listener = () => {};
    process.on('SIGUSR2', listener);
    try {
      signalRelayAdd(SIGUSR2, efd);
    } finally {
      close(efd);
      process.off('SIGUSR2', listener);
    }
    expect(signalRelayRemove(SIGUSR2, efd)).toBe(false);
  });

  it('refuses signals it must not take, fds that are not eventfds, and bad arguments', () => {
    const efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    const [r, w] = pipe2(O_CLOEXEC);
    try {
      for (const sig of ['SIGKILL', 'SIGSTOP', 'SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGILL'] as const) {
        expect(() => signalRelayAdd(constants.signals[sig], efd)).toThrow(RangeError);
      }
      expect(() => signalRelayAdd(0, efd)).toThrow(RangeError);
      expect(() => signalRelayAdd(65, efd)).toThrow(RangeError);
      expect(() => signalRelayAdd(1.5, efd)).toThrow(TypeError);
      expect(() => signalRelayAdd(SIGUSR2, -1)).toThrow(RangeError);
      expect(() => signalRelayAdd('12' as unknown as number, efd)).toThrow(TypeError);
      expect(() => signalRelayAdd(SIGUSR2, w)).toThrow(
        expect.objectContaining({ code: 'EINVAL', syscall: 'signalRelayAdd' }),
      );
      expect(() => signalRelayAdd(SIGUSR2, 19_999)).toThrow(
        expect.objectContaining({ code: 'EBADF' }),
      );
      expect(() => signalRelayTake(-3)).toThrow(RangeError);
    } finally {
      close(efd);
      close(r);
      close(w);
    }
  });
});
