import { z } from 'zod'

/**
 * Where CHORUS_MODEL's GGUF file comes from: a file in a Hugging Face-shaped hub repository
 * (`<hub>/<repo>/resolve/<revision>/<path>`), or any URL. `sha256` and `size`, when known here,
 * are checked after the download; otherwise the hub's API is asked (docs/configuration.md).
 */
export type ModelSource =
  | { kind: 'hub'; name?: string; repo: string; revision: string; path: string; sha256?: string; size?: number }
  | { kind: 'url'; url: string; sha256?: string }

type KnownModel = Extract<ModelSource, { kind: 'hub' }> & { name: string; sha256: string; size: number; licence: string }

/**
 * Small instruct models CHORUS_MODEL knows by name. Each pinned to a commit of Qwen's own GGUF
 * repository, with the file's size and SHA-256 as its Git LFS pointer records them (cross-checked
 * in several public projects that pin the same files; see docs/configuration.md).
 */
export const knownModels: readonly KnownModel[] = [
  {
    kind: 'hub',
    name: 'qwen2.5-0.5b-instruct',
    repo: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF',
    revision: '9217f5db79a29953eb74d5343926648285ec7e67',
    path: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
    size: 491_400_032,
    sha256: '74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db',
    licence: 'Apache-2.0',
  },
  {
    kind: 'hub',
    name: 'qwen2.5-1.5b-instruct',
    repo: 'Qwen/Qwen2.5-1.5B-Instruct-GGUF',
    revision: '91cad51170dc346986eccefdc2dd33a9da36ead9',
    path: 'qwen2.5-1.5b-instruct-q4_k_m.gguf',
    size: 1_117_320_736,
    sha256: '6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e',
    licence: 'Apache-2.0',
  },
  {
    kind: 'hub',
    name: 'qwen2.5-3b-instruct',
    repo: 'Qwen/Qwen2.5-3B-Instruct-GGUF',
    revision: '7dabda4d13d513e3e842b20f0d435c732f172cbe',
    path: 'qwen2.5-3b-instruct-q4_k_m.gguf',
    size: 2_104_932_768,
    sha256: '626b4a6678b86442240e33df819e00132d3ba7dddfe1cdc4fbb18e0a9615c62d',
    licence: 'Qwen Research (non-commercial)',
  },
]

const segment = /^[A-Za-z0-9_.-]+$/
const safeSegment = (part: string) => segment.test(part) && part !== '.' && part !== '..'
const expected = `a known model (${knownModels.map((m) => m.name).join(', ')}), hf:<owner>/<repo>/<file>.gguf, or an http(s) URL of a .gguf file`

/** Reads CHORUS_MODEL's text as a model source, or says why it cannot. */
function parseModelSource(text: string): ModelSource | string {
  const known = knownModels.find((model) => model.name === text.toLowerCase())
  if (known) return known
  if (text.startsWith('hf:')) {
    const [owner = '', repo = '', ...path] = text.slice(3).split('/')
    if (![owner, repo, ...path].every(safeSegment) || path.length === 0 || !/\.gguf$/i.test(path.join('/'))) {
      return `must look like hf:<owner>/<repo>/<file>.gguf`
    }
    return { kind: 'hub', repo: `${owner}/${repo}`, revision: 'main', path: path.join('/') }
  }
  if (/^https?:\/\//i.test(text)) {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      return 'is not a valid URL'
    }
    if (!/\.gguf$/i.test(url.pathname)) return 'must be the URL of a .gguf file'
    // `#sha256=<hex>` pins the file's checksum, as pip's URLs do.
    const pinned = /^#sha256=([0-9a-f]{64})$/i.exec(url.hash)
    if (url.hash && !pinned) return 'may end only in #sha256=<64 hex digits>'
    url.hash = ''
    return { kind: 'url', url: url.href, sha256: pinned?.[1]?.toLowerCase() }
  }
  return `unknown model: use ${expected}`
}

/** CHORUS_MODEL: a known model's name, `hf:<owner>/<repo>/<file>.gguf`, or a URL of a GGUF file. */
export const modelSource = z
  .string()
  .trim()
  .transform((text, context): ModelSource => {
    const parsed = parseModelSource(text)
    if (typeof parsed !== 'string') return parsed
    context.addIssue({ code: 'custom', message: parsed })
    return z.NEVER
  })
