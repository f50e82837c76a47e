import { WeChatClient } from './client.js'
import { ContentCheck, RedisTokenStore, type ContentCheckEvents, type ContentCheckPolicy, type RedisLike } from './content-check.js'

export interface WeChatConfig {
  WECHAT_APPID?: string
  WECHAT_SECRET?: string
  WECHAT_API_BASE: string
  WECHAT_CONTENT_CHECK: 'off' | ContentCheckPolicy
}

/** Where every process shares the mini-program's WeChat access token, under the deployment's key prefix. */
export function wechatTokenKey(keys: { prefix: string }): string {
  return `${keys.prefix}:wechat:token`
}

/**
 * The mini-program's WeChat client (null without WECHAT_APPID and WECHAT_SECRET), its access
 * token shared in Redis (`wechatTokenKey`), and the content check unless it is off (reporting its
 * failures and unchecked texts to `checkEvents`).
 */
export function wechatFromConfig(
  config: WeChatConfig,
  redis: RedisLike,
  keys: { prefix: string },
  checkEvents?: ContentCheckEvents,
): { client: WeChatClient; contentCheck: ContentCheck | null } | null {
  if (!config.WECHAT_APPID || !config.WECHAT_SECRET) return null
  const client = new WeChatClient({
    appId: config.WECHAT_APPID,
    secret: config.WECHAT_SECRET,
    apiBase: config.WECHAT_API_BASE,
    tokenStore: new RedisTokenStore(redis, wechatTokenKey(keys)),
  })
  const contentCheck = config.WECHAT_CONTENT_CHECK === 'off' ? null : new ContentCheck(client, config.WECHAT_CONTENT_CHECK, checkEvents)
  return { client, contentCheck }
}
