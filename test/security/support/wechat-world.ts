import { WeChatStandIn } from '../../support/wechat-stand-in.js'

/**
 * Starts the stand-in of WeChat before the file's stacks (a file-level beforeAll runs before a
 * describe's) and points `env` at it, with `extra` variables; the stacks read `env` as they start.
 */
export function useWeChatStandIn(env: Record<string, string>, extra: Record<string, string> = {}): void {
  let wechat: WeChatStandIn | undefined
  beforeAll(async () => {
    wechat = await WeChatStandIn.start()
    Object.assign(env, { WECHAT_APPID: 'wx-test-app', WECHAT_SECRET: 'wx-test-secret', WECHAT_API_BASE: wechat.url, ...extra })
  })
  afterAll(async () => {
    await wechat?.close()
  })
}
