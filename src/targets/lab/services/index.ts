/**
 * Every service the lab runs, by tier (one line each; the engine orders
 * them by phase): the control tier (load balancers, then the controllers'
 * services), the network tier, then the compute tier.
 */
import type { LabService } from "../service.ts";
import { etcdService } from "./etcd.ts";
import { glanceService } from "./glance.ts";
import { corosyncService, pacemakerRemoteService, pacemakerService } from "./hacluster.ts";
import { haproxyService } from "./haproxy.ts";
import { keepalivedService } from "./keepalived.ts";
import { keystoneService } from "./keystone.ts";
import { mariadbService } from "./mariadb.ts";
import { masakariApiService, masakariEngineService, masakariHostmonitorService } from "./masakari.ts";
import { memcachedService } from "./memcached.ts";
import {
  neutronDhcpAgentService,
  neutronL3AgentService,
  neutronMetadataAgentService,
  neutronOvsAgentService,
  neutronServerService,
} from "./neutron.ts";
import { novaApiService, novaComputeService, novaConductorService, novaSchedulerService } from "./nova.ts";
import { openvswitchService } from "./openvswitch.ts";
import { placementService } from "./placement.ts";
import { rabbitmqService } from "./rabbitmq.ts";

/** The modules of the services a saved lab runs (by the names `lab up` saved), in start order. */
export function servedServices(served: readonly string[]): LabService[] {
  return LAB_SERVICES.filter((s) => served.includes(s.name));
}

/** The control tier: load balancers, the controllers' database, broker, cache and identity service. */
export const CONTROL_TIER: readonly LabService[] = [
  haproxyService,
  keepalivedService,
  mariadbService,
  rabbitmqService,
  memcachedService,
  keystoneService,
];

/** The network tier: Open vSwitch and Neutron's server and agents. */
export const NETWORK_TIER: readonly LabService[] = [
  openvswitchService,
  neutronServerService,
  neutronOvsAgentService,
  neutronL3AgentService,
  neutronDhcpAgentService,
  neutronMetadataAgentService,
];

/**
 * The compute tier: Glance, Placement, Nova (the fake virt driver on the computes), kolla's
 * hacluster (Corosync and Pacemaker, pacemaker_remote on the computes), etcd (Masakari's
 * coordination) and Masakari.
 */
export const COMPUTE_TIER: readonly LabService[] = [
  glanceService,
  placementService,
  novaApiService,
  novaSchedulerService,
  novaConductorService,
  novaComputeService,
  etcdService,
  corosyncService,
  pacemakerRemoteService,
  pacemakerService,
  masakariApiService,
  masakariEngineService,
  masakariHostmonitorService,
];

/** The lab's services. */
export const LAB_SERVICES: readonly LabService[] = [...CONTROL_TIER, ...NETWORK_TIER, ...COMPUTE_TIER];
