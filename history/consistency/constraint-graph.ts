// A directed graph of ordering constraints ("a comes before b"), each edge labelled with the rule that
// demands it and the operations that show it. A set of constraints can be met by one total order iff the
// graph has no cycle; a level is broken iff some cycle runs through an edge of one of its rules. Both are
// answered with Tarjan's strongly connected components in linear time, and a shortest such cycle, found
// by breadth-first search inside one component, is the evidence.

const CYCLE_TRIES = 32;

export interface ConstraintEdge<Rule> {
  readonly from: number;
  readonly to: number;
  readonly rule: Rule;
  /** Operation ids that show the constraint. */
  readonly why: readonly number[];
}

export class ConstraintGraph<Rule> {
  private nodes = 0;
  readonly edges: ConstraintEdge<Rule>[] = [];

  addNode(): number {
    return this.nodes++;
  }

  get nodeCount(): number {
    return this.nodes;
  }

  add(from: number, to: number, rule: Rule, why: readonly number[] = []): void {
    if (from !== to) this.edges.push({ from, to, rule, why });
  }

  /**
   * A short cycle through an edge whose rule `counts`, as edges in order starting with that edge, that
   * visits at least two distinct nodes `isReal` accepts; undefined when there is none. Constraints say
   * "comes before or is", so a cycle is a contradiction only when it passes two different writes: one
   * through join nodes back to its own write says nothing. Edges `usable` rejects are left out.
   */
  cycleThrough(
    counts: (rule: Rule) => boolean,
    usable: (rule: Rule) => boolean = () => true,
    isReal: (node: number) => boolean = () => true,
  ): ConstraintEdge<Rule>[] | undefined {
    const edges = this.edges.filter((e) => usable(e.rule));
    const outgoing = adjacency(this.nodes, edges);
    const component = stronglyConnected(this.nodes, edges, outgoing);
    const realIn = new Map<number, number[]>();
    for (let node = 0; node < this.nodes; node++) {
      if (!isReal(node)) continue;
      const members = realIn.get(component[node]);
      if (members) members.push(node);
      else realIn.set(component[node], [node]);
    }
    let best: ConstraintEdge<Rule>[] | undefined;
    let tries = 0;
    for (const edge of edges) {
      const c = component[edge.from];
      if (!counts(edge.rule) || c !== component[edge.to] || (realIn.get(c)?.length ?? 0) < 2) continue;
      const inside = (node: number) => component[node] === c;
      let walk = [edge, ...shortestPath(edge.to, edge.from, edges, outgoing, inside)!];
      const seen = new Set(walk.map((e) => e.from).filter(isReal));
      if (seen.size < 2) {
        const other = realIn.get(c)!.find((node) => !seen.has(node))!;
        walk = [edge, ...shortestPath(edge.to, other, edges, outgoing, inside)!, ...shortestPath(other, edge.from, edges, outgoing, inside)!];
      }
      if (!best || walk.length < best.length) best = walk;
      // Each try is a search of one component: a few give a short cycle without going quadratic.
      if (++tries >= CYCLE_TRIES || best.length <= 2) break;
    }
    return best;
  }
}

interface Adjacency {
  readonly start: Int32Array;
  readonly edge: Int32Array;
}

function adjacency(nodes: number, edges: readonly ConstraintEdge<unknown>[]): Adjacency {
  const start = new Int32Array(nodes + 1);
  for (const e of edges) start[e.from + 1]++;
  for (let i = 0; i < nodes; i++) start[i + 1] += start[i];
  const fill = start.slice(0, nodes);
  const edge = new Int32Array(edges.length);
  edges.forEach((e, i) => (edge[fill[e.from]++] = i));
  return { start, edge };
}

/** Tarjan's algorithm without recursion: component id per node. */
function stronglyConnected(nodes: number, edges: readonly ConstraintEdge<unknown>[], out: Adjacency): Int32Array {
  const index = new Int32Array(nodes).fill(-1);
  const low = new Int32Array(nodes);
  const component = new Int32Array(nodes).fill(-1);
  const onStack = new Uint8Array(nodes);
  const stack: number[] = [];
  const work: number[] = [];
  const cursor = new Int32Array(nodes);
  let counter = 0;
  let components = 0;
  for (let root = 0; root < nodes; root++) {
    if (index[root] >= 0) continue;
    work.push(root);
    while (work.length > 0) {
      const node = work[work.length - 1];
      if (index[node] < 0) {
        index[node] = low[node] = counter++;
        cursor[node] = out.start[node];
        stack.push(node);
        onStack[node] = 1;
      }
      if (cursor[node] < out.start[node + 1]) {
        const next = edges[out.edge[cursor[node]++]].to;
        if (index[next] < 0) work.push(next);
        else if (onStack[next]) low[node] = Math.min(low[node], index[next]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1];
        low[parent] = Math.min(low[parent], low[node]);
      }
      if (low[node] === index[node]) {
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component[member] = components;
        } while (member !== node);
        components++;
      }
    }
  }
  return component;
}

function shortestPath<Rule>(
  from: number,
  to: number,
  edges: readonly ConstraintEdge<Rule>[],
  out: Adjacency,
  inside: (node: number) => boolean,
): ConstraintEdge<Rule>[] | undefined {
  const via = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let head = 0; head < queue.length && !via.has(to); head++) {
    const node = queue[head];
    for (let k = out.start[node]; k < out.start[node + 1]; k++) {
      const e = out.edge[k];
      const next = edges[e].to;
      if (via.has(next) || !inside(next)) continue;
      via.set(next, e);
      queue.push(next);
    }
  }
  if (!via.has(to)) return undefined;
  const path: ConstraintEdge<Rule>[] = [];
  for (let node = to; node !== from; node = edges[via.get(node)!].from) path.unshift(edges[via.get(node)!]);
  return path;
}
