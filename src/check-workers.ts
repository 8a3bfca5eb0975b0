import { availableParallelism } from 'node:os';
import type { WorkerOptions } from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import { InputError } from '../history/input-error.ts';
import type { CheckFileOptions } from './check-file.ts';
import type { FileOutcome } from './check-report.ts';
import type { CheckReply, CheckRequest } from './check-worker.ts';

// Several files checked on worker threads: each worker takes the next file as it finishes one, and the
// outcomes come back in the files' order, so the report is the one a single thread prints (the times
// aside). A file's check is plain data, copied back whole; bad input stays bad input.

/** One worker per core by default. */
export function defaultWorkers(): number {
  return availableParallelism();
}

export async function checkFilesOnWorkers(
  files: readonly string[],
  options: Omit<CheckFileOptions, 'onProgress'>,
  workers: number,
): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = new Array(files.length);
  let next = 0;
  let failure: Error | undefined;
  const run = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const send = () => {
        if (next === files.length || failure) return resolve();
        const request: CheckRequest = { index: next, file: files[next], options };
        next++;
        worker.postMessage(request);
      };
      worker.on('message', (reply: CheckReply) => {
        if ('check' in reply) outcomes[reply.index] = reply.check;
        else if ('inputError' in reply)
          outcomes[reply.index] = { file: files[reply.index], error: new InputError(reply.inputError.message, reply.inputError.position) };
        else failure ??= new Error(`checking ${files[reply.index]} failed: ${reply.crash}`);
        send();
      });
      worker.on('error', reject);
      send();
    });
  const pool = Array.from({ length: Math.min(workers, files.length) }, () => startWorker('check-worker'));
  try {
    await Promise.all(pool.map(run));
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  if (failure) throw failure;
  return outcomes;
}

/** A worker module beside this one: compiled JavaScript, or TypeScript run through tsx as this is. */
export function startWorker(name: string, options: WorkerOptions = {}): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), options);
  // A worker does not inherit tsx from its parent: it registers it before loading the module.
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const module = JSON.stringify(new URL(`./${name}.ts`, import.meta.url).href);
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${module}); });`, { ...options, eval: true });
}
