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

/**
 * The gets that saw one value (and whose text the same appends can spell): of those still pending, the
 * one that completed first has the fewest resets to rescue it, so if any of them is stuck, it is.
 */
interface SeenGroup extends SeenText {
  readonly seen: string;
  /** Call indices of the gets, by completion. */
  readonly gets: readonly number[];
  readonly invokes: readonly number[];
  /** For each get, where its rescuers begin: those of the group's invoked before it completed. */
  readonly rescuersFrom: readonly number[];
  readonly latestInvoke: number;
}

export function keyValueLookahead(
  calls: readonly TimedCall<KeyValueCall>[],
): (state: KeyValueState, pending: (index: number) => boolean, horizon: number) => boolean {
  const appends: { readonly index: number; readonly suffix: string; readonly invoke: number }[] = [];
  const resets: Reset[] = [];
  const seenGets: { readonly index: number; readonly seen: string; readonly invoke: number; readonly complete: number }[] = [];
  calls.forEach(({ call, invoke, complete }, index) => {
    if (call.f === 'get' && call.known && complete >= 0 && typeof call.seen === 'string')
      seenGets.push({ index, seen: call.seen, invoke, complete });
    if (call.f === 'append' && call.suffix.length > 0) appends.push({ index, suffix: call.suffix, invoke });
    if (call.f === 'delete') resets.push({ index, invoke, complete, value: '' });
    if (call.f === 'put') resets.push({ index, invoke, complete, value: typeof call.value === 'string' ? call.value : undefined });
  });
  // Latest invoked first, as each value's rescuers are tried.
  resets.reverse();
  const groups = seenGroups(seenGets, appends, resets);
  // Latest invoked first: then a get found linearized tells which earlier ones must be (see below).
  groups.sort((a, b) => b.latestInvoke - a.latestInvoke);
  // latestComplete[i]: the latest completion among groups[i..]; once below the invocation of a get found
  // linearized, every get from i on completed before it was invoked, so is linearized too.
  const latestComplete = new Float64Array(groups.length + 1).fill(-1);
  for (let i = groups.length - 1; i >= 0; i--) {
    const { gets } = groups[i];
    latestComplete[i] = Math.max(latestComplete[i + 1], calls[gets[gets.length - 1]].complete);
  }

  // For each state met, the groups it can still lead to by appends alone, as far as their text goes:
  // found through an index of every group's cuts by length and the hash of the text before the cut.
  const byCut = new Map<number, number[]>();
  groups.forEach((group, g) => {
    for (const [at, hash] of group.cuts) {
      const key = cutKey(at, hash);
      const found = byCut.get(key);
      if (found) found.push(g);
      else byCut.set(key, [g]);
    }
  });
  const continues = new Map<string, number[]>();
  const continuesFrom = (state: string): number[] => {
    let found = continues.get(state);
    if (!found) {
      found = (byCut.get(cutKey(state.length, prefixHash(state, state.length))) ?? []).filter(
        (g) => groups[g].cuts.has(state.length) && groups[g].seen.startsWith(state),
      );
      continues.set(state, found);
    }
    return found;
  };
  const marks = new Int32Array(groups.length);
  let call = 0;
  // safeAfter[g]: while the horizon is before it, all the group's gets, its first get's latest rescuer
  // and the appends that rescue needs are still to come, so the group is not stuck: no need to look.
  const safeAfter = Float64Array.from(groups, (group) => {
    const rescuer = group.rescuers[group.rescuersFrom[0]];
    if (!rescuer) return Number.NEGATIVE_INFINITY;
    let earliest = Math.min(rescuer.invoke, ...group.invokes);
    for (const append of rescuer.atRisk) earliest = Math.min(earliest, calls[append].invoke);
    return earliest;
  });

  const stillNeeded = (text: SeenText, from: number, pending: (index: number) => boolean): boolean => {
    const { needed, neededReach } = text;
    for (let k = 0; k < needed.length && neededReach[k] >= from; k++) if (!pending(needed[k])) return false;
    return true;
  };
  const allPending = (calls: readonly number[], pending: (index: number) => boolean): boolean => {
    for (let k = 0; k < calls.length; k++) if (!pending(calls[k])) return false;
    return true;
  };
  const rescued = (text: SeenText, from: number, pending: (index: number) => boolean): boolean => {
    const { rescuers } = text;
    for (let k = from; k < rescuers.length; k++) {
      const rescuer = rescuers[k];
      if (pending(rescuer.index) && allPending(rescuer.atRisk, pending)) return true;
    }
    return false;
  };

  return (state, pending, horizon) => {
    if (typeof state !== 'string') return false;
    const mark = ++call;
    for (const g of continuesFrom(state)) marks[g] = mark;
    let linearizedInvoke = -1;
    for (let g = 0; g < groups.length; g++) {
      if (latestComplete[g] < linearizedInvoke) break;
      if (horizon < safeAfter[g]) continue;
      const group = groups[g];
      const { gets } = group;
      let first = 0;
      for (; first < gets.length && !pending(gets[first]); first++) linearizedInvoke = Math.max(linearizedInvoke, group.invokes[first]);
      if (first === gets.length) continue;
      if (marks[g] === mark && stillNeeded(group, state.length, pending)) continue;
      if (!rescued(group, group.rescuersFrom[first], pending)) return true;
    }
    return false;
  };
}

