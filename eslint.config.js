// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/*
 * Layers, lowest first: a module may import only from layers of a lower rank
 * (never sideways, never up). docs/decisions.md (2026-12-01) says why this
 * order; README.md draws it. The names are src/'s folders (and src/check.ts,
 * src/errors.ts, src/events.ts).
 */
const LAYERS = [
  ["errors", "events", "net"],
  ["util", "diagnostics"],
  ["spec"],
  ["kolla", "import"],
  ["plan"],
  ["sla", "render", "report"],
  ["rules"],
  ["check"],
  ["observe"],
  ["targets"],
  ["probes"],
  ["drill", "verify"],
  ["cli"],
];
/** Layers that are one file, src/NAME.ts, rather than a folder. */
const FILE_LAYERS = ["check", "errors", "events"];
/** Layers that compute without effects: no disk, no processes, no randomness. */
const PURE = [
  "errors",
  "events",
  "net",
  "diagnostics",
  "spec",
  "kolla",
  "import",
  "plan",
  "sla",
  "render",
  "report",
  "rules",
  "observe",
];
/** The one place each pure layer meets the outside world: the reader of inputs, the writer of rendered files, kolla-genpwd's randomness. */
const EFFECT_EDGES = ["src/spec/input.ts", "src/render/write.ts", "src/render/kolla/genpwd.ts"];

const rankOf = new Map(LAYERS.flatMap((names, rank) => names.map((n) => [n, rank])));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** no-restricted-imports options for the files of `layer` that sit `depth` folders below src/. */
function boundaryRule(layer, depth, pure) {
  const above = [...rankOf].filter(([n, r]) => n !== layer && r >= rankOf.get(layer)).map(([n]) => n);
  const up = depth === 0 ? "\\./" : `(\\.\\./){${depth}}`;
  const patterns = [
    {
      regex: `^${up}(${above.map(escape).join("|")})(/|\\.ts$)`,
      message: `${layer} may import only from lower layers (eslint.config.js LAYERS; docs/decisions.md)`,
    },
  ];
  if (pure) {
    patterns.push(
      {
        regex: "^(node:)?(fs|fs/promises|child_process|crypto|net|http|os)$|^execa$",
        message: `${layer} is pure: effects (disk, processes, randomness) live in targets, cli or the edge modules`,
      },
      {
        regex: "(^|/)util/",
        message: `${layer} is pure: util/ holds the subprocess and file helpers`,
      },
    );
  }
  return ["error", { patterns }];
}

/** One config block per layer and folder depth, since relative specifiers climb by depth. */
function layerBlocks() {
  const blocks = [];
  for (const layer of rankOf.keys()) {
    const pure = PURE.includes(layer);
    if (FILE_LAYERS.includes(layer)) {
      blocks.push({
        files: [`src/${layer}.ts`],
        rules: { "no-restricted-imports": boundaryRule(layer, 0, pure) },
      });
      continue;
    }
    for (let depth = 1; depth <= 4; depth++) {
      const files = [`src/${layer}/${"*/".repeat(depth - 1)}*.ts`];
      blocks.push({ files, rules: { "no-restricted-imports": boundaryRule(layer, depth, pure) } });
      const edges = EFFECT_EDGES.filter(
        (f) => f.startsWith(`src/${layer}/`) && f.split("/").length === depth + 2,
      );
      if (pure && edges.length > 0) {
        blocks.push({ files: edges, rules: { "no-restricted-imports": boundaryRule(layer, depth, false) } });
      }
    }
  }
  return blocks;
}

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "dist/**",
      "test/**/__golden__/**",
      "**/*.mjs",
      "test/**/testdata/**",
      "web/dist/**",
      // reports and scratch output (git-ignored)
      "out/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allowBoolean: true },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-floating-promises": "error",
    },
  },
  ...layerBlocks(),
  { files: ["eslint.config.js"], ...tseslint.configs.disableTypeChecked },
);
