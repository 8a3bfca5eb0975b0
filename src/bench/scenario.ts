// A benchmark scenario: setup is not timed; run is timed over several runs in a fresh process, and any
// figures it returns (steps, ops per second, ...) are reported as medians over those runs.

export type Figures = Readonly<Record<string, number | string>>;

export interface Scenario<Context = unknown> {
  readonly name: string;
  /** Timed runs (after one untimed warm-up); default 5. */
  readonly runs?: number;
  /** False: no untimed warm-up run first (a scenario that takes minutes). Default true. */
  readonly warmUp?: boolean;
  readonly setup: () => Context | Promise<Context>;
  // biome-ignore lint/suspicious/noConfusingVoidType: a run either returns its figures or is a `=> void` function that only does the work; `| undefined` would reject those
  readonly run: (context: Context) => Figures | void | Promise<Figures | void>;
  /** Releases what setup made (worker threads), after the last run. */
  readonly teardown?: (context: Context) => void | Promise<void>;
}

export interface Section {
  readonly title: string;
  // biome-ignore lint/suspicious/noExplicitAny: Context is made by setup and read by run (invariant); each scenario has its own, so `any` is the existential here
  readonly scenarios: readonly Scenario<any>[];
}

export function scenario<Context>(definition: Scenario<Context>): Scenario<Context> {
  return definition;
}
