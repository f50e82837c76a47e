// The signed-in agent's bearer token lives in sessionStorage: it survives a reload but not the tab.
const tokenKey = 'chorus.token'

/** The token of this tab's session, if signed in. */
export function storedToken(): string | null {
  return sessionStorage.getItem(tokenKey)
}

export function storeToken(token: string): void {
  sessionStorage.setItem(tokenKey, token)
}

export function forgetToken(): void {
  sessionStorage.removeItem(tokenKey)
}
