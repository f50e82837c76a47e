/**
 * How old a message may be and still be answered. After logging in, a puppet replays messages
 * that arrived while the bot was away; answering hours-old questions in a group would surprise
 * everyone, so older ones are only kept as history.
 */
export const backlogAfterSeconds = 3 * 60

/** A message this many seconds old is backlog: stored, never answered. */
export function isBacklog(ageSeconds: number): boolean {
  return ageSeconds > backlogAfterSeconds
}
