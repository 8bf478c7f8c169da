/**
 * The per-event iocb and io_event accesses, through 32-bit words.
 *
 * `@evring/abi`'s DataView codecs are the reference. The two accesses made
 * once per event do not use them: V8 compiles a run of DataView stores
 * through shared helpers to code several times slower than typed-array
 * stores (see backend-iouring's words.ts for the measurement). Offsets are
 * taken from abi's layouts, and test/words.test.ts checks the writer byte
 * for byte against abi's encoder. Words are little-endian, as abi requires.
 *
 * @module
 */

import { IOCB_CMD_POLL, IOCB_FLAG_RESFD, layouts } from '@evring/abi';

const CB = layouts.iocb.fields;
const EV = layouts.io_event.fields;

/** Words in one iocb (64 bytes). */
export const IOCB_WORDS = layouts.iocb.size >>> 2;

const C_DATA = CB.aio_data.offset >>> 2;
const C_OPCODE = CB.aio_lio_opcode.offset >>> 2; // aio_lio_opcode (u16) and aio_reqprio (0)
const C_FILDES = CB.aio_fildes.offset >>> 2;
const C_BUF = CB.aio_buf.offset >>> 2;
const C_FLAGS = CB.aio_flags.offset >>> 2;
const C_RESFD = CB.aio_resfd.offset >>> 2;

/** Words in one io_event (32 bytes). */
export const IO_EVENT_WORDS = layouts.io_event.size >>> 2;

/** io_event word indexes, from the event's first word. */
export const EV_DATA_LO = EV.data.offset >>> 2;
export const EV_DATA_HI = EV_DATA_LO + 1;
/** The low word of the 64-bit `res`: a poll mask or -errno, both within 32 bits. */
export const EV_RES_LO = EV.res.offset >>> 2;

/**
 * Writes IOCB_CMD_POLL into the iocb at word `i` of `iocbs`: the same bytes
 * as abi's `prepIocbPoll`. `resfd` < 0: no completion eventfd.
 */
export function writeIocbPollWords(
  iocbs: Uint32Array,
  i: number,
  fd: number,
  pollMask: number,
  dataLo: number,
  dataHi: number,
  resfd: number,
): void {
  for (let k = 0; k < IOCB_WORDS; k++) iocbs[i + k] = 0;
  iocbs[i + C_DATA] = dataLo;
  iocbs[i + C_DATA + 1] = dataHi;
  iocbs[i + C_OPCODE] = IOCB_CMD_POLL;
  iocbs[i + C_FILDES] = fd;
  iocbs[i + C_BUF] = pollMask & 0xffff;
  iocbs[i + C_FLAGS] = resfd >= 0 ? IOCB_FLAG_RESFD : 0;
  iocbs[i + C_RESFD] = Math.max(resfd, 0);
}
