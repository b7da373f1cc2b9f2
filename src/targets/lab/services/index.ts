/**
 * Every service the lab runs, in one list (one line each; the engine orders
 * them by phase). Load balancers first, then the controllers' services.
 */
import type { LabService } from "../service.ts";
import { haproxyService } from "./haproxy.ts";
import { keepalivedService } from "./keepalived.ts";
import { keystoneService } from "./keystone.ts";
import { mariadbService } from "./mariadb.ts";
import { memcachedService } from "./memcached.ts";
import { rabbitmqService } from "./rabbitmq.ts";

/** The modules of the services a saved lab runs (by the names `lab up` saved), in start order. */
export function servedServices(served: readonly string[]): LabService[] {
  return LAB_SERVICES.filter((s) => served.includes(s.name));
}

/** The lab's services. */
export const LAB_SERVICES: readonly LabService[] = [
  haproxyService,
  keepalivedService,
  mariadbService,
  rabbitmqService,
  memcachedService,
  keystoneService,
];
