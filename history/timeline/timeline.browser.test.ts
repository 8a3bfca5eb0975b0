import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingsOfKind } from '../anomalies/detect-anomalies.ts';
import type { Event } from '../event.ts';
import { buildHistory } from '../operation.ts';
import type { CheckResult } from '../verdict.ts';
import { seededChoose, simulateHistory } from '../workloads/simulated-history.ts';
import { describeBriefly } from './describe-briefly.ts';
import { renderTimeline } from './render-timeline.ts';
import { HOSTILE_VALUE, staleReadExample } from './stale-read-example.test-kit.ts';

// The page in a real browser: Debian's headless Chromium driven by playwright-core. What was drawn is
// read from the page's own summary (window.__leaderlog) and, for the highlight, the fault marker and
// the roles, from the canvas pixels themselves.

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const SUITE = available
  ? 'the timeline page in headless Chromium'
  : `the timeline page in headless Chromium: SKIPPED because ${CHROMIUM} is absent (apt-get install chromium; CI installs it)`;
if (!available) console.warn(`timeline.browser.test.ts: ${CHROMIUM} is absent, so the browser tests are skipped.`);

interface Point {
  readonly x: number;
  readonly y: number;
}
interface Bar extends Point {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}
interface Summary {
  readonly operations: number;
  readonly lanes: readonly string[];
  readonly nodes: readonly { name: string; source: string }[];
  readonly faults: number;
  readonly findings: readonly { kind: string; ops: number[]; events: number[] }[];
  readonly selected: number;
  readonly timeMode: boolean;
  readonly laneMode: string;
  readonly drawn: {
    readonly lanes: number;
    readonly bars: number;
    readonly highlighted: readonly number[];
    readonly highlightedEvents: readonly number[];
    readonly faults: number;
    readonly nodeSegments: number;
  };
}
interface Hooks {
  select(finding: number): void;
  locateOp(id: number): Bar | null;
  locateEvent(event: number, row: string): Point | null;
}
declare global {
  interface Window {
    __leaderlog?: Summary & Hooks;
    __pwned?: number;
  }
}

