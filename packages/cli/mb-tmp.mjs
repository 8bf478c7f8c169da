import * as sys from '@evring/sys';
const u = sys.IoUring.setup(64, {});
const p = sys.pipe ? null : null;
const N = 500000;
const buf = new Uint8Array(16);
const fds = sys.pipe2 ? sys.pipe2(0x800) : null;
function bench(name, f) {
  for (let r = 0; r < 3; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) f();
    const t = Number(process.hrtime.bigint() - t0) / N;
    if (r == 2) console.log(name, t.toFixed(0));
  }
}
bench('enter0', () => u.enter(0, 0, 0));
bench('enterGE', () => u.enter(0, 0, 1));
if (fds) bench('read-empty', () => sys.read(fds[0], buf, 0, 1));
bench('getppid?', () => 0);
