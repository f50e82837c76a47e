const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs `work` until it succeeds, waiting a little longer after each failure (250 ms doubling up
 * to 5 s), for at most `forMs`; then throws the last error. For work that is safe to repeat and
 * fails while PostgreSQL or Redis is briefly away (a restart).
 */
export async function retrying<T>(
  work: () => Promise<T>,
  options: { forMs: number; onFailure: (error: unknown, attempt: number) => void },
): Promise<T> {
  const deadline = Date.now() + options.forMs
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      if (Date.now() >= deadline) throw error
      options.onFailure(error, attempt)
      await sleep(Math.min(5000, 250 * 2 ** (attempt - 1)))
    }
  }
}
