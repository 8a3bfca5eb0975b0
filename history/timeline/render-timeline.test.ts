import { describe, expect, it } from 'vitest';
import { buildHistory } from '../operation.ts';
import { seededChoose, simulateHistory } from '../workloads/simulated-history.ts';
import { renderTimeline } from './render-timeline.ts';
import { HOSTILE_VALUE, staleReadExample } from './stale-read-example.test-kit.ts';
import { timelineData } from './timeline-data.ts';

// The page as text: self-contained, injection-proof, deterministic and small. What it looks like and
// does in a browser is timeline.browser.test.ts's business.

const { history, anomalies } = staleReadExample();

/** A seeded register history as recorded from a five-node cluster: failed and crashed clients, failovers, times. */
function recorded(ops: number, keys = 1) {
  const cluster = { nodes: 5, failoverEvery: 400 };
  const options = {
    workload: 'register',
    ops,
    processes: 10,
    keys,
    failPercent: 3,
    infoPercent: 2,
    nemesisOneIn: 0,
    cluster,
    timed: true,
  } as const;
  return buildHistory(simulateHistory(options, seededChoose(1)));
}

function embeddedJson(page: string): string {
  const match = /<script type="application\/json" id="timeline-data">([\s\S]*?)<\/script>/.exec(page);
  if (!match) throw new Error('no embedded data');
  return match[1];
}

describe('renderTimeline', () => {
  const hostileTitle = `${HOSTILE_VALUE} $& $' <b>`;
  const page = renderTimeline({ history, anomalies, title: hostileTitle, source: '"><img src=x onerror=alert(1)>.edn' });

  it('is one complete document with inline styles and scripts and nothing to fetch', () => {
    const plain = renderTimeline({ history, anomalies });
    expect(plain.startsWith('<!doctype html>')).toBe(true);
    expect(plain.trimEnd().endsWith('</html>')).toBe(true);
    expect(plain).toContain("default-src 'none'");
    expect(plain).not.toMatch(/<link|<iframe|<img|\burl\(|@import/i);
    expect(plain).not.toMatch(/\b(src|href)\s*=/i);
    expect(plain).not.toMatch(/https?:\/\//);
  });

  it('keeps a hostile title, source and values inert', () => {
    // Exactly the page's own two scripts: data cannot open or close one.
    expect(page.match(/<script\b/gi)).toHaveLength(2);
    expect(page.match(/<\/script/gi)).toHaveLength(2);
    expect(page).toContain('<title>&lt;/script&gt;&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;!-- $&amp; $&#39; &lt;b&gt;</title>');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.edn');
  });

  it('shows the title and source as written, placeholders and replacement patterns included', () => {
    const titled = renderTimeline({ history, title: '{{source}} $1 $$', source: '{{title}}.edn' });
    expect(titled).toContain('<h1>{{source}} $1 $$</h1>');
    expect(titled).toContain('<p class="source">{{title}}.edn</p>');
  });

  it('embeds exactly the timeline data, parseable back', () => {
    expect(JSON.parse(embeddedJson(page))).toEqual(JSON.parse(JSON.stringify(timelineData({ history, anomalies }))));
  });

  it('gives the same bytes for the same input', () => {
    const again = renderTimeline({ history, anomalies, title: hostileTitle, source: '"><img src=x onerror=alert(1)>.edn' });
    expect(again).toBe(page);
  });

  it('stays small: a 3,000-operation history is well under a megabyte, and bytes per operation stay low', () => {
    const small = Buffer.byteLength(renderTimeline({ history: recorded(3000) }));
    expect(small).toBeLessThan(300_000);
    const larger = Buffer.byteLength(renderTimeline({ history: recorded(30_000, 10) }));
    expect(larger / 30_000).toBeLessThan(100);
  });
});
