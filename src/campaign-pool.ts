import type { Worker } from 'node:worker_threads';
import { SystemError } from '../models/index.ts';
import type { CampaignPool, CampaignTask, TaskResult } from '../properties/index.ts';
import type { WorkerReply } from './campaign-worker.ts';
import { startWorker } from './check-workers.ts';

// Campaign workers: a fixed set of threads, each taking one task at a time. State truly lives here
// (threads, a queue), hence a class; what travels is plain data (properties/campaign-task.ts). A
// system's misbehaviour in a worker comes back as the SystemError it was, so it is reported as bad
// input naming the module, as on one thread.

interface Job {
  readonly task: CampaignTask;
  readonly onRun?: (runs: number) => void;
  readonly resolve: (result: TaskResult) => void;
  readonly reject: (error: Error) => void;
}

export class WorkerPool implements CampaignPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly all: Worker[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a pool needs at least one worker, got ${size}`);
    for (let i = 0; i < size; i++) {
      const worker = startWorker('campaign-worker');
      // An idle worker does not keep the process alive: the pool is closed, or the process may end.
      worker.unref();
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  run(task: CampaignTask, onRun?: (runs: number) => void): Promise<TaskResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, onRun, resolve, reject });
      this.next();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }

  private next(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      const onMessage = (message: WorkerReply) => {
        if (message.kind === 'progress') {
          job.onRun?.(message.runs);
          return;
        }
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.unref();
        this.idle.push(worker);
        if (message.kind === 'result') job.resolve(message.result);
        else if (message.kind === 'system-error') job.reject(new SystemError(message.message, message.step, message.node));
        else job.reject(new Error(`campaign worker failed: ${message.message}`));
        this.next();
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        job.reject(error);
      };
      worker.ref();
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage(job.task);
    }
  }
}
