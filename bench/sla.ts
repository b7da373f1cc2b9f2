/**
 * SLA model benchmark: synthetic clouds of 100, 1,000 and 5,000 hosts (two or
 * three load balancers, 3–5 controllers, network and LVM storage nodes, the
 * rest computes, spread over three racks that can fail), analysed in full:
 * per-service and overall availability, cut sets up to 3 hosts, zone cut sets.
 * Target: 5,000 hosts within 2 s. Run: `npx tsx --expose-gc bench/sla.ts`.
 */
import { stringify } from "yaml";
import { buildPlan } from "../src/plan/build.ts";
import { analyseSla } from "../src/sla/analyse.ts";
import { loadTopologyText } from "../src/spec/load.ts";
import { topologySchema } from "../src/spec/schema.ts";

interface Shape {
  readonly hosts: number;
  readonly lbs: number;
  readonly controllers: number;
  readonly network: number;
  readonly storage: number;
}

const SHAPES: readonly Shape[] = [
  { hosts: 100, lbs: 2, controllers: 3, network: 2, storage: 2 },
  { hosts: 1000, lbs: 3, controllers: 3, network: 4, storage: 6 },
  { hosts: 5000, lbs: 3, controllers: 5, network: 8, storage: 20 },
];

function address(i: number): string {
  return `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

/** A topology document (plain data) of the given shape. */
function topology(s: Shape): Record<string, unknown> {
  const hosts: Record<string, unknown> = {};
  let i = 0;
  const add = (prefix: string, count: number, role: string): void => {
    for (let k = 1; k <= count; k++, i++) {
      hosts[`${prefix}${String(k).padStart(4, "0")}`] = {
        roles: [role],
        addresses: { management: address(i) },
        zone: `rack${(i % 3) + 1}`,
      };
    }
  };
  add("lb", s.lbs, "loadbalancer");
  add("cc", s.controllers, "control");
  add("net", s.network, "network");
  add("stor", s.storage, "storage");
  add("cn", s.hosts - s.lbs - s.controllers - s.network - s.storage, "compute");
  return {
    version: 1,
    cloud: `bench-${s.hosts}`,
    domain: "bench.example",
    kolla: { release: "2025.1" },
    sla: { target: "99.95%", rates: { zone: { mtbf_h: 43800, mttr_h: 2 } } },
    networks: { management: { cidr: "10.0.0.0/16", interface: "eth0" } },
    vip: { internal: "10.0.250.250", router_id: 51 },
    hosts,
    neutron: { plugin: "openvswitch", routing: "l3-ha" },
    cinder: { backend: "lvm" },
    masakari: { enabled: true, coordination: "etcd", shared_storage: true },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const gc = (globalThis as { gc?: () => void }).gc;
const RUNS = 5;
const LOAD_RUNS = 2;
const rows: string[] = [];
for (const shape of SHAPES) {
  const doc = topology(shape);
  const text = stringify(doc);
  const load: number[] = [];
  const plan: number[] = [];
  const analyse: number[] = [];
  const cpu: number[] = [];
  let heapMb = 0;
  let summary = "";
  for (let r = 0; r < RUNS; r++) {
    let t = performance.now();
    // The YAML loader is not the SLA model's; timed a few times only, for context.
    if (r < LOAD_RUNS) {
      const loaded = loadTopologyText("bench.yaml", text);
      load.push(performance.now() - t);
      if (!loaded.topology) throw new Error(`synthetic topology rejected: ${loaded.diagnostics[0]?.message}`);
    }
    const parsed = topologySchema.parse(doc);
    gc?.();
    const before = process.memoryUsage().heapUsed;
    t = performance.now();
    const c0 = process.cpuUsage();
    const p = buildPlan(parsed);
    plan.push(performance.now() - t);
    t = performance.now();
    const a = analyseSla(p);
    analyse.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    heapMb = Math.max(heapMb, (process.memoryUsage().heapUsed - before) / 1048576);
    summary =
      `overall ${(a.overall.availability * 100).toFixed(4)} %, ${a.cut_sets.length} cut sets, ` +
      `${a.zone_cut_sets.length} zone cut sets, exact ${a.overall.exact}`;
  }
  const total = median(plan) + median(analyse);
  rows.push(
    `| ${shape.hosts.toLocaleString("en")} | ${median(load).toFixed(0)} | ${median(plan).toFixed(1)} | ` +
      `${median(analyse).toFixed(1)} | **${total.toFixed(0)}** | ${median(cpu).toFixed(0)} | ${gc ? heapMb.toFixed(1) : "n/a"} | ${summary} |`,
  );
}
const { loadavg } = await import("node:os");
process.stdout.write(
  [
    `Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at the end; medians of ${RUNS} runs (YAML load: ${LOAD_RUNS}).`,
    "",
    "| Hosts | YAML load ms | Plan ms | SLA analysis ms | Plan + SLA ms | CPU ms | Heap growth MB | Result |",
    "|---:|---:|---:|---:|---:|---:|---:|---|",
    ...rows,
    "",
  ].join("\n"),
);
