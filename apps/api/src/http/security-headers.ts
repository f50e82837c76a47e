import type { RequestHandler } from 'express'
import helmet from 'helmet'

/**
 * The web panel's Content-Security-Policy. Its Vite build loads one module script and one
 * stylesheet from /assets (no inline script or style element; React sets styles through the
 * DOM, which CSP allows) and talks only to its own origin. Images may be data: or https: URLs:
 * the WeChat login QR code of a bot is one or the other. No `upgrade-insecure-requests`: a
 * self-hosted panel on plain HTTP in a LAN would then fail to load its own assets.
 */
const contentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'https:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
  },
} as const

/** Helmet's protective headers on every response (docs/security.md lists them). */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy,
    strictTransportSecurity: { maxAge: 365 * 24 * 3600, includeSubDomains: true },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  })
}
