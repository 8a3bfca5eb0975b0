import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Figures } from './scenario.ts';
import { sections } from './sections.ts';

// `npm run bench [section|section/scenario ...] [--runs N]`: every scenario in a fresh process, so
// peak memory is that scenario's own; medians over the runs. Figures are printed, never asserted.

const args = process.argv.slice(2);
const runsFlag = args.indexOf('--runs');
const runs = runsFlag >= 0 ? args.splice(runsFlag, 2)[1] : '';
const filters = args;
const runner = fileURLToPath(new URL('./run-one.ts', import.meta.url));

interface Measured {
  readonly millis: number[];
  readonly figures: Figures[];
  readonly peakRssKiB: number;
}

for (const [name, load] of Object.entries(sections)) {
  const section = await load();
  const chosen = section.scenarios.filter((s) => filters.length === 0 || filters.some((f) => f === name || f === `${name}/${s.name}`));
  if (chosen.length === 0) continue;
  console.log(`\n## ${section.title}\n`);
  console.log('| scenario | runs | median ms | min ms | max ms | peak MiB | figures (medians) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const s of chosen) {
    const output = execFileSync(process.execPath, ['--import', 'tsx', runner, name, s.name, runs], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const measured = JSON.parse(output.trim().split('\n').pop() as string) as Measured;
    console.log(row(s.name, measured));
  }
}

function row(name: string, { millis, figures, peakRssKiB }: Measured): string {
  const sorted = [...millis].sort((a, b) => a - b);
  return `| ${name} | ${millis.length} | ${fmt(median(sorted))} | ${fmt(sorted[0])} | ${fmt(sorted[sorted.length - 1])} | ${(peakRssKiB / 1024).toFixed(0)} | ${describeFigures(figures)} |`;
}

function describeFigures(figures: Figures[]): string {
  if (figures.length === 0) return '';
  return Object.keys(figures[0])
    .map((key) => {
      const values = figures.map((f) => f[key]);
      if (values.every((v) => typeof v === 'number')) {
        return `${key} ${fmt(median([...(values as number[])].sort((a, b) => a - b)))}`;
      }
      return `${key} ${values[values.length - 1]}`;
    })
    .join(', ');
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function fmt(n: number): string {
  if (n === 0) return '0';
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(2);
}
