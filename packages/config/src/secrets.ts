/**
 * The value of an environment variable named at run time — a model endpoint's API key, which
 * the panel refers to by variable name so secrets stay in the environment, never in the
 * database. The one place outside the config schemas that reads `process.env`.
 */
export function readSecret(variable: string | null | undefined): string | undefined {
  if (!variable || !/^[A-Z_][A-Z0-9_]*$/.test(variable)) return undefined
  const value = process.env[variable]?.trim()
  return value ? value : undefined
}
