import { existsSync } from 'node:fs'
import OpenAI from 'openai'
import type { Logger } from 'pino'
import { LlamaCppEngine, MaskingEngine, modelLabel, OpenAICompatibleEngine, type Engine } from '@chorus/llm'
import { createLogger, readSecret } from '@chorus/config'
import { KnowledgeAnswerer } from '@chorus/knowledge'
import type { WorkerConfig } from './config.js'
import { configuredModelFile } from './configured-model.js'
import type { EndpointToDrive } from './model-endpoints.repository.js'

/**
 * Picks the inference engine from configuration, first set wins: an OpenAI-compatible server
 * (CHORUS_MODEL_URL), a local GGUF file (CHORUS_GGUF_PATH), a GGUF model downloaded on first start
 * (CHORUS_MODEL), else the built-in knowledge answerer (answers from the bot's documents alone).
 */
export async function selectEngine(config: WorkerConfig, logger: Logger = createLogger('worker', config.LOG_LEVEL)): Promise<Engine> {
  const overridden = config.CHORUS_MODEL_URL ? 'CHORUS_MODEL_URL' : config.CHORUS_GGUF_PATH ? 'CHORUS_GGUF_PATH' : undefined
  if (config.CHORUS_MODEL && overridden) {
    logger.warn({ model: modelLabel(config.CHORUS_MODEL) }, `CHORUS_MODEL is ignored: ${overridden} is set and wins over it`)
  }
  if (config.CHORUS_MODEL_URL) {
    const model = config.CHORUS_MODEL_NAME ?? (await firstServedModel(config.CHORUS_MODEL_URL, config.CHORUS_MODEL_API_KEY))
    return new OpenAICompatibleEngine({ baseURL: config.CHORUS_MODEL_URL, model, apiKey: config.CHORUS_MODEL_API_KEY })
  }
  if (config.CHORUS_GGUF_PATH) {
    if (!existsSync(config.CHORUS_GGUF_PATH)) throw new Error(`CHORUS_GGUF_PATH: no file at ${config.CHORUS_GGUF_PATH}`)
    return localModel(config, config.CHORUS_GGUF_PATH)
  }
  if (config.CHORUS_MODEL) {
    const modelPath = await configuredModelFile(config, config.CHORUS_MODEL, logger)
    if (modelPath) return localModel(config, modelPath)
  }
  // No model configured, or the configured one could not be downloaded: answer from the knowledge base alone (docs/knowledge.md).
  return new KnowledgeAnswerer()
}

/** A GGUF file served in-process through node-llama-cpp, one sequence per request in flight (at most 8). */
function localModel(config: WorkerConfig, modelPath: string): Promise<LlamaCppEngine> {
  return LlamaCppEngine.load({ modelPath, sequences: Math.min(config.CHORUS_WORKER_CONCURRENCY, 8) })
}

/** The engine for one replica of a model endpoint managed in the panel. */
export async function engineForEndpoint(endpoint: EndpointToDrive): Promise<Engine> {
  if (endpoint.kind === 'gguf') {
    if (!endpoint.ggufPath || !existsSync(endpoint.ggufPath))
      throw new Error(`model endpoint ${endpoint.name}: no GGUF file at ${endpoint.ggufPath}`)
    return LlamaCppEngine.load({ modelPath: endpoint.ggufPath, sequences: Math.min(endpoint.concurrency, 8) })
  }
  if (!endpoint.baseUrl) throw new Error(`model endpoint ${endpoint.name} has no base URL`)
  const apiKey = readSecret(endpoint.apiKeyVariable)
  const model = endpoint.model ?? (await firstServedModel(endpoint.baseUrl, apiKey))
  const engine = new OpenAICompatibleEngine({ baseURL: endpoint.baseUrl, model, apiKey })
  // Prompts to a hosted API leave the company's network: personal data is masked on the way out.
  return endpoint.leavesNetwork ? new MaskingEngine(engine) : engine
}

async function firstServedModel(baseURL: string, apiKey: string | undefined): Promise<string> {
  const client = new OpenAI({ baseURL, apiKey: apiKey ?? 'unused', maxRetries: 2, timeout: 10_000 })
  const page = await client.models.list()
  const first = page.data[0]
  if (!first) throw new Error(`CHORUS_MODEL_NAME is not set and ${baseURL} serves no model`)
  return first.id
}
