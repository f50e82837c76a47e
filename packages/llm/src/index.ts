export {
  EngineError,
  RequestRefused,
  type Engine,
  type GenerateChunk,
  type GenerateRequest,
  type GenerateResult,
  type KnowledgeAnswer,
  type Source,
} from './engine.js'
export { LlamaCppEngine, type LlamaCppOptions } from './llama-cpp.engine.js'
export { LlamaCppEmbedder, type LlamaCppEmbedderOptions } from './llama-cpp.embedder.js'
export { OpenAICompatibleEngine, type OpenAICompatibleOptions } from './openai-compatible.engine.js'
export { nodeHttpFetch } from './node-http-fetch.js'
export { refuseNonTextMessages, refuseUnhonoured, stopSequences } from './openai-parameters.js'
export { estimateTokens } from './token-estimate.js'
export { MaskingEngine } from './masking.engine.js'
export { PersonalDataMask } from './personal-data.js'
export { ensureModelFile, modelLabel, type ModelFile, type ModelStoreOptions } from './model-store.js'
export { ModelDownloadError } from './model-download-error.js'
export { progressBar, progressLines, type ProgressReporter } from './download-progress.js'
export type { DownloadProgress } from './model-download.js'
