import { errno, O_CLOEXEC } from '@evring/abi';
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../src/testing.js';

describe('FaultInjector', () => {
  it('fails hot calls with -errno and cold calls with a thrown SystemCallError, then lets calls through', () => {
    const inj = new FaultInjector();
    inj.inject({ call: 'read', errno: 'EINTR', after: 1 });
    inj.inject({ call: 'epollCreate1', errno: 'EMFILE' });
    const buf = Buffer.alloc(1);
    expect(inj.sys.read(99_999, buf)).toBe(-errno.EBADF); // let through (after: 1)
    expect(inj.sys.read(99_999, buf)).toBe(-errno.EINTR); // injected
    expect(inj.sys.read(99_999, buf)).toBe(-errno.EBADF); // used up
    expect(() => inj.sys.epollCreate1(O_CLOEXEC)).toThrow(
      expect.objectContaining({ code: 'EMFILE', syscall: 'epoll_create1' }),
    );
    const ep = inj.sys.epollCreate1(O_CLOEXEC);
    inj.sys.close(ep);
    expect(inj.count('read')).toBe(3);
    expect(inj.injected.map((f) => `${f.call}:${f.errno}`)).toEqual([
      'read:EINTR',
      'epollCreate1:EMFILE',
    ]);
  });
});
