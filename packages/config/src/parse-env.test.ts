import { chorusEnv } from './env.js'
import { ConfigError, parseEnv } from './parse-env.js'

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError, but parsing succeeded')
}

describe('parseEnv', () => {
  it('applies the defaults when nothing is set', () => {
    const config = parseEnv(chorusEnv, {})

    expect(config.NODE_ENV).toBe('development')
    expect(config.PORT).toBe(3000)
    expect(config.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/chorus')
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379')
    expect(config.CHORUS_REDIS_PREFIX).toBe('chorus')
    expect(config.CHORUS_CONTEXT_TOKENS).toBe(3000)
    expect(config.CHORUS_API_KEYS).toEqual([])
    expect(config.CHORUS_MODEL_URL).toBeUndefined()
  })

  it('reads only the variables of the schema it is given', () => {
    const schema = chorusEnv.pick({ PORT: true, LOG_LEVEL: true })

    const config = parseEnv(schema, { PORT: '8080', LOG_LEVEL: 'debug', REDIS_URL: 'not a url' })

    expect(config).toEqual({ PORT: 8080, LOG_LEVEL: 'debug' })
  })

  it('coerces numbers from their text', () => {
    const config = parseEnv(chorusEnv, { PORT: '8080', CHORUS_WORKER_CONCURRENCY: '3' })

    expect(config.PORT).toBe(8080)
    expect(config.CHORUS_WORKER_CONCURRENCY).toBe(3)
  })

  it('treats an empty value as unset, so the default applies', () => {
    const config = parseEnv(chorusEnv, { PORT: '', DATABASE_URL: '', CHORUS_MODEL_URL: '', CHORUS_MODEL_NAME: '' })

    expect(config.PORT).toBe(3000)
    expect(config.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/chorus')
    expect(config.CHORUS_MODEL_URL).toBeUndefined()
    expect(config.CHORUS_MODEL_NAME).toBeUndefined()
  })

  it('treats a blank optional text as unset', () => {
    expect(parseEnv(chorusEnv, { CHORUS_MODEL_NAME: '   ' }).CHORUS_MODEL_NAME).toBeUndefined()
  })

  it.each([['not-a-number'], ['70000'], ['-1'], ['80.5']])('rejects PORT=%s, naming PORT', (port) => {
    const error = configErrorOf(() => parseEnv(chorusEnv, { PORT: port }))

    expect(error.message).toMatch(/PORT:/)
    expect(error.problems).toHaveLength(1)
    expect(error.problems[0]).toMatch(/^PORT: /)
  })

  it('rejects a DATABASE_URL that is not a PostgreSQL URL, naming it and the expected scheme', () => {
    const error = configErrorOf(() => parseEnv(chorusEnv, { DATABASE_URL: 'mysql://db.internal/chorus' }))

    expect(error.problems).toHaveLength(1)
    expect(error.problems[0]).toMatch(/^DATABASE_URL: /)
    expect(error.message).toContain('postgresql://')
    expect(error.message).toContain('mysql://db.internal/chorus')
  })

  it('reads DIRECT_DATABASE_URL as DATABASE_URL is read, unset unless given', () => {
    expect(parseEnv(chorusEnv, {}).DIRECT_DATABASE_URL).toBeUndefined()
    expect(parseEnv(chorusEnv, { DIRECT_DATABASE_URL: ' postgres://db.internal:5432/chorus ' }).DIRECT_DATABASE_URL).toBe(
      'postgres://db.internal:5432/chorus',
    )
    const error = configErrorOf(() => parseEnv(chorusEnv, { DIRECT_DATABASE_URL: 'db.internal:5432' }))
    expect(error.problems).toHaveLength(1)
    expect(error.problems[0]).toMatch(/^DIRECT_DATABASE_URL: /)
    expect(error.message).toContain('postgresql://')
  })

  it('reads the database settings: a pool size within bounds, prepared statements as a true/false flag', () => {
    expect(parseEnv(chorusEnv, {})).toMatchObject({ CHORUS_DB_PREPARED_STATEMENTS: true })
    expect(parseEnv(chorusEnv, {}).CHORUS_DB_POOL_SIZE).toBeUndefined()
    expect(parseEnv(chorusEnv, { CHORUS_DB_POOL_SIZE: '3', CHORUS_DB_PREPARED_STATEMENTS: ' OFF ' })).toMatchObject({
      CHORUS_DB_POOL_SIZE: 3,
      CHORUS_DB_PREPARED_STATEMENTS: false,
    })
    const error = configErrorOf(() => parseEnv(chorusEnv, { CHORUS_DB_POOL_SIZE: '0', CHORUS_DB_PREPARED_STATEMENTS: 'maybe' }))
    expect(error.problems).toHaveLength(2)
    expect(error.problems[0]).toMatch(/^CHORUS_DB_POOL_SIZE: /)
    expect(error.problems[1]).toMatch(/^CHORUS_DB_PREPARED_STATEMENTS: must be true or false/)
  })

  it('rejects a REDIS_URL that is not a URL at all, naming it', () => {
    const error = configErrorOf(() => parseEnv(chorusEnv, { REDIS_URL: 'localhost:6379' }))

    expect(error.problems).toHaveLength(1)
    expect(error.problems[0]).toMatch(/^REDIS_URL: /)
    expect(error.message).toContain('redis://')
  })

  it('names every bad variable in one error', () => {
    const error = configErrorOf(() => parseEnv(chorusEnv, { PORT: 'x', REDIS_URL: 'http://cache', LOG_LEVEL: 'loud' }))

    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'REDIS_URL'])
  })

  it('rejects an unknown CHORUS_ variable and suggests the closest known one', () => {
    const error = configErrorOf(() => parseEnv(chorusEnv, { CHORUS_MODLE_URL: 'http://model:8000/v1' }))

    expect(error.problems).toEqual(['CHORUS_MODLE_URL: unknown variable (did you mean CHORUS_MODEL_URL?)'])
  })

  it('takes any CHORUS_MCP_ variable: the secrets MCP server headers name', () => {
    expect(() => parseEnv(chorusEnv.pick({ PORT: true }), { CHORUS_MCP_TRAVEL_TOKEN: 'secret' })).not.toThrow()
  })

  it('rejects an unknown WECHAT_ variable and suggests the closest known one', () => {
    const error = configErrorOf(() => parseEnv(chorusEnv, { WECHAT_APP_ID: 'wx123' }))

    expect(error.problems).toEqual(['WECHAT_APP_ID: unknown variable (did you mean WECHAT_APPID?)'])
  })

  it('rejects an unknown WECOM_ variable and suggests the closest known one', () => {
    const error = configErrorOf(() => parseEnv(chorusEnv, { WECOM_CORPID: 'ww123' }))

    expect(error.problems).toEqual(['WECOM_CORPID: unknown variable (did you mean WECOM_CORP_ID?)'])
  })

  it("reads the WeCom customer-service settings, with WeCom's API host by default, and refuses a malformed EncodingAESKey", () => {
    const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
    const config = parseEnv(chorusEnv, { WECOM_CORP_ID: 'ww-corp', WECOM_KF_SECRET: 's', WECOM_KF_TOKEN: 't', WECOM_KF_AES_KEY: aesKey })

    expect(config).toMatchObject({ WECOM_CORP_ID: 'ww-corp', WECOM_KF_AES_KEY: aesKey, WECOM_API_BASE: 'https://qyapi.weixin.qq.com' })
    const error = configErrorOf(() => parseEnv(chorusEnv, { WECOM_KF_AES_KEY: 'too-short-key' }))
    expect(error.problems).toEqual(['WECOM_KF_AES_KEY: must be the 43-character EncodingAESKey from the WeCom admin console'])
  })

  it('rejects an unknown CHORUS_ variable without a hint when nothing is close', () => {
    const error = configErrorOf(() => parseEnv(chorusEnv, { CHORUS_SOMETHING_ELSE_ENTIRELY: '1' }))

    expect(error.problems).toEqual(['CHORUS_SOMETHING_ELSE_ENTIRELY: unknown variable'])
  })

  it('rejects unknown CHORUS_ variables even when the schema is a pick that does not read them', () => {
    const schema = chorusEnv.pick({ PORT: true })

    expect(() => parseEnv(schema, { CHORUS_MODLE_URL: 'http://model' })).toThrow(ConfigError)
  })

  it('ignores variables that are not under a Chorus prefix', () => {
    expect(() => parseEnv(chorusEnv, { PATH: '/usr/bin', HOME: '/root', WECHATY_LOG: 'info', CHORUSX: '1' })).not.toThrow()
  })

  it.each([
    ['CHORUS_MODEL_API_KEY', 'sk-should-not-leak'],
    ['WECHAT_SECRET', 'wechat-should-not-leak'],
    ['WECHAT_PUSH_TOKEN', 'token-should-not-leak'],
    ['WECOM_KF_SECRET', 'wecom-should-not-leak'],
    ['CHORUS_ADMIN_PASSWORD', 'password-should-not-leak'],
  ])('names %s but does not echo its value when it is invalid', (name, value) => {
    const schema = chorusEnv.pick({ PORT: true }).extend({ [name]: chorusEnv.shape.PORT })

    const error = configErrorOf(() => parseEnv(schema, { [name]: value }))

    expect(error.message).toContain(`${name}:`)
    expect(error.message).not.toContain(value)
  })

  it('echoes the value of a non-secret variable to help fix it', () => {
    const error = configErrorOf(() => parseEnv(chorusEnv, { LOG_LEVEL: 'chatty' }))

    expect(error.message).toContain('(got "chatty")')
  })

  it('splits CHORUS_API_KEYS on commas, trimming blanks and empty entries', () => {
    const config = parseEnv(chorusEnv, { CHORUS_API_KEYS: ' key-one, key-two ,,key-three, ' })

    expect(config.CHORUS_API_KEYS).toEqual(['key-one', 'key-two', 'key-three'])
  })

  it('reads a single CHORUS_API_KEYS entry as a one-element list', () => {
    expect(parseEnv(chorusEnv, { CHORUS_API_KEYS: 'only-key' }).CHORUS_API_KEYS).toEqual(['only-key'])
  })

  it('allows no cross-origin caller by default, and reads CHORUS_CORS_ORIGINS as a list of origins', () => {
    expect(parseEnv(chorusEnv, {}).CHORUS_CORS_ORIGINS).toEqual([])
    const config = parseEnv(chorusEnv, { CHORUS_CORS_ORIGINS: 'https://chat.example.com, http://localhost:5173' })
    expect(config.CHORUS_CORS_ORIGINS).toEqual(['https://chat.example.com', 'http://localhost:5173'])
  })

  it('refuses a CORS origin with a path, a wildcard or another scheme', () => {
    for (const value of ['https://chat.example.com/app', '*', 'ftp://files.example.com', 'chat.example.com']) {
      expect(configErrorOf(() => parseEnv(chorusEnv, { CHORUS_CORS_ORIGINS: value })).message).toContain('CHORUS_CORS_ORIGINS')
    }
  })
})
