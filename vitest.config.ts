/**
 * `pnpm test`: one vitest run over every package, each a project with its
 * own config (packages/<name>/vitest.config.ts: its pool, its fd/mapping
 * leak check, its timeouts), and one summary at the end.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts'],
  },
});
