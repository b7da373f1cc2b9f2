// A stand-in for src/probes/worker.ts in runner tests: every probe answers
// every 20 ms; requests fail for FAKE_OUTAGE_MS after the fault flag file
// appears (its mtime), as if the cloud failed over that fast.
import { existsSync, statSync } from "node:fs";

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const task = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const flag = process.env.FAKE_FAULT_FLAG;
const outage = Number(process.env.FAKE_OUTAGE_MS ?? "400");

if (task.mode === "sql-verify") {
  out({ checked: task.acked.length, missing: [] });
  process.exit(0);
}
out({ ready: true });
let seq = 0;
const timer = setInterval(() => {
  const t = performance.timeOrigin + performance.now();
  const since = flag && existsSync(flag) ? t - statSync(flag).mtimeMs : Infinity;
  const ok = !(since >= 0 && since < outage);
  for (const probe of Object.keys(task.probes)) {
    const s = { probe, t, ms: 2, ok, ...(ok ? {} : { err: "ECONNREFUSED" }) };
    if (probe === "sql" && ok) s.seq = seq++;
    out(s);
  }
}, 20);
const stop = () => {
  clearInterval(timer);
  out({ done: true });
  process.exit(0);
};
process.on("SIGTERM", stop);
setTimeout(stop, task.deadlineMs);
