import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { History } from '../../history/operation.ts';
import { buildHistory } from '../../history/operation.ts';
import { renderTimeline } from '../../history/timeline/render-timeline.ts';
import { seededChoose, simulateHistory } from '../../history/workloads/simulated-history.ts';
import type { Scenario, Section } from './scenario.ts';
import { scenario } from './scenario.ts';

// The timeline page at 3k, 100k and 1M operations: how long rendering takes, how big the page is (the
// figure that matters: Porcupine's pages reach 1.5 GB at 3k operations), and how long Chromium takes
// to open it and draw the first frame. Generating the history is setup, never timed.

const CHROMIUM = '/usr/bin/chromium';
const SIZES = [
  { name: '3k', operations: 3_000, runs: 5 },
  { name: '100k', operations: 100_000, runs: 3 },
  { name: '1M', operations: 1_000_000, runs: 2 },
];

/** A register history as recorded from a five-node cluster: failed and crashed clients, a failover every 400 operations, times. */
function history(operations: number): History {
  const cluster = { nodes: 5, failoverEvery: 400 };
  const options = {
    workload: 'register',
    ops: operations,
    processes: 10,
    keys: 10,
    failPercent: 3,
    infoPercent: 2,
    nemesisOneIn: 0,
    cluster,
    timed: true,
  } as const;
  return buildHistory(simulateHistory(options, seededChoose(1)));
}

function render(name: string, operations: number, runs: number): Scenario<History> {
  return scenario({
    name: `render ${name} ops`,
    runs,
    setup: () => history(operations),
    run: (generated) => {
      const bytes = Buffer.byteLength(renderTimeline({ history: generated }));
      return { MiB: bytes / 2 ** 20, 'bytes/op': bytes / operations };
    },
  });
}

// Each run launches its own browser and closes it (a scenario has no teardown, and a browser left open
// would keep the process alive); the figures time only the page.
function open(name: string, operations: number, runs: number): Scenario<string> {
  return scenario({
    name: `open ${name} ops in Chromium`,
    runs,
    setup: () => {
      const dir = mkdtempSync(join(tmpdir(), 'leaderlog-bench-timeline-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'timeline.html');
      writeFileSync(file, renderTimeline({ history: history(operations) }));
      return pathToFileURL(file).href;
    },
    run: async (url) => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu'] });
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        const started = Date.now();
        await page.goto(url, { timeout: 600_000 });
        // The page's side is passed as text: Node code has no DOM types (tsconfig.json keeps them out).
        await page.waitForFunction("'frames' in document.body.dataset", null, { timeout: 600_000 });
        const loaded = Date.now() - started;
        const redraw = await page.evaluate<number>(`new Promise((resolve) => {
          const start = performance.now();
          window.dispatchEvent(new KeyboardEvent('keydown', { key: '0' }));
          requestAnimationFrame(() => resolve(performance.now() - start));
        })`);
        return { 'load+first frame ms': loaded, 'redraw ms': redraw };
      } finally {
        await browser.close();
      }
    },
  });
}

const browserScenarios = existsSync(CHROMIUM) ? SIZES.map((s) => open(s.name, s.operations, s.runs)) : [];

export const section: Section = {
  title: `Timeline page (render, size, and opening in Chromium${existsSync(CHROMIUM) ? '' : `: skipped, no ${CHROMIUM}`})`,
  scenarios: [...SIZES.map((s) => render(s.name, s.operations, s.runs)), ...browserScenarios],
};
