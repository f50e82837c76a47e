import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The tiny GGUF model tests run node-llama-cpp on: `TEST_GGUF_PATH`, else stories260K from the
 * shared models folder beside the project (../shared/models/README.md). Fails with a clear message
 * when the file is not there.
 */
export function testModelPath(): string {
  const path = process.env.TEST_GGUF_PATH ?? fileURLToPath(new URL('../../../shared/models/stories260K.gguf', import.meta.url))
  if (!existsSync(path)) throw new Error(`test model not found at ${path}: set TEST_GGUF_PATH to a GGUF file (e.g. stories260K.gguf)`)
  return path
}
