/**
 * Every CLI command, each in its own file: flags + one library call. A command
 * reports its exit code through `setExit`; main() returns the worst one.
 */
import type { Command } from "@commander-js/extra-typings";
import type { CliIO } from "../io.ts";
import { registerCheck } from "./check.ts";
import { registerCompletion } from "./completion.ts";
import { registerDemo } from "./demo.ts";
import { registerDiff } from "./diff.ts";
import { registerDrill } from "./drill.ts";
import { registerImport } from "./import.ts";
import { registerLab } from "./lab.ts";
import { registerPlan } from "./plan.ts";
import { registerRender } from "./render.ts";
import { registerSchema } from "./schema.ts";
import { registerSecrets } from "./secrets.ts";
import { registerSla } from "./sla.ts";
import { registerVerify } from "./verify.ts";

/** Adds one command to the program. */
export type RegisterCommand = (program: Command, io: CliIO, setExit: (code: number) => void) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  registerSchema,
  registerCheck,
  registerPlan,
  registerImport,
  registerLab,
  registerRender,
  registerDiff,
  registerSecrets,
  registerSla,
  registerVerify,
  registerDrill,
  registerDemo,
  registerCompletion,
];
