import { z } from 'zod'

// Zod compiles object parsers with `new Function` when it may; the panel's Content-Security-Policy
// forbids eval (docs/security.md), and even zod's probe for it would be reported as a violation.
// Imported first by main.tsx, before any response is parsed.
z.config({ jitless: true })
