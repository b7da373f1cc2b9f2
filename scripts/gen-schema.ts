// Regenerates docs/topology.schema.json from the zod schema (test/unit/schema-doc.test.ts checks it is current).
import { writeFileSync } from "node:fs";
import { topologyJsonSchema } from "../src/spec/schema.ts";

writeFileSync("docs/topology.schema.json", JSON.stringify(topologyJsonSchema(), null, 2) + "\n");
