import type { Llama, LlamaLogLevel } from 'node-llama-cpp'

const runtimes = new Map<boolean, Promise<Llama>>()

// llama.cpp prints this once per embedding of a pooled model (node-llama-cpp asks for the last
// token's output only, llama.cpp widens it to every token): true, harmless, and one stderr line
// per chunk and per question.
const harmless = /embeddings required but some input tokens were not marked as outputs/

/**
 * The process's node-llama-cpp runtime, loaded on first use and shared by every local model
 * (generation and embeddings): llama.cpp's log callback is process-wide, and one runtime keeps
 * one account of the memory its models use. Never builds llama.cpp: the prebuilt binary or nothing.
 */
export function llamaRuntime(gpu = false): Promise<Llama> {
  let runtime = runtimes.get(gpu)
  if (!runtime) {
    runtime = (async () => {
      // Loaded on demand: most deployments never touch the native binding.
      const { getLlama, Llama } = await import('node-llama-cpp')
      const logger = (level: LlamaLogLevel, message: string) => {
        if (!harmless.test(message)) Llama.defaultConsoleLogger(level, message)
      }
      return getLlama({ gpu: gpu ? 'auto' : false, build: 'never', logger })
    })()
    // A failed start is not kept: the next model to load tries again.
    runtime.catch(() => runtimes.delete(gpu))
    runtimes.set(gpu, runtime)
  }
  return runtime
}
