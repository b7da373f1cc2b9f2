import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { verifyJson, verifyJunit, verifyText } from "../../verify/report.ts";
import { verifyTarget } from "../../verify/verify.ts";
import { formatHelp, formatOf, JSON_HELP } from "../output.ts";
import { progressSink } from "../progress.ts";
import type { RegisterCommand } from "./index.ts";
import { openTarget, targetOptionHelp } from "./target-open.ts";

/** `hacloud verify`: the chapter's post-deployment checks against a running cloud; exit 0 only when all pass. */
export const registerVerify: RegisterCommand = (program, io, setExit) => {
  program
    .command("verify")
    .description(
      "check a running cloud against its Plan: services, keepalived, VIP, HAProxy, Galera, RabbitMQ, Keystone",
    )
    .option("--target <name>", targetOptionHelp(), "lab")
    .option("--cloud <name>", "which lab, when several are up")
    .option("--format <format>", formatHelp(), "text")
    .option("--json", JSON_HELP)
    .option("--junit <file>", "also write JUnit XML (Jenkins) to FILE")
    .action(async (opts) => {
      const format = formatOf(opts);
      const target = openTarget(opts.target, { cloud: opts.cloud }, progressSink(io));
      const report = await verifyTarget(target);
      io.out(format === "json" ? verifyJson(report) : verifyText(report));
      if (opts.junit !== undefined) writeFileSync(resolve(io.cwd, opts.junit), verifyJunit(report));
      setExit(report.passed ? 0 : 1);
    });
};
