/**
 * Restarting what a fault killed, with the engine's own primitives: for each
 * served service (in `lab up`'s start order) and each of its hosts, the processes that
 * are not running are started again (journalled, by PID) and the service's
 * health is awaited on that host. Much cheaper than a whole `lab up`, which
 * re-checks every service on every host; set-up steps are not re-run (the
 * data and configuration survived the crash, as on a real disk). Galera
 * after a total loss of quorum needs `lab up`'s recovery instead.
 */
import { Journal, currentProcesses, journalPath, type JournalProcess } from "./journal.ts";
import { acquireLock } from "./lock.ts";
import { hostContext, type LabRuntime } from "./runtime.ts";
import type { LabService } from "./service.ts";
import { running, startProcess, waitHealthy } from "./supervisor.ts";
import { startInOrder } from "./up.ts";

/** What was restarted, as "service@host". */
export async function restartStopped(
  rt: LabRuntime,
  services: readonly LabService[],
  signal?: AbortSignal,
): Promise<string[]> {
  const release = acquireLock(rt.layout.stateDir);
  try {
    const journal = new Journal(journalPath(rt.layout.stateDir));
    const restarted: string[] = [];
    // in `lab up`'s order: a service once those it waits for (its `after`, else lower phases) are up
    await startInOrder(services, async (service) => {
      const hosts = service.hosts(rt.plan);
      await Promise.all(
        hosts.map(async (host, i) => {
          if (!rt.anchors.has(host)) return;
          const ctx = hostContext(rt, host);
          const current = currentProcesses(journal.read());
          const procs = await service.processes(ctx, i === 0);
          const dead = procs.filter((p) => !running(current.get(`${host}/${p.name}`)));
          if (dead.length === 0) return;
          const live: JournalProcess[] = procs.map((p) =>
            dead.includes(p)
              ? startProcess(rt, journal, service.name, host, p)
              : current.get(`${host}/${p.name}`)!,
          );
          restarted.push(`${service.name}@${host}`);
          await waitHealthy(rt, service, ctx, live, signal);
        }),
      );
    });
    return restarted;
  } finally {
    release();
  }
}
