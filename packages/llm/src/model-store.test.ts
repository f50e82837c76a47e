import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import type { Socket } from 'node:net'
import { join } from 'node:path'
import { knownModels, type ModelSource } from '@chorus/config'
import { closedPort, startFakeModelHub, type FakeModelHub } from '../../../test/support/fake-model-hub.js'
import type { DownloadProgress } from './model-download.js'
import { ModelDownloadError } from './model-download-error.js'
import { ensureModelFile, type ModelStoreOptions } from './model-store.js'
import { testModelPath } from '../../../test/support/test-model.js'

// A stand-in for the hub on loopback serves a real (tiny) GGUF file, so a download is real bytes,
// hashed and moved into place, in a few milliseconds.
const modelPath = testModelPath()
const content = readFileSync(modelPath)
const sha256 = createHash('sha256').update(content).digest('hex')
const repo = 'tiny/Stories-GGUF'
const source: ModelSource = { kind: 'hub', repo, revision: 'main', path: 'stories260K.gguf' }

let hub: FakeModelHub
let modelsDir: string

beforeEach(async () => {
  hub = await startFakeModelHub([
    { repo, path: 'stories260K.gguf', content },
    { repo, path: 'q4/nested.gguf', content },
    { repo: 'tiny/Tampered-GGUF', path: 'stories260K.gguf', content, listedSha256: 'f'.repeat(64) },
    // Served where the catalog's first model would be: bytes other than the pinned ones.
    { repo: knownModels[0]!.repo, path: knownModels[0]!.path, content },
  ])
  modelsDir = mkdtempSync(join(tmpdir(), 'chorus-models-'))
})

afterEach(async () => {
  await hub.close()
  rmSync(modelsDir, { recursive: true, force: true })
})

const options = (extra: Partial<ModelStoreOptions> = {}): ModelStoreOptions => ({ hubUrl: hub.url, modelsDir, ...extra })

/** What a promise rejected with; fails the test when it resolves. */
async function failureOf(promise: Promise<unknown>): Promise<ModelDownloadError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(ModelDownloadError)
  return error as ModelDownloadError
}

/** Every file under the models folder, relative to it. */
const filesIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile())

