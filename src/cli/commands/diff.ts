import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { renderKolla } from "../../render/render.ts";
import { unifiedDiff } from "../../render/unified-diff.ts";
import { isUnreadable, readInput } from "../inputs.ts";
import { UsageError } from "../io.ts";
import { renderPaths } from "../repo-paths.ts";
import { formatHelp, formatOf, JSON_HELP, jsonDocument } from "../output.ts";
import { checkedPlan } from "./render.ts";
import type { RegisterCommand } from "./index.ts";

/** The rendered files an existing kolla tree holds too: the inventory, globals.yml and config/ overrides. */
function kollaFile(path: string): boolean {
  return path === "multinode" || path === "globals.yml" || path.startsWith("config/");
}

/** Every file under dir/config, as paths relative to dir. */
function configFiles(dir: string): string[] {
  const root = join(dir, "config");
  if (!existsSync(root)) return [];
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : e.isFile() ? [join(d, e.name)] : [],
    );
  return walk(root).map((f) => relative(dir, f).split(sep).join("/"));
}

type FileStatus = "same" | "differs" | "only-hacloud" | "only-existing";

/**
 * `hacloud diff FILE DIR [--inventory INV]`: what hacloud would render for the
 * topology against an existing kolla tree (/etc/kolla: globals.yml, config/
 * overrides; the inventory at DIR/multinode or --inventory), as a unified diff
 * and a summary. Exit 0 when they agree, 1 when they differ — how an operator
 * adopts hacloud on a running cloud.
 */
export const registerDiff: RegisterCommand = (program, io, setExit) => {
  program
    .command("diff")
    .description(
      "compare what hacloud would render with an existing /etc/kolla tree: unified diff, exit 1 on difference",
    )
    .argument("<file>", "topology file (`-` for standard input)")
    .argument("<dir>", "the existing kolla configuration directory, e.g. /etc/kolla")
    .option("-i, --inventory <file>", "the deployed inventory (default: DIR/multinode)")
    .option("--format <format>", formatHelp(), "text")
    .option("--json", JSON_HELP)
    .action((file, dir, opts) => {
      const format = formatOf(opts);
      const root = resolve(io.cwd, dir);
      if (!existsSync(root) || !statSync(root).isDirectory())
        throw new UsageError(`${dir} is not a directory`);
      const plan = checkedPlan(file, undefined, io);
      // The bytes `hacloud render FILE --out DIR` would write there.
      const paths = renderPaths(io.cwd, file, dir);
      const rendered = [
        ...renderKolla(plan, { topologyFile: paths.topologyFile, renderDir: paths.renderDir }),
      ].filter(([p]) => kollaFile(p));
      const inventory = opts.inventory ?? join(dir, "multinode");
      const existingPath = (p: string) => (p === "multinode" ? inventory : join(dir, p));
      const rows: { path: string; status: FileStatus; removed: number; added: number }[] = [];
      let text = "";
      for (const [p, content] of rendered) {
        const name = existingPath(p);
        const read = existsSync(resolve(io.cwd, name)) ? readInput(io, name) : undefined;
        const existing = read === undefined || isUnreadable(read) ? undefined : read.text;
        if (read !== undefined && isUnreadable(read)) throw new UsageError(`${name}: ${read.message}`);
        const d = unifiedDiff(
          existing === undefined ? "/dev/null" : name,
          `hacloud/${p}`,
          existing ?? "",
          content,
        );
        const status: FileStatus =
          existing === undefined ? "only-hacloud" : d.text === "" ? "same" : "differs";
        rows.push({ path: p, status, ...d.stat });
        text += d.text;
      }
      const renderedPaths = new Set(rendered.map(([p]) => p));
      for (const p of configFiles(root))
        if (!renderedPaths.has(p)) rows.push({ path: p, status: "only-existing", removed: 0, added: 0 });
      const differ = rows.some((r) => r.status !== "same");
      if (format === "json") {
        io.out(jsonDocument("diff", { dir, inventory, differ, files: rows }));
      } else {
        io.out(text);
        const count = (s: FileStatus) => rows.filter((r) => r.status === s).length;
        const lines = rows
          .filter((r) => r.status !== "same")
          .map((r) =>
            r.status === "only-existing"
              ? `  only in ${dir}: ${r.path} (not in the topology; kept as it is — \`hacloud import --config-dir\` carries it in kolla.config_overrides)`
              : r.status === "only-hacloud"
                ? `  new:      ${r.path} (+${r.added})`
                : `  differs:  ${r.path} (-${r.removed} +${r.added})`,
          );
        io.out(
          [
            ...lines,
            `${dir}: ${count("same")} same, ${count("differs")} differ, ${count("only-hacloud")} only rendered by hacloud, ${count("only-existing")} only in ${dir}`,
            "",
          ].join("\n"),
        );
      }
      setExit(differ ? 1 : 0);
    });
};
