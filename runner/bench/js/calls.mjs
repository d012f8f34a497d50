// Times the first N calls of one export on one Extism JS plugin instance (V8), as
// `xtp-sim bench` does on Chicory, and prints {"calls":N,"medianNanos":M,"minNanos":m}.
// Usage: node calls.mjs PLUGIN.wasm FUNCTION CALLS INPUT
import createPlugin from '@extism/extism';
import { readFile } from 'node:fs/promises';

const [file, fn, count, input] = process.argv.slice(2);
const calls = Number(count);
const plugin = await createPlugin({ wasm: [{ data: await readFile(file) }] }, { useWasi: true });
const times = new Float64Array(calls);
for (let i = 0; i < calls; i++) {
  const start = process.hrtime.bigint();
  await plugin.call(fn, input);
  times[i] = Number(process.hrtime.bigint() - start);
}
times.sort();
console.log(JSON.stringify({ calls, medianNanos: times[calls >> 1], minNanos: times[0] }));
await plugin.close();
