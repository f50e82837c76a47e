import type { Request, Response } from 'express'
import type { Logger } from 'pino'
import type { EmbeddingModel } from '@chorus/knowledge'
import { embeddingsRequest } from '@chorus/protocol'
import { invalidBody, OpenAIError } from './openai-errors.js'

/** A vector as OpenAI's `encoding_format: "base64"` sends it: little-endian float32 bytes. */
function base64Of(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4)
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4))
  return bytes.toString('base64')
}

/**
 * `POST /v1/embeddings` through the embedding model knowledge uses (an endpoint, or the local
 * GGUF model): what it cannot do (token arrays, other dimensions, empty texts) is refused, not guessed.
 */
export function embeddingsRoute(model: EmbeddingModel | undefined, logger: Logger) {
  return async (req: Request, res: Response): Promise<void> => {
    const parsed = embeddingsRequest.safeParse(req.body)
    if (!parsed.success) throw invalidBody(parsed.error)
    const request = parsed.data
    if (!model) {
      throw new OpenAIError(
        404,
        'invalid_request_error',
        'model_not_found',
        'No embedding model is configured (CHORUS_EMBEDDING_URL or CHORUS_EMBEDDING_GGUF).',
        'model',
      )
    }
    if (request.model !== model.name) {
      throw new OpenAIError(
        404,
        'invalid_request_error',
        'model_not_found',
        `The model '${request.model}' does not exist. Embeddings are served by '${model.name}'.`,
        'model',
      )
    }
    const texts = typeof request.input === 'string' ? [request.input] : request.input
    const empty = texts.findIndex((text) => text.length === 0)
    if (empty >= 0) {
      const param = typeof request.input === 'string' ? 'input' : `input.${empty}`
      throw new OpenAIError(400, 'invalid_request_error', 'invalid_value', 'An input text must not be empty.', param)
    }
    let embedded: Awaited<ReturnType<EmbeddingModel['embed']>>
    try {
      embedded = await model.embed(texts)
    } catch (error) {
      logger.error({ err: error, texts: texts.length }, 'embedding failed')
      throw new OpenAIError(502, 'server_error', 'embedding_failed', 'The embedding model could not embed this input.')
    }
    const dimension = embedded.vectors[0]?.length ?? 0
    if (request.dimensions !== undefined && request.dimensions !== dimension) {
      throw new OpenAIError(
        400,
        'invalid_request_error',
        'unsupported_parameter',
        `This model's vectors have ${dimension} dimensions and cannot be shortened.`,
        'dimensions',
      )
    }
    res.json({
      object: 'list',
      data: embedded.vectors.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: request.encoding_format === 'base64' ? base64Of(vector) : Array.from(vector),
      })),
      model: model.name,
      usage: { prompt_tokens: embedded.promptTokens, total_tokens: embedded.promptTokens },
    })
  }
}