type Rgb = [number, number, number];
const HIGHLIGHT: Rgb = [0x1d, 0x4e, 0xd8];
const FAULT: Rgb = [0x9f, 0x12, 0x39];
const LEADER: Rgb = [0x6d, 0x28, 0xd9];
const near = (a: Rgb, b: Rgb) => a.every((channel, i) => Math.abs(channel - b[i]) <= 24);

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe.skipIf(!available)(SUITE, () => {
  let browser: Browser;
  let dir: string;
  let pages = 0;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    dir = mkdtempSync(join(tmpdir(), 'leaderlog-timeline-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a page and collects everything that should never happen: errors, warnings, any request. */
  async function open(html: string, viewport = { width: 1400, height: 800 }): Promise<{ page: Page; problems: string[] }> {
    const file = join(dir, `timeline-${pages++}.html`);
    writeFileSync(file, html);
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (request.url() !== url) problems.push(`request: ${request.url()}`);
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__leaderlog !== undefined);
    return { page, problems };
  }

  const example = staleReadExample();
  const openExample = () => open(renderTimeline({ ...example, title: 'stale read', source: 'example.edn' }));

  const summary = (page: Page) =>
    page.evaluate(() => {
      const { locateOp: _op, locateEvent: _event, select: _select, ...rest } = window.__leaderlog as Summary & Hooks;
      return rest as Summary;
    });
  const locateOp = (page: Page, id: number) => page.evaluate((op) => window.__leaderlog?.locateOp(op) ?? null, id);
  const locateEvent = (page: Page, event: number, row: string) =>
    page.evaluate(([at, name]) => window.__leaderlog?.locateEvent(at as number, name as string) ?? null, [event, row] as const);
  const pixel = (page: Page, point: Point) =>
    page.evaluate(({ x, y }) => {
      const canvas = document.querySelector('#chart canvas') as HTMLCanvasElement;
      const bounds = canvas.getBoundingClientRect();
      const scale = canvas.width / bounds.width;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      const [r, g, b] = context.getImageData(Math.floor((x - bounds.left) * scale), Math.floor((y - bounds.top) * scale), 1, 1).data;
      return [r, g, b] as Rgb;
    }, point);
  async function hover(page: Page, point: Point): Promise<{ text: string; op: string | null }> {
    await page.mouse.move(point.x, point.y);
    await page.waitForSelector('#tooltip:not([hidden])');
    return page.evaluate(() => {
      const tooltip = document.getElementById('tooltip') as HTMLElement;
      // biome-ignore lint/performance/useDomNodeTextContent: the test reads the tooltip as rendered, its lines broken at its blocks, which only innerText gives
      return { text: tooltip.innerText, op: tooltip.getAttribute('data-op') };
    });
  }

  it('loads with no error, no warning and no request beyond the file itself', async () => {
    const { page, problems } = await openExample();
    await page.mouse.move(700, 300);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('draws one lane per process and one bar per operation', async () => {
    const { page, problems } = await openExample();
    const drawn = await summary(page);
    await page.close();
    const processes = [...new Set(example.history.operations.map((op) => op.process))].sort((a, b) => a - b);
    expect(drawn.laneMode).toBe('process');
    expect(drawn.lanes).toEqual(processes.map((p) => `p${p}`));
    expect(drawn.drawn.lanes).toBe(processes.length);
    expect(drawn.operations).toBe(example.history.operations.length);
    expect(drawn.drawn.bars).toBe(example.history.operations.length);
    expect(problems).toEqual([]);
  });

  it('outlines the anomalies’ operations in the highlight colour, and no other', async () => {
    const { page } = await openExample();
    const drawn = await summary(page);
    const inFindings = [...new Set(example.anomalies.flatMap((a) => a.ops))].sort((a, b) => a - b);
    expect(drawn.drawn.highlighted).toEqual(inFindings);
    for (const op of example.history.operations) {
      const bar = (await locateOp(page, op.id)) as Bar;
      expect(bar).not.toBeNull();
      const leftEdge = await pixel(page, { x: bar.left - 1, y: bar.y });
      expect(near(leftEdge, HIGHLIGHT), `op ${op.id} at its left edge: ${leftEdge}`).toBe(inFindings.includes(op.id));
    }
    await page.close();
  });

  it('draws the fault markers, each named on hover', async () => {
    const { page } = await openExample();
    const drawn = await summary(page);
    const faults = example.history.events.flatMap((event, i) => (event.process === 'nemesis' ? [i] : []));
    expect(drawn.faults).toBe(faults.length);
    expect(drawn.drawn.faults).toBe(faults.length);
    const first = (await locateEvent(page, faults[0], 'faults')) as Point;
    expect(near(await pixel(page, { x: first.x + 2, y: first.y }), FAULT)).toBe(true);
    const tooltip = await hover(page, first);
    expect(tooltip.text).toContain('start-partition');
    expect(tooltip.text).toContain('nemesis');
    await page.close();
  });

  it('shows each node’s role and epoch over time, and the annotations a dual leader rests on', async () => {
    const { page } = await openExample();
    const drawn = await summary(page);
    expect(drawn.nodes).toEqual([
      { name: 'n1', source: 'roles' },
      { name: 'n2', source: 'roles' },
      { name: 'n3', source: 'roles' },
    ]);
    // n1: leader then follower; n2: follower, candidate, leader; n3: follower twice.
    expect(drawn.drawn.nodeSegments).toBe(7);
    expect(drawn.drawn.highlightedEvents).toEqual([0, 10]);
    const n2Leads = example.history.events.findIndex((e) => e.node === 'n2' && e.value === 'leader');
    const during = (await locateEvent(page, n2Leads + 3, 'n2')) as Point;
    expect(near(await pixel(page, during), LEADER)).toBe(true);
    const tooltip = await hover(page, during);
    expect(tooltip.text).toContain('n2 · leader');
    expect(tooltip.text).toMatch(/epoch\s+2/);
    await page.close();
  });

  it('shows an operation’s details on hover', async () => {
    const { page, problems } = await openExample();
    const stale = example.history.operations[3];
    const tooltip = await hover(page, (await locateOp(page, stale.id)) as Bar);
    await page.close();
    expect(tooltip.op).toBe(String(stale.id));
    expect(tooltip.text).toContain('read · process 0 · op 3');
    expect(tooltip.text).toMatch(/output\s+1/);
    expect(tooltip.text).toMatch(/node\s+n1/);
    expect(tooltip.text).toMatch(/epoch\s+1/);
    expect(tooltip.text).toMatch(/result\s+ok/);
    expect(tooltip.text).toContain(`stale-read: ${example.anomalies[0].reason}`);
    expect(problems).toEqual([]);
  });

  it('shows a hostile value as text and runs none of it', async () => {
    const { page, problems } = await openExample();
    const hostile = example.history.operations.find((op) => op.input === HOSTILE_VALUE && op.f === 'write');
    const tooltip = await hover(page, (await locateOp(page, hostile?.id as number)) as Bar);
    const injected = await page.evaluate(() => ({
      pwned: window.__pwned,
      scripts: document.scripts.length,
      images: document.images.length,
    }));
    await page.close();
    expect(tooltip.text).toContain(describeBriefly(HOSTILE_VALUE));
    expect(injected).toEqual({ pwned: undefined, scripts: 2, images: 0 });
    expect(problems).toEqual([]);
  });

  it('goes to a finding when it is clicked, and the time axis keeps every bar', async () => {
    const { page, problems } = await openExample();
    await page.click('#finding-list li[data-finding="0"]');
    await page.waitForFunction(() => window.__leaderlog?.selected === 0);
    const before = (await locateOp(page, 8)) as Bar;
    const stale = (await locateOp(page, 3)) as Bar;
    const write = (await locateOp(page, 2)) as Bar;
    // Zoomed in on the two operations: each much wider than at the start.
    expect(stale.right - stale.left).toBeGreaterThan(80);
    expect(write.right - write.left).toBeGreaterThan(80);
    expect(before).toBeNull();
    await page.keyboard.press('Escape');
    await page.check('#time-axis');
    await page.waitForFunction(() => window.__leaderlog?.timeMode === true);
    const zoomed = await summary(page);
    await page.keyboard.press('0');
    await page.waitForFunction((all) => window.__leaderlog?.drawn.bars === all, example.history.operations.length);
    const drawn = await summary(page);
    await page.close();
    // The switch keeps the same stretch of history in view; fitting shows it all.
    expect(zoomed.drawn.bars).toBeLessThan(example.history.operations.length);
    expect(drawn.selected).toBe(-1);
    expect(drawn.drawn.bars).toBe(example.history.operations.length);
    expect(problems).toEqual([]);
  });

  it('shows an invalid verdict: its stuck operations highlighted, its longest prefix numbered', async () => {
    // What a register check says of this history: write 1, read 1, write 2 linearize; the stale read cannot follow.
    const check: CheckResult = {
      verdict: 'invalid',
      model: 'register',
      steps: 12,
      partitions: [{ verdict: 'invalid', operations: 9, steps: 12, longestPrefix: [0, 1, 2], stateAfterPrefix: '2', stuck: [3] }],
    };
    const { page, problems } = await open(renderTimeline({ history: example.history, check }));
    const before = await summary(page);
    expect(before.findings[0]).toEqual({ kind: 'not linearizable', ops: [3], events: [] });
    expect(before.drawn.highlighted).toEqual([3]);
    const badge = await page.textContent('#summary .verdict');
    await page.click('#finding-list li[data-finding="0"]');
    await page.waitForFunction(() => window.__leaderlog?.selected === 0);
    const last = await hover(page, (await locateOp(page, 2)) as Bar);
    const stuck = await hover(page, (await locateOp(page, 3)) as Bar);
    await page.close();
    expect(badge).toBe('invalid');
    expect(last.text).toContain('#3 in the longest linearizable prefix');
    expect(stuck.text).toContain('not linearizable: 3 of 9 operations linearize (state then: 2)');
    expect(problems).toEqual([]);
  });

  it('zooms a dual leader to the overlap of the two reigns, not the whole of the first', async () => {
    const events: Event[] = [{ type: 'info', process: 'cluster', f: 'role', value: 'leader', node: 'n1', epoch: 1 }];
    const write = (process: number, value: number, node: string) =>
      events.push({ type: 'invoke', process, f: 'write', value }, { type: 'ok', process, f: 'write', value, node });
    for (let value = 0; value < 40; value++) write(0, value, 'n1');
    events.push({ type: 'info', process: 'cluster', f: 'role', value: 'leader', node: 'n2', epoch: 2 });
    write(0, 40, 'n1');
    write(1, 41, 'n2');
    events.push({ type: 'info', process: 'cluster', f: 'role', value: 'follower', node: 'n1', epoch: 2 });
    for (let value = 42; value < 82; value++) write(1, value, 'n2');
    const history = buildHistory(events);
    const anomalies = findingsOfKind(history, 'dual-leader').anomalies;
    expect(anomalies.map((anomaly) => anomaly.window)).toEqual([{ from: 81, to: 86 }]);
    const { page, problems } = await open(renderTimeline({ history, anomalies }));
    await page.click('#finding-list li[data-finding="0"]');
    await page.waitForFunction(() => window.__leaderlog?.selected === 0);
    const first = await locateOp(page, 0);
    const inOverlap = (await locateOp(page, 40)) as Bar;
    await page.close();
    expect(first).toBeNull();
    expect(inOverlap.right - inOverlap.left).toBeGreaterThan(80);
    expect(problems).toEqual([]);
  });

  it("shows the judge's verdict as the badge of a history that has no linearizability check (list-append)", async () => {
    const { page, problems } = await open(
      renderTimeline({ history: example.history, verdict: { verdict: 'valid', model: 'list-append' } }),
    );
    const badge = await page.textContent('#summary .verdict');
    await page.close();
    expect(badge).toBe('valid');
    expect(problems).toEqual([]);
  });

  it('opens an empty history, and one of faults alone, without error', async () => {
    const empty = await open(renderTimeline({ history: buildHistory([]) }));
    const emptySummary = await summary(empty.page);
    await empty.page.close();
    const faultsOnly = await open(
      renderTimeline({ history: buildHistory([{ type: 'info', process: 'nemesis', f: 'kill', value: 'n1' }]) }),
    );
    const faultsSummary = await summary(faultsOnly.page);
    await faultsOnly.page.close();
    expect(emptySummary.drawn).toMatchObject({ lanes: 0, bars: 0, faults: 0 });
    expect(faultsSummary.drawn).toMatchObject({ lanes: 0, bars: 0, faults: 1 });
    expect([...empty.problems, ...faultsOnly.problems]).toEqual([]);
  });

  it('draws a 3,000-operation history whole, and packs crashed processes into worker lanes', async () => {
    // A register recorded from a five-node cluster: failed and crashed clients, failovers, times. Crashes
    // are few enough (some 30 fresh processes) that the page opens with a lane per process: past 64
    // processes it would start in worker lanes.
    const cluster = { nodes: 5, failoverEvery: 400 };
    const options = {
      workload: 'register',
      ops: 3000,
      processes: 10,
      failPercent: 3,
      infoPercent: 1,
      nemesisOneIn: 0,
      cluster,
      timed: true,
    } as const;
    const history = buildHistory(simulateHistory(options, seededChoose(1)));
    const { page, problems } = await open(renderTimeline({ history }), { width: 1400, height: 2000 });
    const byProcess = await summary(page);
    await page.selectOption('#lane-mode', 'worker');
    await page.waitForFunction(() => window.__leaderlog?.laneMode === 'worker');
    const byWorker = await summary(page);
    await page.close();
    const processes = new Set(history.operations.map((op) => op.process)).size;
    expect(byProcess.lanes).toHaveLength(processes);
    expect(byProcess.drawn.bars).toBe(3000);
    expect(byWorker.lanes.length).toBeLessThan(processes);
    expect(byWorker.lanes.length).toBeGreaterThanOrEqual(10);
    expect(byWorker.drawn.bars).toBe(3000);
    expect(problems).toEqual([]);
  });
});
