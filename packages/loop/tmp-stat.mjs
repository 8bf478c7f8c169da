import { Loop } from '@evring/loop';
import * as np from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
writeFileSync('/tmp/statx-probe', 'x'.repeat(4096));
const N = 2000;
async function bench(name, f) {
  const res = [];
  for (let r = 0; r < 3; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await f();
    res.push(Number(process.hrtime.bigint() - t) / N / 1000);
  }
  console.log(name.padEnd(34), res.map((x) => x.toFixed(1)).join(' '), 'µs');
}
const nh = await np.open('/tmp/statx-probe');
await bench('node fh.stat', () => nh.stat());
await bench('node stat(path)', () => np.stat('/tmp/statx-probe'));
await bench('node readFile 4k', () => np.readFile('/tmp/statx-probe'));
for (const backend of ['iouring', 'epoll']) {
  const loop = new Loop({ backend });
  const fs = loop.fs.promises;
  const h = await fs.open('/tmp/statx-probe');
  await bench(`${backend} fh.stat`, () => h.stat());
  await bench(`${backend} stat(path)`, () => fs.stat('/tmp/statx-probe'));
  await bench(`${backend} readFile 4k`, () => fs.readFile('/tmp/statx-probe'));
  await h.close();
  loop.destroy();
}
await nh.close();
