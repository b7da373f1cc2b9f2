/**
 * Entry point: builds the command tree, runs one command, maps the outcome to
 * an exit code. The only place that decides exit codes (failures through
 * reportError); nothing here prints a stack trace for an operator's mistake.
 */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { COMMANDS } from "./commands/index.ts";
import { processIO, type CliIO } from "./io.ts";
import { argvWantsJson, jsonError } from "./output.ts";
import { reportError } from "./report-error.ts";
import { VERSION } from "./version.ts";

/** The command tree (for completion and tests); `setExit` collects exit codes. */
export function buildProgram(io: CliIO, setExit: (code: number) => void = () => {}): Command {
  const program = new Command("hacloud")
    .description("Design, deploy and prove a highly available kolla-ansible OpenStack cloud.")
    .version(VERSION, "-V, --version", "print hacloud's version")
    .option("--no-color", "no colour on any stream (also: NO_COLOR=1)")
    .option("-q, --quiet", "print only results and errors: no progress or informational lines")
    .showHelpAfterError("(run `hacloud --help` for usage)")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  for (const register of COMMANDS) register(program, io, setExit);
  return program;
}

/** The global flags, read before the command runs so that every line it prints obeys them. */
function globalIO(argv: readonly string[], io: CliIO): CliIO {
  const end = argv.indexOf("--");
  const flags = end === -1 ? argv : argv.slice(0, end);
  const noColor = flags.includes("--no-color");
  const quiet = flags.includes("--quiet") || flags.includes("-q");
  return noColor || quiet
    ? { ...io, ...(noColor ? { color: false, errColor: false } : {}), ...(quiet ? { quiet: true } : {}) }
    : io;
}

/** Exit codes: 0 ok, 1 problems found / operation failed, 2 usage error, 3 internal error. */
export async function main(argv: readonly string[], processIo: CliIO = processIO()): Promise<number> {
  let exitCode = 0;
  const io = globalIO(argv, processIo);
  const json = argvWantsJson(argv);
  const program = buildProgram(io, (code) => {
    exitCode = Math.max(exitCode, code);
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0)
        return 0;
      if (json)
        io.out(jsonError({ code: "E-USAGE-001", message: e.message.replace(/^error: /, ""), exitCode: 2 }));
      return 2;
    }
    const report = reportError(e, Boolean(process.env.HACLOUD_DEBUG));
    io.err(report.text);
    if (json) io.out(jsonError(report));
    return report.exitCode;
  }
}
