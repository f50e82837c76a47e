import type { GbnfJsonSchema } from 'node-llama-cpp'

/** Words that describe a value without constraining it: kept or dropped, they change no call. */
const annotations = new Set(['description', 'title', 'default', 'examples', '$comment', '$schema'])
const basicTypes = new Set(['string', 'number', 'integer', 'boolean', 'null'])
const stringFormats = new Set(['date-time', 'time', 'date'])
/** What node-llama-cpp's grammar reads, by the schema's `type` (besides the annotations and `$defs`). */
const keywordsOf: Record<string, ReadonlySet<string>> = {
  object: new Set(['type', 'properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties']),
  array: new Set(['type', 'items', 'prefixItems', 'minItems', 'maxItems']),
  string: new Set(['type', 'minLength', 'maxLength', 'format']),
  basic: new Set(['type']),
}

/** A JSON schema that node-llama-cpp's function-call grammar cannot hold a call to; `path` says where. */
export class UnexpressibleSchema extends Error {
  override readonly name = 'UnexpressibleSchema'
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`)
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The JSON schema of a function's parameters as node-llama-cpp's grammar takes it, or
 * `UnexpressibleSchema` for the first part it would not hold a call to. node-llama-cpp silently
 * ignores what it does not know (`minimum`, `pattern`, `allOf`…) and reads `{}` as `null`, so
 * everything outside its subset is refused here rather than loosened. `anyOf` becomes `oneOf`
 * (a grammar picks one alternative either way). Its grammar writes every listed property, so
 * an optional one is always filled: stricter than asked, never invalid.
 */
export function gbnfSchemaOf(schema: unknown, path = 'parameters'): GbnfJsonSchema {
  return convert(schema, path, new Set(isRecord(schema) && isRecord(schema.$defs) ? Object.keys(schema.$defs) : []))
}

function convert(schema: unknown, path: string, defs: ReadonlySet<string>): GbnfJsonSchema {
  if (!isRecord(schema)) throw new UnexpressibleSchema(path, 'a schema must be an object')
  const named = isRecord(schema.$defs) ? new Set([...defs, ...Object.keys(schema.$defs)]) : defs
  const out: Record<string, unknown> = {}
  if (schema.description !== undefined) out.description = schema.description
  if (schema.$defs !== undefined) {
    if (!isRecord(schema.$defs)) throw new UnexpressibleSchema(`${path}.$defs`, '$defs must be an object')
    out.$defs = Object.fromEntries(Object.entries(schema.$defs).map(([k, v]) => [k, convert(v, `${path}.$defs.${k}`, named)]))
  }
  const allowed = alternativeKeyword(schema) ?? typeKeywords(schema, path)
  for (const key of Object.keys(schema)) {
    if (!allowed.has(key) && !annotations.has(key) && key !== '$defs') {
      throw new UnexpressibleSchema(path, `'${key}' is not supported by the local model's function calling`)
    }
  }
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.startsWith('#/$defs/') ? schema.$ref.slice('#/$defs/'.length) : undefined
    if (name === undefined || !named.has(name)) throw new UnexpressibleSchema(path, `'$ref' must name one of this schema's $defs`)
    return { ...out, $ref: schema.$ref } as GbnfJsonSchema
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (schema[key] === undefined) continue
    const alternatives = schema[key]
    if (!Array.isArray(alternatives) || alternatives.length === 0) throw new UnexpressibleSchema(path, `'${key}' must list schemas`)
    return { ...out, oneOf: alternatives.map((s, i) => convert(s, `${path}.${key}.${i}`, named)) } as GbnfJsonSchema
  }
  if (schema.const !== undefined) {
    checkLiterals(path, [schema.const])
    return { ...out, const: schema.const } as GbnfJsonSchema
  }
  if (schema.enum !== undefined) {
    if (!Array.isArray(schema.enum) || schema.enum.length === 0) throw new UnexpressibleSchema(path, `'enum' must list values`)
    checkLiterals(path, schema.enum)
    return { ...out, enum: schema.enum } as GbnfJsonSchema
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties') {
      if (!isRecord(value)) throw new UnexpressibleSchema(path, `'properties' must be an object`)
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, `${path}.properties.${k}`, named)]))
    } else if (key === 'additionalProperties' && typeof value !== 'boolean') {
      out.additionalProperties = convert(value, `${path}.additionalProperties`, named)
    } else if (key === 'items') {
      out.items = convert(value, `${path}.items`, named)
    } else if (key === 'prefixItems') {
      if (!Array.isArray(value)) throw new UnexpressibleSchema(path, `'prefixItems' must list schemas`)
      out.prefixItems = value.map((s, i) => convert(s, `${path}.prefixItems.${i}`, named))
    } else if (key === 'format' && !stringFormats.has(value as string)) {
      throw new UnexpressibleSchema(path, `format '${String(value)}' is not supported (only ${[...stringFormats].join(', ')})`)
    } else if (allowed.has(key) && key !== '$defs') {
      out[key] = value
    }
  }
  if (schema.format !== undefined && (schema.minLength !== undefined || schema.maxLength !== undefined)) {
    throw new UnexpressibleSchema(path, `'format' cannot be combined with a length`)
  }
  return out as GbnfJsonSchema
}

/** The keywords of a schema that is a reference, a choice or a literal (no `type` read beside them). */
function alternativeKeyword(schema: Record<string, unknown>): ReadonlySet<string> | undefined {
  const key = ['$ref', 'oneOf', 'anyOf', 'const', 'enum'].find((k) => schema[k] !== undefined)
  return key ? new Set([key]) : undefined
}

function typeKeywords(schema: Record<string, unknown>, path: string): ReadonlySet<string> {
  const type = schema.type
  if (type === 'object' || type === 'array' || type === 'string') return keywordsOf[type]!
  if (typeof type === 'string' && basicTypes.has(type)) return keywordsOf.basic!
  if (Array.isArray(type) && type.length > 0 && type.every((t) => typeof t === 'string' && basicTypes.has(t))) return keywordsOf.basic!
  if (type === undefined) throw new UnexpressibleSchema(path, 'a schema without a type (any value) is not supported')
  throw new UnexpressibleSchema(
    path,
    `type ${JSON.stringify(type)} is not supported (a list may name only string, number, integer, boolean, null)`,
  )
}

function checkLiterals(path: string, values: unknown[]): void {
  for (const value of values) {
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      throw new UnexpressibleSchema(path, 'only string, number, boolean and null values can be listed')
    }
  }
}
