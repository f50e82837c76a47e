import type { PriorityClass } from '@chorus/protocol'

// BullMQ runs lower priority numbers first. Each class owns a band; inside it, a fairness key's
// prompts sink the more of them are already waiting, so one flooding group cannot starve a
// quiet one: the quiet group's next prompt sorts before the flood's backlog.
const classBase: Record<PriorityClass, number> = {
  agent_assist: 1,
  customer_service: 100_000,
  private_chat: 200_000,
  api: 300_000,
  group_chat: 400_000,
  batch: 500_000,
}
const maxDemotion = 99_999

/** The BullMQ priority of a prompt of `cls` whose fairness key already has `pending` prompts waiting. */
export function fairPriority(cls: PriorityClass, pending: number): number {
  return classBase[cls] + Math.min(Math.max(0, pending), maxDemotion)
}
