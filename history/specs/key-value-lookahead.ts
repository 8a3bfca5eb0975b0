import type { TimedCall } from '../spec.ts';
import type { KeyValueCall, KeyValueState } from './key-value.ts';

// The key-value model's lookahead: which states can reach no linearization, given what is still to come.
//
// Between a put (or delete, or the start) and a get, only appends happen, and appends only add to the
// end: a get that saw S saw a base (the value of the last reset before it, or the state the search is
// in now) followed by the suffixes of appends, each used at most once. So a get still to come needs
// either the present state to begin S, with the rest of S spelt by appends still to come, or a reset
// still to come (invoked before the get completed) whose value begins S, with the rest spelt likewise.
// If some get has neither, this state is a dead end.
//
// "Spelt by appends still to come" is tested through the appends every spelling must use: an append is
// needed from position p of S when some character of S at or after p is covered, in every way of
// cutting S into append suffixes, by that append alone. Such an append already linearized (its text
// went into a state a reset since wiped, or into a different order) leaves the get unsatisfiable from
// p. Cuts are over-approximated (an append may be used twice, order is ignored), which only finds fewer
// needed appends: the test stays sound. This is what keeps the search from trying, in every order,
// appends that a later put would wipe out while gets after that put still show them.

/** One get the search may still have to linearize: what it saw and what can still explain it. */
interface PendingGet {
  /** The get's index among the search's calls. */
  readonly index: number;
  readonly seen: string;
  readonly invoke: number;
  readonly complete: number;
  /** The positions p from which seen can be cut into suffixes of appends invoked before it completed. */
  readonly cuts: ReadonlySet<number>;
  /** Needed appends (call indices) by the last position each alone covers, descending. */
  readonly needed: Int32Array;
  readonly neededReach: Int32Array;
  /** Resets invoked before the get completed that can begin what it saw, latest invoked first. */
  readonly rescuers: readonly Rescuer[];
}

interface Rescuer {
  readonly index: number;
  /** Where the appends after the reset begin in the get's value; -1: a put of a non-string, which may lead anywhere. */
  readonly from: number;
}


