import type { RequestHandler, Response } from 'express'
import { Forbidden, Unauthorized } from '../../http/http-errors.js'
import type { AuthService, SignedIn } from './auth.service.js'

declare global {
  // Express's own extension point for per-request state.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      signedIn?: SignedIn
    }
  }
}

/** Lets a request through only with a valid staff bearer token; the member of staff goes on `res.locals`. */
export function requireStaff(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? ''
    res.locals.signedIn = await auth.authenticate(header.startsWith('Bearer ') ? header.slice(7).trim() : '')
    next()
  }
}

/** Admin-only routes: an agent gets 403. */
export const requireAdmin: RequestHandler = (_req, res, next) => {
  if (signedIn(res).staff.role !== 'admin') throw new Forbidden('admins only')
  next()
}

export function signedIn(res: Response): SignedIn {
  const value = res.locals.signedIn
  if (!value) throw new Unauthorized()
  return value
}
