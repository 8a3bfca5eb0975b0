// Types for async-leader.mjs, so TypeScript (the in-process adapter, the bench) can use it.
export interface ExampleNode {
  input(message: { src: string; dest: string; body: { type: string; [field: string]: unknown } }): void;
  role(): { role: 'leader' | 'follower' | 'candidate'; epoch: number };
}
export function createNode(out: (message: Record<string, unknown>) => void, wall?: boolean): ExampleNode;
