import type { RequestHandler } from 'express'

const allowedMethods = 'GET, POST, PUT, PATCH, DELETE'
const allowedHeaders = 'authorization, content-type, accept'

/**
 * CORS, closed by default: only a request from an origin in `allowed` (CHORUS_CORS_ORIGINS)
 * gets Access-Control-* headers, and only its preflight is answered here. Tokens travel in the
 * Authorization header, never in cookies, so credentials are never allowed.
 */
export function cors(allowed: readonly string[]): RequestHandler {
  const origins = new Set(allowed)
  return (req, res, next) => {
    if (origins.size === 0) return next()
    res.vary('Origin')
    const origin = req.get('origin')
    if (!origin || !origins.has(origin)) return next()
    res.setHeader('access-control-allow-origin', origin)
    res.setHeader('access-control-expose-headers', 'retry-after, content-disposition')
    if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
      res.setHeader('access-control-allow-methods', allowedMethods)
      res.setHeader('access-control-allow-headers', allowedHeaders)
      res.setHeader('access-control-max-age', '600')
      res.status(204).end()
      return
    }
    next()
  }
}
