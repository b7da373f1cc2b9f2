import { topologyJsonSchema } from "../../spec/schema.ts";
import type { RegisterCommand } from "./index.ts";

/** `hacloud schema`: the topology format as JSON Schema, for editors. */
export const registerSchema: RegisterCommand = (program, io) => {
  program
    .command("schema")
    .description("print the topology file's JSON Schema (for editor completion and checking)")
    .action(() => {
      io.out(JSON.stringify(topologyJsonSchema(), null, 2) + "\n");
    });
};