export function keyValueLookahead(
  calls: readonly TimedCall<KeyValueCall>[],
): (state: KeyValueState, pending: (index: number) => boolean) => boolean {
  const appends: { readonly index: number; readonly suffix: string; readonly invoke: number }[] = [];
  const resets: { readonly index: number; readonly invoke: number; readonly value: string | undefined }[] = [];
  const seenGets: { readonly index: number; readonly seen: string; readonly invoke: number; readonly complete: number }[] = [];
  calls.forEach(({ call, invoke, complete }, index) => {
    if (call.f === 'get' && call.known && complete >= 0 && typeof call.seen === 'string') seenGets.push({ index, seen: call.seen, invoke, complete });
    if (call.f === 'append' && call.suffix.length > 0) appends.push({ index, suffix: call.suffix, invoke });
    if (call.f === 'delete') resets.push({ index, invoke, value: '' });
    if (call.f === 'put') resets.push({ index, invoke, value: typeof call.value === 'string' ? call.value : undefined });
  });
  // Gets mostly repeat what others saw: a value's analysis is shared by the gets that saw it, unless
  // some of its text can only come from appends invoked after one of them completed (a history that
  // shows it is not linearizable): that get's analysis leaves those appends out.
  const values = [...new Set(seenGets.map((get) => get.seen))];
  const valueIndex = new Map(values.map((value, v) => [value, v]));
  const occurrences = occurrencesIn(
    values,
    appends.map((append) => append.suffix),
  );
  const shared = values.map((value, v) => seenText(value, occurrences[v], appends, resets));
  const gets: PendingGet[] = seenGets.map((get) => {
    const v = valueIndex.get(get.seen) as number;
    const late = (o: Occurrence) => appends[o.append].invoke > get.complete;
    const text = occurrences[v].some(late)
      ? seenText(get.seen, occurrences[v].filter((o) => !late(o)), appends, resets)
      : shared[v];
    return {
      index: get.index,
      seen: get.seen,
      invoke: get.invoke,
      complete: get.complete,
      cuts: text.cuts,
      needed: text.needed,
      neededReach: text.neededReach,
      rescuers: text.rescuers.filter((rescuer) => rescuer.invoke < get.complete),
    };
  });
  // Latest invoked first: then a get found linearized tells which earlier ones must be (see below).
  gets.sort((a, b) => b.invoke - a.invoke);
  // latestComplete[i]: the latest completion among gets[i..]; once below the invocation of a get found
  // linearized, every get from i on completed before it was invoked, so is linearized too.
  const latestComplete = new Float64Array(gets.length + 1).fill(-1);
  for (let i = gets.length - 1; i >= 0; i--) latestComplete[i] = Math.max(latestComplete[i + 1], gets[i].complete);

  const begins = prefixTest(gets.map((get) => get.seen));
  // For each state met, which gets it can still lead to by appends alone (1), as far as their text goes.
  const continues = new Map<string, Uint8Array>();
  const continuesFrom = (state: string): Uint8Array => {
    let flags = continues.get(state);
    if (!flags) {
      const starts = begins(state);
      flags = new Uint8Array(gets.length);
      for (let g = 0; g < gets.length; g++) flags[g] = starts(g) && gets[g].cuts.has(state.length) ? 1 : 0;
      continues.set(state, flags);
    }
    return flags;
  };

  const stillNeeded = (get: PendingGet, from: number, pending: (index: number) => boolean): boolean => {
    const { needed, neededReach } = get;
    for (let k = 0; k < needed.length && neededReach[k] >= from; k++) if (!pending(needed[k])) return false;
    return true;
  };
  const rescued = (get: PendingGet, pending: (index: number) => boolean): boolean => {
    for (const rescuer of get.rescuers) {
      if (pending(rescuer.index) && (rescuer.from < 0 || stillNeeded(get, rescuer.from, pending))) return true;
    }
    return false;
  };

  return (state, pending) => {
    if (typeof state !== 'string') return false;
    const flags = continuesFrom(state);
    let linearizedInvoke = -1;
    for (let g = 0; g < gets.length; g++) {
      if (latestComplete[g] < linearizedInvoke) break;
      const get = gets[g];
      if (!pending(get.index)) {
        if (linearizedInvoke < 0) linearizedInvoke = get.invoke;
        continue;
      }
      if (flags[g] === 1 && stillNeeded(get, state.length, pending)) continue;
      if (!rescued(get, pending)) return true;
    }
    return false;
  };
}

/** What a value some get saw allows: where it can be cut into append suffixes, what it needs, which resets begin it. */
interface SeenText {
  readonly cuts: ReadonlySet<number>;
  readonly needed: Int32Array;
  readonly neededReach: Int32Array;
  readonly rescuers: readonly (Rescuer & { readonly invoke: number })[];
}

function seenText(
  seen: string,
  occurrences: readonly Occurrence[],
  appends: readonly { readonly index: number }[],
  resets: readonly { readonly index: number; readonly invoke: number; readonly value: string | undefined }[],
): SeenText {
  // From the end: an occurrence ending at a cut starts one.
  const cuts = new Set<number>([seen.length]);
  const latestFirst = [...occurrences].sort((a, b) => b.at - a.at);
  for (const o of latestFirst) if (cuts.has(o.at + o.length)) cuts.add(o.at);
  const usable = latestFirst.filter((o) => cuts.has(o.at) && cuts.has(o.at + o.length)).reverse();
  const { needed, neededReach } = soleCovers(usable, appends);
  const rescuers = resets
    .filter((reset) => reset.value === undefined || (cuts.has(reset.value.length) && seen.startsWith(reset.value)))
    .sort((a, b) => b.invoke - a.invoke)
    .map((reset) => ({ index: reset.index, invoke: reset.invoke, from: reset.value === undefined ? -1 : reset.value.length }));
  return { cuts, needed, neededReach, rescuers };
}

/**
 * The appends (call indices) that alone cover some stretch of the value, each with the last position it
 * alone covers, latest first: a sweep over where the usable occurrences (by start) begin and end.
 */
