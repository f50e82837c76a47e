/**
 * Background work on an interval (a sweep, a heartbeat, a probe): never two runs at once — a run
 * that outlasts the interval makes the next tick a no-op — and a failed run is reported, not
 * thrown. The timer does not keep the process alive on its own.
 */
export class Periodic<T = void> {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<T | undefined> | undefined

  constructor(
    private readonly work: () => Promise<T>,
    private readonly options: { everyMs: number; onError: (error: unknown) => void },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.run(), this.options.everyMs)
    this.timer.unref()
  }

  /** Runs the work now, or joins the run under way; resolves `undefined` if it failed. */
  run(): Promise<T | undefined> {
    this.running ??= this.work()
      .catch((error: unknown) => {
        this.options.onError(error)
        return undefined
      })
      .finally(() => (this.running = undefined))
    return this.running
  }

  /** Stops the schedule and waits for the run under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.running
  }
}
