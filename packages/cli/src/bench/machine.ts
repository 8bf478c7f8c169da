/**
 * The machine a benchmark report was measured on.
 *
 * @module
 */

import { cpus } from 'node:os';
import * as sys from '@evring/sys';

/** Kernel release, Node version, CPU count and model. */
export function machineFacts(): { kernel: string; node: string; cpus: number; cpu: string } {
  const cpuList = cpus();
  return {
    kernel: sys.kernelRelease(),
    node: process.version,
    cpus: cpuList.length,
    cpu: cpuList[0]?.model ?? 'unknown',
  };
}
