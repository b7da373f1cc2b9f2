import { Argument } from "@commander-js/extra-typings";
import { bashCompletion, zshCompletion } from "../completion.ts";
import type { RegisterCommand } from "./index.ts";

/** `hacloud completion bash|zsh`: a completion script generated from the command tree. */
export const registerCompletion: RegisterCommand = (program, io) => {
  program
    .command("completion")
    .description("print a shell completion script: source <(hacloud completion bash)")
    .addArgument(new Argument("<shell>", "bash or zsh").choices(["bash", "zsh"] as const))
    .action((shell) => {
      io.out(shell === "bash" ? bashCompletion(program) : zshCompletion(program));
    });
};