/**
 * The gets grouped by the value they saw. Some of a value's text may only come from appends invoked after
 * one of its gets completed (a history that shows it is not linearizable): that get's analysis leaves
 * those appends out, in a group of its own.
 */
function seenGroups(
  seenGets: readonly { readonly index: number; readonly seen: string; readonly invoke: number; readonly complete: number }[],
  appends: readonly { readonly index: number; readonly suffix: string; readonly invoke: number }[],
  resets: readonly Reset[],
): SeenGroup[] {
  const byValue = new Map<string, { index: number; invoke: number; complete: number }[]>();
  for (const get of seenGets) {
    let members = byValue.get(get.seen);
    if (!members) {
      members = [];
      byValue.set(get.seen, members);
    }
    members.push(get);
  }
  const values = [...byValue.keys()];
  const occurrences = occurrencesIn(
    values,
    values.map((value) => Math.max(...(byValue.get(value) as { complete: number }[]).map((get) => get.complete))),
    appends,
  );
  const groups: SeenGroup[] = [];
  values.forEach((seen, v) => {
    let latestAppend = -1;
    for (const o of occurrences[v]) latestAppend = Math.max(latestAppend, appends[o.append].invoke);
    const members = (byValue.get(seen) as { index: number; invoke: number; complete: number }[]).sort((a, b) => a.complete - b.complete);
    const timely = members.filter((get) => get.complete > latestAppend);
    if (timely.length > 0) groups.push(seenGroup(seen, timely, seenText(seen, occurrences[v], appends, resets)));
    for (const get of members.filter((get) => get.complete <= latestAppend)) {
      const text = seenText(
        seen,
        occurrences[v].filter((o) => appends[o.append].invoke < get.complete),
        appends,
        resets,
      );
      groups.push(seenGroup(seen, [get], text));
    }
  });
  return groups;
}

function seenGroup(seen: string, members: readonly { index: number; invoke: number; complete: number }[], text: SeenText): SeenGroup {
  const { rescuers } = text;
  const gets: number[] = [];
  const invokes: number[] = [];
  const rescuersFrom: number[] = [];
  let latestInvoke = -1;
  for (const get of members) {
    gets.push(get.index);
    invokes.push(get.invoke);
    latestInvoke = Math.max(latestInvoke, get.invoke);
    // Rescuers are latest invoked first: a get's are the tail invoked before it completed.
    let k = 0;
    while (k < rescuers.length && rescuers[k].invoke > get.complete) k++;
    rescuersFrom.push(k);
  }
  return { cuts: text.cuts, needed: text.needed, neededReach: text.neededReach, rescuers, seen, gets, invokes, rescuersFrom, latestInvoke };
}

/** What a value some get saw allows: where it can be cut into append suffixes, what it needs, which resets begin it. */
interface SeenText {
  /** The positions p (each with prefixHash of the value up to it) from which the value can be cut into suffixes of appends invoked before its gets completed. */
  readonly cuts: ReadonlyMap<number, number>;
  /** Needed appends (call indices) by the last position each alone covers, descending. */
  readonly needed: readonly number[];
  readonly neededReach: readonly number[];
  /** Resets that can begin the value, latest invoked first. */
  readonly rescuers: readonly Rescuer[];
}

interface Reset {
  readonly index: number;
  readonly invoke: number;
  readonly complete: number;
  /** undefined for a put of a non-string, which may lead anywhere. */
  readonly value: string | undefined;
}

interface Rescuer {
  readonly index: number;
  readonly invoke: number;
  /**
   * The needed appends after the reset's value that may already be linearized while it is not: those
   * invoked after it completed cannot be. Empty for a put of a non-string, which may lead anywhere.
   */
  readonly atRisk: readonly number[];
}

