#!/usr/bin/env node
// The main job: @evring/loop at work on every backend. A ring of pipes passes
// tokens around (each callback reads one byte and writes it to the next
// pipe, as in libev's benchmark), a repeating timer watches the progress and
// a signal watcher stands by, first attached to Node's event loop — with a
// TCP echo through Node's own `net` running alongside — then standalone in
// run(). Every number printed is measured.
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { O_CLOEXEC, O_NONBLOCK } from '@evring/abi';
import { Loop, READ } from '@evring/loop';
import * as sys from '@evring/sys';

const PIPES = 64;
const TOKENS = 8;
const HOPS = 20_000;
const ECHOES = 200;

console.log(`evring demo on Linux ${sys.kernelRelease()}, Node ${process.version}`);
console.log(`${PIPES} pipes in a ring, ${TOKENS} tokens, ${HOPS} hops; 1-byte reads and writes\n`);

/** Builds the ring on `loop`; resolves with what happened once HOPS hops are done. */
function pipeRing(loop, onDone) {
  const pipes = Array.from({ length: PIPES }, () => sys.pipe2(O_NONBLOCK | O_CLOEXEC));
  const byte = Buffer.alloc(1);
  let hops = 0;
  let ticks = 0;
  const watchers = pipes.map(([r], i) =>
    loop
      .io(r, READ, () => {
        sys.read(r, byte);
        if (++hops < HOPS) sys.write(pipes[(i + 1) % PIPES][1], byte);
        else finish();
      })
      .start(),
  );
  const progress = loop.timer(0.005, 0.005, () => ticks++).start();
  const interrupt = loop.signal('SIGINT', () => finish('interrupted')).start();
  const t0 = performance.now();
  const calls0 = syscalls();
  function finish(why = 'done') {
    const ms = performance.now() - t0;
    const calls = syscalls() - calls0;
    for (const w of [...watchers, progress, interrupt]) w.stop();
    for (const [r, w] of pipes) {
      sys.close(r);
      sys.close(w);
    }
    onDone({ why, hops, ms, calls, ticks });
  }
  for (let k = 0; k < TOKENS; k++) sys.write(pipes[(k * PIPES) / TOKENS][1], byte);
}

function syscalls() {
  const c = sys.syscallCounts();
  return Object.entries(c).reduce((sum, [k, v]) => (k === 'sqeRejected' ? sum : sum + v), 0);
}

/** A TCP echo through Node's own net module: ECHOES round trips. */
async function nodeEcho() {
  const server = createServer((s) => s.pipe(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = connect(server.address().port, '127.0.0.1');
  await once(client, 'connect');
  let n = 0;
  for (; n < ECHOES; n++) {
    client.write('ping');
    await once(client, 'data');
  }
  client.destroy();
  server.close();
  return n;
}

function report(backend, mode, r, extra = '') {
  const ns = ((r.ms * 1e6) / r.hops).toFixed(0);
  console.log(
    `  ${mode.padEnd(10)} ${r.hops} hops in ${r.ms.toFixed(1)} ms: ${ns} ns/hop, ` +
      `${(r.calls / r.hops).toFixed(2)} syscalls/hop, timer ran ${r.ticks}×${extra}`,
  );
}

for (const backend of ['epoll', 'linuxaio', 'iouring']) {
  const attached = new Loop({ backend, env: false });
  console.log(`${attached.backend}  (${attached.backendReason})`);
  const ring = new Promise((resolve) => pipeRing(attached, resolve));
  const [r, echoes] = await Promise.all([ring, nodeEcho()]);
  report(backend, 'attached', r, `; Node net echo ${echoes}/${ECHOES} alongside`);
  attached.destroy();

  const standalone = new Loop({ backend, attach: false, env: false });
  let result;
  pipeRing(standalone, (x) => {
    result = x;
  });
  standalone.run();
  report(backend, 'standalone', result, `; ${standalone.iteration} iterations`);
  standalone.destroy();
}
console.log('\nRun `pnpm bench` for the benchmark beside libev in C.');
