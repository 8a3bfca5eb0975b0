import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../event.ts';
import type { History } from '../operation.ts';
import { buildHistory } from '../operation.ts';
import type { CheckResult } from '../verdict.ts';
import { seededChoose, simulateHistory } from '../workloads/simulated-history.ts';
import { describeBriefly } from './describe-briefly.ts';
import { decodeTimeline, RESULT_NAMES } from './page/history-model.ts';
import { staleReadExample } from './stale-read-example.test-kit.ts';
import type { TimelineData } from './timeline-data.ts';
import { timelineData } from './timeline-data.ts';

// The embedded data against the history it came from: decoded by the page's own decoder (page/history-model.ts),
// every operation must come back as it was, and nothing may be stored twice.

interface DecodedOp {
  process: number;
  f: string;
  key?: string;
  invokeIndex: number;
  completeIndex: number;
  result: string;
  input: string;
  output: string;
  node?: string;
  epoch?: number;
  error?: string;
}

/** A seeded register history as recorded from a five-node cluster: failed and crashed clients, failovers, times. */
function recorded({ ops, keys = 1, seed = 1, processes = 10 }: { ops: number; keys?: number; seed?: number; processes?: number }): History {
  const cluster = { nodes: 5, failoverEvery: 400 };
  const options = {
    workload: 'register',
    ops,
    processes,
    keys,
    failPercent: 3,
    infoPercent: 2,
    nemesisOneIn: 0,
    cluster,
    timed: true,
  } as const;
  return buildHistory(simulateHistory(options, seededChoose(seed)));
}

/** The operations as the page sees them, through the page's own decoder. */
function decode(data: TimelineData): DecodedOp[] {
  const { ops, processes, text } = decodeTimeline(data);
  const { columns } = ops;
  return Array.from({ length: ops.count }, (_, i) => ({
    process: processes[columns.lane[i]],
    f: text(columns.f[i]),
    ...(columns.key && columns.key[i] !== 0 && { key: text(columns.key[i]) }),
    invokeIndex: ops.invoke[i],
    completeIndex: ops.complete[i],
    result: RESULT_NAMES[ops.result[i]],
    input: text(columns.input[i]),
    output: text(columns.output[i] || columns.input[i]),
    ...(columns.node && columns.node[i] !== 0 && { node: text(columns.node[i]) }),
    ...(columns.epoch && columns.epoch[i] >= 0 && { epoch: columns.epoch[i] }),
    ...(ops.errors.has(i) && { error: text(ops.errors.get(i) as number) }),
  }));
}

function expected(history: History): DecodedOp[] {
  return history.operations.map((op) => ({
    process: op.process,
    f: op.f,
    ...(op.key !== undefined && { key: describeBriefly(op.key) }),
    invokeIndex: op.invokeIndex,
    completeIndex: op.completeIndex,
    result: op.result,
    input: describeBriefly(op.input),
    output: describeBriefly(op.output),
    ...(op.node !== undefined && { node: op.node }),
    ...(op.epoch !== undefined && { epoch: op.epoch }),
    ...(op.error !== undefined && { error: describeBriefly(op.error) }),
  }));
}

function decodeTimes(deltas: readonly (number | null)[]): (number | undefined)[] {
  let at = 0;
  return deltas.map((delta) => {
    if (delta === null) return undefined;
    at += delta;
    return at;
  });
}

describe('timelineData', () => {
  it('keeps every operation of a hand-made history, decodable as the page decodes it', () => {
    const { history } = staleReadExample();
    expect(decode(timelineData({ history }))).toEqual(expected(history));
  });

  it('keeps every operation of generated histories, keyed or not, whatever the seed', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 4 }), (seed, ops, keys) => {
        const history = recorded({ ops, keys, seed, processes: 4 });
        expect(decode(timelineData({ history }))).toEqual(expected(history));
      }),
      { numRuns: 40 },
    );
  });

  it('stores each distinct string once, with position 0 meaning absent', () => {
    const { strings } = timelineData({ history: recorded({ ops: 2000, keys: 5 }) });
    expect(strings[0]).toBeNull();
    expect(new Set(strings.slice(1)).size).toBe(strings.length - 1);
  });

  it('lists processes ascending, one lane each', () => {
    const { history } = staleReadExample();
    expect(timelineData({ history }).processes).toEqual([0, 1, 2, 3, 4]);
  });

  it('is deterministic: the same history twice gives equal data, and generation is seeded', () => {
    const a = timelineData({ history: recorded({ ops: 500, seed: 7 }) });
    const b = timelineData({ history: recorded({ ops: 500, seed: 7 }) });
    const c = timelineData({ history: recorded({ ops: 500, seed: 8 }) });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('describes long list values briefly, saying how much is left out', () => {
    const long = Array.from({ length: 1000 }, (_, i) => i);
    const history = buildHistory([
      { type: 'invoke', process: 0, f: 'read', value: null },
      { type: 'ok', process: 0, f: 'read', value: long },
    ]);
    const data = timelineData({ history });
    const output = data.strings[data.ops.output[0]] as string;
    expect(output.startsWith('[0 1 2')).toBe(true);
    expect(output).toMatch(/ \+968 more\]$/);
    expect(output.length).toBeLessThan(120);
  });
});

