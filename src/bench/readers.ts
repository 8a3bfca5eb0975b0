import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Event } from '../../history/event.ts';
import { writeJsonl } from '../../history/formats/jsonl.ts';
import { readEvents, readEventsFromFile } from '../../history/formats/read-history.ts';
import { OutOfMemoryError } from '../../history/input-error.ts';
import { checkFile } from '../check-file.ts';
import type { Scenario, Section } from './scenario.ts';
import { scenario } from './scenario.ts';

// How fast histories are read: the whole Knossos fixture set, and generated histories of 100k and 1M
// events as EDN (one vector of maps, as Knossos writes), as JSON Lines (as leaderlog writes) and, at
// 100k, as Jepsen log lines; files of 1 GB read, and one checked.

const KNOSSOS = fileURLToPath(new URL('../../history/fixtures/knossos/', import.meta.url));

function ednFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ednFiles(path);
    return entry.name.endsWith('.edn') ? [path] : [];
  });
}

/** A register workload on 10 processes: invoke, then complete, with ok, fail and info results. */
function generateEvents(count: number): Event[] {
  let seed = 42;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const events: Event[] = [];
  const pending = new Map<number, Event>();
  for (let index = 0; events.length < count; index++) {
    const process = random(10);
    const time = index * 1000 + random(1000);
    const invoked = pending.get(process);
    if (invoked) {
      pending.delete(process);
      const type = (['ok', 'ok', 'ok', 'fail', 'info'] as const)[random(5)];
      const value = invoked.f === 'read' && type === 'ok' ? random(5) : invoked.value;
      events.push({ type, process, f: invoked.f, value, time, index: events.length });
    } else {
      const f = (['read', 'write', 'cas'] as const)[random(3)];
      const value = f === 'read' ? null : f === 'write' ? random(5) : [random(5), random(5)];
      const event: Event = { type: 'invoke', process, f, value, time, index: events.length };
      pending.set(process, event);
      events.push(event);
    }
  }
  return events;
}

function ednValue(value: Event['value']): string {
  if (value === null) return 'nil';
  if (Array.isArray(value)) return `[${value.map(ednValue).join(' ')}]`;
  return String(value);
}

function ednHistory(events: readonly Event[]): string {
  const maps = events.map(
    (e) => `{:type :${e.type}, :f :${e.f}, :value ${ednValue(e.value)}, :process ${e.process}, :time ${e.time}, :index ${e.index}}`,
  );
  return `[${maps.join('\n ')}]\n`;
}

/** Old log4j lines with the setup chatter a real log has around them. */
function logHistory(events: readonly Event[]): string {
  const lines = events.map((e) => `INFO  jepsen.util - ${e.process}\t:${e.type}\t:${e.f}\t${ednValue(e.value)}`);
  return `INFO  jepsen.core - Worker 0 starting\n${lines.join('\n')}\nINFO  jepsen.core - Run complete, writing\n`;
}

interface Generated {
  readonly text: string;
  readonly format: keyof typeof WRITERS;
}

const WRITERS = { edn: ednHistory, jsonl: writeJsonl, log: logHistory } as const;

function generated(format: keyof typeof WRITERS, count: number, runs: number): Scenario<Generated> {
  return scenario<Generated>({
    name: `${format} ${count >= 1e6 ? `${count / 1e6}M` : `${count / 1e3}k`} events`,
    runs,
    setup: () => {
      const events = generateEvents(count);
      return { text: WRITERS[format](events), format };
    },
    run: ({ text, format }) => {
      const start = performance.now();
      const { events } = readEvents(text, { format });
      const seconds = (performance.now() - start) / 1000;
      return { events: events.length, MB: +(text.length / 1e6).toFixed(1), 'events/s': Math.round(events.length / seconds) };
    },
  });
}

/**
 * A history file of about `bytes` in `format`, written piece by piece into a fresh temporary folder
 * (never kept: the scenario removes it when the process ends).
 */
