/**
 * `struct signalfd_siginfo` (128 bytes, `linux/signalfd.h`): what a read from
 * a signalfd returns, one per pending signal.
 *
 * @module
 */

import { LE } from '../arch.js';
import { defineStruct } from '../layout.js';
import { getU64 } from '../u64.js';

/**
 * Layout of `struct signalfd_siginfo`.
 *
 * @example
 * ```ts
 * import { signalfd_siginfo } from '@evring/abi';
 * signalfd_siginfo.size;                  // 128 bytes per read record
 * signalfd_siginfo.fields.ssi_pid.offset; // 12
 * ```
 */
export const signalfd_siginfo = defineStruct('signalfd_siginfo', 128, {
  ssi_signo: [0, 4],
  ssi_errno: [4, 4],
  ssi_code: [8, 4],
  ssi_pid: [12, 4],
  ssi_uid: [16, 4],
  ssi_fd: [20, 4],
  ssi_tid: [24, 4],
  ssi_band: [28, 4],
  ssi_overrun: [32, 4],
  ssi_trapno: [36, 4],
  ssi_status: [40, 4],
  ssi_int: [44, 4],
  ssi_ptr: [48, 8],
  ssi_utime: [56, 8],
  ssi_stime: [64, 8],
  ssi_addr: [72, 8],
  ssi_addr_lsb: [80, 2],
  __pad2: [82, 2],
  ssi_syscall: [84, 4],
  ssi_call_addr: [88, 8],
  ssi_arch: [96, 4],
  __pad: [100, 28],
});

/**
 * The fields of a signalfd_siginfo most callers need.
 *
 * @example
 * ```ts
 * import { type SignalfdSiginfo, readSignalfdSiginfo, signalfd_siginfo } from '@evring/abi';
 * const record = new DataView(new ArrayBuffer(signalfd_siginfo.size)); // read from a signalfd
 * const { signo, pid }: SignalfdSiginfo = readSignalfdSiginfo(record, 0);
 * ```
 */
export interface SignalfdSiginfo {
  signo: number;
  errno: number;
  code: number;
  pid: number;
  uid: number;
  status: number;
  int: number;
  ptr: number;
}

const F = signalfd_siginfo.fields;

/**
 * Decodes the record at `base`.
 *
 * @example
 * ```ts
 * import { readSignalfdSiginfo, signalfd_siginfo } from '@evring/abi';
 * const record = new DataView(new ArrayBuffer(signalfd_siginfo.size));
 * record.setUint32(signalfd_siginfo.fields.ssi_signo.offset, 10, true);
 * readSignalfdSiginfo(record, 0).signo; // 10 (SIGUSR1)
 * ```
 */
export function readSignalfdSiginfo(view: DataView, base: number): SignalfdSiginfo {
  return {
    signo: view.getUint32(base + F.ssi_signo.offset, LE),
    errno: view.getInt32(base + F.ssi_errno.offset, LE),
    code: view.getInt32(base + F.ssi_code.offset, LE),
    pid: view.getUint32(base + F.ssi_pid.offset, LE),
    uid: view.getUint32(base + F.ssi_uid.offset, LE),
    status: view.getInt32(base + F.ssi_status.offset, LE),
    int: view.getInt32(base + F.ssi_int.offset, LE),
    ptr: getU64(view, base + F.ssi_ptr.offset),
  };
}
