/**
 * The one place that knows which machine we run on.
 *
 * evring supports the two Linux ABIs Node ships for which the kernel's
 * struct layouts are checked here: x86_64 and aarch64, both little-endian.
 * Everything that differs between them (today only `epoll_event`) asks this
 * module; anything else fails loudly at import time rather than encoding a
 * struct one byte off.
 *
 * @module
 */

/**
 * The architectures whose layouts evring knows.
 *
 * @example
 * ```ts
 * import { ARCH, type SupportedArch } from '@evring/abi';
 * const arch: SupportedArch = ARCH; // 'x64' or 'arm64'
 * ```
 */
export type SupportedArch = 'x64' | 'arm64';

function detectArch(): SupportedArch {
  const arch = process.arch;
  if (arch === 'x64' || arch === 'arm64') return arch;
  throw new Error(
    `@evring/abi: unsupported architecture '${arch}': the kernel struct layouts are only known for x64 (x86_64) and arm64 (aarch64)`,
  );
}

/**
 * The running architecture, as Node names it.
 *
 * @example
 * ```ts
 * import { ARCH } from '@evring/abi';
 * ARCH; // 'x64' on x86_64; importing on another arch throws
 * ```
 */
export const ARCH: SupportedArch = detectArch();

/**
 * Every supported arch is little-endian. `DataView` defaults to big-endian,
 * so every accessor in this package passes this flag explicitly.
 *
 * @example
 * ```ts
 * import { LE } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(4));
 * view.setUint32(0, 1, LE); // little-endian, as the kernel writes
 * ```
 */
export const LE = true;

/**
 * `struct epoll_event` is declared `__attribute__((packed))` on x86_64 only
 * (uapi `eventpoll.h`, `EPOLL_PACKED`): 12 bytes with `data` at offset 4.
 * Everywhere else it is naturally aligned: 16 bytes with `data` at 8.
 *
 * @example
 * ```ts
 * import { EPOLL_EVENT_PACKED } from '@evring/abi';
 * const dataOffset = EPOLL_EVENT_PACKED ? 4 : 8;
 * ```
 */
export const EPOLL_EVENT_PACKED: boolean = ARCH === 'x64';
