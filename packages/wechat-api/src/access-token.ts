/** Where access tokens are shared between processes (Redis in production). */
export interface TokenStore {
  get(): Promise<string | null>
  set(token: string, ttlSeconds: number): Promise<void>
}

/** Fetches a token from WeChat; `force` asks for a new one even if the current one is valid. */
export type TokenFetcher = (force: boolean) => Promise<{ token: string; expiresIn: number }>

// Renew a minute early: a token used right at its end fails with 42001.
const earlyRenewalSeconds = 60

/**
 * The app's access token: one shared cache, and at most one request to WeChat at a time per
 * process (single flight) — twenty calls finding it stale cause one refresh, not twenty.
 */
export class AccessTokens {
  private inFlight: Promise<string> | undefined

  constructor(
    private readonly fetchToken: TokenFetcher,
    private readonly store: TokenStore,
  ) {}

  async get(): Promise<string> {
    return (await this.store.get()) ?? this.fetchOnce(null)
  }

  /** A fresh token after `stale` was rejected; callers holding the same stale token share one refresh. */
  async refresh(stale: string): Promise<string> {
    const current = await this.store.get()
    if (current && current !== stale) return current
    return this.fetchOnce(stale)
  }

  private fetchOnce(stale: string | null): Promise<string> {
    this.inFlight ??= (async () => {
      try {
        let fetched = await this.fetchToken(false)
        // stable_token hands back the current token while WeChat thinks it valid; if that is the
        // one just rejected, ask for a new one.
        if (stale && fetched.token === stale) fetched = await this.fetchToken(true)
        await this.store.set(fetched.token, Math.max(30, fetched.expiresIn - earlyRenewalSeconds))
        return fetched.token
      } finally {
        this.inFlight = undefined
      }
    })()
    return this.inFlight
  }
}

/** A token store inside one process (tests, a single API process). */
export class MemoryTokenStore implements TokenStore {
  private value: { token: string; until: number } | null = null

  async get(): Promise<string | null> {
    return this.value && this.value.until > Date.now() ? this.value.token : null
  }

  async set(token: string, ttlSeconds: number): Promise<void> {
    this.value = { token, until: Date.now() + ttlSeconds * 1000 }
  }
}
