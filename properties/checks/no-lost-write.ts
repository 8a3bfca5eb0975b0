import type { Property } from '../property.ts';
import { anomalyFree } from './anomaly-free.ts';

export const noLostWrite: Property = {
  name: 'no-lost-write',
  claim: 'no acknowledged write disappears for good (the final reads included)',
  check: (observation) => anomalyFree(observation, 'lost-write'),
};
