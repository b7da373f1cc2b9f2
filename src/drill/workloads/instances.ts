/**
 * The compute drills' workload: instances booted on the compute the drill
 * breaks, through Nova's API found in the Keystone catalogue (as the admin,
 * from the probe site), from the lab's tiny image and kolla's m1.tiny,
 * pinned to the compute (microversion 2.74's `host`, which the scheduler
 * still checks). They have no ports: with one port each on a tenant network,
 * Neutron (Zed, in the lab) re-bound the ports on the dead host during the
 * evacuation until HAProxy's 60 s ran out ("Failed to commit binding results
 * … after 10 tries"), nova-compute on the target got a 504 and the instances
 * went to ERROR (docs/lab.md). Everything is named `hacloud-drill-…`; the
 * tear-down deletes every such server, so a drill that died leaves nothing.
 */
import type { Target } from "../../targets/target.ts";
import { ScenarioError, type Workload } from "../scenario.ts";
import { siteAction } from "./site-action.ts";

/** How many instances a compute drill boots (the "at least 3"). */
export const COMPUTE_INSTANCES = 3;

/** Masakari's duplicate_notification_detection_interval: its default, which kolla does not change. */
const MASAKARI_DUPLICATE_WINDOW_S = 180;
/** How long the instances may take to boot ACTIVE. */
const BOOT_WAIT_S = 180;

const PRELUDE = String.raw`
def endpoint(kind):
    try:
        return sess.get_endpoint(service_type=kind, interface="internal").rstrip("/")
    except Exception:
        return None
nova = endpoint("compute")
H = {"OpenStack-API-Version": "compute 2.74"}
def call(base, method, path, body=None, ok=(200, 201, 202, 204)):
    r = sess.request(base + path, method, json=body, headers=H, raise_exc=False)
    if r.status_code == 404 and method == "DELETE":
        return {}
    if r.status_code not in ok:
        raise SystemExit("%s %s: HTTP %d %s" % (method, path, r.status_code, r.text[:300]))
    return r.json() if r.text else {}
def ours():
    return [s for s in call(nova, "GET", "/servers?all_tenants=1")["servers"] if s["name"].startswith(P + "-vm")]
`;

const CREATE = String.raw`
# Masakari takes a compute's failure reported again within duplicate_notification_detection_interval
# of the last one with the same payload for a duplicate (HTTP 409) and recovers nothing: wait that out.
import datetime, re
waited = 0
masakari = endpoint("instance-ha")
if masakari and not re.search(r"/v1(/|$)", masakari):
    masakari += "/v1"  # kolla's catalogue lists Masakari without its version, as masakariV1 reads it
if masakari:
    def mget(path):
        return sess.get(masakari + path, raise_exc=True).json()
    uuids = [h["uuid"] for seg in mget("/segments")["segments"]
             for h in mget("/segments/%s/hosts" % seg["uuid"])["hosts"] if h["name"] == req["host"]]
    for u in uuids:
        recent = mget("/notifications?source_host_uuid=%s&type=COMPUTE_HOST&sort_key=generated_time&sort_dir=desc&limit=20" % u)["notifications"]
        last = [n for n in recent if (n.get("payload") or {}).get("event") == "STOPPED"]
        if last:
            gen = datetime.datetime.fromisoformat(last[0]["generated_time"].rstrip("Z")).replace(tzinfo=None)
            left = req["duplicateWindowS"] + 2 - (datetime.datetime.utcnow() - gen).total_seconds()
            if left > 0:
                time.sleep(left)
                waited += left
image = endpoint("image")
imgs = sess.get(image + "/v2/images?name=" + req["image"], raise_exc=True).json()["images"]
flavors = [f for f in call(nova, "GET", "/flavors")["flavors"] if f["name"] == req["flavor"]]
if not imgs or not flavors:
    raise SystemExit("the image %s or the flavor %s is missing" % (req["image"], req["flavor"]))
ids = []
for i in range(req["count"]):
    s = call(nova, "POST", "/servers", {"server": {"name": "%s-vm%d" % (P, i + 1), "imageRef": imgs[0]["id"],
        "flavorRef": flavors[0]["id"], "networks": "none", "host": req["host"]}})["server"]
    ids.append(s["id"])
deadline = time.time() + req["waitS"]
while True:
    got = {s["id"]: s for s in call(nova, "GET", "/servers/detail?all_tenants=1")["servers"] if s["id"] in ids}
    bad = [s for s in got.values() if s["status"] == "ERROR"]
    if bad:
        raise SystemExit("instance %s went to ERROR: %s" % (bad[0]["id"], (bad[0].get("fault") or {}).get("message", "")))
    if len(got) == len(ids) and all(s["status"] == "ACTIVE" for s in got.values()):
        hosts = sorted({s["OS-EXT-SRV-ATTR:host"] for s in got.values()})
        if hosts != [req["host"]]:
            raise SystemExit("the instances run on %s, not %s" % (", ".join(hosts), req["host"]))
        break
    if time.time() > deadline:
        raise SystemExit("the instances were not ACTIVE within %d s" % req["waitS"])
    time.sleep(1)
print(json.dumps({"servers": ids, "waitedS": round(waited, 1)}))
`;

