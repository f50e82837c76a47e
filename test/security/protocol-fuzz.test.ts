import fc from 'fast-check'
import { z } from 'zod'
import * as protocol from '@chorus/protocol'

// The request validators (packages/protocol) under arbitrary input: whatever a client sends, a
// schema answers with a ZodError (the API's 400) and never throws anything else; and input built
// to be valid parses. Runs are bounded so the suite stays fast.
const runs = { numRuns: 200 }

const schemas = Object.entries(protocol as Record<string, unknown>).flatMap(([name, value]) =>
  value instanceof z.ZodType ? [[name, value] as const] : [],
)

/** Text of `min`–`max` UTF-16 units, any Unicode, not blank once trimmed. */
const text = (max: number) =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: max })
    .filter((s) => s.trim().length > 0 && s.length <= max && !s.includes('\u0000'))
const word = (max: number) => fc.stringMatching(new RegExp(`^[a-zA-Z0-9]{1,${max}}$`))
const id = word(64)
const email = fc.tuple(word(20), word(20), fc.stringMatching(/^[a-z]{2,6}$/)).map(([user, host, tld]) => `${user}@${host}.${tld}`)
const password = fc.string({ minLength: 10, maxLength: 200 }).filter((s) => s.length <= 200)
const isoDate = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString())
const state = fc.constantFrom('bot', 'waiting', 'agent', 'resolved', 'all')
const digits = (max: bigint) => fc.bigInt({ min: 1n, max }).map(String)
const endpoint = fc.oneof(
  fc.record({
    name: word(40),
    kind: fc.constant('openai' as const),
    baseUrl: fc.constantFrom('http://gpu:8000/v1', 'https://api.example.com/v1'),
  }),
  fc.record({ name: word(40), kind: fc.constant('gguf' as const), ggufPath: fc.constant('/models/qwen.gguf') }),
)
const filters = {
  state,
  q: text(200),
  botId: id,
  user: text(200),
  group: text(200),
  from: isoDate,
  to: isoDate,
}

