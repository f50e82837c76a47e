import { QueryClientProvider } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { ApiClient } from './api/api-client.js'
import { createQueryClient } from './api/query-client.js'
import { SignInPage } from './components/sign-in-page.js'
import { SignedInApp } from './components/signed-in-app.js'
import { I18nContext, initialLanguage, localeOf, rememberLanguage, translate, type I18n, type Language } from './i18n.js'
import { forgetToken, storedToken, storeToken } from './session.js'

/** Sign-in, then the agent console (and, for admins, the admin panel beside it); in Chinese or English. */
export function App() {
  const [language, setLanguageState] = useState<Language>(initialLanguage)
  const [token, setToken] = useState<string | null>(storedToken)

  const i18n = useMemo<I18n>(
    () => ({
      language,
      setLanguage: (next) => {
        rememberLanguage(next)
        setLanguageState(next)
      },
      t: (key, params) => translate(language, key, params),
    }),
    [language],
  )
  useEffect(() => {
    document.documentElement.lang = localeOf(language)
    document.title = `${translate(language, 'app.console')} · Chorus`
  }, [language])

  const signOut = useCallback(() => {
    forgetToken()
    setToken(null)
  }, [])
  // One client and one cache per session; any 401 the client sees ends the session and shows sign-in again.
  const session = useMemo(() => (token ? { api: new ApiClient(token, signOut), queries: createQueryClient() } : null), [token, signOut])
  // Signed out, only the service status is read.
  const [signedOut] = useState(createQueryClient)

  return (
    <I18nContext.Provider value={i18n}>
      <QueryClientProvider client={session?.queries ?? signedOut}>
        {session ? (
          <SignedInApp api={session.api} onSignOut={signOut} />
        ) : (
          <SignInPage
            onSignedIn={(next) => {
              storeToken(next)
              setToken(next)
            }}
          />
        )}
      </QueryClientProvider>
    </I18nContext.Provider>
  )
}
