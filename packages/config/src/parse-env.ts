import { type z } from 'zod'
import { chorusEnv } from './env.js'

/** A configuration problem found at start-up; its message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

const knownNames = new Set(Object.keys(chorusEnv.shape))
// Prefixes we own: a variable under them that we do not know is a typo, not someone else's.
const ownedPrefixes = ['CHORUS_', 'WECHAT_', 'WECOM_']

/** A value safe to echo: a URL's password is masked (connection strings often carry one). */
function withoutPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/i, '$1***@')
}

function closest(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined
  for (const known of knownNames) {
    const distance = editDistance(name, known)
    if (!best || distance < best.distance) best = { name: known, distance }
  }
  return best && best.distance <= 3 ? best.name : undefined
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}

/** Variables an admin's MCP server headers may read (`${CHORUS_MCP_…}`), named as the deployment likes. */
export const mcpSecretPrefix = 'CHORUS_MCP_'

/**
 * Parses the environment against `schema` (a pick of `chorusEnv`), treating empty values as
 * unset and rejecting unknown CHORUS_/WECHAT_/WECOM_ variables (CHORUS_MCP_… excepted). Throws ConfigError.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const problems: string[] = []
  for (const name of Object.keys(env)) {
    // CHORUS_MCP_… are the secrets bots' MCP server headers name (docs/tools.md): any name goes.
    if (ownedPrefixes.some((p) => name.startsWith(p)) && !knownNames.has(name) && !name.startsWith(mcpSecretPrefix)) {
      const hint = closest(name)
      problems.push(`${name}: unknown variable${hint ? ` (did you mean ${hint}?)` : ''}`)
    }
  }
  const input: Record<string, string> = {}
  for (const name of Object.keys(schema.shape)) {
    const value = env[name]
    if (value !== undefined && value.trim() !== '') input[name] = value
  }
  const result = schema.safeParse(input)
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = issue.path.join('.') || '(environment)'
      const shown = input[name] === undefined || /SECRET|PASSWORD|KEY|TOKEN/.test(name) ? '' : ` (got "${withoutPassword(input[name])}")`
      problems.push(`${name}: ${issue.message}${shown}`)
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return result.data as z.infer<S>
}

/** Parses the environment once at boot; on a bad value prints why and exits with status 78. */
export function loadConfigOrExit<S extends z.ZodObject>(schema: S, app: string, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  try {
    return parseEnv(schema, env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`chorus ${app}: ${error.message}\n`)
      process.exit(78)
    }
    throw error
  }
}