/** Input each request validator must accept, built from its rules. */
const validInputs: Record<string, fc.Arbitrary<unknown>> = {
  loginBody: fc.record({ email, password: fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.length <= 200) }),
  availabilityBody: fc.record({ available: fc.boolean() }),
  conversationListQuery: fc.record(
    { ...filters, mine: fc.constantFrom('true', 'false'), limit: fc.integer({ min: 1, max: 200 }).map(String) },
    { requiredKeys: [] },
  ),
  conversationExportQuery: fc.record({ ...filters, format: fc.constantFrom('csv', 'json') }, { requiredKeys: [] }),
  staffTextBody: fc.record({ text: text(4000) }),
  resolveBody: fc.record({ rating: fc.integer({ min: 1, max: 5 }) }, { requiredKeys: [] }),
  transferBody: fc.oneof(fc.record({ staffId: id }), fc.record({ teamId: id })),
  cannedResponseBody: fc.record({ shortcut: fc.stringMatching(/^[a-z0-9_-]{1,32}$/), text: text(4000) }),
  createStaffBody: fc.record(
    {
      email,
      displayName: text(64),
      password,
      role: fc.constantFrom('admin', 'agent'),
      capacity: fc.integer({ min: 1, max: 100 }),
      teamIds: fc.array(id, { maxLength: 50 }),
    },
    { requiredKeys: ['email', 'displayName', 'password', 'role'] },
  ),
  teamBody: fc.record(
    { name: text(64), botIds: fc.array(id, { maxLength: 20 }), memberIds: fc.array(id, { maxLength: 20 }) },
    { requiredKeys: ['name'] },
  ),
  teamPatchBody: fc.record({ name: text(64), botIds: fc.array(id, { maxLength: 20 }) }, { requiredKeys: [] }),
  staffPatchBody: fc.record(
    {
      displayName: text(64),
      role: fc.constantFrom('admin', 'agent'),
      capacity: fc.integer({ min: 1, max: 100 }),
      disabled: fc.boolean(),
      teamIds: fc.array(id, { maxLength: 50 }),
    },
    { requiredKeys: [] },
  ),
  passwordChangeBody: fc.record({
    currentPassword: fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.length <= 200),
    newPassword: password,
  }),
  apiKeyBody: fc.record({ name: text(64) }),
  auditQuery: fc.record(
    {
      actor: id,
      action: word(64),
      targetType: word(64),
      targetId: id,
      from: isoDate,
      to: isoDate,
      before: digits(10n ** 18n - 1n),
      limit: fc.integer({ min: 1, max: 200 }).map(String),
    },
    { requiredKeys: [] },
  ),
  createBotBody: fc.record(
    { name: text(64), persona: fc.string({ maxLength: 8000 }), enabled: fc.boolean(), modelEndpointId: fc.option(id) },
    { requiredKeys: ['name'] },
  ),
  updateBotBody: fc.record(
    { name: text(64), persona: fc.string({ maxLength: 8000 }), enabled: fc.boolean(), settings: fc.constant({}) },
    { requiredKeys: [] },
  ),
  testChatBody: fc.record({
    messages: fc.array(fc.record({ role: fc.constantFrom('user', 'assistant'), content: text(4000) }), { minLength: 1, maxLength: 40 }),
  }),
  modelEndpointBody: endpoint,
  modelEndpointPatch: fc.record(
    { replicas: fc.integer({ min: 1, max: 16 }), concurrency: fc.integer({ min: 1, max: 256 }), enabled: fc.boolean() },
    { requiredKeys: [] },
  ),
  knowledgeTextBody: fc.record({ title: text(200), text: text(4000) }),
  knowledgeSearchQuery: fc.record({ q: text(500), k: fc.integer({ min: 1, max: 20 }).map(String) }, { requiredKeys: ['q'] }),
  unansweredQuery: fc.record({ days: fc.integer({ min: 1, max: 365 }).map(String) }, { requiredKeys: [] }),
  similarQuestionBody: fc.record({ faqQuestion: text(1000), similar: text(500) }),
  faqEntryBody: fc.record({ question: text(500), answer: text(5000) }),
  mpLoginBody: fc.record({ code: word(128), bot: word(64) }, { requiredKeys: ['code'] }),
  mpMessageBody: fc.record({ text: text(1000), id: fc.stringMatching(/^[\w-]{1,64}$/) }, { requiredKeys: ['text'] }),
  mpHistoryQuery: fc.record({ before: digits(2n ** 63n - 1n), limit: fc.integer({ min: 1, max: 100 }).map(String) }, { requiredKeys: [] }),
  mpSubscriptionBody: fc.record({ templateId: word(128), accepted: fc.boolean() }),
  mpPushQuery: fc.record(
    {
      signature: word(100),
      timestamp: digits(10n ** 13n - 1n),
      nonce: word(100),
      echostr: word(1000),
      encrypt_type: fc.constant('aes'),
      msg_signature: word(100),
    },
    { requiredKeys: ['timestamp', 'nonce'] },
  ),
  simulatorPostBody: fc.record(
    { from: word(64), text: text(16_384), room: word(64), mentions: fc.array(word(64), { maxLength: 50 }) },
    { requiredKeys: ['from', 'text'] },
  ),
  simulatorListQuery: fc.record(
    { room: word(64), from: word(64), limit: fc.integer({ min: 1, max: 1000 }).map(String) },
    { requiredKeys: [] },
  ),
  chatCompletionRequest: fc.record(
    {
      model: word(256),
      messages: fc.array(fc.record({ role: fc.constantFrom('system', 'developer', 'user', 'assistant'), content: fc.string() }), {
        minLength: 1,
        maxLength: 20,
      }),
      max_tokens: fc.integer({ min: 1, max: 100_000 }),
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      stream: fc.boolean(),
      user: fc.string({ maxLength: 256 }),
    },
    { requiredKeys: ['model', 'messages'] },
  ),
  embeddingsRequest: fc.record(
    {
      model: word(256),
      input: fc.oneof(fc.string(), fc.array(fc.string(), { minLength: 1, maxLength: 20 })),
      encoding_format: fc.constantFrom('float', 'base64'),
      dimensions: fc.integer({ min: 1, max: 4096 }),
      user: fc.string({ maxLength: 256 }),
    },
    { requiredKeys: ['model', 'input'] },
  ),
  responsesRequest: fc.record(
    {
      model: word(256),
      input: fc.oneof(
        fc.string(),
        fc.array(fc.record({ role: fc.constantFrom('system', 'developer', 'user', 'assistant'), content: fc.string() }), {
          minLength: 1,
          maxLength: 20,
        }),
      ),
      instructions: fc.string(),
      max_output_tokens: fc.integer({ min: 1, max: 100_000 }),
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      stream: fc.boolean(),
    },
    { requiredKeys: ['model', 'input'] },
  ),
  weComCallbackQuery: fc.record(
    { msg_signature: word(100), timestamp: digits(10n ** 13n - 1n), nonce: word(100), echostr: word(1000) },
    { requiredKeys: ['msg_signature', 'timestamp', 'nonce'] },
  ),
  mcpServerCreateBody: fc.record(
    {
      name: fc.stringMatching(/^[a-zA-Z0-9_-]{1,40}$/),
      url: fc.webUrl().filter((url) => url.length <= 2000),
      transport: fc.constantFrom('streamable_http', 'sse'),
      headers: fc.dictionary(fc.stringMatching(/^[A-Za-z0-9-]{1,100}$/), fc.string({ maxLength: 4000 }), { maxKeys: 5 }),
    },
    { requiredKeys: ['name', 'url'] },
  ),
  mcpServerUpdateBody: fc.record(
    {
      name: fc.stringMatching(/^[a-zA-Z0-9_-]{1,40}$/),
      enabled: fc.boolean(),
      allowed: fc.dictionary(fc.stringMatching(/^[a-z_]{1,128}$/), fc.record({ confirm: fc.boolean() }, { requiredKeys: [] }), {
        maxKeys: 5,
      }),
    },
    { requiredKeys: [] },
  ),
  weComAccountLinkBody: fc.record({ botId: fc.option(word(64)) }),
  answerRatingBody: fc.oneof(
    fc.record({ rating: fc.constant('good'), betterAnswer: text(8000) }, { requiredKeys: ['rating'] }),
    fc.record({ rating: fc.constant('bad'), betterAnswer: text(8000) }),
  ),
  trainingPairQuery: fc.record(
    {
      botId: fc.uuid(),
      status: fc.constantFrom('candidate', 'accepted', 'rejected'),
      limit: fc.integer({ min: 1, max: 200 }).map(String),
      before: fc.uuid(),
    },
    { requiredKeys: [] },
  ),
  trainingPairReviewBody: fc.record(
    {
      status: fc.constantFrom('candidate', 'accepted', 'rejected'),
      question: text(4000),
      answer: text(8000),
      addToKnowledge: fc.boolean(),
    },
    { requiredKeys: ['status'] },
  ),
  datasetBody: fc.record(
    {
      name: text(100),
      botId: fc.uuid(),
      sources: fc.record({ pairs: fc.constant(true), faq: fc.boolean(), conversations: fc.boolean() }),
      filters: fc.record(
        {
          channel: fc.constantFrom('wechat_group', 'wechat_private', 'miniprogram', 'api', 'wecom_kf'),
          from: isoDate,
          to: isoDate,
          rating: fc.constantFrom('good', 'bad'),
          minSatisfaction: fc.integer({ min: 1, max: 5 }),
          handoff: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      testShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
    },
    { requiredKeys: ['name'] },
  ),
  datasetExportQuery: fc.record(
    { format: fc.constantFrom('openai', 'sharegpt', 'alpaca'), split: fc.constantFrom('train', 'test') },
    { requiredKeys: ['format'] },
  ),
  comparisonBody: fc
    .record(
      {
        source: fc.oneof(fc.record({ datasetId: fc.uuid() }), fc.record({ evalSet: fc.stringMatching(/^[a-z0-9-]{1,40}$/) })),
        models: fc.uniqueArray(word(64), { minLength: 2, maxLength: 5 }),
        judge: word(64),
        botId: fc.uuid(),
        limit: fc.integer({ min: 1, max: 500 }),
      },
      { requiredKeys: ['source', 'models'] },
    )
    .map(({ source, ...rest }) => ({ ...source, ...rest })),
}

/** Response schemas: what the API answers, not what it is sent. */
const responses = new Set(['errorBody', 'healthBody'])

function onlyZodErrors(schema: z.ZodType, input: unknown): void {
  const result = schema.safeParse(input)
  if (result.success) return
  expect(result.error).toBeInstanceOf(z.ZodError)
  expect(result.error.issues.length).toBeGreaterThan(0)
  for (const issue of result.error.issues) {
    expect(Array.isArray(issue.path)).toBe(true)
    expect(typeof issue.message).toBe('string')
  }
}

describe('the request validators under arbitrary input', () => {
  it('has a generator of valid input for every request schema', () => {
    const requests = schemas.map(([name]) => name).filter((name) => /(Body|Query|Patch|Request)$/.test(name) && !responses.has(name))
    expect(Object.keys(validInputs).sort()).toEqual(requests.sort())
  })

  it.each(schemas.map(([name, schema]) => [name, schema] as const))('%s fails arbitrary JSON only with a ZodError', (_name, schema) => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => onlyZodErrors(schema, input)),
      runs,
    )
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true }), (input) =>
        onlyZodErrors(schema, input),
      ),
      runs,
    )
  })

  it.each(Object.entries(validInputs))('%s accepts input built to be valid', (name, valid) => {
    const schema = (protocol as Record<string, unknown>)[name] as z.ZodType
    fc.assert(
      fc.property(valid, (input) => {
        const result = schema.safeParse(input)
        if (!result.success) throw new Error(`${JSON.stringify(input)}: ${result.error.message}`)
      }),
      runs,
    )
  })
})
