import type { Spec } from '../spec.ts';

// A lock: acquire takes it when free, release frees it when held. Knossos' mutex model.

export interface MutexCall {
  readonly f: 'acquire' | 'release';
  readonly certain: boolean;
}

/** Whether the lock is held. */
export type MutexState = boolean;

export const mutexSpec: Spec<MutexState, MutexCall> = {
  name: 'mutex',
  accepts: ['acquire', 'release'],
  read: (op) =>
    op.f === 'acquire' || op.f === 'release'
      ? { call: { f: op.f, certain: op.result !== 'info' } }
      : { problem: `mutex has no operation ${op.f}` },
  // Either call changes the state, so even an indeterminate one may be needed.
  droppable: (calls) => calls.map(() => false),
  readOnly: () => false,
  callKey: (call) => call.f,
  init: () => false,
  step: (held, call) => (call.f === 'acquire' ? (held ? undefined : true) : held ? false : undefined),
  equal: (a, b) => a === b,
  hash: (held) => (held ? 1 : 0),
  describe: (held) => (held ? 'held' : 'free'),
  describeCall: (call) => `${call.certain ? '' : 'maybe '}${call.f}`,
};
