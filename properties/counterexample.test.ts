import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../history/input-error.ts';
import type { System } from '../models/index.ts';
import { presets } from '../models/index.ts';
import { runCampaign } from './campaign.ts';
import { counterexampleFile, formatCounterexampleFile, parseCounterexample, replayCommand } from './counterexample.ts';
import { propertyNamed } from './properties.ts';
import { replayCounterexample } from './replay.ts';
import { validateSchedule } from './schedule-validation.ts';
import { systemSubject } from './subject.ts';

const saved = readFileSync(new URL('./counterexamples/async-failover.json', import.meta.url), 'utf8');

function problem(text: string): InputError {
  try {
    parseCounterexample(text, 'bad.json');
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('parsed');
}

function edited(change: (data: Record<string, unknown>) => void): string {
  const data = JSON.parse(saved);
  change(data);
  return JSON.stringify(data);
}

describe('counterexample files', () => {
  it('round-trip: what is written is read back whole, and replays', () => {
    const outcome = runCampaign(presets['follower-reads'], { runs: 20, seed: 1, properties: [propertyNamed('no-stale-read')!] });
    const counterexample = outcome.properties[0].counterexample!;
    const content = counterexampleFile(counterexample, 'out/x.json');
    const text = formatCounterexampleFile(content);
    const parsed = parseCounterexample(text, 'out/x.json');
    expect(parsed.content).toEqual(JSON.parse(JSON.stringify(content)));
    expect(parsed.kind === 'preset' && parsed.preset).toBe(presets['follower-reads']);
    expect(content.replay).toBe('leaderlog replay out/x.json');
    expect(content.history).toEqual(counterexample.observation.run.events);
    expect(replayCounterexample(parsed)).toMatchObject({ historyDiffers: null, sameFailure: true });
    // One action per line, so schedules read and diff as lists.
    const lines = text.split('\n');
    const start = lines.indexOf('  "schedule": [');
    expect(lines.slice(start + 1, start + 1 + counterexample.schedule.length).map((line) => JSON.parse(line.replace(/,$/, '')))).toEqual(
      counterexample.schedule,
    );
    expect(lines[start + 1 + counterexample.schedule.length]).toBe('  ],');
  });

  it('quote a path the shell would split in the replay command', () => {
    expect(replayCommand('out/a b.json')).toBe("leaderlog replay 'out/a b.json'");
    expect(replayCommand("it's.json")).toBe("leaderlog replay 'it'\\''s.json'");
  });

  it('say when the replayed history is not the saved one', () => {
    const parsed = parseCounterexample(
      edited((d) => ((d.history as { time: number }[])[4].time = 99)),
      'x.json',
    );
    expect(replayCounterexample(parsed).historyDiffers).toBe(4);
    const shorter = parseCounterexample(
      edited((d) => (d.history as unknown[]).pop()),
      'x.json',
    );
    expect(replayCounterexample(shorter).historyDiffers).toBe(JSON.parse(saved).history.length - 1);
  });

  it('replay as holding when the schedule no longer breaks the design', () => {
    const result = replayCounterexample(
      parseCounterexample(
        edited((d) => (d.preset = 'safe')),
        'x.json',
      ),
    );
    expect(result.verdict).toEqual({ status: 'held' });
    expect(result.sameFailure).toBe(false);
  });

  it('reject bad files with the file and what is wrong', () => {
    const bad = problem('{"format": "leaderlog-counterexample",\n  "version": }');
    expect(bad.position).toEqual({ file: 'bad.json', line: 2, column: 14 });
    expect(bad.message).toMatch(/^not valid JSON: expected .*, found "}"/);
    expect(problem('{"a": 1').position).toMatchObject({ line: 1 });
    const unclosed = problem('{"format": "leaderlog-counterexample",\n  "schedule": [\n    {"kind": "tick"}\n    {"kind": "heal"}\n  ]\n}');
    expect(unclosed.position).toEqual({ file: 'bad.json', line: 4, column: 5 });
    expect(unclosed.message).toMatch(/^not valid JSON: expected , or \] in the array opened at 2:15, found "\{/);
    expect(problem('{"format": "leaderlog-counterexample",\n  "path": "1:2').message).toBe(
      'not valid JSON: unterminated string: expected a closing " for the string opened at 2:11',
    );
    expect(problem('').message).toBe('not valid JSON: expected a value, found the end of the file');
    expect(problem('[]').message).toMatch(/expected a JSON object/);
    expect(problem('{"format": "jepsen"}').message).toMatch(/"format": "leaderlog-counterexample"/);
    expect(problem(edited((d) => (d.version = 7))).message).toMatch(/version 7/);
    expect(problem(edited((d) => (d.preset = 'raft'))).message).toMatch(/"preset" must name a preset \(safe, .*\), got "raft"/);
    expect(problem(edited((d) => (d.property = 'fast'))).message).toMatch(/"property" must name a property/);
    expect(problem(edited((d) => (d.seed = 1.5))).message).toMatch(/"seed" must be an integer/);
    expect(problem(edited((d) => (d.path = 'x'))).message).toMatch(/"path"/);
    expect(problem(edited((d) => delete d.history)).message).toMatch(/"history"/);
    expect(problem(edited((d) => (d.verdict = { status: 'fine' }))).message).toMatch(/"verdict"/);
    expect(problem(edited((d) => (d.schedule = [{ kind: 'tick', node: 0 }, { kind: 'explode' }]))).message).toMatch(
      /"schedule": action 2: unknown kind "explode"/,
    );
    expect(problem(edited((d) => (d.schedule = 'none'))).message).toMatch(/"schedule": expected a list of actions/);
  });

  it('reject values nested deeper than every reader allows, naming the field, before walking them', () => {
    const deep = (field: string) => {
      const text = edited(() => undefined).replace(`"${field}":[`, `"${field}":[${'['.repeat(5000)}${']'.repeat(5000)},`);
      return problem(text);
    };
    expect(deep('schedule').message).toBe('"schedule": values nested more than 500 deep');
    expect(deep('history').message).toBe('"history": values nested more than 500 deep');
    expect(deep('history').position).toEqual({ file: 'bad.json' });
  });
});

describe('counterexample files, damaged', () => {
  it('mutated files: parse and replay, or one InputError naming the file; nothing else escapes', () => {
    const mutate = fc.tuple(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom(...'[]{}",:0129-.e \n\u0000x'.split('')),
      fc.nat({ max: 3 }),
    );
    fc.assert(
      fc.property(fc.array(mutate, { minLength: 1, maxLength: 4 }), (mutations) => {
        let text = saved;
        for (const [at, char, cut] of mutations) {
          const i = Math.floor(at * text.length);
          text = text.slice(0, i) + char + text.slice(i + cut);
        }
        try {
          replayCounterexample(parseCounterexample(text, 'bad.json'));
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          expect(error.position.file).toBe('bad.json');
          expect(error.describe()).not.toContain('\n');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('schedule validation', () => {
  it('accepts every action the model takes', () => {
    expect(
      validateSchedule([
        { kind: 'invoke', client: 0, f: 'cas', key: 1, node: 2, pick: 1 },
        { kind: 'timeout', client: 0 },
        { kind: 'deliver', pick: 3 },
        { kind: 'drop', pick: 0 },
        { kind: 'duplicate', pick: 1 },
        { kind: 'tick', node: 1 },
        { kind: 'crash', node: 1 },
        { kind: 'restart', node: 1 },
        { kind: 'partition', groups: [0, 1, 1] },
        { kind: 'cut', from: 0, to: 2 },
        { kind: 'heal' },
        { kind: 'promote', node: 1 },
        { kind: 'demote', node: 0 },
      ]),
    ).toBeNull();
  });

  it('names the action and field that are wrong', () => {
    expect(validateSchedule([null])).toMatch(/action 1: expected an object/);
    expect(validateSchedule([{ kind: 'tick' }])).toBe('action 1: tick needs an integer "node", got undefined');
    expect(validateSchedule([{ kind: 'invoke', client: 0, key: 0, f: 'delete' }])).toMatch(
      /invoke needs "f" one of read, write, cas, append/,
    );
    expect(validateSchedule([{ kind: 'invoke', client: 0, key: 0, f: 'read', node: 'n1' }])).toMatch(
      /invoke needs an integer "node", got "n1"/,
    );
    expect(validateSchedule([{ kind: 'partition', groups: ['a'] }])).toMatch(/partition needs "groups"/);
    expect(validateSchedule([{ kind: 'cut', from: 0 }])).toMatch(/cut needs an integer "to"/);
  });

  it('names actions beyond what the preset has, and a schedule that mixes workloads', () => {
    const sizes = { nodes: 3, clients: 3, keys: 2 };
    expect(
      validateSchedule(
        [
          { kind: 'tick', node: 0 },
          { kind: 'crash', node: 99 },
        ],
        sizes,
      ),
    ).toBe(`action 2: crash's "node" is node 99, but the preset has 3 nodes (0 to 2)`);
    expect(validateSchedule([{ kind: 'invoke', client: 999999, f: 'read', key: 0 }], sizes)).toBe(
      `action 1: invoke's "client" is client 999999, but the preset has 3 clients (0 to 2)`,
    );
    expect(validateSchedule([{ kind: 'invoke', client: 0, f: 'read', key: 5 }], sizes)).toMatch(
      /"key" is key 5, but the preset has 2 keys/,
    );
    expect(validateSchedule([{ kind: 'invoke', client: 0, f: 'read', key: 0, node: 3 }], sizes)).toMatch(/invoke's "node" is node 3/);
    expect(validateSchedule([{ kind: 'cut', from: 0, to: -1 }], sizes)).toBe(`action 1: cut's "to" must be 0 or more, got -1`);
    expect(validateSchedule([{ kind: 'deliver', pick: -1 }], sizes)).toBeNull();
    const sized = { ...sizes, nodes: 5, sizes: [3, 4, 5] };
    expect(
      validateSchedule(
        [
          { kind: 'cluster', nodes: 5 },
          { kind: 'crash', node: 4 },
        ],
        sized,
      ),
    ).toBeNull();
    expect(validateSchedule([{ kind: 'cluster', nodes: 6 }], sized)).toBe(
      `action 1: cluster's "nodes" is 6, but the preset runs at 3, 4, 5 nodes`,
    );
    expect(
      validateSchedule(
        [
          { kind: 'tick', node: 0 },
          { kind: 'cluster', nodes: 4 },
        ],
        sized,
      ),
    ).toBe("action 2: a cluster is chosen by a schedule's first action only");
    expect(validateSchedule([{ kind: 'crash', node: 5 }], sized)).toMatch(/"node" is node 5, but the preset has 5 nodes/);
    expect(validateSchedule([{ kind: 'partition', groups: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }], sizes)).toBe(
      `action 1: partition's "groups" names groups for 11 nodes, but the preset has 3`,
    );
    expect(
      validateSchedule(
        [
          { kind: 'invoke', client: 0, f: 'append', key: 0 },
          { kind: 'invoke', client: 1, f: 'read', key: 0 },
          { kind: 'invoke', client: 2, f: 'cas', key: 0, pick: 0 },
        ],
        sizes,
      ),
    ).toMatch(
      /^action 3: a cas in a schedule with a append \(action 1\): a schedule keeps to one workload, register \(read, write, cas\) or list-append \(read, append\)$/,
    );
  });

  it('refuses a counterexample whose schedule does not fit its preset, instead of replaying something else', () => {
    expect(problem(edited((d) => (d.schedule = [{ kind: 'promote', node: 99 }]))).message).toBe(
      `"schedule": action 1: promote's "node" is node 99, but the preset has 3 nodes (0 to 2)`,
    );
    expect(
      problem(
        edited(
          (d) =>
            (d.schedule = [
              { kind: 'invoke', client: 0, f: 'append', key: 0 },
              { kind: 'invoke', client: 0, f: 'cas', key: 0 },
            ]),
        ),
      ).message,
    ).toMatch(/"schedule": action 2: a cas in a schedule with a append/);
  });
});

describe('a system counterexample file', () => {
  const lossy: System<Map<number, number>, null> = {
    name: 'lossy',
    nodes: 1,
    workloads: ['register'],
    knownFor: ['lost-write'],
    init: () => new Map(),
    receive(store, m, ctx) {
      if (m.body.type === 'read') return ctx.reply(m, { type: 'read_ok', value: store.get(m.body.key as number) ?? null });
      store.set(m.body.key as number, m.body.value as number);
      ctx.reply(m, { type: m.body.type === 'cas' ? 'cas_ok' : 'write_ok' });
    },
    tick: () => {},
    durable: () => null,
    restart: () => new Map(),
  };

  it('names the system, its module and hash instead of a preset, and replays with the system given', () => {
    const subject = systemSubject(lossy, { module: 'lossy.ts', hash: 'sha256:0123456789abcdef' });
    const outcome = runCampaign(subject, { runs: 50, seed: 1, properties: [propertyNamed('no-lost-write')!] });
    const counterexample = outcome.properties[0].counterexample!;
    const content = counterexampleFile(counterexample, 'out/lossy.json');
    expect(content.preset).toBeUndefined();
    expect(content.system).toEqual({ name: 'lossy', module: 'lossy.ts', hash: 'sha256:0123456789abcdef' });
    const parsed = parseCounterexample(formatCounterexampleFile(content), 'out/lossy.json');
    expect(parsed.kind).toBe('system');
    expect(() => replayCounterexample(parsed)).toThrow(/needs the system itself: load lossy\.ts/);
    expect(replayCounterexample(parsed, subject)).toMatchObject({ historyDiffers: null, sameFailure: true });
  });

  it('rejects a system field that is not one', () => {
    const text = JSON.stringify({
      format: 'leaderlog-counterexample',
      version: 1,
      system: { name: 'x' },
      property: 'no-lost-write',
      seed: 1,
      path: '0',
      schedule: [],
      verdict: { status: 'violated', names: [], reasons: [] },
      anomalies: [],
      history: [],
    });
    expect(() => parseCounterexample(text, 'x.json')).toThrow(/"system" must be \{"name": \.\.\., "module"/);
  });
});
