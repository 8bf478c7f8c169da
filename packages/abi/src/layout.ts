/**
 * The shape of a kernel struct as evring describes it: the single source of
 * truth for sizes and offsets. Codecs read their offsets from these objects,
 * and the layout oracle test compares them with this machine's C headers.
 *
 * @module
 */

/**
 * One field of a kernel struct: its byte offset and its size in bytes.
 *
 * @example
 * ```ts
 * import { type FieldLayout, layouts } from '@evring/abi';
 * const userData: FieldLayout = layouts.io_uring_cqe.fields.user_data; // { offset: 0, size: 8 }
 * ```
 */
export interface FieldLayout {
  readonly offset: number;
  readonly size: number;
}

/**
 * A kernel struct: its size and every field, union aliases included.
 *
 * @example
 * ```ts
 * import { type StructLayout, layouts } from '@evring/abi';
 * const cqe: StructLayout = layouts.io_uring_cqe;
 * cqe.size; // 16
 * ```
 */
export interface StructLayout<F extends string = string> {
  readonly size: number;
  readonly fields: { readonly [K in F]: FieldLayout };
}

/**
 * Declares a struct layout and checks, once at load, that every field lies
 * inside the struct: a typo in an offset fails the import, not a syscall.
 *
 * @example
 * ```ts
 * import { defineStruct } from '@evring/abi';
 * const sockaddr_in = defineStruct('sockaddr_in', 16, { sin_family: [0, 2], sin_port: [2, 2], sin_addr: [4, 4] });
 * sockaddr_in.fields.sin_port.offset; // 2
 * // defineStruct('bad', 4, { x: [2, 4] }) throws: x lies outside 4 bytes
 * ```
 */
export function defineStruct<F extends string>(
  name: string,
  size: number,
  fields: { readonly [K in F]: readonly [offset: number, size: number] },
): StructLayout<F> {
  const out = {} as { [K in F]: FieldLayout };
  for (const key of Object.keys(fields) as F[]) {
    const [offset, fieldSize] = fields[key];
    if (offset < 0 || offset + fieldSize > size) {
      throw new Error(
        `@evring/abi: ${name}.${key} (${offset}+${fieldSize}) lies outside ${size} bytes`,
      );
    }
    out[key] = Object.freeze({ offset, size: fieldSize });
  }
  return Object.freeze({ size, fields: Object.freeze(out) });
}
