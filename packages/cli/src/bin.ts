#!/usr/bin/env node
/**
 * The `evring` executable.
 *
 * @module
 */

import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2));