function soleCovers(usable: readonly Occurrence[], appends: readonly { readonly index: number }[]): { needed: Int32Array; neededReach: Int32Array } {
  // Mostly the occurrences do not overlap (one way to cut the value), but for appends of one text at
  // one place: each alone covers all of itself, and those of one text cover nothing alone.
  let apart = true;
  for (let k = 1; k < usable.length && apart; k++) {
    const [before, o] = [usable[k - 1], usable[k]];
    apart = o.at >= before.at + before.length || (o.at === before.at && o.length === before.length);
  }
  if (apart) {
    const needed: number[] = [];
    const neededReach: number[] = [];
    for (let k = usable.length - 1; k >= 0; k--) {
      const o = usable[k];
      const shared = (k > 0 && usable[k - 1].at === o.at) || (k + 1 < usable.length && usable[k + 1].at === o.at);
      if (shared) continue;
      needed.push(appends[o.append].index);
      neededReach.push(o.at + o.length - 1);
    }
    return { needed: Int32Array.from(needed), neededReach: Int32Array.from(neededReach) };
  }
  const points = [...new Set(usable.flatMap((o) => [o.at, o.at + o.length]))].sort((a, b) => a - b);
  const ends = [...usable].sort((a, b) => a.at + a.length - (b.at + b.length));
  const active = new Map<number, number>();
  const reach = new Map<number, number>();
  let started = 0;
  let ended = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const point = points[i];
    for (; ended < ends.length && ends[ended].at + ends[ended].length <= point; ended++) {
      const op = appends[ends[ended].append].index;
      const left = (active.get(op) as number) - 1;
      if (left === 0) active.delete(op);
      else active.set(op, left);
    }
    for (; started < usable.length && usable[started].at <= point; started++) {
      const op = appends[usable[started].append].index;
      active.set(op, (active.get(op) ?? 0) + 1);
    }
    if (active.size === 1) reach.set(active.keys().next().value as number, points[i + 1] - 1);
  }
  const byReach = [...reach].sort((a, b) => b[1] - a[1]);
  return { needed: Int32Array.from(byReach, ([op]) => op), neededReach: Int32Array.from(byReach, ([, r]) => r) };
}

interface Occurrence {
  /** Index into the appends. */
  readonly append: number;
  readonly at: number;
  readonly length: number;
}

/**
 * Where each suffix occurs in each value. Values mostly extend one another (one growing string), so
 * the search runs only over the longest values, and a value that begins one of them takes its
 * occurrences that end within it.
 */
function occurrencesIn(values: readonly string[], suffixes: readonly string[]): Occurrence[][] {
  const byLength = values.map((_, i) => i).sort((a, b) => values[b].length - values[a].length);
  const longest: number[] = [];
  const found: Occurrence[][] = new Array(values.length);
  for (const v of byLength) {
    const value = values[v];
    const within = longest.find((l) => values[l].startsWith(value));
    if (within !== undefined) {
      found[v] = found[within].filter((o) => o.at + o.length <= value.length);
      continue;
    }
    const here: Occurrence[] = [];
    suffixes.forEach((suffix, append) => {
      for (let at = value.indexOf(suffix); at >= 0; at = value.indexOf(suffix, at + 1)) here.push({ append, at, length: suffix.length });
    });
    found[v] = here;
    longest.push(v);
  }
  return found;
}

/** How many shorter values prefixTest looks back over for one that a value extends. */
const CHAIN_LOOKBACK = 8;

/**
 * For a state, whether each of `values` begins with it, cheaply: the gets of one key mostly see one
 * growing string, so each value is linked to a shorter one it extends, and a state no longer than that
 * one begins the value exactly when it begins the shorter one. One real comparison per chain and state.
 */
function prefixTest(values: readonly string[]): (state: string) => (index: number) => boolean {
  const byLength = values.map((_, i) => i).sort((a, b) => values[a].length - values[b].length);
  const extended = new Int32Array(values.length).fill(-1);
  byLength.forEach((j, at) => {
    for (let back = at - 1; back >= 0 && back >= at - CHAIN_LOOKBACK; back--) {
      if (values[j].startsWith(values[byLength[back]])) {
        extended[j] = byLength[back];
        break;
      }
    }
  });
  const stamp = new Int32Array(values.length);
  const known = new Uint8Array(values.length);
  let epoch = 0;
  return (state) => {
    const now = ++epoch;
    const starts = (j: number): boolean => {
      if (stamp[j] === now) return known[j] === 1;
      const shorter = extended[j];
      const result =
        shorter >= 0 && state.length <= values[shorter].length ? starts(shorter) : values[j].length >= state.length && values[j].startsWith(state);
      stamp[j] = now;
      known[j] = result ? 1 : 0;
      return result;
    };
    return starts;
  };
}
