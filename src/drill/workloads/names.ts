/** The prefix of everything a drill workload names: its tear-down deletes every such resource. */
export const WORKLOAD_PREFIX = "hacloud-drill";
