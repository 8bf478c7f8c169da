import { O_CLOEXEC, O_NONBLOCK } from '@evring/abi';
import { Poller, READ } from '@evring/backend';
import * as sys from '@evring/sys';
import { expect, it } from 'vitest';
import { type LinuxAioOptions, linuxaioBackend } from '../src/index.js';
import { lateWakeups } from './late-wakeups.js';

// The conformance configuration "wake-ups completed late" is only as good as
// this wrapper: it must hold wake-ups back, and deliver every one, waking a
// poll that sleeps for it.
it('holds back about the chance given of the wake-ups, and delivers each one, waking a sleeping poll', () => {
  const late = lateWakeups({ chance: 0.5, maxDelayMs: 5, seed: 7 });
  let reports = 0;
  const options: LinuxAioOptions = { sys: late, useRing: false };
  const poller = new Poller(linuxaioBackend, () => reports++, options);
  const [r, w] = sys.pipe2(O_NONBLOCK | O_CLOEXEC);
  const scratch = Buffer.alloc(64);
  try {
    poller.set(r, READ);
    poller.poll(0);
    let reportedLate = 0;
    const rounds = 400;
    for (let i = 0; i < rounds; i++) {
      reports = 0;
      sys.write(w, Buffer.from('x'));
      poller.poll(0);
      if (reports === 0) {
        reportedLate++;
        const t0 = performance.now();
        poller.poll(10_000); // sleeps until the held completion is due, not the whole 10 s
        expect(reports, `round ${i}`).toBe(1);
        expect(performance.now() - t0).toBeLessThan(5000);
      }
      expect(reports, `round ${i}`).toBe(1);
      while (sys.read(r, scratch) > 0) {}
      poller.poll(0); // the re-arm: submitted while the pipe is empty
    }
    expect(late.heldCount()).toBeGreaterThan(rounds * 0.3);
    expect(reportedLate).toBeGreaterThanOrEqual(late.heldCount() * 0.9);
  } finally {
    poller.destroy();
    sys.close(r);
    sys.close(w);
  }
});

it('newest first: of two wake-ups, the later is reported first, the earlier after it', () => {
  const late = lateWakeups({ chance: 1, maxDelayMs: 8, seed: 7, order: 'newest-first' });
  const options: LinuxAioOptions = { sys: late, useRing: false };
  const seen: number[] = [];
  const scratch = Buffer.alloc(64);
  const poller = new Poller(
    linuxaioBackend,
    (fd) => {
      seen.push(fd);
      while (sys.read(fd, scratch) > 0) {} // read, so a level report is not repeated
    },
    options,
  );
  const [a, aw] = sys.pipe2(O_NONBLOCK | O_CLOEXEC);
  const [b, bw] = sys.pipe2(O_NONBLOCK | O_CLOEXEC);
  try {
    poller.set(a, READ);
    poller.set(b, READ);
    poller.poll(0);
    sys.write(aw, Buffer.from('x'));
    sys.write(bw, Buffer.from('x'));
    const deadline = performance.now() + 2000;
    const polls: number[][] = [];
    while (polls.flat().length < 2 && performance.now() < deadline) {
      poller.poll(1000);
      if (seen.length > 0) polls.push(seen.splice(0));
    }
    // In two polls, maxDelayMs apart, unless the process slept past both.
    expect(polls.flat()).toEqual([b, a]);
    expect(late.heldCount()).toBe(2);
  } finally {
    poller.destroy();
    for (const fd of [a, aw, b, bw]) sys.close(fd);
  }
});
