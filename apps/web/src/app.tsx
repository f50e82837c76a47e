import { useEffect, useState } from 'react'

interface Health {
  status: string
  db: string
  redis: string
  workers: number
}

/** The panel's first page: what is running. Agent and admin pages come with their issues. */
export function App() {
  const [health, setHealth] = useState<Health | null>(null)
  useEffect(() => {
    const load = () =>
      fetch('/healthz')
        .then((r) => r.json() as Promise<Health>)
        .then(setHealth)
        .catch(() => setHealth(null))
    load()
    const timer = setInterval(load, 5000)
    return () => clearInterval(timer)
  }, [])
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '3rem auto', padding: '0 1rem' }}>
      <h1>Chorus</h1>
      <p>Self-hosted assistants for WeChat groups and mini-programs.</p>
      <section aria-label="status">
        <h2>Status</h2>
        {health ? (
          <ul>
            <li>Overall: {health.status}</li>
            <li>Database: {health.db}</li>
            <li>Redis: {health.redis}</li>
            <li>Pool workers: {health.workers}</li>
          </ul>
        ) : (
          <p>Checking…</p>
        )}
      </section>
    </main>
  )
}
