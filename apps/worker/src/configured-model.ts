import type { Logger } from 'pino'
import type { ModelSource } from '@chorus/config'
import { ensureModelFile, modelLabel, ModelDownloadError, progressBar, progressLines } from '@chorus/llm'
import type { WorkerConfig } from './config.js'

/**
 * CHORUS_MODEL's local file, downloaded on the first start (a bar on a terminal, a log line every
 * 10 s otherwise). Undefined when it cannot be had (offline, not found, wrong checksum): said in
 * one line, and the worker answers from the knowledge base rather than crash-looping.
 */
export async function configuredModelFile(config: WorkerConfig, source: ModelSource, logger: Logger): Promise<string | undefined> {
  const model = modelLabel(source)
  try {
    const file = await ensureModelFile(source, {
      hubUrl: config.CHORUS_MODEL_HUB_URL,
      modelsDir: config.CHORUS_MODELS_DIR,
      progress: (label) =>
        process.stderr.isTTY
          ? progressBar(process.stderr, label)
          : progressLines((line, { received, total }) => logger.info({ model, receivedBytes: received, totalBytes: total }, line), label),
      onNotice: (line) => logger.info({ model }, line),
    })
    logger.info({ model, path: file.path }, file.downloaded ? `downloaded ${model}` : `using ${model} from ${file.path}`)
    return file.path
  } catch (error) {
    if (!(error instanceof ModelDownloadError)) throw error
    logger.warn({ model, reason: error.reason }, `CHORUS_MODEL ${model}: ${error.message}; answering from the knowledge base instead`)
    return undefined
  }
}
