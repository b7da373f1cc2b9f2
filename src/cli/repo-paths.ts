/**
 * Paths as a repository sees them: what `render` stamps into the files it
 * writes (the topology they come from, the Jenkinsfile's RENDER_DIR) is
 * relative to the root of the git work tree that holds the output directory,
 * so rendering from another directory or on another machine changes no byte.
 * Reading the disk to find that root is why this lives in the CLI.
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** The git work tree holding `dir` (the nearest parent with a `.git`), or undefined. */
export function repositoryRoot(dir: string): string | undefined {
  let cur = resolve(dir);
  for (;;) {
    if (existsSync(join(cur, ".git"))) return cur;
    const parent = dirname(cur);
    if (parent === cur) return undefined;
    cur = parent;
  }
}

/** `path` relative to `root`, with forward slashes ("." for the root itself). */
export function relativeTo(root: string, path: string): string {
  const rel = relative(root, path);
  if (rel === "") return ".";
  return isAbsolute(rel) ? rel : rel.split(sep).join("/");
}

/**
 * The topology file and output directory as the rendered files name them:
 * relative to the root of the repository that holds the output (created or
 * not) or, outside a repository, to the output directory's parent.
 */
export function renderPaths(
  cwd: string,
  topologyFile: string,
  outDir: string,
): { readonly root: string; readonly topologyFile: string; readonly renderDir: string } {
  const out = resolve(cwd, outDir);
  const root = repositoryRoot(out) ?? dirname(out);
  return {
    root,
    topologyFile: relativeTo(root, resolve(cwd, topologyFile)),
    renderDir: relativeTo(root, out),
  };
}
