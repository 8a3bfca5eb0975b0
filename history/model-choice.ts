import { InputError } from './input-error.ts';
import type { Operation } from './operation.ts';
import type { AnySpec } from './spec.ts';
import { keyedName } from './specs/keyed.ts';
import { multiRegisterSpec } from './specs/multi-register.ts';
import { mutexSpec } from './specs/mutex.ts';
import { casRegisterSpec, registerSpec } from './specs/register.ts';

// Which model a history is checked against: named by the user, or inferred from its operations.

export interface Model {
  /** e.g. "cas-register" or "keyed cas-register". */
  readonly name: string;
  readonly spec: AnySpec;
  /** Checked key by key. */
  readonly keyed: boolean;
}

export const specs: readonly AnySpec[] = [registerSpec, casRegisterSpec, multiRegisterSpec, mutexSpec];

const KEYED = /^keyed[ -]/;

/** Every name `modelNamed` takes, for help and messages. */
export function modelNames(): string[] {
  return specs.flatMap((spec) => [spec.name, keyedName(spec.name)]);
}

/**
 * The model called `name` ("cas-register", "keyed cas-register"). A history whose operations carry keys
 * is always checked key by key: one register per key is what a keyed workload means.
 */
export function chooseModel(operations: readonly Operation[], name?: string): Model {
  const hasKeys = operations.some((op) => op.key !== undefined);
  if (name === undefined) return model(inferSpec(operations), hasKeys);
  const baseName = name.replace(KEYED, '');
  const spec = specs.find((s) => s.name === baseName);
  if (!spec) throw new InputError(`unknown model "${name}"; models: ${modelNames().join(', ')}`);
  return model(spec, hasKeys || KEYED.test(name));
}

/** txn -> multi-register, acquire/release -> mutex, any cas -> cas-register, else register. */
export function inferSpec(operations: readonly Operation[]): AnySpec {
  const fs = new Set(operations.map((op) => op.f));
  if (fs.has('txn')) return multiRegisterSpec;
  if (fs.has('acquire') || fs.has('release')) return mutexSpec;
  if (fs.has('cas')) return casRegisterSpec;
  return registerSpec;
}

function model(spec: AnySpec, keyed: boolean): Model {
  return { name: keyed ? keyedName(spec.name) : spec.name, spec, keyed };
}
