/**
 * The operator's way into a running lab: run a command inside a host
 * (`lab exec HOST -- CMD`, with the lab's clouds.yaml selected so `openstack`
 * just works) and read a host's logs (`lab logs HOST [SERVICE]`).
 */
import { cloudsYamlPath, labCloudName } from "./clouds-yaml.ts";
import { LabError, type LogTail } from "./errors.ts";
import { requireRoot } from "./preflight.ts";
import { allLabHosts, findLabHost } from "./layout.ts";
import { currentProcesses, journalPath, readJournal } from "./journal.ts";
import { logFiles, tailFile } from "./logs.ts";
import { hostArgv, runtimeOf } from "./runtime.ts";
import { hostDirs } from "./anchor.ts";
import { servedServices } from "./services/index.ts";
import { findSavedLab } from "./status.ts";
import { runAttached } from "./spawn.ts";

function labHost(cloud: string | undefined, host: string) {
  requireRoot("hacloud lab");
  const saved = findSavedLab(cloud);
  const lab = findLabHost(saved.layout, host);
  if (lab === undefined) {
    throw new LabError(
      `no host ${host} in the lab of ${saved.layout.cloud}`,
      `hosts: ${allLabHosts(saved.layout)
        .map((h) => h.name)
        .join(", ")}`,
    );
  }
  return { saved, lab };
}

/** Runs a command inside a lab host with the terminal attached; resolves with its exit code. */
export async function labExec(host: string, command: readonly string[], cloud?: string): Promise<number> {
  const { saved } = labHost(cloud, host);
  const rt = runtimeOf(saved, servedServices(saved.served));
  const argv = hostArgv(rt, host, command.length > 0 ? command : ["/bin/bash", "-l"]);
  return runAttached(argv, {
    OS_CLIENT_CONFIG_FILE: cloudsYamlPath(saved.layout.stateDir),
    OS_CLOUD: labCloudName(saved.layout.cloud),
  });
}

/** The last lines of a host's logs, all of them or one service's. */
export function labLogs(host: string, service: string | undefined, lines: number, cloud?: string): LogTail[] {
  const { saved, lab } = labHost(cloud, host);
  const processes = [...currentProcesses(readJournal(journalPath(saved.layout.stateDir))).values()]
    .filter((p) => p.host === host && p.service === service)
    .map((p) => p.name);
  const files = logFiles(hostDirs(lab).log, service === undefined ? undefined : [service, ...processes]);
  if (files.length === 0) {
    throw new LabError(
      service !== undefined ? `no logs of ${service} on ${host}` : `no logs on ${host}`,
      `log files of ${host}: ${
        logFiles(hostDirs(lab).log)
          .map((f) => f.slice(hostDirs(lab).log.length + 1))
          .join(", ") || "none"
      }`,
    );
  }
  return files.map((f) => tailFile(f, lines));
}
