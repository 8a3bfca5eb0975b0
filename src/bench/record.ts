import type { Figures, Section } from './scenario.ts';
import { scenario } from './scenario.ts';
import { writeJsonl } from '../../history/jsonl.ts';
import { recordRedis } from '../record/redis/recorder.ts';
import type { RecordOptions } from '../record/redis/recorder.ts';

// `npm run bench record`: how fast the recorder drives a real Redis cluster on loopback, fault-free, and
// how big its histories are. The timed figure is the whole run (start, workload, settle, stop); the
// throughput figures are over the workload alone.

const SECONDS = 3;

const base: RecordOptions = {
  nodes: 3,
  clients: 5,
  keys: 3,
  kind: 'register',
  reads: 'primary',
  opTimeoutMs: 500,
  seed: 1,
  durationMs: SECONDS * 1000,
  faults: [],
};

async function figures(options: RecordOptions): Promise<Figures> {
  const recording = await recordRedis(options);
  const ops = recording.events.filter((event) => event.type === 'invoke').length;
  const bytes = Buffer.byteLength(writeJsonl(recording.events));
  return {
    'ops/s': Math.round((ops / recording.workloadMs) * 1000),
    events: recording.events.length,
    'JSONL bytes/op': Math.round(bytes / ops),
  };
}

const recordScenario = (name: string, options: Partial<RecordOptions>) =>
  scenario({ name: `${name}, ${SECONDS} s`, runs: 3, setup: () => ({ ...base, ...options }), run: figures });

export const section: Section = {
  title: 'Recording a real Redis cluster (3 nodes, 5 clients, fault-free)',
  scenarios: [
    recordScenario('register, reads from the primary', {}),
    recordScenario('register, reads from replicas', { reads: 'replicas' }),
    recordScenario('register, WAIT 2 after each write', { wait: 2 }),
    recordScenario('list-append', { kind: 'list-append' }),
  ],
};
