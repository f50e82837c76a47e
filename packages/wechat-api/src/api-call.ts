import type { z } from 'zod'
import type { AccessTokens } from './access-token.js'
import { isStaleToken, WeChatApiError } from './errors.js'

/** The error fields every answer of WeChat's and WeCom's server APIs may carry. */
export type ErrorFields = { errcode?: number; errmsg?: string }

/**
 * One call to WeChat's (or WeCom's) server API: POST with a JSON body, or GET without one. A
 * non-zero errcode, no answer, or an answer of another shape is a WeChatApiError.
 */
export async function callApi<T extends z.ZodType<ErrorFields>>(request: {
  url: string
  endpoint: string
  payload: unknown
  schema: T
  timeoutMs: number
}): Promise<z.infer<T>> {
  const { url, endpoint, payload, schema } = request
  let response: Response
  try {
    response = await fetch(url, {
      method: payload === undefined ? 'GET' : 'POST',
      headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      body: payload === undefined ? undefined : JSON.stringify(payload),
      signal: AbortSignal.timeout(request.timeoutMs),
    })
  } catch (error) {
    throw new WeChatApiError(endpoint, -1, `no answer: ${(error as Error).message}`)
  }
  if (!response.ok) throw new WeChatApiError(endpoint, -1, `HTTP ${response.status}`)
  const parsed = schema.safeParse(await response.json().catch(() => null))
  if (!parsed.success) throw new WeChatApiError(endpoint, -1, 'an answer of an unexpected shape')
  const body = parsed.data
  if (body.errcode) throw new WeChatApiError(endpoint, body.errcode, body.errmsg ?? '')
  return body
}

/** Runs `attempt` with the access token; when it is refused as stale (40001, 40014, 42001), once more with a fresh one. */
export async function withAccessToken<R>(tokens: AccessTokens, attempt: (token: string) => Promise<R>): Promise<R> {
  const token = await tokens.get()
  try {
    return await attempt(token)
  } catch (error) {
    if (!isStaleToken(error)) throw error
    return attempt(await tokens.refresh(token))
  }
}

/** Calls to one of Tencent's server APIs (WeChat's, WeCom's) at `base`, authorised by the access token `tokens` keeps. */
export class TokenApi {
  constructor(
    private readonly base: string,
    private readonly tokens: AccessTokens,
    private readonly timeoutMs: number,
  ) {}

  /** A call authorised by the access token; refreshed once when it is refused as stale (40001, 40014, 42001). */
  withToken<T extends z.ZodType<ErrorFields>>(endpoint: string, path: string, payload: unknown, schema: T): Promise<z.infer<T>> {
    return withAccessToken(this.tokens, (token) =>
      this.call(endpoint, `${path}?access_token=${encodeURIComponent(token)}`, payload, schema),
    )
  }

  /** A call without the token (the token's own endpoint, a login code's). */
  call<T extends z.ZodType<ErrorFields>>(endpoint: string, path: string, payload: unknown, schema: T): Promise<z.infer<T>> {
    return callApi({ url: `${this.base}${path}`, endpoint, payload, schema, timeoutMs: this.timeoutMs })
  }
}
