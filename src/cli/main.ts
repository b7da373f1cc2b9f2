/**
 * Entry point: builds the command tree, runs one command, maps the outcome to
 * an exit code. The only place that decides exit codes; nothing here prints a
 * stack trace for an operator's mistake.
 */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { COMMANDS } from "./commands/index.ts";
import { CliFailure, processIO, UsageError, type CliIO } from "./io.ts";

/** Exit codes: 0 ok, 1 problems found / operation failed, 2 usage error, 3 internal error. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let exitCode = 0;
  const program = new Command("hacloud")
    .description("Design, deploy and prove a highly available kolla-ansible OpenStack cloud.")
    .version("0.1.0")
    .showHelpAfterError("(run `hacloud --help` for usage)")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  for (const register of COMMANDS) {
    register(program, io, (code) => {
      exitCode = Math.max(exitCode, code);
    });
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0)
        return 0;
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`hacloud: ${e.message}\n(run \`hacloud --help\` for usage)\n`);
      return 2;
    }
    if (e instanceof CliFailure) {
      io.err(`hacloud: ${e.message}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    io.err(
      `hacloud: internal error: ${err.message}\n${process.env.HACLOUD_DEBUG ? (err.stack ?? "") : "(set HACLOUD_DEBUG=1 for the stack trace, and please report it)"}\n`,
    );
    return 3;
  }
}
