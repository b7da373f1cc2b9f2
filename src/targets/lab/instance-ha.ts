/**
 * The lab's "instance-ha-reset" recovery: what an operator clears once a
 * failed compute is back, before Masakari can protect it again. Pacemaker
 * keeps the remote resource's failed starts (kolla sets no
 * reconnect_interval, so it never retries by itself): `crm_resource
 * --cleanup` on a cluster member, then wait until every remote is
 * RemoteOnline. Masakari left the host on maintenance and Nova's
 * nova-compute disabled: once Masakari has finished with the host, clear
 * both through the APIs at the VIP.
 */
import { pacemakerProblems } from "../../observe/pacemaker.ts";
import { hostContext, type LabRuntime } from "./runtime.ts";
import { clusterMembers, clusterRemotes, crmMon } from "./services/hacluster.ts";
import { asLabAdmin } from "./services/ks-register.ts";
import { placedHosts, retry } from "./services/common.ts";
import { masakariPort } from "./services/masakari.ts";
import { novaPorts } from "./services/nova-config.ts";

/** How long the reset waits for Masakari to finish with a host (its engine's evacuation wait is 90 s). */
const MASAKARI_WAIT_S = 240;

const RESET = String.raw`
import time
H = {"OpenStack-API-Version": "compute 2.53"}
done = []
mas = req["masakari"]
# Masakari refuses to update a host while a notification about it is being recovered, and its engine
# sets on_maintenance when it starts one: wait until none is new, running or error (error is retried).
deadline = time.time() + req["waitS"]
while True:
    busy = [n for n in sess.get(mas + "/notifications?sort_key=generated_time&sort_dir=desc&limit=20",
                                raise_exc=True).json()["notifications"] if n["status"] in ("new", "running", "error")]
    if not busy or time.time() > deadline:
        break
    time.sleep(1)
if busy:
    done.append("Masakari's notification %s was still %s after %d s" % (busy[0]["notification_uuid"], busy[0]["status"], req["waitS"]))
for s in sess.get(req["nova"] + "/os-services?binary=nova-compute", headers=H, raise_exc=True).json()["services"]:
    if s["host"] in req["computes"] and s["host"] not in req["reserved"] and s["status"] == "disabled":
        sess.put(req["nova"] + "/os-services/" + s["id"], headers=H, json={"status": "enabled"}, raise_exc=True)
        done.append("enabled nova-compute on " + s["host"])
for seg in sess.get(mas + "/segments", raise_exc=True).json()["segments"]:
    for h in sess.get(mas + "/segments/%s/hosts" % seg["uuid"], raise_exc=True).json()["hosts"]:
        if h["on_maintenance"]:
            sess.put(mas + "/segments/%s/hosts/%s" % (seg["uuid"], h["uuid"]), raise_exc=True,
                     json={"host": {"on_maintenance": False}})
            done.append("cleared %s's on_maintenance in %s" % (h["name"], seg["name"]))
print("; ".join(done))
`;

/** Clears Pacemaker's, Masakari's and Nova's leftovers of a compute failure; one line for the report. */
export async function resetInstanceHa(rt: LabRuntime): Promise<string> {
  const started = performance.now();
  const members = clusterMembers(rt.plan);
  const remotes = clusterRemotes(rt.plan);
  const member = members[0];
  // a lab of fewer tiers than the Plan (the network tests run no compute tier) has none to reset
  if (member === undefined || !rt.services.some((x) => x.name === "hacluster-pacemaker"))
    return "the lab runs no Pacemaker cluster: nothing to reset";
  const ctx = hostContext(rt, member);
  const before = await crmMon(ctx);
  const offline = remotes.filter((r) => !before?.nodes.some((n) => n.name === r && n.online));
  for (const r of remotes)
    await ctx.exec(["crm_resource", "--cleanup", "--resource", r], { timeoutMs: 60_000 });
  await retry(
    "every compute RemoteOnline again",
    async () => {
      const s = await crmMon(ctx);
      const problems = s === undefined ? ["crm_mon does not answer"] : pacemakerProblems(s, members, remotes);
      if (problems.length > 0) throw new Error(problems.join("; "));
    },
    { timeoutMs: 120_000, intervalMs: 1_000 },
  );
  const api = hostContext(rt, placedHosts(rt.plan, "nova-api")[0] ?? member);
  const vip = rt.layout.vip.internal;
  const cleared = await asLabAdmin(
    api,
    RESET,
    {
      nova: `http://${vip}:${novaPorts(api).api}/v2.1`,
      masakari: `http://${vip}:${masakariPort(api)}/v1`,
      computes: placedHosts(rt.plan, "nova-compute"),
      reserved: rt.plan.masakari.reservedHosts,
      waitS: MASAKARI_WAIT_S,
    },
    (MASAKARI_WAIT_S + 60) * 1000,
  );
  const took = ((performance.now() - started) / 1000).toFixed(1);
  const what = [
    offline.length > 0 ? `crm_resource --cleanup brought ${offline.join(", ")} back RemoteOnline` : "",
    cleared.trim(),
  ].filter((x) => x !== "");
  return `instance HA reset in ${took} s: ${what.join("; ") || "nothing was left to clear"}`;
}