function historyFileOf(format: 'jsonl' | 'edn', bytes: number): { path: string; events: number } {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, `history.${format}`);
  const fd = openSync(path, 'w');
  let written = 0;
  let events = 0;
  try {
    while (written < bytes) {
      const batch = generateEvents(100_000).map((e) => ({ ...e, index: events + (e.index ?? 0), time: (events + (e.index ?? 0)) * 1000 }));
      const text = format === 'jsonl' ? writeJsonl(batch) : `${ednHistory(batch).slice(1, -2).replace(/^ /gm, '')}\n`;
      written += writeSync(fd, text);
      events += batch.length;
    }
  } finally {
    closeSync(fd);
  }
  return { path, events };
}

/** Reading a file of a gigabyte, piece by piece, as `leaderlog check` does: time and peak memory. */
function gigabyte(format: 'jsonl' | 'edn'): Scenario<{ path: string; events: number }> {
  return scenario({
    name: `${format} 1 GB file`,
    runs: 3,
    setup: () => historyFileOf(format, 1e9),
    run: ({ path }) => {
      const start = performance.now();
      const { events } = readEventsFromFile(path);
      const seconds = (performance.now() - start) / 1000;
      return { events: events.length, 'MB/s': Math.round(1e3 / seconds), 'events/s': Math.round(events.length / seconds) };
    },
  });
}

/**
 * A valid register history of about `bytes` as JSON Lines, written piece by piece into a fresh
 * temporary folder (removed when the process ends): ten processes take turns, each write read back by
 * the next operation, so the check has a verdict to prove rather than a violation to stop at.
 */
function validRegisterFileOf(bytes: number): { path: string; events: number } {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'history.jsonl');
  const fd = openSync(path, 'w');
  let written = 0;
  let events = 0;
  let value = 0;
  try {
    for (let op = 0; written < bytes; ) {
      const lines: string[] = [];
      for (const end = op + 10_000; op < end; op++) {
        const process = op % 10;
        const f = op % 2 === 0 ? 'write' : 'read';
        if (f === 'write') value = op;
        lines.push(`{"type":"invoke","process":${process},"f":"${f}","value":${f === 'write' ? value : null},"time":${2 * op}}`);
        lines.push(`{"type":"ok","process":${process},"f":"${f}","value":${value},"time":${2 * op + 1}}`);
      }
      written += writeSync(fd, `${lines.join('\n')}\n`);
      events += lines.length;
    }
  } finally {
    closeSync(fd);
  }
  return { path, events };
}

/** `leaderlog check` of a valid 1 GB history, in the default heap: a verdict, or out of memory (exit 4) said in time. */
function checkGigabyte(): Scenario<{ path: string; events: number }> {
  return scenario({
    name: 'check jsonl 1 GB file (valid register)',
    runs: 1,
    warmUp: false,
    setup: () => validRegisterFileOf(1e9),
    run: ({ path }) => {
      const start = performance.now();
      let outcome: string;
      try {
        outcome = checkFile(path, { explain: false }).judgement.verdict;
      } catch (error) {
        if (!(error instanceof OutOfMemoryError)) throw error;
        outcome = 'out of memory (exit 4)';
      }
      return { outcome, 'check s': Math.round((performance.now() - start) / 1000) };
    },
  });
}

export const section: Section = {
  title: 'History readers',
  scenarios: [
    scenario({
      name: 'knossos fixtures (all)',
      setup: () => ednFiles(KNOSSOS).map((file) => ({ file, text: readFileSync(file, 'utf8') })),
      run: (files) => {
        let events = 0;
        for (const { file, text } of files) events += readEvents(text, { file }).events.length;
        return { files: files.length, events };
      },
    }),
    generated('edn', 100_000, 5),
    generated('jsonl', 100_000, 5),
    generated('log', 100_000, 5),
    generated('edn', 1_000_000, 3),
    generated('jsonl', 1_000_000, 3),
    gigabyte('jsonl'),
    gigabyte('edn'),
    checkGigabyte(),
  ],
};
