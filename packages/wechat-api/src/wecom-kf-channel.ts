/** A 微信客服 customer's channel id: one per customer per account, `<open_kfid>/<external_userid>`. */
export function weComKfChannelId(openKfId: string, externalUserId: string): string {
  return `${openKfId}/${externalUserId}`
}

/** The account and customer of a channel id written by weComKfChannelId; null for another. */
export function parseWeComKfChannelId(externalId: string): { openKfId: string; externalUserId: string } | null {
  const slash = externalId.indexOf('/')
  if (slash <= 0 || slash === externalId.length - 1) return null
  return { openKfId: externalId.slice(0, slash), externalUserId: externalId.slice(slash + 1) }
}
