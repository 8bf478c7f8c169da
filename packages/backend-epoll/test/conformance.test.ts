import { describeConformance } from '@evring/backend/testing';
import { epollBackend } from '../src/index.js';

describeConformance({
  name: 'epoll',
  factory: epollBackend,
  faultCalls: ['epollCtl', 'epollWait', 'epollCreate1', 'close'],
  createCalls: ['epollCreate1'],
});

describeConformance({
  name: 'epoll (one-event buffer, grown on demand)',
  factory: epollBackend,
  options: { initialEvents: 1 },
  faultCalls: ['epollWait'],
  createCalls: [],
});
