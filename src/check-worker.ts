import { parentPort } from 'node:worker_threads';
import { InputError } from '../history/input-error.ts';
import type { CheckFileOptions, FileCheck } from './check-file.ts';
import { checkFile } from './check-file.ts';

// A worker thread of `leaderlog check --workers N`: checks the files it is sent, one at a time, and
// sends back each file's check as plain data (see check-workers.ts).

export interface CheckRequest {
  readonly index: number;
  readonly file: string;
  readonly options: Omit<CheckFileOptions, 'onProgress'>;
}

export type CheckReply =
  | { readonly index: number; readonly check: FileCheck }
  | { readonly index: number; readonly inputError: { readonly message: string; readonly position: InputError['position'] } }
  | { readonly index: number; readonly crash: string };

parentPort?.on('message', ({ index, file, options }: CheckRequest) => {
  let reply: CheckReply;
  try {
    reply = { index, check: checkFile(file, options) };
  } catch (error) {
    if (error instanceof InputError) reply = { index, inputError: { message: error.message, position: error.position } };
    else reply = { index, crash: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(reply);
});
