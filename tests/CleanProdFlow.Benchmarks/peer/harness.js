// Runs the benchmark's process (the XML file given) in bpmn-engine, in memory, with several concurrent drivers for
// the given seconds: each case is started, every user task is signalled when it waits, timers fire by themselves.
// Prints one JSON line: cases/s (instances), signals/s, and the engine's version.
import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';

const [file, secondsText, driversText] = process.argv.slice(2);
const source = readFileSync(file, 'utf8');
const seconds = Number(secondsText ?? 3);
const drivers = Number(driversText ?? 4);
// The installed version, read from its folder (the package's exports do not include package.json).
const version = JSON.parse(readFileSync(new URL('./node_modules/bpmn-engine/package.json', import.meta.url), 'utf8')).version;

let signals = 0;
let cases = 0;

function runCase(n) {
  return new Promise((resolve, reject) => {
    const listener = new EventEmitter();
    listener.on('wait', (api) => {
      if (api.type !== 'bpmn:UserTask') return;
      // Signal on the next turn, as a driver answering the wait would.
      setImmediate(() => { signals++; api.signal({ done: true }); });
    });
    const engine = new Engine({ name: `case-${n}`, source });
    engine.once('end', () => resolve());
    engine.once('error', reject);
    engine.execute({ listener }).catch(reject);
  });
}

async function driver(id, until) {
  let n = 0;
  while (performance.now() < until) {
    await runCase(`${id}-${n++}`);
    cases++;
  }
}

// Warm-up, then the measured stretch.
await Promise.all(Array.from({ length: drivers }, (_, i) => driver(`w${i}`, performance.now() + 500)));
cases = 0;
signals = 0;
const started = performance.now();
await Promise.all(Array.from({ length: drivers }, (_, i) => driver(i, started + seconds * 1000)));
const elapsed = (performance.now() - started) / 1000;
console.log(JSON.stringify({ version, cases, signals, elapsed, casesPerSecond: cases / elapsed, signalsPerSecond: signals / elapsed }));
