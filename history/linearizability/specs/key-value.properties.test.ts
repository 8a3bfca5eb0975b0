import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../event.ts';
import { buildHistory } from '../../operation.ts';
import type { Value } from '../../value.ts';
import { checkHistory } from '../check.ts';
import { chooseModel } from '../model-choice.ts';
import { witnessProblem } from '../witness.test-kit.ts';

// The key-value model (its droppable calls and its lookahead, which prune the search) against a plain
// oracle that tries every order real time allows, on small random histories of one key: gets, puts,
// appends and deletes, some of them :info. Appends of one letter again and again (so no text tells which
// append it came from), and appends of texts that overlap ("a", "ab", "bc": a value can be cut into
// them in more than one way), each against gets of values those appends can and cannot spell.

interface PlainOp {
  readonly f: string;
  readonly input: Value;
  readonly output: Value;
  readonly certain: boolean;
  readonly invokedAt: number;
  readonly returnedAt: number;
}

function oracle(events: readonly Event[]): boolean {
  const open = new Map<number, { event: Event; at: number }>();
  const ops: PlainOp[] = [];
  const close = (inv: { event: Event; at: number }, done: Event | undefined, at: number) => {
    if (done?.type === 'fail') return;
    const ok = done?.type === 'ok';
    ops.push({
      f: inv.event.f,
      input: inv.event.value,
      output: ok ? (done as Event).value : null,
      certain: ok,
      invokedAt: inv.at,
      returnedAt: ok ? at : Infinity,
    });
  };
  events.forEach((event, at) => {
    const process = event.process as number;
    if (event.type === 'invoke') open.set(process, { event, at });
    else {
      close(open.get(process)!, event, at);
      open.delete(process);
    }
  });
  for (const inv of open.values()) close(inv, undefined, Infinity);
  const placed = ops.map(() => false);
  const failed = new Set<string>();
  const apply = (state: string, op: PlainOp): string | undefined => {
    if (op.f === 'get') return !op.certain || (op.output ?? '') === state ? state : undefined;
    if (op.f === 'put') return String(op.input);
    if (op.f === 'append') return state + String(op.input);
    return '';
  };
  const explore = (state: string): boolean => {
    if (ops.every((op, i) => placed[i] || !op.certain)) return true;
    const here = `${placed.map(Number).join('')} ${state}`;
    if (failed.has(here)) return false;
    for (let i = 0; i < ops.length; i++) {
      if (placed[i] || !ops.every((o, j) => placed[j] || o.returnedAt > ops[i].invokedAt)) continue;
      const after = apply(state, ops[i]);
      if (after === undefined) continue;
      placed[i] = true;
      const found = explore(after);
      placed[i] = false;
      if (found) return true;
    }
    failed.add(here);
    return false;
  };
  return explore('');
}

interface Texts {
  readonly appends: readonly string[];
  readonly gets: readonly string[];
}

const LETTERS: Texts = { appends: ['a', 'b'], gets: ['', 'a', 'ab', 'b', 'ba', 'aab', 'abb', 'p', 'pa'] };
const OVERLAPPING: Texts = {
  appends: ['a', 'b', 'ab'],
  gets: ['', 'a', 'ab', 'aab', 'p', 'pa', 'paa', 'pab', 'pb', 'pba', 'pabab'],
};

function smallKeyValueHistory(texts: Texts): fc.Arbitrary<Event[]> {
  return fc.array(fc.tuple(fc.nat(3), fc.nat(11), fc.nat(17)), { maxLength: 24 }).map((choices) => {
    const events: Event[] = [];
    const process = [0, 1, 2];
    const pending: (Event | undefined)[] = [undefined, undefined, undefined];
    let invoked = 0;
    for (const [slot, a, b] of choices) {
      if (slot === 3) continue;
      const inv = pending[slot];
      if (!inv) {
        if (invoked === 8) continue;
        invoked++;
        const kind = a % 6;
        const f = kind < 2 ? 'get' : kind < 4 ? 'append' : kind === 4 ? 'put' : 'delete';
        const value = f === 'append' ? texts.appends[b % texts.appends.length] : f === 'put' ? (b % 2 ? 'p' : '') : null;
        pending[slot] = { type: 'invoke', process: process[slot], f, value };
        events.push(pending[slot]!);
        continue;
      }
      const type = a % 6 < 4 ? 'ok' : a % 6 === 4 ? 'fail' : 'info';
      events.push({
        type,
        process: process[slot],
        f: inv.f,
        value: inv.f === 'get' && type === 'ok' ? texts.gets[b % texts.gets.length] : inv.value,
      });
      pending[slot] = undefined;
      if (type === 'info') process[slot] += 3;
    }
    return events;
  });
}

