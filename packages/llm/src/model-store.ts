import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { z } from 'zod'
import type { ModelSource } from '@chorus/config'
import type { ProgressReporter } from './download-progress.js'
import { downloadVerified, fetchWithStallTimeout, type ExpectedFile } from './model-download.js'
import { ModelDownloadError, networkFailure } from './model-download-error.js'
import { withFileLock } from './model-file-lock.js'

export interface ModelStoreOptions {
  /** The Hugging Face hub or a mirror: `hub` sources download from here. */
  hubUrl: string
  /** Where downloads are kept, one folder per repository (or host). */
  modelsDir: string
  /** A reporter for a download that starts; none, no progress shown. */
  progress?: (label: string) => ProgressReporter
  /** One line each for what is worth saying but is no failure (waiting for another process, no checksum). */
  onNotice?: (line: string) => void
  /** A server silent for this long counts as offline. */
  stallTimeoutMs?: number
}

export interface ModelFile {
  path: string
  /** Whether this call downloaded it (false: it was already there). */
  downloaded: boolean
}

/** How a model source is named in logs: its catalog name, `hf:` reference or URL. */
export function modelLabel(source: ModelSource): string {
  if (source.kind === 'url') return source.url
  return source.name ?? `hf:${source.repo}/${source.path}`
}

// One entry of the hub's `GET /api/models/<repo>/tree/<revision>[/<folder>]` (what huggingface.js
// reads as ListFileEntry): Git LFS files carry their SHA-256 as `lfs.oid`.
const treeEntries = z.array(
  z.object({
    type: z.string(),
    path: z.string(),
    size: z.number(),
    lfs: z.object({ oid: z.string().regex(/^[0-9a-f]{64}$/), size: z.number() }).optional(),
  }),
)

interface HubFile {
  base: string
  repo: string
  revision: string
  path: string
}

/** A URL of the form `<hub>/<owner>/<repo>/resolve/<revision>/<path>` names a hub file. */
function hubFileOf(url: string): HubFile | undefined {
  const parsed = new URL(url)
  const match = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(parsed.pathname)
  if (!match) return undefined
  return { base: parsed.origin, repo: match[1]!, revision: decodeURIComponent(match[2]!), path: decodeURIComponent(match[3]!) }
}

/** The file's size and SHA-256 as the hub's API lists them. */
async function hubChecksum(file: HubFile, stallTimeoutMs: number): Promise<ExpectedFile> {
  const segments = file.path.split('/').slice(0, -1)
  const folder = segments.map((segment) => `/${encodeURIComponent(segment)}`).join('')
  const api = `${file.base}/api/models/${file.repo}/tree/${encodeURIComponent(file.revision)}${folder}`
  const { response, stop } = await fetchWithStallTimeout(api, stallTimeoutMs, { accept: 'application/json' })
  try {
    if (response.status !== 200) {
      await response.body?.cancel()
      throw new ModelDownloadError(`${api} answered HTTP ${response.status}`, response.status === 404 ? 'missing' : 'http')
    }
    const listed = treeEntries.safeParse(
      await response.json().catch((error: unknown) => {
        // Not JSON (a captive portal's page, say) is an answer of the wrong kind; a cut connection stays a network failure.
        if (error instanceof SyntaxError) return undefined
        throw error
      }),
    )
    if (!listed.success) throw new ModelDownloadError(`${api} did not answer with a file list`, 'http')
    const entry = listed.data.find((e) => e.type === 'file' && e.path === file.path)
    if (!entry) throw new ModelDownloadError(`${file.repo} has no file ${file.path} at ${file.revision}`, 'missing')
    return entry.lfs ? { sha256: entry.lfs.oid, size: entry.lfs.size } : { size: entry.size }
  } catch (error) {
    throw networkFailure(api, error)
  } finally {
    stop()
  }
}

/** Where a source's file is kept, where it downloads from, and what is already known of it. */
function locate(source: ModelSource, options: ModelStoreOptions) {
  if (source.kind === 'hub') {
    const file: HubFile = { base: options.hubUrl, repo: source.repo, revision: source.revision, path: source.path }
    return {
      target: join(options.modelsDir, ...source.repo.split('/'), ...source.path.split('/')),
      url: `${file.base}/${file.repo}/resolve/${encodeURIComponent(file.revision)}/${file.path}`,
      known: source.sha256 ? { sha256: source.sha256, size: source.size } : undefined,
      hubFile: file,
    }
  }
  const url = new URL(source.url)
  // The URL parser already resolved any `..`, so the segments stay inside the models folder.
  const segments = url.pathname.split('/').filter(Boolean)
  return {
    target: join(options.modelsDir, url.host.replaceAll(/[:[\]]/g, '_'), ...segments),
    url: source.url,
    known: source.sha256 ? { sha256: source.sha256 } : undefined,
    hubFile: hubFileOf(source.url),
  }
}

/**
 * The local path of CHORUS_MODEL's file, downloading it first when it is not there yet: checked
 * against the catalog's SHA-256, else the hub API's, then moved into place. A file already in
 * place is used as it is, with no network at all. Throws ModelDownloadError when the file cannot
 * be had.
 */
export async function ensureModelFile(source: ModelSource, options: ModelStoreOptions): Promise<ModelFile> {
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000
  const label = modelLabel(source)
  const { target: relative, url, known, hubFile } = locate(source, options)
  const target = resolve(relative)
  if (existsSync(target)) return { path: target, downloaded: false }
  await mkdir(dirname(target), { recursive: true })
  return withFileLock(
    `${target}.lock`,
    () => options.onNotice?.(`another process is downloading ${label}; waiting for it`),
    async () => {
      if (existsSync(target)) return { path: target, downloaded: false }
      const expected = known ?? (hubFile ? await hubChecksum(hubFile, stallTimeoutMs) : {})
      if (!expected.sha256) {
        const checked = expected.size === undefined ? 'against the length the server announces' : 'against the size the hub lists'
        options.onNotice?.(`no SHA-256 known for ${label}: the download is checked only ${checked}`)
      }
      const reporter = options.progress?.(label)
      let complete = false
      try {
        await downloadVerified(url, target, expected, { stallTimeoutMs, onProgress: (progress) => reporter?.update(progress) })
        complete = true
      } finally {
        reporter?.done(complete)
      }
      return { path: target, downloaded: true }
    },
  )
}
