import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../check.ts';
import type { Event } from '../event.ts';
import { chooseModel } from '../model-choice.ts';
import { buildHistory } from '../operation.ts';
import type { Value } from '../value.ts';
import { witnessProblem } from '../witness.ts';

// The key-value model (its droppable calls and its lookahead, which prune the search) against a plain
// oracle that tries every order real time allows, on small random histories of one key: gets, puts,
// appends of short strings that overlap ("a", "ab", "b") and deletes, some of them :info.

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
    ops.push({ f: inv.event.f, input: inv.event.value, output: ok ? (done as Event).value : null, certain: ok, invokedAt: inv.at, returnedAt: ok ? at : Infinity });
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

const GETS = ['', 'a', 'ab', 'b', 'ba', 'aab', 'abb', 'p', 'pa'];

function smallKeyValueHistory(): fc.Arbitrary<Event[]> {
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
        const value = f === 'append' ? (b % 2 ? 'a' : 'b') : f === 'put' ? (b % 2 ? 'p' : '') : null;
        pending[slot] = { type: 'invoke', process: process[slot], f, value };
        events.push(pending[slot]!);
        continue;
      }
      const type = a % 6 < 4 ? 'ok' : a % 6 === 4 ? 'fail' : 'info';
      events.push({ type, process: process[slot], f: inv.f, value: inv.f === 'get' && type === 'ok' ? GETS[b % GETS.length] : inv.value });
      pending[slot] = undefined;
      if (type === 'info') process[slot] += 3;
    }
    return events;
  });
}

describe('the key-value checker agrees with brute force', () => {
  it('on 4,000 random one-key histories of up to 8 operations', () => {
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(smallKeyValueHistory(), (events) => {
        const history = buildHistory(events);
        const expected = oracle(events) ? 'valid' : 'invalid';
        seen[expected]++;
        const result = checkHistory(history, { model: 'key-value' });
        expect(result.verdict).toBe(expected);
        const linearization = result.partitions[0].linearization;
        if (linearization) expect(witnessProblem(chooseModel([], 'key-value'), history.operations, linearization)).toBeUndefined();
      }),
      { numRuns: 4_000, seed: 15 },
    );
    expect(seen.valid).toBeGreaterThan(400);
    expect(seen.invalid).toBeGreaterThan(400);
  });
});
