import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readHistoryFile } from '../../history/formats/read-history.ts';
import { checkHistory } from '../../history/linearizability/check.ts';
import type { History } from '../../history/operation.ts';
import { buildHistory } from '../../history/operation.ts';
import { seededChoose, simulateHistory } from '../../history/workloads/simulated-history.ts';
import type { Scenario, Section } from './scenario.ts';
import { scenario } from './scenario.ts';

// How fast the linearizability checker is: the Knossos histories (the whole set, and each folder), and
// generated cas-register histories of 1k, 10k and 100k operations over 1, 8 and 64 keys, from 5 and 20
// concurrent clients, with and without crashed (:info) operations. Reading is not timed. Every check
// has a 30 s limit so one pathological history cannot stall the bench: its verdict then reads unknown.

const KNOSSOS = fileURLToPath(new URL('../../history/fixtures/knossos/', import.meta.url));
const TIME_LIMIT_MS = 30_000;

interface Fixture {
  readonly name: string;
  readonly model: string;
  readonly expected: 'valid' | 'invalid';
  readonly history: History;
}

function fixtures(folder = ''): Fixture[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.edn') ? [join(dir, entry.name)] : [],
    );
  return walk(join(KNOSSOS, folder)).map((path) => {
    const [model, verdict] = relative(KNOSSOS, path).split('/');
    return { name: relative(KNOSSOS, path), model, expected: verdict === 'good' ? 'valid' : 'invalid', history: readHistoryFile(path) };
  });
}

function knossos(name: string, folder?: string): Scenario<Fixture[]> {
  return scenario({
    name,
    runs: 10,
    setup: () => fixtures(folder),
    run: (set) => {
      const millis: number[] = [];
      let hardest = '';
      let right = 0;
      for (const fixture of set) {
        const start = performance.now();
        const result = checkHistory(fixture.history, { model: fixture.model, budget: { millis: TIME_LIMIT_MS } });
        const spent = performance.now() - start;
        if (spent > Math.max(0, ...millis)) hardest = fixture.name;
        millis.push(spent);
        if (result.verdict === fixture.expected) right++;
      }
      millis.sort((a, b) => a - b);
      return {
        files: set.length,
        'as expected': right,
        'file median ms': millis[millis.length >> 1],
        'hardest ms': millis[millis.length - 1],
        hardest,
      };
    },
  });
}

interface Generated {
  readonly history: History;
}

function generated(operations: number, keys: number, processes: number, info: boolean): Scenario<Generated> {
  return scenario({
    name: `${operations / 1000}k-ops-${keys}-keys-${processes}-procs${info ? '-info' : ''}`,
    runs: operations >= 100_000 ? 2 : operations >= 10_000 ? 3 : 5,
    setup: () => ({
      history: buildHistory(
        simulateHistory(
          // Values from a small domain, as Jepsen's cas-register tests draw them (rand-int 5); no spurious
          // failures: a cas fails only when it finds another value; 5% of operations slow, overlapping many.
          {
            workload: 'register',
            cas: true,
            values: 5,
            ops: operations,
            keys,
            processes,
            failPercent: 0,
            infoPercent: info ? 5 : 0,
            slowPercent: 5,
            nemesisOneIn: 0,
          },
          seededChoose(1),
        ),
      ),
    }),
    run: ({ history }) => {
      const result = checkHistory(history, { budget: { millis: TIME_LIMIT_MS } });
      return { verdict: result.verdict, steps: result.steps, operations: history.operations.length };
    },
  });
}

export const section: Section = {
  title: 'Linearizability checker',
  scenarios: [
    knossos('knossos-all'),
    knossos('knossos-cas-register-good', 'cas-register/good'),
    knossos('knossos-cas-register-bad', 'cas-register/bad'),
    knossos('knossos-multi-register', 'multi-register'),
    knossos('knossos-mutex', 'mutex'),
    ...[1_000, 10_000, 100_000].flatMap((operations) =>
      [1, 8, 64].flatMap((keys) =>
        [5, 20].flatMap((processes) => [false, true].map((info) => generated(operations, keys, processes, info))),
      ),
    ),
  ],
};