describe('timelineData: faults and node lanes', () => {
  const { history } = staleReadExample();
  const data = timelineData({ history });
  const text = (position: number) => data.strings[position];

  it('makes every non-client event but role annotations a fault marker, in order', () => {
    const nemesis = history.events.flatMap((event, i) => (event.process === 'nemesis' ? [i] : []));
    expect(data.faults.at).toEqual(nemesis);
    expect(data.faults.at.map((_, i) => text(data.faults.f[i]))).toEqual([
      'start-partition',
      'start-partition',
      'stop-partition',
      'stop-partition',
    ]);
    expect(data.faults.type).toBe('nnnn');
    expect(text(data.faults.value[1])).toBe(describeBriefly({ isolated: ['n1'] }));
  });

  it('turns role annotations into segments lasting until the node’s next annotation', () => {
    type Segment = [number, number, string | null, number];
    const lanes: Record<string, { source: string; segments: Segment[] }> = Object.fromEntries(
      data.nodes.map((lane) => {
        const segments: Segment[] = [];
        for (let s = 0; s < lane.segments.length; s += 4) {
          const [start, end, role, epoch] = lane.segments.slice(s, s + 4);
          segments.push([start, end, text(role), epoch]);
        }
        return [text(lane.node), { source: lane.source, segments }];
      }),
    );
    const roleAt = (node: string, value: string, epoch: number) =>
      history.events.findIndex((e) => e.f === 'role' && e.node === node && e.value === value && e.epoch === epoch);
    const end = history.events.length;
    expect(Object.keys(lanes)).toEqual(['n1', 'n2', 'n3']);
    expect(lanes.n1).toEqual({
      source: 'roles',
      segments: [
        [0, roleAt('n1', 'follower', 2), 'leader', 1],
        [roleAt('n1', 'follower', 2), end, 'follower', 2],
      ],
    });
    expect(lanes.n2.segments.map((s) => s[2])).toEqual(['follower', 'candidate', 'leader']);
    expect(lanes.n2.segments[2]).toEqual([roleAt('n2', 'leader', 2), end, 'leader', 2]);
  });

  it('without annotations, shows where each node acknowledged operations, one segment per epoch run', () => {
    const events: Event[] = [
      { type: 'invoke', process: 0, f: 'write', value: 1 },
      { type: 'ok', process: 0, f: 'write', value: 1, node: 'a', epoch: 1 },
      { type: 'invoke', process: 1, f: 'write', value: 2 },
      { type: 'ok', process: 1, f: 'write', value: 2, node: 'a', epoch: 1 },
      { type: 'invoke', process: 0, f: 'write', value: 3 },
      { type: 'fail', process: 0, f: 'write', value: 3, node: 'b', epoch: 2 },
      { type: 'invoke', process: 0, f: 'write', value: 4 },
      { type: 'ok', process: 0, f: 'write', value: 4, node: 'b', epoch: 2 },
      { type: 'invoke', process: 0, f: 'read', value: null },
      { type: 'ok', process: 0, f: 'read', value: 4, node: 'a', epoch: 2 },
    ];
    const { nodes, strings } = timelineData({ history: buildHistory(events) });
    expect(nodes.map((lane) => [strings[lane.node], lane.source, lane.segments])).toEqual([
      ['a', 'ops', [0, 3, 0, 1, 8, 9, 0, 2]],
      ['b', 'ops', [6, 7, 0, 2]],
    ]);
  });
});

