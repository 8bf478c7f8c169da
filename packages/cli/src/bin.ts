#!/usr/bin/env node
/**
 * The `evring` executable.
 *
 * @module
 */

import { main } from './cli/main.js';

// `evring bench | head`: once the reader is gone, stop quietly as Unix
// tools do, instead of dying on an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await main(process.argv.slice(2));
