import { capResult, checkArguments, runToolCall } from './tool-call.js'
import type { ToolDefinition, ToolOutcome } from './toolset.js'

const orderSchema = {
  type: 'object',
  properties: { order_id: { type: 'string', pattern: '^[A-Z]\\d{4}$' } },
  required: ['order_id'],
  additionalProperties: false,
}

function tool(run: ToolDefinition['run'], overrides: Partial<ToolDefinition> = {}): ToolDefinition {
  return { name: 'get_order', description: '', parameters: orderSchema, server: 'travel', confirm: false, run, ...overrides }
}

const call = (args: string, name = 'get_order') => ({ id: 'call_1', function: { name, arguments: args } })
const limits = { timeoutMs: 200, maxResultChars: 40 }
const signal = new AbortController().signal

describe('checking a tool call’s arguments against its schema', () => {
  it('accepts arguments that fit, and an empty text as no arguments', () => {
    expect(
      checkArguments(
        tool(async () => ({ text: '', isError: false })),
        '{"order_id":"A1024"}',
      ),
    ).toEqual({ args: { order_id: 'A1024' } })
    expect(checkArguments({ parameters: { type: 'object' } }, '')).toEqual({ args: {} })
  })

  it.each([
    ['{"order_id":', /not valid JSON/],
    ['[1]', /must be a JSON object/],
    ['{"order_id":"1024"}', /must match pattern/],
    ['{}', /must have required property 'order_id'/],
    ['{"order_id":"A1024","extra":1}', /must NOT have additional properties/],
  ])('refuses %s, saying why', (args, reason) => {
    const checked = checkArguments(
      tool(async () => ({ text: '', isError: false })),
      args,
    )
    expect('error' in checked && checked.error).toMatch(reason)
  })

  it('says so when the tool’s own schema cannot be compiled', () => {
    const checked = checkArguments({ parameters: { type: 'no-such-type' } }, '{}')
    expect('error' in checked && checked.error).toMatch(/schema cannot be checked/)
  })
})

describe('running one tool call', () => {
  it('gives the model the result, cut to the size cap', async () => {
    const finished = await runToolCall(
      tool(async () => ({ text: 'x'.repeat(100), isError: false })),
      call('{"order_id":"A1024"}'),
      limits,
      signal,
    )
    expect(finished.record).toMatchObject({ id: 'call_1', tool: 'get_order', server: 'travel', status: 'ok' })
    expect(finished.content).toBe(capResult('x'.repeat(100), 40))
    expect(finished.content).toMatch(/^x{40}\n\[… cut: 60 more characters\]$/)
  })

  it('does not run a call whose arguments do not fit, and tells the model why', async () => {
    let ran = false
    const finished = await runToolCall(
      tool(async () => ((ran = true), { text: 'ok', isError: false })),
      call('{"order_id":"nope"}'),
      limits,
      signal,
    )
    expect(ran).toBe(false)
    expect(finished.record.status).toBe('invalid_arguments')
    expect(JSON.parse(finished.content).error).toMatch(/pattern/)
  })

  it('answers a call to a tool that does not exist', async () => {
    const finished = await runToolCall(undefined, call('{}', 'drop_tables'), limits, signal)
    expect(finished.record.status).toBe('unknown_tool')
    expect(finished.content).toContain('drop_tables')
  })

  it('gives up a tool after the timeout and aborts its signal', async () => {
    let aborted = false
    const slow = tool(
      (_args, options) =>
        new Promise<ToolOutcome>((resolve) => {
          options.signal.addEventListener('abort', () => {
            aborted = true
            resolve({ text: 'late', isError: false })
          })
        }),
    )
    const finished = await runToolCall(slow, call('{"order_id":"A1024"}'), limits, signal)
    expect(finished.record.status).toBe('timeout')
    expect(JSON.parse(finished.content).error).toBe('get_order did not answer within 0.2 s')
    expect(aborted).toBe(true)
  })

  it('turns a tool’s error and a thrown exception into an error the model reads', async () => {
    const refused = await runToolCall(
      tool(async () => ({ text: 'no order A1024', isError: true })),
      call('{"order_id":"A1024"}'),
      limits,
      signal,
    )
    expect(refused.record.status).toBe('error')
    expect(JSON.parse(refused.content)).toEqual({ error: 'no order A1024' })
    const thrown = await runToolCall(
      tool(async () => {
        throw new Error('database down')
      }),
      call('{"order_id":"A1024"}'),
      limits,
      signal,
    )
    expect(thrown.record.status).toBe('error')
    expect(JSON.parse(thrown.content)).toEqual({ error: 'database down' })
  })

  it('throws when the prompt itself is cancelled, rather than answer', async () => {
    const abort = new AbortController()
    const pending = runToolCall(
      tool(() => new Promise(() => undefined)),
      call('{"order_id":"A1024"}'),
      { ...limits, timeoutMs: 5000 },
      abort.signal,
    )
    abort.abort(new Error('cancelled'))
    await expect(pending).rejects.toThrow('cancelled')
  })
})
