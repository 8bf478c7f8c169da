/**
 * Terminals and serial ports (termios(3)): raw mode at a chosen speed, and
 * the previous settings put back. Open the device yourself (`fs.openSync`
 * with `O_RDWR | O_NOCTTY | O_NONBLOCK`), set it raw, then watch the fd for
 * READ and read it with {@link read}.
 *
 * @module
 */

import { native } from './load.js';

/**
 * Puts the terminal on `fd` in raw mode (cfmakeraw: bytes arrive as they
 * come, no echo, no line editing, no signals from keys, 8 data bits, no
 * parity), at `baud` when given (9600, 115200, … up to 4000000; another
 * rate is a RangeError). Returns the settings it replaced, for
 * {@link ttyRestore}. An fd that is not a terminal throws ENOTTY.
 *
 * @example
 * ```ts
 * import { O_NOCTTY, O_NONBLOCK, O_RDWR } from '@evring/abi';
 * import { ttyRestore, ttySetRaw } from '@evring/sys';
 * import { closeSync, openSync } from 'node:fs';
 * declare const device: string; // the port, e.g. '/dev/ttyUSB0'
 * const fd = openSync(device, O_RDWR | O_NOCTTY | O_NONBLOCK);
 * const saved = ttySetRaw(fd, 115200);
 * // ... watch fd for READ, read(fd, buf) ...
 * ttyRestore(fd, saved);
 * closeSync(fd);
 * ```
 */
export const ttySetRaw: (fd: number, baud?: number) => Uint8Array = native.ttySetRaw;

/**
 * Puts back the settings {@link ttySetRaw} returned.
 *
 * @example
 * ```ts
 * import { close, openpty, ttyRestore, ttySetRaw } from '@evring/sys';
 * const { master, slave } = openpty();
 * const saved = ttySetRaw(slave, 9600);
 * ttyRestore(slave, saved);
 * close(slave); close(master);
 * ```
 */
export const ttyRestore: (fd: number, saved: Uint8Array) => void = native.ttyRestore;

/**
 * The terminal's output speed in baud (0 when it is not one Linux names).
 *
 * @example
 * ```ts
 * import { close, openpty, ttySetRaw, ttySpeed } from '@evring/sys';
 * const { master, slave } = openpty();
 * ttySetRaw(slave, 57600);
 * ttySpeed(slave); // 57600
 * close(slave); close(master);
 * ```
 */
export const ttySpeed: (fd: number) => number = native.ttySpeed;
