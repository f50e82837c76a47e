import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jest } from '@jest/globals'
import { pino } from 'pino'
import { parseEnv } from '@chorus/config'
import { KnowledgeAnswerer } from '@chorus/knowledge'
import { LlamaCppEngine, type Engine } from '@chorus/llm'
import { closedPort, startFakeModelHub, type FakeModelHub } from '../../../test/support/fake-model-hub.js'
import { workerConfigSchema } from './config.js'
import { selectEngine } from './select-engine.js'
import { testModelPath } from '../../../test/support/test-model.js'

// CHORUS_MODEL end to end in the worker: the hub is a loopback stand-in serving the tiny
// stories260K GGUF, and node-llama-cpp really loads what was downloaded (under a second).
const modelPath = testModelPath()
const content = readFileSync(modelPath)
const repo = 'tiny/Stories-GGUF'

let hub: FakeModelHub
let modelsDir: string
const engines: Engine[] = []

beforeEach(async () => {
  hub = await startFakeModelHub([
    { repo, path: 'stories260K.gguf', content },
    { repo: 'tiny/Tampered-GGUF', path: 'stories260K.gguf', content, listedSha256: '0'.repeat(64) },
  ])
  modelsDir = mkdtempSync(join(tmpdir(), 'chorus-worker-models-'))
})

afterEach(async () => {
  for (const engine of engines.splice(0)) if (engine instanceof LlamaCppEngine) await engine.close()
  await hub.close()
  rmSync(modelsDir, { recursive: true, force: true })
})

function configWith(env: Record<string, string>) {
  return parseEnv(workerConfigSchema, {
    CHORUS_MODEL_HUB_URL: hub.url,
    CHORUS_MODELS_DIR: modelsDir,
    CHORUS_WORKER_CONCURRENCY: '1',
    ...env,
  })
}

/** selectEngine with a logger whose lines the test reads. */
async function select(env: Record<string, string>) {
  const lines: { level: number; msg: string }[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) })
  const engine = await selectEngine(configWith(env), logger)
  engines.push(engine)
  return { engine, lines, warnings: lines.filter((line) => line.level >= 40).map((line) => line.msg) }
}

describe('selectEngine with CHORUS_MODEL', () => {
  it('downloads the model on the first start, checks it, and serves it through node-llama-cpp', async () => {
    const load = jest.spyOn(LlamaCppEngine, 'load')
    try {
      const { engine, warnings } = await select({ CHORUS_MODEL: `hf:${repo}/stories260K.gguf` })

      const downloaded = join(modelsDir, 'tiny', 'Stories-GGUF', 'stories260K.gguf')
      expect(load).toHaveBeenCalledWith({ modelPath: downloaded, sequences: 1 })
      expect(engine).toBeInstanceOf(LlamaCppEngine)
      expect(engine.model).toBe('stories260K')
      expect(createHash('sha256').update(readFileSync(downloaded)).digest('hex')).toBe(createHash('sha256').update(content).digest('hex'))
      expect(warnings).toEqual([])
      const reply = await engine.generate({ messages: [{ role: 'user', content: 'Once upon a time' }], maxTokens: 8 }, () => undefined)
      expect(reply.completionTokens).toBeGreaterThan(0)
    } finally {
      load.mockRestore()
    }
  })

  it('reuses the downloaded file on the next start without a request to the hub', async () => {
    await select({ CHORUS_MODEL: `hf:${repo}/stories260K.gguf` })
    const requests = hub.requests.length

    const { engine } = await select({ CHORUS_MODEL: `hf:${repo}/stories260K.gguf` })

    expect(engine).toBeInstanceOf(LlamaCppEngine)
    expect(hub.requests.length).toBe(requests)
    expect(hub.downloads()).toBe(1)
  })

  it('answers from the knowledge base when the hub cannot be reached, saying so in one line', async () => {
    const { engine, warnings } = await select({
      CHORUS_MODEL: `hf:${repo}/stories260K.gguf`,
      CHORUS_MODEL_HUB_URL: `http://127.0.0.1:${await closedPort()}`,
    })

    expect(engine).toBeInstanceOf(KnowledgeAnswerer)
    expect(warnings).toEqual([
      expect.stringMatching(
        /^CHORUS_MODEL hf:tiny\/Stories-GGUF\/stories260K\.gguf: cannot reach http:\/\/127\.0\.0\.1:\d+ \(connection refused\); answering from the knowledge base instead$/,
      ),
    ])
  })

  it('refuses a download with the wrong checksum, deletes it, and answers from the knowledge base', async () => {
    const { engine, warnings } = await select({ CHORUS_MODEL: 'hf:tiny/Tampered-GGUF/stories260K.gguf' })

    expect(engine).toBeInstanceOf(KnowledgeAnswerer)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('checksum mismatch')
    expect(warnings[0]).toContain('the download was deleted; answering from the knowledge base instead')
    expect(existsSync(join(modelsDir, 'tiny', 'Tampered-GGUF', 'stories260K.gguf'))).toBe(false)
    expect(existsSync(join(modelsDir, 'tiny', 'Tampered-GGUF', 'stories260K.gguf.part'))).toBe(false)
  })

  it('leaves CHORUS_MODEL aside when CHORUS_GGUF_PATH is set, and says so', async () => {
    const { engine, warnings } = await select({ CHORUS_MODEL: `hf:${repo}/stories260K.gguf`, CHORUS_GGUF_PATH: modelPath })

    expect(engine).toBeInstanceOf(LlamaCppEngine)
    expect(hub.requests).toEqual([])
    expect(warnings).toEqual(['CHORUS_MODEL is ignored: CHORUS_GGUF_PATH is set and wins over it'])
  })
})