/**
 * A history a real store could give, over 3 clients: each operation takes effect at a random point of
 * its interval (an :info one perhaps never), gets return what is there then. Appends of overlapping
 * texts make values that can be cut into appends more than one way. Unless `mutate`, it is linearizable.
 */
function storeHistory(mutate: boolean): fc.Arbitrary<Event[]> {
  const step = fc.record({
    process: fc.nat(2),
    kind: fc.nat(9),
    text: fc.constantFrom('a', 'b', 'ab', 'ba', 'aa'),
    put: fc.constantFrom('p', 'q', ''),
    gap: fc.nat(4),
    length: fc.integer({ min: 1, max: 12 }),
    effect: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    fate: fc.nat(9),
  });
  return fc
    .tuple(fc.array(step, { minLength: 1, maxLength: 8 }), fc.nat(), fc.constantFrom('', 'a', 'b', 'p', 'pab', 'ba'))
    .map(([steps, victim, wrong]) => {
      const free = [0, 0, 0];
      const names = [0, 1, 2];
      const timed: { at: number; event: Event }[] = [];
      const effects: { at: number; apply: (state: string) => string; get?: { process: number; seen: (value: string) => void } }[] = [];
      for (const s of steps) {
        const start = free[s.process] + s.gap + 0.1 * s.process;
        const end = start + s.length;
        const process = names[s.process];
        const f = s.kind < 4 ? 'get' : s.kind < 7 ? 'append' : s.kind < 9 ? 'put' : 'delete';
        const input = f === 'append' ? s.text : f === 'put' ? s.put : null;
        const info = f !== 'get' && s.fate === 0;
        timed.push({ at: start, event: { type: 'invoke', process, f, value: input } });
        const done: { type: 'ok' | 'info'; process: number; f: string; value: Value } = {
          type: info ? 'info' : 'ok',
          process,
          f,
          value: input,
        };
        if (!info) timed.push({ at: end, event: done });
        const at = start + s.effect * s.length;
        if (f === 'get') effects.push({ at, apply: (state) => state, get: { process, seen: (value) => (done.value = value) } });
        else if (!info || s.fate % 2 === 0)
          effects.push({ at, apply: (state) => (f === 'append' ? state + s.text : f === 'put' ? s.put : '') });
        if (info) names[s.process] += 3;
        free[s.process] = info ? start : end;
      }
      let state = '';
      for (const effect of effects.sort((a, b) => a.at - b.at)) {
        state = effect.apply(state);
        effect.get?.seen(state);
      }
      const gets = timed.filter(({ event }) => event.type === 'ok' && event.f === 'get');
      if (mutate && gets.length > 0) {
        const done = gets[victim % gets.length].event as { value: Value };
        done.value = done.value === wrong ? `${wrong}a` : wrong;
      }
      return timed.sort((a, b) => a.at - b.at).map(({ event }) => event);
    });
}

describe('the key-value checker on histories a store could give', () => {
  it('proves 3,000 of them linearizable', () => {
    fc.assert(
      fc.property(storeHistory(false), (events) => {
        const result = checkHistory(buildHistory(events), { model: 'key-value' });
        expect(result.verdict).toBe('valid');
      }),
      { numRuns: 3_000, seed: 17 },
    );
  });

  it('agrees with brute force on 3,000 of them with one get changed', () => {
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(storeHistory(true), (events) => {
        const expected = oracle(events) ? 'valid' : 'invalid';
        seen[expected]++;
        expect(checkHistory(buildHistory(events), { model: 'key-value' }).verdict).toBe(expected);
      }),
      { numRuns: 3_000, seed: 18 },
    );
    expect(seen.invalid).toBeGreaterThan(300);
  });
});

describe('the key-value checker agrees with brute force', () => {
  it.each([
    ['appends of one letter', LETTERS, 15],
    ['appends of overlapping texts', OVERLAPPING, 16],
  ])('on 4,000 random one-key histories of up to 8 operations: %s', (_, texts, seed) => {
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(smallKeyValueHistory(texts), (events) => {
        const history = buildHistory(events);
        const expected = oracle(events) ? 'valid' : 'invalid';
        seen[expected]++;
        const result = checkHistory(history, { model: 'key-value' });
        expect(result.verdict).toBe(expected);
        const linearization = result.partitions[0].linearization;
        if (linearization) expect(witnessProblem(chooseModel([], 'key-value'), history.operations, linearization)).toBeUndefined();
      }),
      { numRuns: 4_000, seed },
    );
    expect(seen.valid).toBeGreaterThan(400);
    expect(seen.invalid).toBeGreaterThan(400);
  });
});
