import { useCallback, useEffect, useMemo, useState } from 'react'
import { ApiClient } from './api/api-client.js'
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
  // One client per session; any 401 it sees ends the session and shows sign-in again.
  const api = useMemo(() => (token ? new ApiClient(token, signOut) : null), [token, signOut])

  return (
    <I18nContext.Provider value={i18n}>
      {api ? (
        <SignedInApp api={api} onSignOut={signOut} />
      ) : (
        <SignInPage
          onSignedIn={(next) => {
            storeToken(next)
            setToken(next)
          }}
        />
      )}
    </I18nContext.Provider>
  )
}
