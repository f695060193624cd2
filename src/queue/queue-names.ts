/** BullMQ queue names; every key also carries the `AGENT_RACE_PREFIX` prefix. */
export const QUEUES = {
  triggers: "triggers",
  races: "races",
  lanes: "lanes",
  status: "status",
  revisions: "revisions",
  maintenance: "maintenance",
  waits: "waits",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
