export { EngineError, type Engine, type GenerateChunk, type GenerateRequest, type GenerateResult } from './engine.js'
export { LlamaCppEngine, type LlamaCppOptions } from './llama-cpp.engine.js'
export { OpenAICompatibleEngine, type OpenAICompatibleOptions } from './openai-compatible.engine.js'
export { estimateTokens } from './token-estimate.js'
