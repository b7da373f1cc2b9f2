/**
 * The probe worker: runs where the users are (the lab's client namespace),
 * because a Node process cannot move its sockets into another network
 * namespace. Reads one WorkerTask as JSON on stdin, writes JSON lines on
 * stdout: `{"ready":true}`, then one ProbeSample per request, then
 * `{"done":true}`; twice a second `{"inflight":{probe:{count,oldest}}}`. Stops on SIGTERM/SIGINT or at its own hard deadline.
 *
 *   ip netns exec <client-ns> node --import tsx src/probes/worker.ts < task.json
 */
import { keystoneCatalog, keystoneGet, tokenIssue } from "./http.ts";
import { RabbitProbe } from "./rabbit.ts";
import { ProbeLoop } from "./scheduler.ts";
import { sqlPool, sqlSetup, sqlWriteRead, verifyWrites } from "./sql.ts";
import type { ProbeSample, WorkerConfig, WorkerTask } from "./types.ts";

function line(obj: object): void {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function runProbes(cfg: WorkerConfig): Promise<void> {
  const emit = (s: ProbeSample): void => line(s);
  const loops: ProbeLoop[] = [];
  const closers: (() => Promise<void>)[] = [];
  const ep = cfg.endpoints;
  for (const [name, rate] of Object.entries(cfg.probes)) {
    if (rate === undefined) continue;
    switch (name) {
      case "keystone-get":
        loops.push(new ProbeLoop(name, rate, (_t, s) => keystoneGet(ep, s), emit));
        break;
      case "token-issue":
        loops.push(new ProbeLoop(name, rate, (_t, s) => tokenIssue(ep, s), emit));
        break;
      case "sql": {
        await sqlSetup(ep);
        const pool = sqlPool(ep);
        closers.push(() => pool.end().catch(() => undefined));
        loops.push(new ProbeLoop(name, rate, (tick, s) => sqlWriteRead(pool, cfg.runId, tick, s), emit));
        break;
      }
      case "rabbit": {
        const r = new RabbitProbe(ep.amqp, cfg.runId);
        closers.push(() => r.close());
        loops.push(new ProbeLoop(name, rate, (tick, s) => r.roundTrip(tick, s), emit));
        break;
      }
    }
  }
  line({ ready: true });
  for (const l of loops) l.start();
  // Requests in flight, twice a second: the runner sees a hang while it lasts, not only when it ends.
  const inflight = setInterval(() => {
    line({ inflight: Object.fromEntries(loops.map((l) => [l.probe, l.inFlightNow()])) });
  }, 500);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, cfg.deadlineMs);
    const stop = (): void => {
      clearTimeout(timer);
      resolve();
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  clearInterval(inflight);
  await Promise.all(loops.map((l) => l.stop(2_000)));
  await Promise.race([Promise.all(closers.map((c) => c())), new Promise((r) => setTimeout(r, 2_000))]);
  line({ done: true });
}

async function main(): Promise<void> {
  const task = JSON.parse(await readStdin()) as WorkerTask;
  switch (task.mode) {
    case "probe":
      await runProbes(task);
      break;
    case "sql-setup":
      await sqlSetup(task.endpoints);
      line({ ok: true });
      break;
    case "sql-verify": {
      const missing = await verifyWrites(task.endpoints, task.runId, task.acked);
      line({ checked: task.acked.length, missing });
      break;
    }
    case "catalog": {
      try {
        const services = await keystoneCatalog(task.endpoints, AbortSignal.timeout(30_000));
        line({ ok: true, services });
      } catch (e) {
        line({ ok: false, services: [], error: e instanceof Error ? e.message : String(e) });
      }
      break;
    }
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    line({ error: e instanceof Error ? e.message.split("\n")[0] : String(e) });
    process.exit(1);
  },
);
