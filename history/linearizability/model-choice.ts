import { InputError } from '../input-error.ts';
import type { Operation } from '../operation.ts';
import type { Value } from '../value.ts';
import { describeValue } from '../value.ts';
import type { AnySpec } from './spec.ts';
import { keyValueSpec } from './specs/key-value.ts';
import { keyedName } from './specs/keyed.ts';
import { multiRegisterSpec } from './specs/multi-register.ts';
import { mutexSpec } from './specs/mutex.ts';
import { casRegisterSpec, registerSpec } from './specs/register.ts';

// Which model a history is checked against: named by the user, or inferred from its operations. The user
// may name a workload instead (list-append, set): that is checked by its own criteria, as recognition would.

export interface Model {
  /** e.g. "cas-register" or "keyed cas-register". */
  readonly name: string;
  readonly spec: AnySpec;
  /** Checked key by key. */
  readonly keyed: boolean;
  /** The value the model was started at, when the user gave one. */
  readonly initialValue?: Value;
}

const specs: readonly AnySpec[] = [registerSpec, casRegisterSpec, multiRegisterSpec, mutexSpec, keyValueSpec];

/** Workloads checked by their own criteria rather than a linearizability model; `--model` takes these too. */
export const WORKLOAD_MODELS = ['list-append', 'set'] as const;

export type WorkloadModel = (typeof WORKLOAD_MODELS)[number];

const KEYED = /^keyed[ -]/;

/** Every linearizability model name `chooseModel` takes, for help and messages. */
export function modelNames(): string[] {
  return specs.flatMap((spec) => [spec.name, keyedName(spec.name)]);
}

export function isWorkloadModel(name: string): name is WorkloadModel {
  return (WORKLOAD_MODELS as readonly string[]).includes(name);
}

/** Throws InputError unless `name` is a model or a workload, listing both kinds. */
export function checkModelName(name: string): void {
  if (!isWorkloadModel(name)) chooseModel([], name);
}

/**
 * The model called `name` ("cas-register", "keyed cas-register"), started at `initialValue` when given.
 * A history whose operations carry keys is always checked key by key: one register per key is what a
 * keyed workload means.
 */
export function chooseModel(operations: readonly Operation[], name?: string, initialValue?: Value): Model {
  const hasKeys = operations.some((op) => op.key !== undefined);
  if (name === undefined) return model(inferSpec(operations), hasKeys, initialValue);
  const baseName = name.replace(KEYED, '');
  const spec = specs.find((s) => s.name === baseName);
  if (!spec) throw new InputError(`unknown model "${name}"; models: ${modelNames().join(', ')}; workloads: ${WORKLOAD_MODELS.join(', ')}`);
  return model(spec, hasKeys || KEYED.test(name), initialValue);
}

/** txn -> multi-register, acquire/release -> mutex, append/delete -> key-value, any cas -> cas-register, else register. */
function inferSpec(operations: readonly Operation[]): AnySpec {
  const fs = new Set(operations.map((op) => op.f));
  if (fs.has('txn')) return multiRegisterSpec;
  if (fs.has('acquire') || fs.has('release')) return mutexSpec;
  if (fs.has('append') || fs.has('delete')) return keyValueSpec;
  if (fs.has('cas')) return casRegisterSpec;
  return registerSpec;
}

function model(spec: AnySpec, keyed: boolean, initialValue: Value | undefined): Model {
  const name = keyed ? keyedName(spec.name) : spec.name;
  if (initialValue === undefined) return { name, spec, keyed };
  if (!spec.startingAt) {
    throw new InputError(
      `an initial value (${describeValue(initialValue)}) applies to register, cas-register and multi-register models, not ${spec.name}`,
    );
  }
  return { name, spec: spec.startingAt(initialValue), keyed, initialValue };
}
