import { createHash, randomBytes } from 'node:crypto'
import type { RequestHandler, Response } from 'express'
import { errcodes, WeChatApiError, type WeChatClient } from '@chorus/wechat-api'
import { HttpError, NotFound, RateLimited, Unauthorized, UpstreamFailed } from '../../http/http-errors.js'
import type { MiniProgramRepository } from './miniprogram.repository.js'

export const miniProgramSessionTtlSeconds = 7 * 24 * 3600

export interface MiniProgramUser {
  endUserId: string
  openid: string
  botId: string
}

declare global {
  // Express's own extension point for per-request state.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      mpUser?: MiniProgramUser
    }
  }
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex')

/** WeChat's login errors as answers a mini-program can act on. */
function loginError(error: WeChatApiError): HttpError {
  switch (error.errcode) {
    case errcodes.invalidCode:
      return new HttpError(400, 'invalid_code', 'the login code is invalid or was used already; call wx.login again')
    case errcodes.codeUsed:
      return new HttpError(400, 'code_used', 'the login code was used already (each works once); call wx.login again')
    case errcodes.codeRateLimited:
      return new RateLimited('too many logins for this user; try again in a minute', 60)
    case errcodes.highRiskUser:
      return new HttpError(403, 'blocked_user', 'WeChat blocked this user from logging in')
    default:
      return new UpstreamFailed('WeChat login is unavailable right now; try again')
  }
}

/** Mini-program login (`wx.login` code → our own token) and the token check on every other route. */
export class MiniProgramAuth {
  constructor(
    private readonly repo: MiniProgramRepository,
    private readonly wechat: WeChatClient | null,
    private readonly defaultBot: string,
  ) {}

  async login(code: string, botName: string | undefined): Promise<{ token: string; expiresIn: number }> {
    if (!this.wechat) throw new HttpError(503, 'not_configured', 'the mini-program is not configured (WECHAT_APPID, WECHAT_SECRET)')
    const bot = await this.repo.findBotByName(botName ?? this.defaultBot)
    if (!bot) throw new NotFound(`no bot named ${botName ?? this.defaultBot}`)
    let session
    try {
      session = await this.wechat.code2Session(code)
    } catch (error) {
      if (error instanceof WeChatApiError) throw loginError(error)
      throw error
    }
    const user = await this.repo.ensureUser(session.openid, session.unionid)
    const token = randomBytes(32).toString('base64url')
    await this.repo.createSession(user.id, bot.id, digest(token), new Date(Date.now() + miniProgramSessionTtlSeconds * 1000))
    return { token, expiresIn: miniProgramSessionTtlSeconds }
  }

  /** Lets a request through only with a valid mini-program token. */
  middleware(): RequestHandler {
    return async (req, res, next) => {
      const header = req.get('authorization') ?? ''
      const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
      const session = token ? await this.repo.findValidSession(digest(token)) : null
      if (!session) throw new Unauthorized('log in again: the token is missing, expired or not valid')
      res.locals.mpUser = { endUserId: session.endUser.id, openid: session.endUser.platformId, botId: session.botId }
      next()
    }
  }
}

export function miniProgramUser(res: Response): MiniProgramUser {
  const user = res.locals.mpUser
  if (!user) throw new Unauthorized()
  return user
}
