import { access, constants } from 'node:fs/promises'
import { readSecret } from '@chorus/config'
import type { ConnectionResult, ModelEndpointInput } from '@chorus/protocol'

/**
 * "Test connection": an OpenAI-compatible endpoint must list its models (and the configured one
 * among them); a GGUF model must be a readable file. Run from the API process, so an API key
 * variable must be set in its environment too.
 */
export async function testConnection(
  endpoint: Pick<ModelEndpointInput, 'kind' | 'baseUrl' | 'model' | 'apiKeyVariable' | 'ggufPath'>,
): Promise<ConnectionResult> {
  const started = Date.now()
  const took = () => Date.now() - started
  if (endpoint.kind === 'gguf') {
    try {
      await access(endpoint.ggufPath ?? '', constants.R_OK)
      return { ok: true, latencyMs: took(), models: [endpoint.ggufPath ?? ''] }
    } catch {
      return { ok: false, latencyMs: took(), error: `no readable GGUF file at ${endpoint.ggufPath}` }
    }
  }
  const key = readSecret(endpoint.apiKeyVariable)
  if (endpoint.apiKeyVariable && !key) return { ok: false, latencyMs: took(), error: `the variable ${endpoint.apiKeyVariable} is not set` }
  try {
    const res = await fetch(`${(endpoint.baseUrl ?? '').replace(/\/$/, '')}/models`, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
      signal: AbortSignal.timeout(10_000),
    })
    if (!res.ok) return { ok: false, latencyMs: took(), error: `the server answered HTTP ${res.status}` }
    const body = (await res.json()) as { data?: Array<{ id?: unknown }> }
    const models = (body.data ?? []).map((m) => String(m.id))
    if (endpoint.model && !models.includes(endpoint.model)) {
      return {
        ok: false,
        latencyMs: took(),
        error: `the server does not serve ${endpoint.model} (it serves ${models.join(', ') || 'nothing'})`,
      }
    }
    return { ok: true, latencyMs: took(), models }
  } catch (error) {
    return { ok: false, latencyMs: took(), error: `no answer: ${(error as Error).message}` }
  }
}
