/**
 * Documentation of the codes the loader emits while reading, parsing and
 * validating a file (src/spec/input.ts, yaml-parse.ts, kolla-file.ts, load.ts): HA001–HA014.
 * They have no `check`: the loader produces them before any rule runs.
 */
import { demo } from "./example.ts";
import type { LoaderCode } from "./types.ts";

const SCHEMA = "hacloud topology format: `hacloud schema` prints it as JSON Schema; examples/minimal.yaml";

/** The loader's codes, in code order. */
export const LOADER_CODES: readonly LoaderCode[] = [
  {
    code: "HA001",
    severity: "error",
    alsoSeverity: "warning",
    family: "input",
    title: "YAML syntax error",
    rationale:
      "The file is not valid YAML (an unclosed bracket or quote, a stray colon), so nothing after the error can be read reliably. YAML warnings (valid, but probably not what was meant) use the same code as warnings.",
    sources: ["YAML 1.2 specification; the `yaml` package's parser errors"],
    hint: "Fix the YAML syntax at this position (quotes, brackets, colons and indentation).",
    example: { topology: demo({ vip: "{ internal: 10.0.0.10,, router_id: 51 }  # <-- HA001" }) },
  },
  {
    code: "HA002",
    severity: "error",
    family: "input",
    title: "file cannot be read",
    rationale: "The path does not exist, is a directory, or is not readable by this user.",
    sources: ["src/spec/input.ts"],
    hint: "Check the path and try again.",
    example: { command: "hacloud check no-such-topology.yaml" },
  },
  {
    code: "HA003",
    severity: "error",
    family: "input",
    title: "file is not UTF-8 text, or is too large",
    rationale:
      "A topology, inventory or globals file is small UTF-8 text. Binary content (a NUL byte, invalid UTF-8) or more than 8 MiB means the wrong file was named; it is refused before parsing.",
    sources: ["src/spec/input.ts (MAX_INPUT_BYTES = 8 MiB)"],
    hint: "Save the file as UTF-8 text; did you name an archive or an image?",
    example: {
      command: "hacloud check diagram.png",
      bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
    },
  },
  {
    code: "HA004",
    severity: "error",
    family: "input",
    title: "nesting deeper than 64 levels",
    rationale:
      "No real topology is more than a few levels deep; deeper nesting is a runaway paste or a generated file, and is refused before parsing to keep the parser's stack safe.",
    sources: ["src/spec/yaml-parse.ts (MAX_NESTING = 64)"],
    hint: "A topology or globals file is a few levels deep; check for a runaway paste or a generated file.",
    example: { topology: `version: 1\ncloud: ${"[".repeat(65)}  # <-- HA004\n` },
  },
  {
    code: "HA005",
    severity: "error",
    family: "input",
    title: "indentation slip (or a tab)",
    rationale:
      "YAML structure is indentation. A key indented by one space more or less than its siblings — like ` kolla_internal_vip_address` in a real globals.yml — makes the parser report an error far from the cause; hacloud finds the line that slipped. Tabs are not allowed for indentation at all.",
    sources: [
      "YAML 1.2 §6.1 (indentation spaces); shared/reference/book/Chapter07/globals.yml (a key with one leading space)",
    ],
    hint: "Indent the key like its siblings.",
    example: {
      topology: demo()
        .replace("\nvip:", "\n vip:")
        .replace(/\n vip: (.*)\n/, "\n vip: $1  # <-- HA005\n"),
    },
  },
  {
    code: "HA006",
    severity: "error",
    family: "input",
    title: "duplicate key",
    rationale:
      "YAML keeps only one value for a repeated key, so one of the two entries (often a whole host) silently disappears. hacloud refuses the file instead.",
    sources: ["YAML 1.2 §3.2.1.1 (mapping keys are unique)"],
    hint: "Merge the two entries into one, or rename one of them.",
    example: {
      topology: demo({
        hosts: { cmp3: "{ roles: [compute], addresses: { management: 10.0.0.43 } }  # <-- HA006" },
      }).replace("  cmp3:", "  cmp2:"),
    },
  },
  {
    code: "HA007",
    severity: "error",
    family: "input",
    title: "empty file, or not a mapping at the top",
    rationale:
      "A topology is a mapping of keys (version, cloud, hosts…); an empty file or a bare list or scalar is not one.",
    sources: [SCHEMA],
    hint: "Start from examples/minimal.yaml or run `hacloud schema` for the format.",
    example: { topology: "- lb1  # <-- HA007\n- lb2\n" },
  },
  {
    code: "HA008",
    severity: "error",
    family: "input",
    title: "a kolla-ansible file, not a topology",
    rationale:
      "A kolla globals.yml or an Ansible inventory handed to `check` (or `render`, `plan`…) is not a topology: rather than one unknown-key error per variable, hacloud says what the file is and how to make a topology from it.",
    sources: [SCHEMA, "docs/import.md"],
    hint: "Make a topology with `hacloud import --inventory INVENTORY --globals globals.yml`, then check that.",
    example: {
      topology:
        'kolla_base_distro: "ubuntu"  # <-- HA008\nopenstack_release: "2025.1"\nkolla_internal_vip_address: "10.0.0.10"\n',
    },
  },
  {
    code: "HA010",
    severity: "error",
    family: "input",
    title: "unknown key",
    rationale:
      "The format is strict: a key it does not know is almost always a typo (`clod:` for `cloud:`, `zoen:` for `zone:`), and ignoring it would silently drop a setting. The message suggests the closest known key.",
    sources: [SCHEMA, "kind's strict config decoding (STYLE.md)"],
    hint: "Use one of the keys the message lists.",
    example: {
      topology: demo({
        hosts: {
          cmp2: "{ roles: [compute], addresses: { management: 10.0.0.42 }, zoen: rack2 }  # <-- HA010",
        },
      }),
    },
  },
  {
    code: "HA011",
    severity: "error",
    family: "input",
    title: "value of the wrong type",
    rationale:
      "A value has the wrong type: a mapping where a list is expected, text where a number is expected.",
    sources: [SCHEMA],
    hint: "Correct the value's type; the message says what is expected.",
    example: { topology: demo({ vip: '{ internal: 10.0.0.10, router_id: "51" }  # <-- HA011' }) },
  },
  {
    code: "HA012",
    severity: "error",
    family: "input",
    title: "missing required key",
    rationale:
      "A key the format requires is absent (version, cloud, domain, kolla.release, networks, vip, hosts…).",
    sources: [SCHEMA],
    hint: "Add the key; `hacloud schema` shows what it takes.",
    example: { topology: demo({ vip: "{ internal: 10.0.0.10 }  # <-- HA012" }) },
  },
  {
    code: "HA013",
    severity: "error",
    family: "input",
    title: "invalid value",
    rationale:
      "A value has the right type but is not allowed: a release hacloud does not render, a role kolla does not know, an address that is not IPv4.",
    sources: [SCHEMA],
    hint: "Use one of the values the message lists.",
    example: { topology: demo({ top: { kolla: '{ release: "2023.1" }  # <-- HA013' } }) },
  },
  {
    code: "HA014",
    severity: "error",
    family: "input",
    title: "unsupported topology version",
    rationale:
      "Only version 1 of the topology format exists; a file written for another version cannot be read with the same meaning, so it is refused rather than guessed at.",
    sources: [SCHEMA],
    hint: "Set `version: 1`.",
    example: { topology: demo({ top: { version: "2  # <-- HA014" } }) },
  },
];
