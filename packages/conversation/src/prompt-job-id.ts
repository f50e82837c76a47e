/** The prompt job for an inbound message; one id per message makes queuing idempotent. */
export function promptJobId(messageId: bigint): string {
  return `m-${messageId}`
}
