import { describeConformance } from '@evring/backend/testing';
import { linuxaioBackend } from '../src/index.js';

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
