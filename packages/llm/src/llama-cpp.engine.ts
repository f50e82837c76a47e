import { availableParallelism } from 'node:os'
import type { ChatHistoryItem, LlamaChatSession, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp'
import { textOf } from '@chorus/protocol'
import { EngineError, type Engine, type GenerateChunk, type GenerateRequest, type GenerateResult } from './engine.js'
import { llamaRuntime } from './llama-runtime.js'

export interface LlamaCppOptions {
  modelPath: string
  /** Parallel sequences on one context: the replica's concurrency. */
  sequences?: number
  contextSize?: number
  /** Never left to node-llama-cpp: unset, generation ran ~400x slower on small machines. */
  threads?: number
  gpu?: boolean
}

/** A local GGUF model served in-process through node-llama-cpp (generation runs on native threads). */
export class LlamaCppEngine implements Engine {
  readonly kind = 'llama-cpp'
  readonly model: string
  private free: number

  private constructor(
    private readonly llamaModel: LlamaModel,
    private readonly context: LlamaContext,
    private readonly Session: typeof LlamaChatSession,
    sequences: number,
    modelPath: string,
  ) {
    this.model = modelPath
      .split('/')
      .pop()!
      .replace(/\.gguf$/i, '')
    this.free = sequences
  }

  static async load(options: LlamaCppOptions): Promise<LlamaCppEngine> {
    const { LlamaChatSession } = await import('node-llama-cpp')
    const llama = await llamaRuntime(options.gpu)
    const model = await llama.loadModel({ modelPath: options.modelPath })
    const sequences = options.sequences ?? 2
    const context = await model.createContext({
      contextSize: options.contextSize ?? 1024 * sequences,
      sequences,
      // Leave a core for the event loop and the rest of the process.
      threads: options.threads ?? Math.max(1, availableParallelism() - 1),
    })
    return new LlamaCppEngine(model, context, LlamaChatSession, sequences, options.modelPath)
  }

  async generate(request: GenerateRequest, onChunk: (chunk: GenerateChunk) => void): Promise<GenerateResult> {
    if (this.free <= 0) throw new EngineError('all sequences of the local model are busy', true)
    let sequence: LlamaContextSequence
    try {
      sequence = this.context.getSequence()
    } catch (error) {
      throw new EngineError(`local model has no free sequence: ${(error as Error).message}`, true, { cause: error })
    }
    this.free--
    try {
      const session = new this.Session({ contextSequence: sequence, autoDisposeSequence: false })
      const turns = request.messages
      const last = turns[turns.length - 1]
      const history: ChatHistoryItem[] = []
      for (const message of turns.slice(0, -1)) {
        // Local text models read text only: images are left out.
        const text = textOf(message.content)
        if (message.role === 'system') history.push({ type: 'system', text })
        else if (message.role === 'user') history.push({ type: 'user', text })
        else history.push({ type: 'model', response: [text] })
      }
      session.setChatHistory(history)
      let chunks = 0
      const text = await session.prompt(last ? textOf(last.content) : '', {
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        signal: request.signal,
        stopOnAbortSignal: false,
        onTextChunk: (piece) => {
          chunks++
          onChunk({ text: piece })
        },
      })
      const completionTokens = sequence.tokenMeter.usedOutputTokens || this.llamaModel.tokenize(text).length || chunks
      return {
        text,
        promptTokens: sequence.tokenMeter.usedInputTokens,
        completionTokens,
        finishReason: completionTokens >= request.maxTokens ? 'length' : 'stop',
      }
    } catch (error) {
      if (request.signal?.aborted) throw error
      throw new EngineError(`local model failed: ${(error as Error).message}`, false, { cause: error })
    } finally {
      // Awaited: the sequence id returns to the context's pool only when dispose settles, and
      // `free` must not count a slot that getSequence() would still refuse.
      await sequence.dispose()
      this.free++
    }
  }

  async probe(): Promise<void> {
    if (this.context.disposed) throw new EngineError('the local model was unloaded', false)
  }

  async close(): Promise<void> {
    await this.context.dispose()
    await this.llamaModel.dispose()
  }
}
