import type { Anomaly } from '../history/anomaly.ts';
import type { Event } from '../history/event.ts';
import { nestedDeeperThan, parseExactJson, placesInFile } from '../history/formats/jsonl.ts';
import { InputError } from '../history/input-error.ts';
import { MAX_NESTING } from '../history/value.ts';
import type { Action, Preset } from '../models/index.ts';
import { presets } from '../models/index.ts';
import { shapeOf } from './arbitraries/shape.ts';
import type { Counterexample } from './campaign.ts';
import { propertyNamed } from './properties.ts';
import type { FindingName, PropertyName } from './property.ts';
import { validateSchedule } from './schedule-validation.ts';
import type { NodeCommandSource, Subject } from './subject.ts';

// A counterexample file: what failed (a preset, or a user's system named by its module and a hash of
// its source; and the property), how to draw it again (seed and fast-check path), the schedule itself
// (replaying it needs nothing else but the design), and what was seen (the history, the verdict, the
// anomalies), so a reader can study it without running anything.

const COUNTEREXAMPLE_FORMAT = 'leaderlog-counterexample';
const COUNTEREXAMPLE_VERSION = 1;

export interface SavedVerdict {
  readonly status: 'violated' | 'unknown';
  /** What the counterexample is named as (`lost-write`, `stale-read`, `dual-leader`, ...). */
  readonly names: readonly FindingName[];
  readonly reasons: readonly string[];
}

/**
 * The system a counterexample was found in: its name, the module it came from and a hash of its
 * source (both empty when the campaign was not told the module: such a file is read, not replayed).
 */
export interface SavedSystem {
  readonly name: string;
  readonly module: string;
  readonly hash: string;
  /** A node binary's command line, cluster and clock (its `module` is empty). */
  readonly node?: NodeCommandSource;
}

export interface CounterexampleFile {
  readonly format: typeof COUNTEREXAMPLE_FORMAT;
  readonly version: typeof COUNTEREXAMPLE_VERSION;
  /** The built-in preset; a system's file names `system` instead. */
  readonly preset?: string;
  readonly system?: SavedSystem;
  readonly property: PropertyName;
  readonly seed: number;
  /** fast-check's path to the shrunk schedule, from `seed`. */
  readonly path: string;
  /** The command that replays this file. */
  readonly replay: string;
  readonly schedule: readonly Action[];
  readonly verdict: SavedVerdict;
  /** Every anomaly the detectors proved in the history (whichever property failed). */
  readonly anomalies: readonly Anomaly[];
  /** For a system whose runs do not reproduce (wall clock): in how many of its re-runs the schedule failed so. */
  readonly reproduced?: { readonly failed: number; readonly of: number };
  readonly history: readonly Event[];
}

/** The file's content for a counterexample to be saved at `file`. */
export function counterexampleFile(counterexample: Counterexample, file: string): CounterexampleFile {
  const { verdict, observation } = counterexample;
  return {
    format: COUNTEREXAMPLE_FORMAT,
    version: COUNTEREXAMPLE_VERSION,
    ...designOf(counterexample.subject),
    property: counterexample.property,
    seed: counterexample.seed,
    path: counterexample.path,
    replay: replayCommand(file),
    schedule: counterexample.schedule,
    verdict:
      verdict.status === 'violated'
        ? { status: 'violated', names: verdict.names, reasons: verdict.reasons }
        : { status: 'unknown', names: [], reasons: [verdict.reason] },
    anomalies: observation.findings().anomalies,
    ...(counterexample.reproduced && { reproduced: counterexample.reproduced }),
    history: observation.run.events,
  };
}

function designOf(subject: Subject): { preset: string } | { system: SavedSystem } {
  if (subject.preset) return { preset: subject.preset.name };
  const node = subject.source?.node;
  return { system: { name: subject.name, module: subject.source?.module ?? '', hash: subject.source?.hash ?? '', ...(node && { node }) } };
}

