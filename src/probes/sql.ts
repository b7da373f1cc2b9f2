/**
 * The SQL probe: writes a monotonically increasing sequence into
 * `probe_seq` through the VIP and reads each row back, over a small pool of
 * long-lived connections as oslo.db keeps them (pinged at checkout). Every acknowledged write is
 * reported with its number, so that after the drill `verifyWrites` can prove
 * none was lost.
 */
import mysql from "mysql2/promise";
import type { ProbeEndpoints } from "../targets/target.ts";
import { errorClass, type Attempt } from "./scheduler.ts";

/** The table the probe writes. */
export const PROBE_TABLE = "probe_seq";

const CREATE = `CREATE TABLE IF NOT EXISTS ${PROBE_TABLE} (
  run VARCHAR(64) NOT NULL,
  seq INT NOT NULL,
  at DATETIME(6) NOT NULL,
  PRIMARY KEY (run, seq)
) ENGINE=InnoDB`;

/** A pool through the VIP, sized like a service worker's. */
export function sqlPool(ep: ProbeEndpoints): mysql.Pool {
  return mysql.createPool({
    host: ep.sql.host,
    port: ep.sql.port,
    user: ep.sql.user,
    password: ep.sql.password,
    database: ep.sql.database,
    connectionLimit: 4,
    maxIdle: 4,
    connectTimeout: 5_000,
    enableKeepAlive: true,
  });
}

/** Rejects when the signal aborts; the caller destroys what hung. */
function abortable<T>(p: Promise<T>, signal: AbortSignal, onAbort: () => void): Promise<T> {
  if (signal.aborted) {
    onAbort();
    return Promise.reject(new Error("timeout"));
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      onAbort();
      reject(Object.assign(new Error("timeout"), { code: "timeout" }));
    };
    signal.addEventListener("abort", abort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/** Creates the table once. */
export async function sqlSetup(ep: ProbeEndpoints): Promise<void> {
  const c = await mysql.createConnection({ ...connOpts(ep) });
  try {
    await c.query(CREATE);
  } finally {
    await c.end();
  }
}

function connOpts(ep: ProbeEndpoints): mysql.ConnectionOptions {
  return {
    host: ep.sql.host,
    port: ep.sql.port,
    user: ep.sql.user,
    password: ep.sql.password,
    database: ep.sql.database,
    connectTimeout: 10_000,
  };
}

/** A connection from the pool; one handed out after this request gave up goes straight back, or the pool leaks it. */
async function take(pool: mysql.Pool, signal: AbortSignal): Promise<mysql.PoolConnection> {
  const pending = pool.getConnection();
  return abortable(
    pending,
    signal,
    () =>
      void pending.then(
        (c) => c.release(),
        () => undefined,
      ),
  );
}

/**
 * Checkout as oslo.db does it (engines.py: a `SELECT 1` ping when a pooled connection is taken, and
 * a transparent reconnect when the ping finds it dead): a pooled connection that a VIP move or a
 * HAProxy restart reset while it sat idle is replaced before the request uses it. Only a request
 * already in flight on that connection fails, as it does for an OpenStack service.
 */
async function checkout(pool: mysql.Pool, signal: AbortSignal): Promise<mysql.PoolConnection> {
  const conn = await take(pool, signal);
  try {
    await abortable(conn.ping(), signal, () => conn.destroy());
    return conn;
  } catch (e) {
    conn.destroy();
    if (signal.aborted) throw e;
    return take(pool, signal);
  }
}

/** One write of `seq` and its read-back. */
export async function sqlWriteRead(
  pool: mysql.Pool,
  runId: string,
  seq: number,
  signal: AbortSignal,
): Promise<Attempt> {
  let conn: mysql.PoolConnection | undefined = await checkout(pool, signal);
  const destroy = (): void => conn?.destroy();
  let acked = false;
  try {
    await abortable(
      conn.query(`INSERT INTO ${PROBE_TABLE} (run, seq, at) VALUES (?, ?, NOW(6))`, [runId, seq]),
      signal,
      destroy,
    );
    acked = true;
    const [rows] = await abortable(
      conn.query<mysql.RowDataPacket[]>(`SELECT seq FROM ${PROBE_TABLE} WHERE run = ? AND seq = ?`, [
        runId,
        seq,
      ]),
      signal,
      destroy,
    );
    conn.release();
    conn = undefined;
    return rows.length === 1 ? { ok: true, seq } : { ok: false, err: "read-back missing", seq };
  } catch (e) {
    // A connection that failed or hung is not given back to the pool.
    conn?.destroy();
    if (acked) return { ok: false, err: errorClass(e, signal), seq };
    throw e;
  }
}

/** Acknowledged sequence numbers that are not in the table. */
export async function verifyWrites(
  ep: ProbeEndpoints,
  runId: string,
  acked: readonly number[],
): Promise<number[]> {
  const c = await mysql.createConnection(connOpts(ep));
  try {
    const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT seq FROM ${PROBE_TABLE} WHERE run = ?`, [
      runId,
    ]);
    const present = new Set(rows.map((r) => Number(r["seq"])));
    return acked.filter((s) => !present.has(s));
  } finally {
    await c.end();
  }
}
