import { WeChatClient } from './client.js'
import { WeComKfClient } from './wecom-kf-client.js'
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

export interface WeComConfig {
  WECOM_CORP_ID?: string
  WECOM_KF_SECRET?: string
  WECOM_KF_TOKEN?: string
  WECOM_KF_AES_KEY?: string
  WECOM_API_BASE: string
}

/** Where every process shares WeCom's 微信客服 access token, under the deployment's key prefix. */
export function weComTokenKey(keys: { prefix: string }): string {
  return `${keys.prefix}:wecom:kf:token`
}

/**
 * The 微信客服 API client, its access token shared in Redis (`weComTokenKey`): null unless all
 * of WECOM_CORP_ID, WECOM_KF_SECRET, WECOM_KF_TOKEN and WECOM_KF_AES_KEY are set (the channel is
 * on only with its callback).
 */
export function weComKfFromConfig(config: WeComConfig, redis: RedisLike, keys: { prefix: string }): WeComKfClient | null {
  const { WECOM_CORP_ID: corpId, WECOM_KF_SECRET: secret, WECOM_KF_TOKEN: token, WECOM_KF_AES_KEY: aesKey } = config
  if (!corpId || !secret || !token || !aesKey) return null
  return new WeComKfClient({ corpId, secret, apiBase: config.WECOM_API_BASE, tokenStore: new RedisTokenStore(redis, weComTokenKey(keys)) })
}
