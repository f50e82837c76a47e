/**
 * A channel refused a reply for good: sending it again cannot succeed (WeChat's 48-hour reply
 * window has passed, the user has had their five replies, the user is not a follower…). The
 * reply is marked `undeliverable` with `reason` and never retried. Anything else a channel
 * throws is taken as transient and retried, a capped number of times.
 */
export class UndeliverableError extends Error {
  constructor(
    /** A stable code agents and the audit see: `reply_window_closed`, `reply_limit_reached`, … */
    readonly reason: string,
    message: string,
    /** The platform's own error code, when it gave one. */
    readonly errcode?: number,
  ) {
    super(message)
    this.name = 'UndeliverableError'
  }
}

/**
 * The channel itself is away (the WeChat account is logged out, its puppet reconnecting): the
 * reply is fine and is tried again later without spending one of its attempts.
 */
export class ChannelUnavailable extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ChannelUnavailable'
  }
}

/** Why a reply ended undeliverable, kept in its `meta.delivery`. */
export interface DeliveryFailure {
  reason: string
  message: string
  errcode?: number
  attempts: number
}

/** How a channel reports a reply sent in parts, so that a retry resumes after the last part sent. */
export interface DeliveryProgress {
  /** Parts an earlier attempt already sent (0 the first time). */
  readonly sentParts: number
  /** Records that the first `count` parts are sent. */
  partsSent(count: number): Promise<void>
}