function seenText(
  seen: string,
  occurrences: readonly Occurrence[],
  appends: readonly { readonly index: number; readonly invoke: number }[],
  resets: readonly Reset[],
): SeenText {
  // From the end: an occurrence ending at a cut starts one.
  const cutAt = new Set<number>([seen.length]);
  const latestFirst = [...occurrences].sort((a, b) => b.at - a.at);
  for (const o of latestFirst) if (cutAt.has(o.at + o.length)) cutAt.add(o.at);
  const cuts = new Map<number, number>();
  let hash = 0;
  let p = 0;
  for (const at of [...cutAt].sort((a, b) => a - b)) {
    for (; p < at; p++) hash = (Math.imul(hash, PRIME) + seen.charCodeAt(p)) | 0;
    cuts.set(at, hash);
  }
  const usable = latestFirst.filter((o) => cutAt.has(o.at) && cutAt.has(o.at + o.length)).reverse();
  const { needed: neededAt, neededReach } = soleCovers(usable);
  const needed = neededAt.map((a) => appends[a].index);
  const rescuers: Rescuer[] = [];
  for (const reset of resets) {
    if (reset.value === undefined) rescuers.push({ index: reset.index, invoke: reset.invoke, atRisk: [] });
    else if (cutAt.has(reset.value.length) && seen.startsWith(reset.value)) {
      const atRisk: number[] = [];
      for (let k = 0; k < needed.length && neededReach[k] >= reset.value.length; k++) {
        if (reset.complete < 0 || appends[neededAt[k]].invoke < reset.complete) atRisk.push(appends[neededAt[k]].index);
      }
      rescuers.push({ index: reset.index, invoke: reset.invoke, atRisk });
    }
  }
  return { cuts, needed, neededReach, rescuers };
}

/**
 * The appends (positions among the appends) that alone cover some stretch of the value, each with the last position it
 * alone covers, latest first: a sweep over where the usable occurrences (by start) begin and end.
 */
function soleCovers(usable: readonly Occurrence[]): { needed: number[]; neededReach: number[] } {
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
      needed.push(o.append);
      neededReach.push(o.at + o.length - 1);
    }
    return { needed, neededReach };
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
      const op = ends[ended].append;
      const left = (active.get(op) as number) - 1;
      if (left === 0) active.delete(op);
      else active.set(op, left);
    }
    for (; started < usable.length && usable[started].at <= point; started++) {
      const op = usable[started].append;
      active.set(op, (active.get(op) ?? 0) + 1);
    }
    if (active.size === 1) reach.set(active.keys().next().value as number, points[i + 1] - 1);
  }
  const byReach = [...reach].sort((a, b) => b[1] - a[1]);
  return { needed: byReach.map(([op]) => op), neededReach: byReach.map(([, r]) => r) };
}

interface Occurrence {
  /** Index into the appends. */
  readonly append: number;
  readonly at: number;
  readonly length: number;
}

/**
 * Where each append's suffix occurs in each value, for appends invoked before the value's last get
 * completed (a later one cannot be under any of its gets). Values mostly extend one another (one growing
 * string), so the search runs only over the longest values, and a value that begins one of them takes
 * its occurrences that end within it.
 */
function occurrencesIn(
  values: readonly string[],
  lastComplete: readonly number[],
  appends: readonly { readonly suffix: string; readonly invoke: number }[],
): Occurrence[][] {
  const byLength = values.map((_, i) => i).sort((a, b) => values[b].length - values[a].length);
  const longest: number[] = [];
  const within = new Int32Array(values.length);
  const bound: number[] = [];
  for (const v of byLength) {
    let l = longest.findIndex((m) => values[m].startsWith(values[v]));
    if (l < 0) {
      l = longest.push(v) - 1;
      bound.push(-1);
    }
    within[v] = l;
    bound[l] = Math.max(bound[l], lastComplete[v]);
  }
  const found = longest.map((v, l) => {
    const value = values[v];
    const here: Occurrence[] = [];
    // Appends come in invocation order.
    for (let append = 0; append < appends.length && appends[append].invoke < bound[l]; append++) {
      const { suffix } = appends[append];
      for (let at = value.indexOf(suffix); at >= 0; at = value.indexOf(suffix, at + 1)) here.push({ append, at, length: suffix.length });
    }
    return here;
  });
  return values.map((value, v) =>
    longest[within[v]] === v ? found[within[v]] : found[within[v]].filter((o) => o.at + o.length <= value.length),
  );
}

const PRIME = 0x01000193;

/** A polynomial hash of text's first `length` characters, as seenText computes it for every cut. */
function prefixHash(text: string, length: number): number {
  let hash = 0;
  for (let p = 0; p < length; p++) hash = (Math.imul(hash, PRIME) + text.charCodeAt(p)) | 0;
  return hash;
}

function cutKey(at: number, hash: number): number {
  return (Math.imul(hash, 0x9e3779b1) ^ at) | 0;
}
