// A directed graph of ordering constraints, each edge labelled with the rule that demands it and the
// operations that show it. Nodes are things to order ("real" ones, such as writes) and auxiliary points
// (such as "the latest of these writes"). An edge says "a comes before b, or is b", or, when strict,
// "a comes strictly before b". The constraints can be met by one total order of the real nodes iff no
// cycle passes two different real nodes (they would have to be one) or runs through a strict edge (a node
// would come before itself). That is answered with Tarjan's strongly connected components in linear
// time, and a shortest such cycle, found by breadth-first search inside one component, is the evidence.

const CYCLE_TRIES = 32;

export interface ConstraintEdge<Rule> {
  readonly from: number;
  readonly to: number;
  readonly rule: Rule;
  /** Operation ids that show the constraint. */
  readonly why: readonly number[];
  /** "from strictly before to"; otherwise "from before or at to". */
  readonly strict: boolean;
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

  /** A strict edge from a node to itself is kept: it is a contradiction on its own. */
  add(from: number, to: number, rule: Rule, why: readonly number[] = [], strict = false): void {
    if (from !== to || strict) this.edges.push({ from, to, rule, why, strict });
  }

  /**
   * A short contradictory cycle through an edge whose rule `counts`, as edges in order starting with
   * that edge; undefined when there is none. A cycle is a contradiction when it visits two distinct nodes
   * `isReal` accepts, or runs through a strict edge; one through auxiliary nodes back to the same real
   * node by non-strict edges says nothing. Edges `usable` rejects are left out.
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
      if (!counts(edge.rule) || c !== component[edge.to] || (!edge.strict && (realIn.get(c)?.length ?? 0) < 2)) continue;
      const inside = (node: number) => component[node] === c;
      let walk = [edge, ...shortestPath(edge.to, edge.from, edges, outgoing, inside)!];
      const seen = new Set(walk.map((e) => e.from).filter(isReal));
      if (seen.size < 2 && !edge.strict) {
        const other = realIn.get(c)!.find((node) => !seen.has(node))!;
        walk = [
          edge,
          ...shortestPath(edge.to, other, edges, outgoing, inside)!,
          ...shortestPath(other, edge.from, edges, outgoing, inside)!,
        ];
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
  edges.forEach((e, i) => {
    edge[fill[e.from]++] = i;
  });
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
