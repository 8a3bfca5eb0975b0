import fc from 'fast-check';
import type { Action } from '../../models/index.ts';
import type { ScheduleShape } from './shape.ts';
import type { ScheduleWorkload } from './workload.ts';
import { WORKLOAD_OPERATIONS } from './workload.ts';

export interface ClientOpOptions {
  readonly workload?: ScheduleWorkload;
  /**
   * One operation in `directed` is sent to a node the schedule picks rather than to the leader the
   * client believes in: how a client that still talks to a deposed leader shows. 0 never.
   */
  readonly directed?: number;
}

/** How many recent values of a key a cas may expect: the model keeps four. */
const CAS_PICKS = 3;

/**
 * A client starts an operation. Shrinks towards client 0, the workload's writer (a history needs writes
 * before anything can go wrong), key 0, and the believed leader.
 */
export function clientOpArbitrary(shape: ScheduleShape, options: ClientOpOptions = {}): fc.Arbitrary<Action> {
  const fs = WORKLOAD_OPERATIONS[options.workload ?? 'register'];
  const directed = options.directed ?? 4;
  return fc
    .record({
      client: fc.nat({ max: shape.clients - 1 }),
      f: fc.constantFrom(...fs),
      key: fc.nat({ max: shape.keys - 1 }),
      node: directed > 0 ? fc.option(fc.nat({ max: shape.nodes - 1 }), { nil: undefined, freq: directed }) : fc.constant(undefined),
      pick: fc.nat({ max: CAS_PICKS - 1 }),
    })
    .map(({ client, f, key, node, pick }): Action => ({
      kind: 'invoke',
      client,
      f,
      key,
      ...(node !== undefined && { node }),
      ...(f === 'cas' && { pick }),
    }));
}

/** A client stops waiting for its operation: a write then ends indeterminate. */
export function timeoutArbitrary(shape: ScheduleShape): fc.Arbitrary<Action> {
  return fc.nat({ max: shape.clients - 1 }).map((client): Action => ({ kind: 'timeout', client }));
}
