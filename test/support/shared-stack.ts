import type { BotSettingsInput } from '@chorus/protocol'
import { startTestStack, type TestStack } from './test-stack.js'

/** Bot settings without human-like pacing, so tests run fast; extend them with a test's own. */
export const unpaced = {
  outgoing: { jitterMs: 0, perGroupPerMinute: 6000, perAccountPerMinute: 6000 },
  reply: { partDelayMs: 0 },
} satisfies BotSettingsInput

/**
 * One test stack for the enclosing `describe`: started before its first test, stopped after its
 * last. Returns a getter, since the stack exists only once `beforeAll` has run.
 */
export function sharedStack(options: Parameters<typeof startTestStack>[0] = {}): () => TestStack {
  let stack: TestStack | undefined
  beforeAll(async () => {
    stack = await startTestStack(options)
  })
  afterAll(async () => {
    await stack?.stop()
  })
  return () => {
    if (!stack) throw new Error('the stack has not started')
    return stack
  }
}
