import { gbnfSchemaOf, UnexpressibleSchema } from './function-schema.js'

/** The path and reason a schema is refused with; fails the test when it converts. */
function refusal(schema: unknown): string {
  try {
    gbnfSchemaOf(schema)
  } catch (error) {
    expect(error).toBeInstanceOf(UnexpressibleSchema)
    return (error as Error).message
  }
  throw new Error('expected the schema to be refused')
}

describe('a function parameters schema for node-llama-cpp', () => {
  it('keeps what its grammar reads: objects, arrays, strings with a length or date format, enums, consts, basic type lists', () => {
    const schema = {
      type: 'object',
      description: 'weather query',
      properties: {
        city: { type: 'string', minLength: 1, maxLength: 80 },
        day: { type: 'string', format: 'date' },
        unit: { enum: ['c', 'f'] },
        kind: { const: 'forecast' },
        hours: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 24 },
        note: { type: ['string', 'null'] },
        extra: { type: 'object', additionalProperties: { type: 'number' } },
      },
      required: ['city'],
      additionalProperties: false,
    }
    expect(gbnfSchemaOf(schema)).toEqual(schema)
  })

  it('reads anyOf as oneOf, and keeps $defs with the $refs that name them', () => {
    const schema = {
      type: 'object',
      $defs: { place: { type: 'string' } },
      properties: { where: { anyOf: [{ $ref: '#/$defs/place' }, { type: 'null' }] } },
    }
    expect(gbnfSchemaOf(schema)).toEqual({
      type: 'object',
      $defs: { place: { type: 'string' } },
      properties: { where: { oneOf: [{ $ref: '#/$defs/place' }, { type: 'null' }] } },
    })
  })

  it.each([
    ['a bound on a number', { type: 'object', properties: { n: { type: 'number', minimum: 0 } } }, 'properties.n', 'minimum'],
    ['a string pattern', { type: 'object', properties: { s: { type: 'string', pattern: '^a' } } }, 'properties.s', 'pattern'],
    ['allOf', { allOf: [{ type: 'string' }] }, 'parameters', 'without a type'],
    ['a schema without a type (any value)', { type: 'object', properties: { x: {} } }, 'properties.x', 'without a type'],
    ['an object in a type list', { type: ['object', 'null'] }, 'parameters', 'type'],
    ['an unknown string format', { type: 'string', format: 'email' }, 'parameters', 'email'],
    ['a $ref outside $defs', { $ref: '#/definitions/x' }, 'parameters', '$ref'],
    ['an object in an enum', { enum: [{ a: 1 }] }, 'parameters', 'only string'],
  ])('refuses %s, saying where', (_what, schema, path, reason) => {
    const message = refusal(schema)
    expect(message).toContain(path)
    expect(message).toContain(reason)
  })
})
