import type { Value } from '../value.ts';
import type { CheckResult } from '../verdict.ts';
import type { Workload } from '../workloads/workload.ts';
import type { WriteOrder } from './write-order.ts';

export interface ConsistencyOptions {
  /**
   * steps bound the linearizability check (per partition) and the sequential-consistency search;
   * millis bounds the linearizability check's wall time (as check.ts's CheckBudget).
   */
  readonly budget?: { readonly steps?: number; readonly millis?: number };
  /** The linearizability model ("cas-register", ...); inferred when absent. */
  readonly model?: string;
  /** A register's value before any write; nil by default. */
  readonly initialValue?: Value;
  /**
   * How the session guarantees order writes: real-time (the default) as single-leader replication does,
   * or free (any order the data allows). Linearizability and sequential consistency have their own orders.
   */
  readonly writeOrder?: WriteOrder;
  /** The workload, when the caller knows better than recogniseWorkload. */
  readonly workload?: Workload;
  /** A linearizability check already run on this history, so it is not run again. */
  readonly linearizability?: CheckResult;
}
