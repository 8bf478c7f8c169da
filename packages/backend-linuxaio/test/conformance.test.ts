import { describeConformance } from '@evring/backend/testing';
import { linuxaioBackend } from '../src/index.js';
import { lateWakeups } from './late-wakeups.js';

const faultCalls = [
  'ioSubmit',
  'ioCancel',
  'ioGetevents',
  'epollWait',
  'epollCtl',
  'eventfdRead',
] as const;

describeConformance({
  name: 'linuxaio (completions read from the mapped ring)',
  factory: linuxaioBackend,
  edgeIsLevel: true,
  faultCalls: [...faultCalls],
  createCalls: ['ioSetup', 'eventfd', 'epollCreate1'],
});

describeConformance({
  name: 'linuxaio (completions through io_getevents)',
  factory: linuxaioBackend,
  options: { useRing: false },
  edgeIsLevel: true,
  faultCalls: ['ioGetevents', 'ioSubmit'],
  createCalls: [],
});

describeConformance({
  name: 'linuxaio (not embedded: no completion eventfd, waits in io_getevents)',
  factory: linuxaioBackend,
  options: { embedded: false },
  edgeIsLevel: true,
  faultCalls: ['ioSubmit', 'ioCancel', 'ioGetevents', 'epollWait', 'epollCtl'],
  createCalls: [],
});

// Linux AIO completes some poll wake-ups from a kernel worker, late and out of
// order (late-wakeups.ts). The suite again, with wake-ups made late two ways:
// half of them, at random; and all of them, in the least favourable order,
// the newest completion first.
describeConformance({
  name: 'linuxaio (wake-ups completed late, at random, as a kernel worker completes them)',
  factory: linuxaioBackend,
  options: { useRing: false, sys: lateWakeups({ chance: 0.5, maxDelayMs: 20, seed: 20261207 }) },
  edgeIsLevel: true,
  faultCalls: ['ioGetevents'],
  createCalls: [],
});

describeConformance({
  name: 'linuxaio (wake-ups completed late, newest first)',
  factory: linuxaioBackend,
  options: {
    useRing: false,
    sys: lateWakeups({ chance: 1, maxDelayMs: 8, seed: 20261207, order: 'newest-first' }),
  },
  edgeIsLevel: true,
  faultCalls: ['ioGetevents'],
  createCalls: [],
});
