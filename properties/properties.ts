import { converges } from './checks/converges.ts';
import { invariants } from './checks/invariants.ts';
import { linearizable } from './checks/linearizable.ts';
import { noLostWrite } from './checks/no-lost-write.ts';
import { noStaleRead } from './checks/no-stale-read.ts';
import { singleLeader } from './checks/single-leader.ts';
import type { Property, PropertyName } from './property.ts';

/** Every property, in the order reports list them. */
export const PROPERTIES: readonly Property[] = [linearizable, noLostWrite, noStaleRead, singleLeader, invariants, converges];

export const PROPERTY_NAMES: readonly PropertyName[] = PROPERTIES.map((p) => p.name);

export function propertyNamed(name: string): Property | undefined {
  return PROPERTIES.find((p) => p.name === name);
}
