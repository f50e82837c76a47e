import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A file the fake hub serves, at `/<repo>/resolve/<any revision>/<path>`. */
export interface HubFile {
  repo: string
  path: string
  content: Buffer
  /** What the API lists as the file's SHA-256 (its real one unless a test says otherwise). */
  listedSha256?: string
}

export interface FakeModelHub {
  url: string
  /** Every request, in order: method, path and Range header. */
  requests: { method: string; path: string; range?: string }[]
  /** File downloads so far (the CDN and plain routes, not the API or the redirect). */
  downloads(): number
  /** The next download sends this many bytes, then drops the connection. */
  cutNextDownloadAfter(bytes: number): void
  close(): Promise<void>
}

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex')

/**
 * A stand-in for huggingface.co on loopback, shaped like it: `GET /api/models/<repo>/tree/<rev>[/<dir>]`
 * lists files with their Git LFS `lfs.oid` (SHA-256) and size, and `/<repo>/resolve/<rev>/<path>`
 * redirects to a CDN route that serves the bytes, honouring Range. `/plain/<path>` serves a file
 * directly, as any web server would.
 */
export async function startFakeModelHub(files: HubFile[]): Promise<FakeModelHub> {
  const requests: FakeModelHub['requests'] = []
  let cutAfter: number | undefined
  const byHash = new Map(files.map((file) => [sha256(file.content), file]))

  const serveFile = (req: IncomingMessage, res: ServerResponse, file: HubFile) => {
    const size = file.content.length
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
    const start = range ? Number(range[1]) : 0
    if (start >= size && range) return res.writeHead(416, { 'content-range': `bytes */${size}` }).end()
    const body = file.content.subarray(start)
    res.writeHead(range ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(body.length),
      ...(range ? { 'content-range': `bytes ${start}-${size - 1}/${size}` } : {}),
    })
    if (cutAfter === undefined) return res.end(body)
    const cut = cutAfter
    cutAfter = undefined
    res.write(body.subarray(0, cut), () => res.destroy())
  }

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://hub').pathname)
    requests.push({ method: req.method ?? 'GET', path, range: req.headers.range })
    const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/[^/]+(?:\/(.+))?$/.exec(path)
    if (tree) {
      const [, repo, folder] = tree
      const listed = files
        .filter((file) => file.repo === repo && (folder ? file.path.startsWith(`${folder}/`) : !file.path.includes('/')))
        .map((file) => ({
          type: 'file',
          oid: createHash('sha1').update(file.content).digest('hex'),
          size: file.content.length,
          path: file.path,
          lfs: { oid: file.listedSha256 ?? sha256(file.content), size: file.content.length, pointerSize: 134 },
        }))
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listed))
    }
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(path)
    const file = resolve && files.find((f) => f.repo === resolve[1] && f.path === resolve[2])
    if (file) return res.writeHead(302, { location: `/cdn/${sha256(file.content)}` }).end()
    // Not hub-shaped: a plain web server's file, for URL sources.
    const plain = path.startsWith('/plain/') && files.find((f) => f.path === path.slice('/plain/'.length))
    if (plain) return serveFile(req, res, plain)
    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(path)
    const blob = cdn && byHash.get(cdn[1]!)
    if (blob) return serveFile(req, res, blob)
    res.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end('Entry not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    downloads: () => requests.filter((r) => r.path.startsWith('/cdn/') || r.path.startsWith('/plain/')).length,
    cutNextDownloadAfter: (bytes) => {
      cutAfter = bytes
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
