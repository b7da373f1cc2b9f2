/**
 * HAProxy's runtime API over its stats socket (a unix socket in the load
 * balancer's run directory, reachable from the machine): `show info` for
 * liveness and `show stat` for the state of every backend server
 * (parsed by src/observe/backends.ts).
 */
import { createConnection } from "node:net";

/** Sends one command to a stats socket and returns the whole answer. */
export function haproxyCommand(socketPath: string, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = createConnection({ path: socketPath });
    // After a stalled event loop the timer fires before pending socket data is read; setImmediate lets
    // that I/O through first, so a busy hacloud does not report a healthy HAProxy as silent.
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          sock.destroy();
          reject(new Error(`no answer from ${socketPath} within ${timeoutMs} ms`));
        }),
      timeoutMs,
    );
    sock.on("connect", () => sock.end(`${command}\n`));
    sock.on("data", (d) => chunks.push(d));
    sock.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
  });
}
