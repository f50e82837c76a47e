import { chorusEnv } from './env.js'
import { knownModels } from './model-source.js'
import { ConfigError, parseEnv } from './parse-env.js'

const modelOf = (value: string) => parseEnv(chorusEnv, { CHORUS_MODEL: value }).CHORUS_MODEL

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseEnv(chorusEnv, env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError, but parsing succeeded')
}

describe('CHORUS_MODEL', () => {
  it('is unset by default, with the hub at huggingface.co and downloads under .chorus/models', () => {
    const config = parseEnv(chorusEnv, {})

    expect(config.CHORUS_MODEL).toBeUndefined()
    expect(config.CHORUS_MODEL_HUB_URL).toBe('https://huggingface.co')
    expect(config.CHORUS_MODELS_DIR).toBe('.chorus/models')
  })

  it.each(knownModels.map((model) => [model.name]))('knows %s, pinned to a revision, size and SHA-256', (name) => {
    expect(modelOf(name)).toMatchObject({
      kind: 'hub',
      name,
      repo: expect.stringMatching(/^Qwen\/Qwen2\.5-[\d.]+B-Instruct-GGUF$/),
      revision: expect.stringMatching(/^[0-9a-f]{40}$/),
      path: expect.stringMatching(/-q4_k_m\.gguf$/),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      size: expect.any(Number),
    })
  })

  it('reads a known name whatever its case and surrounding spaces', () => {
    expect(modelOf('  Qwen2.5-1.5B-Instruct ')).toMatchObject({ name: 'qwen2.5-1.5b-instruct' })
  })

  it('reads hf:<owner>/<repo>/<file>.gguf as that file on the hub’s main branch, in a folder too', () => {
    expect(modelOf('hf:bartowski/Qwen2.5-7B-Instruct-GGUF/Qwen2.5-7B-Instruct-Q4_K_M.gguf')).toEqual({
      kind: 'hub',
      repo: 'bartowski/Qwen2.5-7B-Instruct-GGUF',
      revision: 'main',
      path: 'Qwen2.5-7B-Instruct-Q4_K_M.gguf',
    })
    expect(modelOf('hf:owner/repo/q4/model.gguf')).toMatchObject({ repo: 'owner/repo', path: 'q4/model.gguf' })
  })

  it('reads a URL of a .gguf file, with a checksum when it ends in #sha256=', () => {
    expect(modelOf('https://models.example.com/m/model.gguf')).toEqual({
      kind: 'url',
      url: 'https://models.example.com/m/model.gguf',
      sha256: undefined,
    })
    expect(modelOf(`http://10.0.0.5:8080/model.gguf#sha256=${'AB'.repeat(32)}`)).toEqual({
      kind: 'url',
      url: 'http://10.0.0.5:8080/model.gguf',
      sha256: 'ab'.repeat(32),
    })
  })

  it('refuses an unknown name at start-up, listing the names it knows', () => {
    const problems = problemsOf({ CHORUS_MODEL: 'qwen3-8b' })

    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^CHORUS_MODEL: unknown model: use a known model \(/)
    for (const model of knownModels) expect(problems[0]).toContain(model.name)
    expect(problems[0]).toContain('(got "qwen3-8b")')
  })

  it.each([
    ['hf:owner/repo', 'must look like hf:<owner>/<repo>/<file>.gguf'],
    ['hf:owner/repo/model.bin', 'must look like hf:<owner>/<repo>/<file>.gguf'],
    ['hf:owner/repo/../../etc/model.gguf', 'must look like hf:<owner>/<repo>/<file>.gguf'],
    ['https://example.com/model.bin', 'must be the URL of a .gguf file'],
    ['https://example.com/model.gguf#md5=abc', 'may end only in #sha256=<64 hex digits>'],
  ])('refuses CHORUS_MODEL=%s', (value, message) => {
    expect(problemsOf({ CHORUS_MODEL: value })).toEqual([`CHORUS_MODEL: ${message} (got "${value}")`])
  })

  it('takes a mirror as the hub, without a trailing slash, and refuses a hub that is not a URL', () => {
    expect(parseEnv(chorusEnv, { CHORUS_MODEL_HUB_URL: 'https://hf-mirror.com/' }).CHORUS_MODEL_HUB_URL).toBe('https://hf-mirror.com')
    expect(problemsOf({ CHORUS_MODEL_HUB_URL: 'hf-mirror.com' })[0]).toMatch(/^CHORUS_MODEL_HUB_URL: must be a URL/)
  })
})
