import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import type { FailedCas } from '../history/linearizability/check.ts';
import { checkPartition } from '../history/linearizability/check.ts';
import { chooseModel } from '../history/linearizability/model-choice.ts';
import type { Operation } from '../history/operation.ts';
import type { Value } from '../history/value.ts';
import type { PartitionVerdict } from '../history/verdict.ts';

// A worker thread of check-key-workers.ts: checks the keys it is sent, one after another, and answers
// on its port, raising the shared flag so that the waiting thread knows the answer is there.

export interface KeysRequest {
  readonly model: string;
  readonly keys: readonly (readonly Operation[])[];
  readonly steps: number | undefined;
  readonly failedCas: FailedCas;
  readonly initialValue: Value | undefined;
}

export type KeysReply = { readonly verdicts: PartitionVerdict[] } | { readonly crash: string };

const { port, flag } = workerData as { port: MessagePort; flag: Int32Array };

port.on('message', ({ model, keys, steps, failedCas, initialValue }: KeysRequest) => {
  let reply: KeysReply;
  try {
    const { spec } = chooseModel([], model, initialValue);
    reply = { verdicts: keys.map((operations) => checkPartition(spec, operations, { steps }, false, failedCas)) };
  } catch (error) {
    reply = { crash: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
