/**
 * The configuration pieces every OpenStack service of the lab shares, as
 * kolla's templates write them: the message queue over every broker, a
 * database at the VIP, a keystoneauth section for calling another service,
 * and the oslo sections of a host's own lock path. Pure.
 */
import type { LabHostContext } from "../service.ts";
import { placedHosts, secret } from "./common.ts";
import { LAB_REGION } from "./ks-register.ts";
import { RABBITMQ_USER } from "./rabbitmq.ts";

/** oslo.messaging's transport_url over every broker, as kolla lists them (no VIP for AMQP). */
export function transportUrl(ctx: LabHostContext): string {
  const password = encodeURIComponent(secret(ctx, "rabbitmq_password"));
  const brokers = placedHosts(ctx.plan, "rabbitmq").map(
    (h) => `${RABBITMQ_USER}:${password}@${ctx.addressOf(h, ctx.plan.apiNetwork)}:5672`,
  );
  return `rabbit://${brokers.join(",")}//`;
}

/** A database URL through the VIP (HAProxy → Galera, one active server). */
export function databaseUrl(
  ctx: LabHostContext,
  database: string,
  user: string,
  passwordSecret: string,
): string {
  const password = encodeURIComponent(secret(ctx, passwordSecret));
  return `mysql+pymysql://${user}:${password}@${ctx.vip.internal}:3306/${database}`;
}

/**
 * A `[database]`-like section (kolla's: recycle pooled connections after 10 s, retry forever);
 * `pool` is the lab's pool size, where kolla leaves oslo.db's default of 5 per worker.
 */
export function databaseSection(name: string, url: string, pool = 2): string[] {
  return [
    `[${name}]`,
    `connection = ${url}`,
    "connection_recycle_time = 10",
    `max_pool_size = ${pool}`,
    "max_retries = -1",
    "",
  ];
}

/** A keystoneauth section for calling another service as `user` in the `service` project (nova's [placement], [neutron]…). */
export function serviceAuthSection(
  ctx: LabHostContext,
  name: string,
  user: string,
  passwordSecret: string,
  extra: readonly string[] = [],
): string[] {
  const identity = ctx.identity;
  if (identity === undefined) throw new Error(`[${name}] needs the lab's identity service (keystone)`);
  return [
    `[${name}]`,
    `auth_url = ${identity.url}`,
    "auth_type = password",
    "project_domain_name = Default",
    "user_domain_id = default",
    "project_name = service",
    `username = ${user}`,
    `password = ${secret(ctx, passwordSecret)}`,
    `region_name = ${LAB_REGION}`,
    "valid_interfaces = internal",
    ...extra,
    "",
  ];
}

/** The oslo sections of one host's service: its lock path, RabbitMQ heartbeats in green threads. */
export function osloTail(lockPath: string): string[] {
  return [
    "[oslo_concurrency]",
    `lock_path = ${lockPath}`,
    "",
    "[oslo_messaging_rabbit]",
    "heartbeat_in_pthread = false",
    "",
    "[oslo_middleware]",
    "enable_proxy_headers_parsing = true",
    "",
  ];
}

/** What sets one API's uwsgi apart; the rest is the lab's sizing (one worker, four threads). */
export interface UwsgiApp {
  readonly name: string;
  /** Where it listens: a host's API address and the service's port. */
  readonly address: string;
  readonly port: number;
  readonly wsgiFile: string;
  readonly chdir: string;
  readonly pidfile: string;
  readonly logto: string;
  /** Threads of the worker (default 4); 1 for an application that runs eventlet. */
  readonly threads?: number;
}

/** A uwsgi ini for an OpenStack API: one worker process (≈150 MB) with four threads, its master, HTTP. */
export function uwsgiIni(app: UwsgiApp): string {
  return [
    "[uwsgi]",
    "plugins = python3",
    `http-socket = ${app.address}:${app.port}`,
    "buffer-size = 65535",
    "master = true",
    "lazy-apps = true",
    "need-app = true",
    "die-on-term = true",
    "enable-threads = true",
    "processes = 1",
    `threads = ${app.threads ?? 4}`,
    `name = ${app.name}`,
    `chdir = ${app.chdir}`,
    `wsgi-file = ${app.wsgiFile}`,
    `pidfile = ${app.pidfile}`,
    `logto = ${app.logto}`,
    "",
  ].join("\n");
}
