import type { History } from '../operation.ts';
import type { Value } from '../value.ts';
import type { KeyModel } from './session-model.ts';
import { listAppendKeyModels, registerKeyModels } from './session-model.ts';

const cache = new WeakMap<History, KeyModel[]>();

/** The key models of a register or list-append history, built once per history and shared by every level. */
export function keyModels(history: History, workload: 'register' | 'list-append', initialValue?: Value): KeyModel[] {
  let models = cache.get(history);
  if (!models) {
    models = workload === 'register' ? registerKeyModels(history, initialValue) : listAppendKeyModels(history);
    cache.set(history, models);
  }
  return models;
}
