import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chorusEnv } from './env.js'
import { ConfigError, parseEnv } from './parse-env.js'

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'chorus-gguf-'))
  // The four magic bytes and a version are all the check reads.
  writeFileSync(join(dir, 'bge-small-zh.gguf'), Buffer.from([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0]))
  writeFileSync(join(dir, 'model.safetensors'), '{"__metadata__":{}}')
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function problemsWith(value: string): string[] {
  try {
    parseEnv(chorusEnv, { CHORUS_EMBEDDING_GGUF: value })
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError, but parsing succeeded')
}

describe('CHORUS_EMBEDDING_GGUF', () => {
  it('is unset unless given', () => {
    expect(parseEnv(chorusEnv, {}).CHORUS_EMBEDDING_GGUF).toBeUndefined()
    expect(parseEnv(chorusEnv, { CHORUS_EMBEDDING_GGUF: '  ' }).CHORUS_EMBEDDING_GGUF).toBeUndefined()
  })

  it('accepts a GGUF file that is there', () => {
    const path = join(dir, 'bge-small-zh.gguf')

    expect(parseEnv(chorusEnv, { CHORUS_EMBEDDING_GGUF: ` ${path} ` }).CHORUS_EMBEDDING_GGUF).toBe(path)
  })

  it('stops the start when no file is at the path, naming the variable and the path', () => {
    const path = join(dir, 'missing.gguf')

    expect(problemsWith(path)).toEqual([`CHORUS_EMBEDDING_GGUF: no file at this path (got "${path}")`])
  })

  it('refuses a folder', () => {
    expect(problemsWith(dir)).toEqual([`CHORUS_EMBEDDING_GGUF: no file at this path (got "${dir}")`])
  })

  it('refuses a file that is not GGUF', () => {
    const path = join(dir, 'model.safetensors')

    expect(problemsWith(path)).toEqual([`CHORUS_EMBEDDING_GGUF: not a GGUF file (it does not start with "GGUF") (got "${path}")`])
  })
})
