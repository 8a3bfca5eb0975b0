import type { Property } from '../property.ts';
import { anomalyFree } from './anomaly-free.ts';

export const noStaleRead: Property = {
  name: 'no-stale-read',
  claim: 'no read returns a value already overwritten by a write that completed before the read began',
  check: (observation) => anomalyFree(observation, 'stale-read'),
};
