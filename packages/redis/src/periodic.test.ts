import { Periodic } from './periodic.js'

/** A run that finishes only when the test says so. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { opened, open }
}

describe('Periodic', () => {
  it('never runs twice at once: a run asked for while one is under way joins it', async () => {
    const release = gate()
    let runs = 0
    const job = new Periodic(
      async () => {
        runs++
        await release.opened
        return runs
      },
      { everyMs: 60_000, onError: () => undefined },
    )
    const first = job.run()
    const second = job.run()
    release.open()
    expect(await Promise.all([first, second])).toEqual([1, 1])
    expect(runs).toBe(1)
    expect(await job.run()).toBe(2)
  })

  it('reports a failed run and resolves undefined, and runs again next time', async () => {
    const errors: unknown[] = []
    let fail = true
    const job = new Periodic(
      async () => {
        if (fail) throw new Error('database away')
        return 'ok'
      },
      { everyMs: 60_000, onError: (error) => errors.push(error) },
    )
    expect(await job.run()).toBeUndefined()
    expect(errors).toEqual([new Error('database away')])
    fail = false
    expect(await job.run()).toBe('ok')
  })

  it('runs on its interval once started, and stop waits for the run under way', async () => {
    const release = gate()
    const started = gate()
    let finished = false
    const job = new Periodic(
      async () => {
        started.open()
        await release.opened
        finished = true
      },
      { everyMs: 5, onError: () => undefined },
    )
    job.start()
    await started.opened
    const stopped = job.stop().then(() => finished)
    release.open()
    expect(await stopped).toBe(true)
  })
})
