import { performance } from 'node:perf_hooks';
import type { Figures } from './scenario.ts';
import { sections } from './sections.ts';

// Runs one scenario in this fresh process and prints one JSON line: timings, figures, peak memory.
const [sectionName, scenarioName, runsArg] = process.argv.slice(2);
const section = await sections[sectionName]();
const found = section.scenarios.find((s) => s.name === scenarioName);
if (!found) throw new Error(`no scenario ${scenarioName} in ${sectionName}`);

const context = await found.setup();
if (found.warmUp !== false) await found.run(context);
const runs = Number(runsArg) || found.runs || 5;
const millis: number[] = [];
const figures: Figures[] = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const result = await found.run(context);
  millis.push(performance.now() - start);
  if (result) figures.push(result);
}
await found.teardown?.(context);
process.stdout.write(`${JSON.stringify({ millis, figures, peakRssKiB: process.resourceUsage().maxRSS })}\n`);
