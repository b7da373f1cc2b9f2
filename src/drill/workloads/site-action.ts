/**
 * How the workloads act on the cloud: a Python script (Debian's keystoneauth) run at the
 * target's probe site as the admin, reading its request as JSON on stdin (credentials never on
 * a command line) and printing its result as the last line of JSON.
 */
import { run } from "../../util/run.ts";
import type { Target } from "../../targets/target.ts";
import { ScenarioError } from "../scenario.ts";
import { WORKLOAD_PREFIX } from "./names.ts";

/** The start of every workload script: the request (`req`), and `sess`, the admin's keystoneauth session. */
export const ADMIN_SESSION = String.raw`
import json, sys, time, uuid
from keystoneauth1 import session
from keystoneauth1.identity import v3
req = json.load(sys.stdin)
ep = req["endpoints"]
a = ep["admin"]
auth = v3.Password(auth_url=ep["keystoneUrl"] + "/v3", username=a["username"], password=a["password"],
                   project_name=a["project"], user_domain_name=a["domain"], project_domain_name=a["domain"])
sess = session.Session(auth=auth, timeout=30)
P = req["prefix"]
`;

/** Runs `script` (after ADMIN_SESSION) at the probe site; its last line of output is the JSON result. */
export async function siteAction<T>(
  target: Target,
  script: string,
  request: Readonly<Record<string, unknown>>,
  what: string,
  timeoutMs = 180_000,
): Promise<T> {
  const cmd = target.probeSite().worker({ file: "/usr/bin/python3", args: ["-c", ADMIN_SESSION + script] });
  const endpoints = await target.probeEndpoints();
  const r = await run(cmd.file, cmd.args, {
    input: JSON.stringify({ ...request, prefix: WORKLOAD_PREFIX, endpoints }),
    timeoutMs,
    allowFailure: true,
  });
  if (r.exitCode !== 0)
    throw new ScenarioError(`the ${what} failed: ${r.stderr.trim().split("\n").slice(-1)[0] ?? ""}`);
  return JSON.parse(r.stdout.trim().split("\n").slice(-1)[0] ?? "{}") as T;
}
