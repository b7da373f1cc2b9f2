import { describe, expect, it } from "vitest";
import {
  anchorCgroup,
  execCgroup,
  hostCgroup,
  inCgroup,
  parseCgroup2Mount,
  serviceCgroup,
  servicesCgroup,
} from "../../src/targets/lab/cgroups.ts";

// Lines of /proc/self/mountinfo as these machines (hybrid) and cgroup v2 systems print them.
const HYBRID = [
  "25 1 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
  "26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw",
  "27 25 0:25 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,memory",
].join("\n");
const UNIFIED =
  "30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate";
// A container that sees only its own subtree bound in: groups made there would not be where we name them.
const SUBTREE = "40 30 0:26 /docker/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw";

describe("the cgroup v2 hierarchy's mount point", () => {
  it("is found on hybrid and on cgroup v2 systems", () => {
    expect(parseCgroup2Mount(HYBRID)).toBe("/sys/fs/cgroup/unified");
    expect(parseCgroup2Mount(UNIFIED)).toBe("/sys/fs/cgroup");
  });

  it("is missing where only cgroup v1 or a bound subtree is mounted", () => {
    expect(
      parseCgroup2Mount(
        HYBRID.split("\n")
          .filter((l) => !l.includes("cgroup2"))
          .join("\n"),
      ),
    ).toBeUndefined();
    expect(parseCgroup2Mount(SUBTREE)).toBeUndefined();
    expect(parseCgroup2Mount("")).toBeUndefined();
  });
});

describe("a lab host's groups", () => {
  it("keep the anchor, the engine's commands and each service apart, under the host", () => {
    const host = hostCgroup("hc-pp7x", "net01");
    expect(host).toBe("hacloud/hc-pp7x/net01");
    expect(anchorCgroup("hc-pp7x", "net01")).toBe(`${host}/anchor`);
    expect(execCgroup("hc-pp7x", "net01")).toBe(`${host}/exec`);
    expect(serviceCgroup("hc-pp7x", "net01", "neutron-l3-agent")).toBe(
      `${servicesCgroup("hc-pp7x", "net01")}/neutron-l3-agent`,
    );
  });

  it("never take a slash or a bare dot name into the path", () => {
    expect(serviceCgroup("hc-x", "a/b", "../etc")).toBe("hacloud/hc-x/a_b/svc/.._etc");
    expect(serviceCgroup("hc-x", "..", ".")).toBe("hacloud/hc-x/_../svc/_.");
  });
});

describe("a command started in a group", () => {
  it("joins the group before it execs, so its first fork is already a member", () => {
    const argv = inCgroup(execCgroup("hc-x", "cc01"), ["ip", "netns", "exec", "hc-x-cc01", "true"]);
    expect(argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(argv[2]).toMatch(/printf 0 > "\$0\/cgroup\.procs" && exec "\$@"$/);
    expect(argv[3]).toMatch(/\/hacloud\/hc-x\/cc01\/exec$/);
    expect(argv.slice(4)).toEqual(["ip", "netns", "exec", "hc-x-cc01", "true"]);
  });
});
