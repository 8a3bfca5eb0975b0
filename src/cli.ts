import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { InputError, OutOfMemoryError } from '../history/input-error.ts';
import { ExitCode } from './exit-code.ts';
import { oneLine, terminalSafe } from './terminal-text.ts';
import { writeErrorReason } from './write-file-atomic.ts';

// The face of leaderlog. Each command lives in src/commands/ and only registers itself here; this file
// owns what every command shares: usage errors, bad input and internal errors, each with its exit code.

/**
 * Each command's module, loaded only when that command runs: `check` never loads the Redis client,
 * fast-check, so a check of a small file starts in the time Node itself takes. In help order.
 */
const COMMANDS: Readonly<Record<string, () => Promise<(program: Command) => void>>> = {
  convert: () => import('./commands/convert.ts').then((m) => m.registerConvert),
  check: () => import('./commands/check.ts').then((m) => m.registerCheck),
  record: () => import('./commands/record.ts').then((m) => m.registerRecord),
  test: () => import('./commands/test.ts').then((m) => m.registerTest),
  replay: () => import('./commands/replay.ts').then((m) => m.registerReplay),
  merge: () => import('./commands/merge.ts').then((m) => m.registerMerge),
};

const { version } = JSON.parse(readFileSync(packageJson(), 'utf8')) as { version: string };

// A reader that stops early (`leaderlog check ... | head`) closes the pipe: that ends the output, and
// is no failure of ours. Any other failure to write (a full disk) means the output is incomplete: one
// line says so and the exit code is 4, never the verdict's code for a result nobody received whole.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`leaderlog: cannot write to standard output: ${writeErrorReason(error)}\n`);
  process.exit(ExitCode.internal);
});
// Messages on stderr are few and short: a closed stderr loses them, and the command still ends with the
// exit code that says what happened (not Node's 1 for an unhandled EPIPE).
process.stderr.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

const program = new Command('leaderlog')
  .description('Property-based verification harness and history checker for single-leader replication')
  .version(version)
  // A usage error is one line like every other error of leaderlog's, not the message buried under the
  // whole help; the subcommands inherit both settings.
  .configureOutput({ outputError: (message, write) => write(terminalSafe(`leaderlog: ${message.replace(/^error: /, '')}`)) })
  .showHelpAfterError('(add --help to see the options)')
  .exitOverride();

// The command is the first argument (leaderlog has no options of its own before it); anything else —
// no command, --help, `help check`, a misspelt name — registers every command, so help lists them all
// and commander's own "unknown command" message can suggest the nearest.
const named = process.argv[2];
const chosen = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
for (const register of await Promise.all(chosen.map((name) => COMMANDS[name]()))) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error);
}

function reportFailure(error: unknown): ExitCode {
  if (error instanceof CommanderError) {
    // commander has already printed the usage message; --help and --version are not failures.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  }
  if (error instanceof InputError) {
    process.stderr.write(`leaderlog: ${oneLine(error.describe())}\n`);
    return ExitCode.badInput;
  }
  if (error instanceof OutOfMemoryError) {
    process.stderr.write(`leaderlog: ${oneLine(error.describe())}\n`);
    return ExitCode.internal;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`leaderlog: internal error: ${oneLine(message)}\n`);
  if (process.env.LEADERLOG_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return ExitCode.internal;
}

/** The package's own package.json: the nearest one above this file, run from src/ or from dist/src/. */
function packageJson(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    if (dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = dirname(dir);
  }
  return join(dir, 'package.json');
}
