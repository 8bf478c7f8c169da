/**
 * A benchmark row that runs in a child process. The child prints `ready`
 * once set up (or `unavailable` when the kernel refuses what it needs),
 * then runs one round per line written to its stdin and answers each with
 * a line: the round's nanoseconds, the syscalls it made (or `-`), the
 * CPU microseconds it used, user and system, and, from a Node child, the
 * scavenges V8 ran during it.
 *
 * @module
 */

import { spawn } from 'node:child_process';
import type { FileJobMissing, FileSession } from '../job.js';

/** Starts `command`; resolves once it is ready (or says it cannot run here). */
export function openLineChild(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  countsSyscalls: boolean,
  unavailable: string,
): Promise<FileSession | FileJobMissing> {
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let buffered = '';
  let stderr = '';
  let syscalls = 0;
  let scavenges: number | undefined;
  const cpu = { user: 0, system: 0 };
  const waiting: Array<{ resolve: (line: string) => void; reject: (err: Error) => void }> = [];
  const failAll = (err: Error): void => {
    for (const w of waiting.splice(0)) w.reject(err);
  };
  const nextLine = (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      if (child.exitCode !== null) reject(new Error(`${command} has exited: ${stderr.trim()}`));
      else waiting.push({ resolve, reject });
    });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      waiting.shift()?.resolve(line);
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  child.on('error', failAll);
  child.on('exit', (code) =>
    failAll(new Error(`${command} exited with ${code}${stderr ? `: ${stderr.trim()}` : ''}`)),
  );
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin.end();
    });
  const session: FileSession = {
    inProcess: false,
    cpu,
    async round(ops?: number) {
      const line = nextLine();
      // The round's operation count, or an empty line: the count the child was started with.
      child.stdin.write(`${ops ?? ''}\n`);
      // "<ns> <syscalls or -> <user µs> <system µs> [scavenges]"
      const [ns, calls, user, system, gcs] = (await line).split(' ').map(Number);
      if (gcs !== undefined && !Number.isNaN(gcs)) scavenges = (scavenges ?? 0) + gcs;
      if (calls !== undefined && !Number.isNaN(calls)) syscalls += calls;
      if (user !== undefined && system !== undefined) {
        cpu.user += user;
        cpu.system += system;
      }
      return ns!;
    },
    ...(countsSyscalls ? { syscalls: () => syscalls } : {}),
    scavenges: () => scavenges,
    close,
  };
  return nextLine().then(async (first) => {
    if (first === 'ready') return session;
    await close();
    if (first === 'unavailable') return { missing: unavailable };
    throw new Error(`${command} said '${first}' instead of 'ready'`);
  });
}
