/** The pool refused a prompt early: its queue wait would exceed the configured bound. */
export class PoolBusy extends Error {
  override readonly name = 'PoolBusy'
  constructor(
    readonly retryAfterSeconds: number,
    readonly estimatedWaitMs: number,
  ) {
    super(`the model is busy; try again in ${retryAfterSeconds} s`)
  }
}