describe('ensureModelFile', () => {
  it('downloads a hub file through hub-shaped routes, checks it against the SHA-256 the hub lists, and keeps it per repository', async () => {
    const progress: DownloadProgress[] = []

    const file = await ensureModelFile(source, options({ progress: () => ({ update: (p) => progress.push(p), done: () => undefined }) }))

    expect(file).toEqual({ path: join(modelsDir, 'tiny', 'Stories-GGUF', 'stories260K.gguf'), downloaded: true })
    expect(createHash('sha256').update(readFileSync(file.path)).digest('hex')).toBe(sha256)
    expect(hub.requests.map((r) => r.path)).toEqual([
      `/api/models/${repo}/tree/main`,
      `/${repo}/resolve/main/stories260K.gguf`,
      `/cdn/${sha256}`,
    ])
    expect(progress.at(-1)).toEqual({ received: content.length, total: content.length })
    expect(filesIn(modelsDir)).toEqual([join('tiny', 'Stories-GGUF', 'stories260K.gguf')])
  })

  it('reuses a file already downloaded without asking the network anything', async () => {
    await ensureModelFile(source, options())
    const before = hub.requests.length

    const again = await ensureModelFile(source, options({ hubUrl: `http://127.0.0.1:${await closedPort()}` }))

    expect(again.downloaded).toBe(false)
    expect(hub.requests.length).toBe(before)
  })

  it('lists the folder of a file that sits in one, and keeps the folder locally', async () => {
    const file = await ensureModelFile({ ...source, path: 'q4/nested.gguf' }, options())

    expect(file.path).toBe(join(modelsDir, 'tiny', 'Stories-GGUF', 'q4', 'nested.gguf'))
    expect(hub.requests[0]?.path).toBe(`/api/models/${repo}/tree/main/q4`)
  })

  it('refuses a download whose SHA-256 is not the listed one, and deletes it', async () => {
    const error = await failureOf(ensureModelFile({ ...source, repo: 'tiny/Tampered-GGUF' }, options()))

    expect(error.reason).toBe('checksum')
    expect(error.message).toContain(`expected SHA-256 ${'f'.repeat(64)}, got ${sha256}`)
    expect(filesIn(modelsDir)).toEqual([])
  })

  it('refuses bytes other than a known model’s pinned file before downloading them', async () => {
    const error = await failureOf(ensureModelFile(knownModels[0]!, options()))

    expect(error.reason).toBe('checksum')
    expect(error.message).toContain(`serves ${content.length} bytes, not the expected ${knownModels[0]!.size}`)
    // The pinned checksum needs no API call.
    expect(hub.requests.some((r) => r.path.startsWith('/api/'))).toBe(false)
    expect(filesIn(modelsDir)).toEqual([])
  })

  it('says the hub cannot be reached when nothing listens there', async () => {
    const error = await failureOf(ensureModelFile(source, options({ hubUrl: `http://127.0.0.1:${await closedPort()}` })))

    expect(error.reason).toBe('offline')
    expect(error.message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:\d+ \(connection refused\)$/)
  })

  it('gives up on a hub that accepts the connection but never answers', async () => {
    const { createServer } = await import('node:net')
    const sockets = new Set<Socket>()
    const silent = createServer((socket) => sockets.add(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const port = (silent.address() as { port: number }).port
      const error = await failureOf(ensureModelFile(source, options({ hubUrl: `http://127.0.0.1:${port}`, stallTimeoutMs: 200 })))

      expect(error.reason).toBe('offline')
      expect(error.message).toContain('sent nothing for 0.2 s')
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  it('says a file the hub does not have is missing', async () => {
    const error = await failureOf(ensureModelFile({ ...source, path: 'absent.gguf' }, options()))

    expect(error.reason).toBe('missing')
    expect(error.message).toBe(`${repo} has no file absent.gguf at main`)
  })

  it('keeps an interrupted download and resumes it from where it stopped', async () => {
    hub.cutNextDownloadAfter(400_000)

    const error = await failureOf(ensureModelFile(source, options()))
    const part = join(modelsDir, 'tiny', 'Stories-GGUF', 'stories260K.gguf.part')
    expect(error.reason).toBe('offline')
    // What the hub sent before the cut, less what the client had not read when the stream failed
    // (a failing fetch body drops the chunks still queued in it): a prefix of the file, kept.
    const kept = statSync(part).size
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThanOrEqual(400_000)
    expect(readFileSync(part).equals(content.subarray(0, kept))).toBe(true)

    const file = await ensureModelFile(source, options())
    expect(hub.requests.at(-1)).toMatchObject({ path: `/cdn/${sha256}`, range: `bytes=${kept}-` })
    expect(createHash('sha256').update(readFileSync(file.path)).digest('hex')).toBe(sha256)
    expect(existsSync(part)).toBe(false)
  })

  it('downloads a plain URL once when two callers want it at the same time', async () => {
    const url: ModelSource = { kind: 'url', url: `${hub.url}/plain/stories260K.gguf`, sha256 }

    const [first, second] = await Promise.all([ensureModelFile(url, options()), ensureModelFile(url, options())])

    expect(hub.downloads()).toBe(1)
    expect(first.path).toBe(second.path)
    expect(first.path).toBe(join(modelsDir, new URL(hub.url).host.replace(':', '_'), 'plain', 'stories260K.gguf'))
    expect([first.downloaded, second.downloaded].sort()).toEqual([false, true])
  })

  it('checks a hub-shaped URL against that hub’s API', async () => {
    const url: ModelSource = { kind: 'url', url: `${hub.url}/tiny/Tampered-GGUF/resolve/main/stories260K.gguf` }

    const error = await failureOf(ensureModelFile(url, options({ hubUrl: 'http://unused.invalid' })))

    expect(error.reason).toBe('checksum')
    expect(hub.requests[0]?.path).toBe('/api/models/tiny/Tampered-GGUF/tree/main')
  })
})
