import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { InputError, OutOfMemoryError } from '../history/input-error.ts';
import { registerCheck } from './commands/check.ts';
import { registerConvert } from './commands/convert.ts';
import { registerRecord } from './commands/record.ts';
import { registerReplay } from './commands/replay.ts';
import { registerTest } from './commands/test.ts';
import { ExitCode } from './exit-code.ts';
import { oneLine, terminalSafe } from './terminal-text.ts';
import { writeErrorReason } from './write-file-atomic.ts';

// The face of leaderlog. Each command lives in src/commands/ and only registers itself here; this file
// owns what every command shares: usage errors, bad input and internal errors, each with its exit code.

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

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

registerConvert(program);
registerCheck(program);
registerRecord(program);
registerTest(program);
registerReplay(program);

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
