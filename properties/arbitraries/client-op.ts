import fc from 'fast-check';
import type { ClientWorkload } from '../../history/workloads/workload.ts';
import type { Action } from '../../models/index.ts';
import type { ScheduleShape } from './shape.ts';
import { WORKLOAD_OPERATIONS } from './workload.ts';

export interface ClientOpOptions {
  readonly workload?: ClientWorkload;
  /**
   * The percentage of operations sent to a node the schedule picks rather than to the leader the client
   * believes in: how a client still talking to a deposed leader, or already to a new one, shows. Default 50.
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
  const directed = options.directed ?? 50;
  if (!(directed >= 0 && directed <= 100)) throw new RangeError(`directed is a percentage, got ${directed}`);
  const believed = { arbitrary: fc.constant(undefined), weight: 100 - directed };
  const chosen = { arbitrary: fc.nat({ max: shape.nodes - 1 }), weight: directed };
  return fc
    .record({
      client: fc.nat({ max: shape.clients - 1 }),
      f: fc.constantFrom(...fs),
      key: fc.nat({ max: shape.keys - 1 }),
      node: fc.oneof({ withCrossShrink: true }, ...[believed, chosen].filter((choice) => choice.weight > 0)),
      pick: fc.nat({ max: CAS_PICKS - 1 }),
    })
    .map(
      ({ client, f, key, node, pick }): Action => ({
        kind: 'invoke',
        client,
        f,
        key,
        ...(node !== undefined && { node }),
        ...(f === 'cas' && { pick }),
      }),
    );
}

/** A client, still waiting, sends its request again to the next node: the same request, to be done once. */
export function retryArbitrary(shape: ScheduleShape): fc.Arbitrary<Action> {
  return fc.nat({ max: shape.clients - 1 }).map((client): Action => ({ kind: 'retry', client }));
}

/** A client stops waiting for its operation: a write then ends indeterminate. */
export function timeoutArbitrary(shape: ScheduleShape): fc.Arbitrary<Action> {
  return fc.nat({ max: shape.clients - 1 }).map((client): Action => ({ kind: 'timeout', client }));
}
