import { WeChatStandIn } from './wechat-stand-in.js'

/**
 * Starts the stand-in of WeChat before the file's stacks (a file-level beforeAll runs before a
 * describe's) and points `env` at it, with `extra` variables; the stacks read `env` as they start.
 * Returns a getter for the stand-in (its calls, its switches), which exists once beforeAll ran.
 */
export function useWeChatStandIn(env: Record<string, string>, extra: Record<string, string> = {}): () => WeChatStandIn {
  let wechat: WeChatStandIn | undefined
  beforeAll(async () => {
    wechat = await WeChatStandIn.start()
    Object.assign(env, { WECHAT_APPID: 'wx-test-app', WECHAT_SECRET: 'wx-test-secret', WECHAT_API_BASE: wechat.url, ...extra })
  })
  afterAll(async () => {
    await wechat?.close()
  })
  return () => {
    if (!wechat) throw new Error('the WeChat stand-in has not started')
    return wechat
  }
}
