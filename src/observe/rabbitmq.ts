/**
 * The RabbitMQ observer: the cluster as each node sees it, from its
 * management API (`GET /api/nodes`, ~10 ms of CPU; `rabbitmqctl` starts an
 * Erlang VM, ~1 CPU-second per call), asked with curl on the node (kolla:
 * inside the `rabbitmq` container). The user goes on curl's stdin, never on
 * a command line.
 */
import type { Observer, RabbitNodeState } from "./types.ts";

/** The node name RabbitMQ gives a host (`rabbit@cc01`) back as the host. */
function hostOf(node: string): string {
  return node.slice(node.indexOf("@") + 1);
}

/** Running members and partitions from `GET /api/nodes` JSON, as one node sees them. */
export function parseApiNodes(json: string): { running: string[]; partitions: string[] } {
  const nodes = JSON.parse(json) as { name: string; running: boolean; partitions?: readonly string[] }[];
  return {
    running: nodes
      .filter((n) => n.running)
      .map((n) => hostOf(n.name))
      .sort(),
    partitions: [...new Set(nodes.flatMap((n) => (n.partitions ?? []).map(hostOf)))].sort(),
  };
}

/** The RabbitMQ observer. */
export const rabbitmqObserver: Observer<readonly RabbitNodeState[]> = {
  kind: "rabbitmq",
  summary: "the RabbitMQ cluster as each node sees it (running members, partitions), from its management API",
  collect(ctx) {
    const members = ctx.plan.quorum.find((q) => q.name === "rabbitmq")?.members ?? [];
    return Promise.all(
      members.map(async (h): Promise<RabbitNodeState> => {
        const down = { host: h, reachable: false, running: [], partitions: [] };
        if (!ctx.running("rabbitmq", h)) return { ...down, error: "not running" };
        const url = ctx.locate("rabbitmq", h, "management-url");
        const user = ctx.locate("rabbitmq", h, "management-user");
        if (url === undefined || user === undefined) return { ...down, error: "no management API" };
        const r = await ctx.access
          .exec(h, ["curl", "-sS", "-f", "-m", "5", "-K", "-", `${url}/api/nodes`], {
            container: "rabbitmq",
            input: `user = "${user}"\n`,
            timeoutMs: 15_000,
          })
          .catch((e: unknown) => ({ exitCode: -1, stdout: "", stderr: (e as Error).message }));
        if (r.exitCode !== 0)
          return { ...down, error: r.stderr.trim().split("\n")[0] || `curl exit ${r.exitCode}` };
        try {
          return { host: h, reachable: true, ...parseApiNodes(r.stdout) };
        } catch {
          return { ...down, error: "the management API answered something that is not JSON" };
        }
      }),
    );
  },
};
