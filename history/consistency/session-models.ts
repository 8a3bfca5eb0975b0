import type { History } from '../operation.ts';
import type { Value } from '../value.ts';
import { valueKey } from '../value.ts';
import type { LevelWorkload } from '../workloads/workload.ts';
import type { KeyModel } from './session-model.ts';
import { listAppendKeyModels, registerKeyModels } from './session-model.ts';

const cache = new WeakMap<History, Map<string, KeyModel[]>>();

/** The key models of a register or list-append history, built once per history (and initial value) and shared by every level. */
export function keyModels(history: History, workload: LevelWorkload, initialValue?: Value): KeyModel[] {
  let built = cache.get(history);
  if (!built) {
    built = new Map();
    cache.set(history, built);
  }
  const variant = `${workload} ${valueKey(initialValue ?? null)}`;
  let models = built.get(variant);
  if (!models) {
    models = workload === 'register' ? registerKeyModels(history, initialValue) : listAppendKeyModels(history);
    built.set(variant, models);
  }
  return models;
}