const DELETE = String.raw`
for s in ours():
    call(nova, "DELETE", "/servers/" + s["id"])
deadline = time.time() + 120
while ours() and time.time() < deadline:
    time.sleep(1)
left = ours()
print(json.dumps({"left": [s["id"] for s in left]}))
`;

/** Runs one action at the target's probe site; returns its JSON. */
function novaAction<T>(
  target: Target,
  script: string,
  request: Readonly<Record<string, unknown>>,
  timeoutMs = 300_000,
): Promise<T> {
  return siteAction<T>(target, PRELUDE + script, request, "compute workload", timeoutMs);
}

/** The compute a compute drill breaks: the first the Plan places nova-compute on that is in the segment. */
export function drillCompute(target: Target): string {
  const computes = target.plan.services.find((s) => s.name === "nova-compute")?.hosts ?? [];
  const watched = target.plan.masakari.haclusterRemoteHosts;
  const host = computes.find((h) => watched.includes(h) && !target.plan.masakari.reservedHosts.includes(h));
  if (host === undefined || computes.length < 2)
    throw new ScenarioError("the cloud needs two computes watched by Pacemaker for a compute drill");
  return host;
}

/** Boots COMPUTE_INSTANCES instances on the drill's compute; facts: `compute` (the host), `servers`. */
export function instancesWorkload(image: string, flavor: string): Workload {
  return {
    description: `${COMPUTE_INSTANCES} instances on one compute`,
    async setUp(target) {
      const host = drillCompute(target);
      const tearDown = async (): Promise<void> => {
        const r = await novaAction<{ left: string[] }>(target, DELETE, {});
        if (r.left.length > 0) throw new ScenarioError(`instances not deleted: ${r.left.join(", ")}`);
      };
      await tearDown();
      try {
        const made = await novaAction<{ servers: string[]; waitedS: number }>(
          target,
          CREATE,
          {
            host,
            image,
            flavor,
            count: COMPUTE_INSTANCES,
            waitS: BOOT_WAIT_S,
            duplicateWindowS: MASAKARI_DUPLICATE_WINDOW_S,
          },
          (BOOT_WAIT_S + MASAKARI_DUPLICATE_WINDOW_S + 120) * 1000,
        );
        return {
          facts: { compute: host, servers: made.servers.join(",") },
          probes: { compute: { host, servers: made.servers } },
          notes:
            made.waitedS > 0
              ? [
                  `waited ${made.waitedS} s before the fault: Masakari had notified a failure of ${host} less than ${MASAKARI_DUPLICATE_WINDOW_S} s before (duplicate_notification_detection_interval), and would have refused another as a duplicate — a compute that fails again within that window is not recovered`,
                ]
              : [],
          tearDown,
        };
      } catch (e) {
        await tearDown().catch(() => undefined);
        throw e;
      }
    },
  };
}