export function replayCommand(file: string): string {
  return `leaderlog replay ${/^[\w./@%+=:,-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`}`;
}

/** One action per line, so a saved schedule reads (and diffs) as a list. */
export function formatCounterexampleFile(content: CounterexampleFile): string {
  const lines = (items: readonly unknown[]) =>
    items.length === 0 ? '[]' : `[\n${items.map((item) => `    ${JSON.stringify(item)}`).join(',\n')}\n  ]`;
  const fields = Object.entries(content).map(([field, value]) => {
    const text =
      Array.isArray(value) && (field === 'schedule' || field === 'history' || field === 'anomalies') ? lines(value) : JSON.stringify(value);
    return `  ${JSON.stringify(field)}: ${text}`;
  });
  return `{\n${fields.join(',\n')}\n}\n`;
}

/** A file read: a preset's is ready to replay; a system's needs its module loaded first. */
export type ParsedCounterexample =
  | { readonly kind: 'preset'; readonly content: CounterexampleFile; readonly preset: Preset }
  | { readonly kind: 'system'; readonly content: CounterexampleFile; readonly system: SavedSystem };

/** Reads a counterexample file's text; throws InputError naming `file` and what is wrong. */
export function parseCounterexample(text: string, file: string): ParsedCounterexample {
  const data = parseJson(text, file);
  const fail = (message: string): never => {
    throw new InputError(message, { file });
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('expected a JSON object (a leaderlog counterexample)');
  const record = data as Record<string, unknown>;
  if (record.format !== COUNTEREXAMPLE_FORMAT) fail(`expected "format": "${COUNTEREXAMPLE_FORMAT}"; is this a counterexample file?`);
  if (record.version !== COUNTEREXAMPLE_VERSION)
    fail(`version ${JSON.stringify(record.version)} is not one this leaderlog reads (it reads ${COUNTEREXAMPLE_VERSION})`);
  const system = record.system === undefined ? undefined : savedSystem(record.system, fail);
  const preset = typeof record.preset === 'string' ? presets[record.preset] : undefined;
  if (!system && !preset) fail(`"preset" must name a preset (${Object.keys(presets).join(', ')}), got ${JSON.stringify(record.preset)}`);
  if (typeof record.property !== 'string' || !propertyNamed(record.property))
    fail(`"property" must name a property, got ${JSON.stringify(record.property)}`);
  if (!Number.isInteger(record.seed)) fail(`"seed" must be an integer, got ${JSON.stringify(record.seed)}`);
  if (typeof record.path !== 'string' || !/^\d+(:\d+)*$/.test(record.path))
    fail(`"path" must be a fast-check path like "12:3:0", got ${JSON.stringify(record.path)}`);
  const scheduleProblem = validateSchedule(record.schedule, preset && shapeOf(preset));
  if (scheduleProblem) fail(`"schedule": ${scheduleProblem}`);
  if (!Array.isArray(record.history)) fail('"history" must be the list of events seen when the counterexample was found');
  const verdict = record.verdict as Record<string, unknown> | undefined;
  if (
    typeof verdict !== 'object' ||
    verdict === null ||
    (verdict.status !== 'violated' && verdict.status !== 'unknown') ||
    !isStringList(verdict.names) ||
    !isStringList(verdict.reasons)
  ) {
    fail('"verdict" must be {"status": "violated" or "unknown", "names": [...], "reasons": [...]}');
  }
  if (!Array.isArray(record.anomalies)) fail('"anomalies" must be a list');
  const content = record as unknown as CounterexampleFile;
  return system ? { kind: 'system', content, system } : { kind: 'preset', content, preset: preset! };
}

function savedSystem(value: unknown, fail: (message: string) => never): SavedSystem {
  const v = value as Record<string, unknown> | null;
  const node = typeof v === 'object' && v !== null ? savedNode(v.node) : undefined;
  if (typeof v !== 'object' || v === null || typeof v.name !== 'string' || typeof v.module !== 'string' || typeof v.hash !== 'string') {
    return fail(
      '"system" must be {"name": ..., "module": the path of the module, "hash": its source\'s hash}, and for a node binary "node": {"command": [...], "nodes", "clients", "clock"}',
    );
  }
  return { name: v.name, module: v.module, hash: v.hash, ...(node && { node }) };
}

function savedNode(value: unknown): NodeCommandSource | undefined {
  const v = value as Record<string, unknown> | null | undefined;
  if (typeof v !== 'object' || v === null || !isStringList(v.command) || (v.command as string[]).length === 0) return undefined;
  if (!Number.isInteger(v.nodes) || !Number.isInteger(v.clients) || (v.clock !== 'ticks' && v.clock !== 'wall')) return undefined;
  return { command: v.command as string[], nodes: v.nodes as number, clients: v.clients as number, clock: v.clock };
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function parseJson(text: string, file: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return explainJsonError(text, file, error);
  }
  // JSON.parse takes any depth, but the schedule and history are walked recursively after it.
  if (nestedDeeperThan(parsed, MAX_NESTING)) {
    const fields = typeof parsed === 'object' && parsed !== null ? Object.entries(parsed) : [];
    const deep = fields.find(([, value]) => nestedDeeperThan(value, MAX_NESTING - 1));
    throw new InputError(`${deep ? `${JSON.stringify(deep[0])}: ` : ''}values nested more than ${MAX_NESTING} deep`, { file });
  }
  return parsed;
}

function explainJsonError(text: string, file: string, error: unknown): never {
  // The exact parser says where and what was expected, in the file's lines and columns.
  try {
    parseExactJson(text, file, 1, placesInFile(text));
  } catch (exact) {
    if (exact instanceof InputError && exact.position.column !== undefined)
      throw new InputError(`not valid JSON: ${exact.message}`, exact.position);
  }
  throw new InputError(`not valid JSON: ${(error as Error).message}`, { file });
}
