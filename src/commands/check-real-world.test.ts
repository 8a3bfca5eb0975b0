import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../history/input-error.ts';
import type { CheckFileOptions, FileCheck } from '../check-file.ts';
import { checkFile } from '../check-file.ts';
import { checkExitCode, checkJson, formatCheckReport } from '../check-report.ts';
import { ExitCode } from '../exit-code.ts';

// The histories people actually have, one small fixture per construct (history/fixtures/real-world/),
// each with the verdict, exit code and message `leaderlog check` gives it.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = 'history/fixtures/real-world';
const plain = pc.createColors(false);

function check(name: string, options: CheckFileOptions = {}): { outcome: FileCheck; text: string; exit: ExitCode } {
  const outcome = checkFile(`${ROOT}${DIR}/${name}`, options);
  return { outcome, text: formatCheckReport([outcome], plain), exit: checkExitCode([outcome]) };
}

function refusal(name: string, options: CheckFileOptions = {}): string {
  try {
    checkFile(`${ROOT}${DIR}/${name}`, options);
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error(`${name} was not refused`);
}

function leaderlog(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'check', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('initial values (item 1)', () => {
  it('a cas-register run started at 0 is invalid from nil, with a hint that never changes the verdict', () => {
    const { outcome, text, exit } = check('cas-register-from-0.edn');
    expect(outcome.judgement.verdict).toBe('invalid');
    expect(exit).toBe(ExitCode.violation);
    expect(text).toContain(
      'hint: 2 reads saw 0, which no operation wrote (the first read among them): the history looks like it starts from 0, not nil; the verdict is for nil, and --initial-value 0 checks it from 0',
    );
    const json = checkJson([outcome]).files[0];
    expect(json).toMatchObject({
      verdict: 'invalid',
      initialValue: null,
      explanation: { hints: [{ kind: 'initial-value', value: 0, ops: [0, 1] }] },
    });
  });

  it('--initial-value 0 proves it linearizable, and says which start it used', () => {
    const { outcome, text, exit } = check('cas-register-from-0.edn', { initialValue: 0 });
    expect(exit).toBe(ExitCode.ok);
    expect(text).toMatch(/: valid as a cas-register starting at 0 \(5 operations/);
    expect(text).not.toContain('hint:');
    expect(checkJson([outcome]).files[0]).toMatchObject({ verdict: 'valid', initialValue: 0 });
  });

  it('is refused on a workload without registers', () => {
    expect(refusal('log-against-real-time.edn', { initialValue: 0 })).toBe(
      'an initial value applies to register, cas-register and multi-register histories; this is a list-append history',
    );
  });
});

describe("Jepsen's set semantics (item 2)", () => {
  it('eventual reads by default: a stale read is reported and allowed', () => {
    const { outcome, text, exit } = check('set-stale-read.edn');
    expect(exit).toBe(ExitCode.ok);
    expect(text).toMatch(/: valid as a set with eventual reads \(4 operations/);
    expect(text).toContain(
      "1 stale read allowed: set reads are judged eventual (Jepsen set-full's default), and --set-reads linearizable fails them",
    );
    expect(text).toContain(
      'stale-read: read #2 is missing 1, which was known to be in the set before it began; the final read #3 shows it',
    );
    expect(checkJson([outcome]).files[0]).toMatchObject({
      setReads: 'eventual',
      explanation: { anomalies: [], allowed: [{ kind: 'stale-read' }] },
    });
  });

  it('linearizable reads fail it', () => {
    const { text, exit } = check('set-stale-read.edn', { setReads: 'linearizable' });
    expect(exit).toBe(ExitCode.violation);
    expect(text).toMatch(/: invalid as a set with linearizable reads .*; 1 anomaly named/);
  });

  it('--consistency says why no level is checked on a set', () => {
    expect(refusal('set-stale-read.edn', { consistency: 'read-your-writes' })).toMatch(
      /^read-your-writes is not checked on set histories: a set's reads show no order of its adds, .* weaker than linearizability/,
    );
    expect(refusal('set-stale-read.edn', { consistency: 'linearizable' })).toMatch(/^linearizable is not checked on set histories: /);
  });
});

describe('formats (item 3)', () => {
  it("elle-cli's JSON array of ops with string micro-ops r and w: a multi-register", () => {
    const { outcome, text, exit } = check('elle-rw-register.json');
    expect(exit).toBe(ExitCode.ok);
    expect(text).toMatch(/elle-rw-register\.json: valid as a multi-register \(2 operations/);
    expect(outcome.history.events).toHaveLength(4);
  });

  it("Elle's :r and :w keywords: a torn read is a violation", () => {
    const { text, exit } = check('elle-rw-register-torn.edn');
    expect(exit).toBe(ExitCode.violation);
    expect(text).toContain('leaving the state {"x" 1, "y" 1}, in which none of these can come next:');
  });

  it('the bracketed clock a Jepsen fork logs before the payload', () => {
    const { outcome, text } = check('bracketed-clock.log');
    expect(text).toMatch(/bracketed-clock\.log: valid as a register \(2 operations: 2 ok/);
    expect(outcome.history.operations.map((op) => [op.f, op.output])).toEqual([
      ['write', 1],
      ['read', 1],
    ]);
  });

  it("Maelstrom's broadcast is a set's add", () => {
    const { outcome, text, exit } = check('maelstrom-broadcast.edn');
    expect(exit).toBe(ExitCode.ok);
    expect(text).toMatch(/: valid as a set with eventual reads \(4 operations/);
    expect(outcome.judgement.set?.counts).toMatchObject({ attempted: 2, acknowledged: 2, stable: 2 });
  });
});

describe('recognition refuses rather than guesses (item 4)', () => {
  it('[key value] tuples everywhere are read as keyed, and the report says so', () => {
    const { outcome, text, exit } = check('independent-tuples.edn');
    expect(exit).toBe(ExitCode.ok);
    expect(text).toMatch(/: valid as a keyed register \(4 operations: 4 ok, 0 fail, 0 info, 2 keys;/);
    expect(text).toContain(
      "read as keyed: every operation's value is a [key value] tuple (jepsen.independent); --no-keyed checks it as one register",
    );
    expect(checkJson([outcome]).files[0]).toMatchObject({ keyedByRecognition: true });
  });

  it('keyed: false checks one register of tuples', () => {
    const { outcome } = check('independent-tuples.edn', { keyed: false });
    expect(outcome.keyedByRecognition).toBe(false);
    expect(outcome.judgement.model).toBe('register');
  });

  it.each([
    ['bank.edn', 'not supported: looks like a bank workload (transfer operations between accounts)'],
    ['counter.edn', 'not supported: looks like a counter workload: add operations, and read #2 returned the number 2, not a set'],
    [
      'long-fork.edn',
      'not supported: looks like a long-fork workload: write #0 carries micro-ops [["w" 0 1]] (multi-register histories use f txn)',
    ],
    ['unique-ids.edn', 'not supported: looks like a unique-ids workload (generate operations)'],
  ])('%s is refused: %s', (name, message) => {
    expect(refusal(name)).toBe(message);
  });
});

describe('--model takes workload names (item 5)', () => {
  it('set and list-append check by their own criteria', () => {
    expect(check('maelstrom-broadcast.edn', { model: 'set' }).outcome.judgement).toMatchObject({
      workload: 'set',
      model: 'set',
      verdict: 'valid',
    });
    expect(check('log-against-real-time.edn', { model: 'list-append' }).outcome.judgement).toMatchObject({
      workload: 'list-append',
      verdict: 'invalid',
    });
    expect(refusal('log-against-real-time.edn', { model: 'set' })).toBe(
      'operation #0 (process 0) is append; a set history has add (or broadcast) and read operations',
    );
  });
});

describe('session guarantees under a write order (item 6)', () => {
  it.each([
    [
      'read-your-writes.edn',
      'read-your-writes',
      /read-your-writes fails: the write of 1 \(#0\) was acknowledged before the write of 2 \(#1\) began; process 0 wrote 2 \(#1\) then read 1 \(#2\)/,
    ],
    [
      'monotonic-reads.edn',
      'monotonic-reads',
      /monotonic-reads fails: the write of 1 \(#0\) was acknowledged before the write of 2 \(#1\) began; process 1 read 2 \(#2\) then 1 \(#3\)/,
    ],
    [
      'log-against-real-time.edn',
      'monotonic-writes',
      /monotonic-writes: fails {2}the writes cannot be ordered as a single leader orders them: /,
    ],
    [
      'log-against-real-time.edn',
      'writes-follow-reads',
      /writes-follow-reads: fails {2}the writes cannot be ordered as a single leader orders them: /,
    ],
  ] as const)('%s fails %s with writes in real-time order and holds with a free order', (name, level, reason) => {
    const realTime = check(name, { consistency: level });
    expect(realTime.exit).toBe(ExitCode.violation);
    expect(realTime.text).toMatch(reason);
    expect(realTime.text).toContain(
      'session guarantees ordered the writes as a single leader does: by real time and epoch (--write-order free: any order)',
    );
    const free = check(name, { consistency: level, writeOrder: 'free' });
    expect(free.exit).toBe(ExitCode.ok);
    expect(free.text).toContain(`${level}: holds`);
    expect(checkJson([free.outcome]).files[0]).toMatchObject({ writeOrder: 'free', consistency: { level, holds: true } });
  });
});

describe('the phantom-read sentence (item 7)', () => {
  it('says the failed write began after the read had finished, when it did', () => {
    const { text } = check('phantom-after-read.edn');
    expect(text).toContain(
      'phantom-read: read #0 returned 5, which no write had produced when it finished; the only write of it, #1, began after the read had finished, and failed',
    );
  });
});

describe('the command line', () => {
  it('takes --initial-value in EDN, --no-keyed, --set-reads and --write-order', () => {
    const fromZero = leaderlog(`${DIR}/cas-register-from-0.edn`, '--initial-value', '0');
    expect(fromZero.status).toBe(0);
    expect(fromZero.stdout).toContain('valid as a cas-register starting at 0');
    const oneRegister = leaderlog(`${DIR}/independent-tuples.edn`, '--no-keyed');
    expect(oneRegister.status).toBe(1);
    expect(oneRegister.stdout).toContain('invalid as a register');
    const strict = leaderlog(`${DIR}/set-stale-read.edn`, '--set-reads', 'linearizable', '--json');
    expect(strict.status).toBe(1);
    expect(JSON.parse(strict.stdout).files[0].setReads).toBe('linearizable');
    const free = leaderlog(`${DIR}/monotonic-reads.edn`, '--consistency', 'monotonic-reads', '--write-order', 'free');
    expect(free.status).toBe(0);
  });

  it('refuses an unsupported workload with exit 3, and a wrong model name listing models and workloads', () => {
    const bank = leaderlog(`${DIR}/bank.edn`);
    expect(bank.status).toBe(3);
    expect(bank.stderr).toBe(
      `leaderlog: ${DIR}/bank.edn: not supported: looks like a bank workload (transfer operations between accounts)\n`,
    );
    const wrong = leaderlog(`${DIR}/bank.edn`, '--model', 'queue');
    expect(wrong.status).toBe(3);
    expect(wrong.stderr).toMatch(/unknown model "queue"; models: register, keyed register, .*; workloads: list-append, set/);
    const badValue = leaderlog(`${DIR}/bank.edn`, '--initial-value', '0 1');
    expect(badValue.status).toBe(3);
    expect(badValue.stderr).toContain('expected one EDN value, such as 0, nil, :x or "a"');
  });
});
