/**
 * Every service the lab runs, in one list (one line each; the engine orders
 * them by phase). Load balancers first, then the controllers' services.
 */
import type { LabService } from "../service.ts";
import { haproxyService } from "./haproxy.ts";
import { keepalivedService } from "./keepalived.ts";

/** The lab's services. */
export const LAB_SERVICES: readonly LabService[] = [haproxyService, keepalivedService];
