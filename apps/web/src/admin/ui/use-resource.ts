import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react'
import { ApiError } from '../../api/api-error.js'

export interface Resource<T> {
  data: T | undefined
  error: ApiError | null
  loading: boolean
  /** Loads again; only the newest answer is kept. */
  reload(): Promise<void>
  setData: Dispatch<SetStateAction<T | undefined>>
}

/** Something loaded from the API when the page opens (and whenever `load`, kept stable with useCallback, changes). */
export function useResource<T>(load: () => Promise<T>): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<ApiError | null>(null)
  const [loading, setLoading] = useState(true)
  const latest = useRef(0)

  const reload = useCallback(async () => {
    const call = ++latest.current
    setLoading(true)
    try {
      const next = await load()
      if (call !== latest.current) return
      setData(next)
      setError(null)
    } catch (failure) {
      if (call === latest.current) setError(ApiError.from(failure))
    } finally {
      if (call === latest.current) setLoading(false)
    }
  }, [load])

  useEffect(() => {
    void reload()
  }, [reload])

  return { data, error, loading, reload, setData }
}
