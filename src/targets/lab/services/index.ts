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

/** The lab's services. */
export const LAB_SERVICES: readonly LabService[] = [
  haproxyService,
  keepalivedService,
  mariadbService,
  rabbitmqService,
  memcachedService,
  keystoneService,
];
