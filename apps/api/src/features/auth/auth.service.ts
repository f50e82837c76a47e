import { createHash, randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import type { RateLimit, RateLimiter } from '@chorus/redis'
import { Forbidden, RateLimited, Unauthorized } from '../../http/http-errors.js'
import type { AuditTrail } from '../audit/audit-trail.js'
import type { AuthRepository } from './auth.repository.js'
import { hashPassword, unknownUserHash, verifyPassword } from './passwords.js'

export const sessionTtlMs = 12 * 3600_000
// Five tries per e-mail address per quarter hour (and per member of staff changing their
// password); thirty per client address.
const perEmail = { capacity: 5, perMinute: 5 / 15 }
const perClient = { capacity: 30, perMinute: 30 / 15 }

export interface SignedIn {
  sessionId: string
  staff: { id: string; email: string; displayName: string; role: 'admin' | 'agent'; capacity: number }
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex')

/** Staff sign-in: passwords, bearer sessions (stored as hashes), the bootstrap admin. */
export class AuthService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditTrail,
    private readonly logger: Logger,
  ) {}

  async login(email: string, password: string, client: string): Promise<{ token: string; expiresAt: Date; staff: SignedIn['staff'] }> {
    await this.limit(`login:email:${email.toLowerCase()}`, perEmail, 'sign-in')
    await this.limit(`login:client:${client}`, perClient, 'sign-in')
    const found = await this.repo.findByEmail(email)
    const valid = await verifyPassword(password, found?.passwordHash ?? unknownUserHash)
    if (!found || !valid || found.disabled) {
      await this.audit.record({
        actor: { type: 'staff', id: found?.id },
        action: 'auth.login_failed',
        target: { type: 'staff', id: found?.id },
      })
      throw new Unauthorized('wrong e-mail or password', 'invalid_credentials')
    }
    const token = randomBytes(32).toString('base64url')
    const expiresAt = new Date(Date.now() + sessionTtlMs)
    await this.repo.createSession(found.id, digest(token), expiresAt)
    await this.audit.record({ actor: { type: 'staff', id: found.id }, action: 'auth.login', target: { type: 'staff', id: found.id } })
    const { passwordHash: _hash, disabled: _disabled, ...staff } = found
    return { token, expiresAt, staff }
  }

  /** The signed-in member of staff for a bearer token; Unauthorized when it is unknown, expired or revoked. */
  async authenticate(token: string): Promise<SignedIn> {
    const session = token ? await this.repo.findValidSession(digest(token)) : null
    if (!session) throw new Unauthorized('your session has expired or is not valid; sign in again')
    const { disabled: _disabled, ...staff } = session.staff
    return { sessionId: session.id, staff }
  }

  /** Changes the signed-in member's own password; their other sessions end. Forbidden when `current` is wrong. */
  async changePassword(signedIn: SignedIn, current: string, next: string): Promise<void> {
    const staffId = signedIn.staff.id
    const self = { type: 'staff', id: staffId } as const
    await this.limit(`password:staff:${staffId}`, perEmail, 'password')
    const stored = await this.repo.passwordHashOf(staffId)
    if (!stored || !(await verifyPassword(current, stored))) {
      await this.audit.record({ actor: self, action: 'auth.password_change_failed', target: self })
      throw new Forbidden('the current password is wrong')
    }
    await this.repo.changePassword(staffId, await hashPassword(next), signedIn.sessionId)
    await this.audit.record({ actor: self, action: 'auth.password_change', target: self })
  }

  async logout(signedIn: SignedIn): Promise<void> {
    await this.repo.revokeSession(signedIn.sessionId)
    await this.audit.record({
      actor: { type: 'staff', id: signedIn.staff.id },
      action: 'auth.logout',
      target: { type: 'staff', id: signedIn.staff.id },
    })
  }

  private async limit(key: string, limit: RateLimit, what: string): Promise<void> {
    const decision = await this.limiter.take(key, limit)
    if (!decision.allowed) throw new RateLimited(`too many ${what} attempts; try again later`, Math.ceil(decision.retryAfterMs / 1000))
  }

  /**
   * The first admin (contract): from CHORUS_ADMIN_EMAIL/PASSWORD, or with a random password
   * printed once to the console. Nothing happens once any admin exists.
   */
  async bootstrapAdmin(email: string | undefined, password: string | undefined): Promise<void> {
    if ((await this.repo.countAdmins()) > 0) return
    const address = email ?? 'admin@chorus.local'
    const secret = password ?? randomBytes(12).toString('base64url')
    try {
      await this.repo.createStaff({
        email: address,
        displayName: 'Admin',
        passwordHash: await hashPassword(secret),
        role: 'admin',
        capacity: 5,
      })
    } catch (error) {
      // Another API process created it at the same moment.
      if ((await this.repo.countAdmins()) > 0) return
      throw error
    }
    this.logger.info({ email: address }, 'bootstrap admin created')
    // Printed on purpose, once, and never logged: the only way to learn a generated password.
    if (!password) process.stdout.write(`\nChorus admin: ${address} / ${secret}  (shown once; change it in the panel)\n\n`)
  }
}
