import { IORING_SETUP_DEFER_TASKRUN, IORING_SETUP_SINGLE_ISSUER } from '@evring/abi';
import { describeConformance } from '@evring/backend/testing';
import { iouringBackend } from '../src/index.js';

const faultCalls = ['ioUringEnter', 'epollWait', 'epollCtl'] as const;
const createCalls = ['ioUringSetup'] as const;

// Every feature on (what this kernel offers), then each feature group off, so
// the old-kernel paths run here too.
describeConformance({
  name: 'iouring (every feature on)',
  factory: iouringBackend,
  faultCalls: [...faultCalls],
  createCalls: [...createCalls],
});

describeConformance({
  name: 'iouring (no multishot: EDGE served as level)',
  factory: iouringBackend,
  options: { multishot: false },
  edgeIsLevel: true,
  faultCalls: ['ioUringEnter'],
  createCalls: [],
});

describeConformance({
  name: 'iouring (no EXT_ARG: IORING_OP_TIMEOUT waits)',
  factory: iouringBackend,
  options: { extArg: false },
  faultCalls: ['ioUringEnter'],
  createCalls: [],
});

describeConformance({
  name: 'iouring (no EXT_ARG, no OP_TIMEOUT: timerfd waits, three mmaps)',
  factory: iouringBackend,
  options: { extArg: false, opTimeout: false, singleMmap: false },
  faultCalls: ['ioUringEnter', 'timerfdSettime'],
  createCalls: [],
});

describeConformance({
  name: 'iouring (no NODROP: overflow re-creates the ring)',
  factory: iouringBackend,
  options: { nodrop: false, entries: 8, cqEntries: 16 },
  faultCalls: ['ioUringEnter'],
  createCalls: [],
});

// A ring that tracks operations (a Loop's default): reads, writes and syncs
// go to the kernel. Embedded (the default, an attached loop's case) it
// watches fds through its embedded epoll (note p); standalone, the
// readiness cases show the same ring serves watchers as the plain one does.
describeConformance({
  name: 'iouring (tracking ring: operations in the kernel)',
  factory: iouringBackend,
  options: { tracking: true },
  faultCalls: [...faultCalls],
  createCalls: [...createCalls],
});

describeConformance({
  name: 'iouring (tracking ring, standalone: readiness on the ring)',
  factory: iouringBackend,
  options: { tracking: true, embedded: false },
  faultCalls: [...faultCalls],
  createCalls: [...createCalls],
});

// The tracking flags asked for explicitly; small queues make a thousand
// operations overflow both.

describeConformance({
  name: 'iouring (tracking ring, 8 SQ / 16 CQ entries)',
  factory: iouringBackend,
  options: {
    setupFlags: IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
    entries: 8,
    cqEntries: 16,
  },
  faultCalls: ['ioUringEnter'],
  createCalls: [],
});