describe('timelineData: times', () => {
  const pair = (times: (number | undefined)[]): Event[] =>
    times.map((time, i) => ({
      type: i % 2 === 0 ? 'invoke' : 'ok',
      process: 0,
      f: 'write',
      value: i >> 1,
      ...(time !== undefined && { time }),
    }));

  it('delta-codes times and offers a time axis when every event has one and none goes back', () => {
    const data = timelineData({
      history: buildHistory(pair([1_000_000_000_000, 1_000_000_000_500, 1_000_000_002_000, 1_000_000_002_000])),
    });
    expect(data.eventTimes).toEqual([1_000_000_000_000, 500, 1500, 0]);
    expect(data.timeAxis).toBe(true);
  });

  it('keeps times that go back or are missing, but offers no time axis for them', () => {
    const backwards = timelineData({ history: buildHistory(pair([10, 30, 20, 40])) });
    expect(decodeTimes(backwards.eventTimes as (number | null)[])).toEqual([10, 30, 20, 40]);
    expect(backwards.timeAxis).toBe(false);
    const missing = timelineData({ history: buildHistory(pair([10, undefined, 20, 40])) });
    expect(decodeTimes(missing.eventTimes as (number | null)[])).toEqual([10, undefined, 20, 40]);
    expect(missing.timeAxis).toBe(false);
  });

  it('embeds no times when the history has none', () => {
    const data = timelineData({ history: buildHistory(pair([undefined, undefined])) });
    expect(data.eventTimes).toBeNull();
    expect(data.timeAxis).toBe(false);
  });
});

describe('timelineData: findings', () => {
  const { history, anomalies } = staleReadExample();

  it('carries anomalies with their operations and events, dropping ids the history does not have', () => {
    const data = timelineData({
      history,
      anomalies: [
        ...anomalies,
        { kind: 'lost-write', key: 'x', ops: [1, 99, -1], events: [3, 1000], reason: 'gone' },
        { kind: 'dual-leader', ops: [2, 4], events: [0, 10], window: { from: 5, to: 9 }, reason: 'both' },
        { kind: 'dual-leader', ops: [2, 4], events: [0, 10], window: { from: 5, to: 1000 }, reason: 'out of range' },
      ],
    });
    expect(data.anomalies).toEqual([
      { kind: 'stale-read', key: null, ops: [2, 3], events: [], window: null, reason: anomalies[0].reason },
      { kind: 'dual-leader', key: null, ops: [2, 4], events: [0, 10], window: null, reason: anomalies[1].reason },
      { kind: 'lost-write', key: '"x"', ops: [1], events: [3], window: null, reason: 'gone' },
      // The page zooms to a window, when it has one the history holds.
      { kind: 'dual-leader', key: null, ops: [2, 4], events: [0, 10], window: [5, 9], reason: 'both' },
      { kind: 'dual-leader', key: null, ops: [2, 4], events: [0, 10], window: null, reason: 'out of range' },
    ]);
  });

  it("carries a verdict for the badge: the check's, else the judge's (list-append and set histories have no check)", () => {
    expect(timelineData({ history }).verdict).toBeNull();
    expect(timelineData({ history, verdict: { verdict: 'valid', model: 'list-append' } }).verdict).toEqual({
      verdict: 'valid',
      model: 'list-append',
    });
  });

  it('keeps the evidence of partitions not proved valid: stuck operations and the longest prefix', () => {
    const check: CheckResult = {
      verdict: 'invalid',
      model: 'keyed register',
      steps: 10,
      partitions: [
        { key: 'a', verdict: 'valid', operations: 4, steps: 4, linearization: [0, 1] },
        { key: 'b', verdict: 'invalid', operations: 5, steps: 5, longestPrefix: [2, 0], stateAfterPrefix: '2', stuck: [3, 7] },
        { key: 'c', verdict: 'unknown', operations: 9, steps: 1, exhausted: 'steps' },
      ],
    };
    const data = timelineData({ history, check });
    expect(data.check).toEqual({
      verdict: 'invalid',
      model: 'keyed register',
      partitions: 3,
      unproved: [
        { key: '"b"', verdict: 'invalid', operations: 5, stuck: [3, 7], prefix: [2, 0], stateAfterPrefix: '2', exhausted: null },
        { key: '"c"', verdict: 'unknown', operations: 9, stuck: [], prefix: [], stateAfterPrefix: null, exhausted: 'steps' },
      ],
    });
  });
});
