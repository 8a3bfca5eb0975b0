import type { Value } from '../value.ts';
import type { SetResult } from './set/set.ts';
import type { Workload } from './workload.ts';

export interface DetectOptions {
  /** The workload, when the caller knows better than recogniseWorkload. */
  readonly workload?: Workload;
  /** A register's value before any write; nil by default. */
  readonly initialValue?: Value;
  /** The set check, when the caller already ran it: not run again. */
  readonly set?: SetResult;
}
