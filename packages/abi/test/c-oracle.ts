/**
 * Compiles small C programs against this machine's headers with gcc and
 * returns what they print. Names the compiler rejects (fields or constants
 * newer than the installed headers) are dropped and reported, so the caller
 * can check that only known-newer names were missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OracleResult {
  values: Map<string, number>;
  missing: string[];
}

/** One probe: a key, and a C expression printed as an unsigned 64-bit number. */
export interface Probe {
  key: string;
  expr: string;
  /** The identifier gcc names when this probe does not compile. */
  ident: string;
}

function program(includes: string[], probes: Probe[]): string {
  const lines = probes.map(
    (p) => `  printf("%s=%llu\\n", "${p.key}", (unsigned long long)(${p.expr}));`,
  );
  return `#define _GNU_SOURCE\n${includes.map((h) => `#include <${h}>`).join('\n')}\n#include <stdio.h>\n#include <stddef.h>\nint main(void) {\n${lines.join('\n')}\n  return 0;\n}\n`;
}

export function runOracle(includes: string[], probes: Probe[]): OracleResult {
  const dir = mkdtempSync(join(tmpdir(), 'evring-oracle-'));
  try {
    let active = probes;
    const missing: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const src = join(dir, 'oracle.c');
      const bin = join(dir, 'oracle');
      writeFileSync(src, program(includes, active));
      try {
        execFileSync('gcc', ['-o', bin, src], { stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        const stderr = String((err as { stderr?: Buffer }).stderr ?? '');
        const rejected = new Set<string>();
        for (const m of stderr.matchAll(
          /(?:has no member named|undeclared|no member named) [‘'`]?(\w+)[’'`]?/g,
        )) {
          rejected.add(m[1]!);
        }
        for (const m of stderr.matchAll(/[‘'`](\w+)[’'`] undeclared/g)) rejected.add(m[1]!);
        if (rejected.size === 0) throw new Error(`gcc failed:\n${stderr}`);
        missing.push(...active.filter((p) => rejected.has(p.ident)).map((p) => p.key));
        active = active.filter((p) => !rejected.has(p.ident));
        continue;
      }
      const out = execFileSync(bin, { encoding: 'utf8' });
      const values = new Map<string, number>();
      for (const line of out.trim().split('\n')) {
        const eq = line.indexOf('=');
        values.set(line.slice(0, eq), Number(line.slice(eq + 1)));
      }
      return { values, missing };
    }
    throw new Error('gcc kept rejecting probes');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
