import { Command } from 'commander';
import { VERSION } from '../version.js';
import { registerDemoCommand } from './demo-command.js';
import { reportCliError } from './errors.js';
import { registerSimCommand } from './sim-command.js';

/** Builds the `corral` program. Commander's own exits are turned into exceptions so exit codes stay ours. */
export function buildProgram(): Command {
  const program = new Command('corral')
    .description('resilient Alpaca toolkit: rate limiting, exactly-once orders, streams, and an offline simulator')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerSimCommand(program);
  registerDemoCommand(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    return reportCliError(err);
  }
}
