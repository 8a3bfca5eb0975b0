import type { MessagePort, Worker } from 'node:worker_threads';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { KeyChecker } from '../history/linearizability/check.ts';
import type { PartitionVerdict } from '../history/verdict.ts';
import type { KeysReply, KeysRequest } from './check-keys-worker.ts';
import { startWorker } from './check-workers.ts';

// Many keys of one file checked on worker threads. The checker is synchronous (checkHistory is), so
// the calling thread hands each worker its share of the keys, then sleeps on a shared flag until the
// worker has answered, and takes the answer from the port without going through the event loop.

/** Below this many operations, starting workers costs more than it saves. */
const WORTH_IT = 2_000;

interface KeyWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly flag: Int32Array;
}

export interface KeyWorkers {
  readonly checkKeys: KeyChecker;
  /** Ends the workers (started on first use). */
  close(): Promise<void>;
}

export function keyWorkers(count: number): KeyWorkers {
  let pool: KeyWorker[] | undefined;
  const start = (): KeyWorker[] =>
    Array.from({ length: count }, () => {
      const { port1, port2 } = new MessageChannel();
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const worker = startWorker('check-keys-worker', { workerData: { port: port2, flag }, transferList: [port2] });
      worker.unref();
      return { worker, port: port1, flag };
    });
  const checkKeys: KeyChecker = (model, keys, steps, failedCas, initialValue) => {
    const operations = keys.reduce((n, ops) => n + ops.length, 0);
    if (operations < WORTH_IT || count < 2) return undefined;
    pool ??= start();
    // Keys come smallest first; dealt round-robin, each worker gets a like share of the work.
    const shares = pool.map((_, w) => keys.map((_, i) => i).filter((i) => i % pool!.length === w));
    pool.forEach(({ port, flag }, w) => {
      Atomics.store(flag, 0, 0);
      const request: KeysRequest = { model, keys: shares[w].map((i) => keys[i]), steps, failedCas, initialValue };
      port.postMessage(request);
    });
    const verdicts: PartitionVerdict[] = new Array(keys.length);
    pool.forEach(({ port, flag }, w) => {
      Atomics.wait(flag, 0, 0);
      const reply = receiveMessageOnPort(port)?.message as KeysReply | undefined;
      if (!reply || 'crash' in reply) throw new Error(`checking keys on a worker failed: ${reply ? reply.crash : 'no answer'}`);
      shares[w].forEach((i, j) => {
        verdicts[i] = reply.verdicts[j];
      });
    });
    return verdicts;
  };
  return {
    checkKeys,
    close: async () => {
      if (pool) await Promise.all(pool.map(({ worker }) => worker.terminate()));
    },
  };
}
