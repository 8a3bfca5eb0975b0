import { parentPort } from 'node:worker_threads';
import { SystemError } from '../models/index.ts';
import type { CampaignTask, Subject, SubjectRef, TaskResult } from '../properties/index.ts';
import { presetRefSubject, runTask, systemSubject } from '../properties/index.ts';
import { loadSystems } from './system-module.ts';

// A campaign worker thread's loop: a task in, its result out; progress every few runs, so a bar can
// move. A user's system is loaded here from its module, once per module and export.

export type WorkerReply =
  | { readonly kind: 'progress'; readonly runs: number }
  | { readonly kind: 'result'; readonly result: TaskResult }
  | { readonly kind: 'system-error'; readonly message: string; readonly step: number; readonly node?: string }
  | { readonly kind: 'error'; readonly message: string };

const PROGRESS_EVERY = 25;
const loaded = new Map<string, Promise<Subject>>();

function subjectFor(ref: SubjectRef): Promise<Subject> {
  const key = JSON.stringify(ref);
  let subject = loaded.get(key);
  if (!subject) {
    subject = ref.kind === 'preset' ? Promise.resolve(presetRefSubject(ref)) : loadSystem(ref);
    loaded.set(key, subject);
  }
  return subject;
}

async function loadSystem(ref: Extract<SubjectRef, { kind: 'system' }>): Promise<Subject> {
  const { systems, exportNames, source } = await loadSystems(ref.module);
  const system = systems[exportNames.indexOf(ref.exportName)];
  if (!system) throw new Error(`${ref.module} exports no system named ${ref.exportName}`);
  return systemSubject(system, source);
}

const reply = (message: WorkerReply) => parentPort?.postMessage(message);

parentPort?.on('message', async (task: CampaignTask) => {
  let runs = 0;
  const onRun = () => {
    if (++runs % PROGRESS_EVERY === 0) reply({ kind: 'progress', runs: PROGRESS_EVERY });
  };
  try {
    const result = runTask(task, await subjectFor(task.subject), onRun);
    reply({ kind: 'progress', runs: runs % PROGRESS_EVERY });
    reply({ kind: 'result', result });
  } catch (error) {
    if (error instanceof SystemError)
      reply({ kind: 'system-error', message: error.message, step: error.step, ...(error.node !== undefined && { node: error.node }) });
    else reply({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
