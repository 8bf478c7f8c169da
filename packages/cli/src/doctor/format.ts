/**
 * `evring doctor`'s report as text for a terminal.
 *
 * @module
 */

import type { DoctorReport } from './doctor.js';

const yes = (b: boolean): string => (b ? 'yes' : 'no');

/**
 * The report as text.
 *
 * @example
 * ```ts
 * import { formatDoctor, runDoctor } from '@evring/cli';
 * console.log(formatDoctor(runDoctor())); // the text `evring doctor` prints
 * ```
 */
export function formatDoctor(r: DoctorReport): string {
  const out: string[] = [];
  const k = r.kernel;
  out.push(`kernel     linux ${k.release} (${k.arch}), node ${k.node}`);
  out.push(`fds        RLIMIT_NOFILE soft ${k.nofile.soft}, hard ${k.nofile.hard}`);
  out.push(
    `sys        hot calls entered ${
      r.hotCalls === 'v8'
        ? 'straight from V8 (the addon was built for this Node major)'
        : 'through Node-API (built for another Node major, or EVRING_SYS_NODE_API=1)'
    }`,
  );
  out.push('');

  const u = r.iouring;
  out.push(
    `io_uring   ${u.available ? 'available' : `refused: ${u.refusal?.code} (${u.refusal?.message})`}`,
  );
  if (u.disabledSysctl !== undefined)
    out.push(`           kernel.io_uring_disabled = ${u.disabledSysctl}`);
  if (u.available) {
    const present = u.features
      .filter((f) => f.present)
      .map((f) => f.name.replace('IORING_FEAT_', ''));
    const absent = u.features
      .filter((f) => !f.present)
      .map((f) => f.name.replace('IORING_FEAT_', ''));
    out.push(`           features: ${present.join(' ')}`);
    if (absent.length) out.push(`           features absent: ${absent.join(' ')}`);
    out.push(
      `           opcodes: ${u.opcodes.supported.length} supported (last op ${u.opcodes.lastOp})`,
    );
    out.push(`             ${u.opcodes.supported.join(' ')}`);
    if (u.opcodes.newerThanHeaders) {
      out.push(
        `           and ${u.opcodes.newerThanHeaders} opcodes newer than @evring/abi's headers`,
      );
    }
    if (u.opcodes.unsupported.length)
      out.push(`           opcodes not supported: ${u.opcodes.unsupported.join(' ')}`);
  }
  out.push(
    `linux aio  aio-nr ${r.aio.nr ?? '?'} of aio-max-nr ${r.aio.maxNr ?? '?'} requests in use system-wide`,
  );
  out.push(`epoll      max_user_watches ${r.epoll.maxUserWatches ?? '?'}`);
  out.push('');

  for (const b of r.backends) {
    if (!b.available) {
      out.push(`backend ${b.name}: refused by this kernel: ${b.refusal}`);
      continue;
    }
    const feats = Object.entries(b.features)
      .map(([name, v]) => (typeof v === 'boolean' ? `${name}=${yes(v)}` : `${name}=${v}`))
      .join(' ');
    out.push(`backend ${b.name}: available; ${feats}`);
    const ops = b.operations;
    if (ops !== undefined) {
      out.push(
        `  file operations in the kernel: ${ops.native.join(' ') || 'none'}${ops.options ? ` (with ${ops.options})` : ''}`,
      );
      if (b.name === 'iouring' && ops.native.includes('stat')) {
        out.push(
          "  stat: made at once when memory answers it (a cached path, or an fd, on a local filesystem: sys's statxInline), since the kernel hands every STATX to a worker",
        );
      }
      if (ops.emulated.length) {
        out.push(
          `  emulated by a direct syscall (regular files, block devices, directories): ${ops.emulated.join(' ')}`,
        );
      }
    }
    for (const s of b.switches) {
      const effect = s.refused
        ? `refused: ${s.refused}`
        : s.changes.length
          ? s.changes.join(', ')
          : 'no change here (this kernel lacks the feature already)';
      out.push(`  ${s.option}: ${effect}`);
      out.push(`      ${s.meaning}`);
    }
  }
  out.push('');
  const a = r.auto;
  out.push(
    `auto picks ${a.backend ?? 'nothing'}: ${a.reason}${a.env ? ` (EVRING_BACKEND=${a.env})` : ''}`,
  );
  return out.join('\n');
}
