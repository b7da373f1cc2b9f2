/**
 * Entry point: builds the command tree, runs one command, maps the outcome to
 * an exit code. The only place that decides exit codes (failures through
 * reportError); nothing here prints a stack trace for an operator's mistake.
 */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { COMMANDS } from "./commands/index.ts";
import { processIO, type CliIO } from "./io.ts";
import { reportError } from "./report-error.ts";

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
    const report = reportError(e, Boolean(process.env.HACLOUD_DEBUG));
    io.err(report.text);
    return report.exitCode;
  }
}
