import { modelEndpointBody } from '@chorus/protocol'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation } from '@tanstack/react-query'
import { useState, type ReactElement } from 'react'
import { Controller, useForm, useWatch, type Control, type FieldPath } from 'react-hook-form'
import { z } from 'zod'
import type { AdminApi } from '../../api/admin-client.js'
import type { ConnectionResult, ModelEndpoint, ModelEndpointInput } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { useI18n } from '../../i18n.js'
import { CheckField, issueAt } from '../ui/field.js'
import { NumberField, SelectField, TextField } from '../ui/inputs.js'
import { ConnectionResultView } from './connection-result.js'

/** What the form holds: every box as typed. */
const draftFields = z.object({
  name: z.string(),
  kind: z.enum(['openai', 'gguf']),
  baseUrl: z.string(),
  model: z.string(),
  apiKeyVariable: z.string(),
  ggufPath: z.string(),
  replicas: z.number(),
  concurrency: z.number(),
  leavesNetwork: z.boolean(),
  enabled: z.boolean(),
})
type Draft = z.infer<typeof draftFields>

const blank: Draft = {
  name: '',
  kind: 'openai',
  baseUrl: '',
  model: '',
  apiKeyVariable: '',
  ggufPath: '',
  replicas: 1,
  concurrency: 8,
  leavesNetwork: false,
  enabled: true,
}

function draftOf(endpoint: ModelEndpoint | null): Draft {
  if (!endpoint) return blank
  return {
    ...endpoint,
    baseUrl: endpoint.baseUrl ?? '',
    model: endpoint.model ?? '',
    apiKeyVariable: endpoint.apiKeyVariable ?? '',
    ggufPath: endpoint.ggufPath ?? '',
  }
}

const orNull = (text: string) => text.trim() || null

/** The draft as the API takes it: the other kind's fields and empty boxes sent as null. */
function inputOf(draft: Draft): ModelEndpointInput {
  const openai = draft.kind === 'openai'
  return {
    name: draft.name.trim(),
    kind: draft.kind,
    baseUrl: openai ? orNull(draft.baseUrl) : null,
    model: openai ? orNull(draft.model) : null,
    apiKeyVariable: openai ? orNull(draft.apiKeyVariable) : null,
    ggufPath: openai ? null : orNull(draft.ggufPath),
    replicas: draft.replicas,
    concurrency: draft.concurrency,
    leavesNetwork: draft.leavesNetwork,
    enabled: draft.enabled,
  }
}

// The draft as the API takes it, checked by the API's own schema (its problems named by field).
const endpointForm = draftFields.transform((draft): z.input<typeof modelEndpointBody> => inputOf(draft)).pipe(modelEndpointBody)

/** Add or change a model endpoint; "Test connection" tries what is typed in before anything is saved. */
export function ModelEndpointForm(props: {
  admin: AdminApi
  endpoint: ModelEndpoint | null
  onSaved: (endpoint: ModelEndpoint) => void
  onCancel: () => void
}) {
  const { t } = useI18n()
  const form = useForm<Draft, unknown, ModelEndpointInput>({ resolver: zodResolver(endpointForm), defaultValues: draftOf(props.endpoint) })
  const kind = useWatch({ control: form.control, name: 'kind' })
  const [error, setError] = useState<ApiError | null>(null)
  const [result, setResult] = useState<ConnectionResult | null>(null)
  // The test validates a whole endpoint; a name is not needed to try a connection.
  const test = useMutation({
    mutationFn: (input: ModelEndpointInput) => props.admin.testModelEndpoint({ ...input, name: input.name || 'connection-test' }),
    onMutate: () => {
      setError(null)
      setResult(null)
    },
    onSuccess: setResult,
    onError: (failure) => setError(ApiError.from(failure)),
  })

  const save = form.handleSubmit(async (input) => {
    setError(null)
    try {
      const saved = props.endpoint
        ? await props.admin.updateModelEndpoint(props.endpoint.id, input)
        : await props.admin.createModelEndpoint(input)
      props.onSaved(saved)
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  })

  const issues = error?.issues ?? []
  const fieldError = (path: FieldPath<Draft>) => issueAt(issues, path) ?? form.formState.errors[path]?.message
  // A change makes the last test's result stale.
  const changed =
    <V,>(onChange: (value: V) => void) =>
    (value: V) => {
      onChange(value)
      setResult(null)
    }
  const busy = form.formState.isSubmitting || test.isPending
  return (
    <section className="card endpoint-form" aria-labelledby="endpoint-form-title">
      <h2 id="endpoint-form-title">{props.endpoint ? t('endpoint.edit', { name: props.endpoint.name }) : t('endpoint.add')}</h2>
      <form noValidate onSubmit={(event) => void save(event)} data-testid="endpoint-form">
        <div className="field-grid">
          <Controller
            control={form.control}
            name="name"
            render={({ field }) => (
              <TextField
                id="endpoint-name"
                testId="endpoint-name"
                label={t('endpoint.name')}
                hint={t('endpoint.nameHint')}
                value={field.value}
                onChange={changed(field.onChange)}
                error={fieldError('name')}
              />
            )}
          />
          <Controller
            control={form.control}
            name="kind"
            render={({ field }) => (
              <SelectField
                id="endpoint-kind"
                testId="endpoint-kind"
                label={t('endpoint.kind')}
                value={field.value}
                onChange={changed(field.onChange)}
                options={[
                  { value: 'openai', label: t('endpoint.kind.openai') },
                  { value: 'gguf', label: t('endpoint.kind.gguf') },
                ]}
              />
            )}
          />
          {kind === 'openai' ? (
            <>
              <TextBox control={form.control} name="baseUrl" onChange={changed} error={fieldError('baseUrl')}>
                {(box) => (
                  <TextField
                    id="endpoint-base-url"
                    testId="endpoint-base-url"
                    type="url"
                    label={t('endpoint.baseUrl')}
                    hint={t('endpoint.baseUrlHint')}
                    placeholder="https://dashscope.aliyuncs.com/compatible-mode/v1"
                    {...box}
                  />
                )}
              </TextBox>
              <TextBox control={form.control} name="model" onChange={changed} error={fieldError('model')}>
                {(box) => (
                  <TextField
                    id="endpoint-model"
                    testId="endpoint-model"
                    label={t('endpoint.model')}
                    hint={t('endpoint.modelHint')}
                    placeholder="qwen-plus"
                    {...box}
                  />
                )}
              </TextBox>
              <TextBox control={form.control} name="apiKeyVariable" onChange={changed} error={fieldError('apiKeyVariable')}>
                {(box) => (
                  <TextField
                    id="endpoint-api-key-variable"
                    testId="endpoint-api-key-variable"
                    label={t('endpoint.apiKeyVariable')}
                    hint={t('endpoint.apiKeyVariableHint')}
                    placeholder="QWEN_API_KEY"
                    autoComplete="off"
                    {...box}
                  />
                )}
              </TextBox>
            </>
          ) : (
            <TextBox control={form.control} name="ggufPath" onChange={changed} error={fieldError('ggufPath')}>
              {(box) => (
                <TextField
                  id="endpoint-gguf-path"
                  testId="endpoint-gguf-path"
                  label={t('endpoint.ggufPath')}
                  hint={t('endpoint.ggufPathHint')}
                  placeholder="/models/qwen2.5-7b-instruct-q4_k_m.gguf"
                  {...box}
                />
              )}
            </TextBox>
          )}
          <Controller
            control={form.control}
            name="replicas"
            render={({ field }) => (
              <NumberField
                id="endpoint-replicas"
                testId="endpoint-replicas"
                label={t('endpoint.replicas')}
                hint={t('endpoint.replicasHint')}
                min={1}
                max={16}
                value={field.value}
                onChange={changed(field.onChange)}
                error={fieldError('replicas')}
              />
            )}
          />
          <Controller
            control={form.control}
            name="concurrency"
            render={({ field }) => (
              <NumberField
                id="endpoint-concurrency"
                testId="endpoint-concurrency"
                label={t('endpoint.concurrency')}
                hint={t('endpoint.concurrencyHint')}
                min={1}
                max={256}
                value={field.value}
                onChange={changed(field.onChange)}
                error={fieldError('concurrency')}
              />
            )}
          />
        </div>
        <Controller
          control={form.control}
          name="leavesNetwork"
          render={({ field }) => (
            <CheckField
              id="endpoint-leaves-network"
              testId="endpoint-leaves-network"
              label={t('endpoint.leavesNetwork')}
              hint={t('endpoint.leavesNetworkHint')}
              checked={field.value}
              onChange={changed(field.onChange)}
            />
          )}
        />
        <Controller
          control={form.control}
          name="enabled"
          render={({ field }) => (
            <CheckField
              id="endpoint-enabled"
              testId="endpoint-enabled"
              label={t('endpoint.enabled')}
              hint={t('endpoint.enabledHint')}
              checked={field.value}
              onChange={changed(field.onChange)}
            />
          )}
        />
        {result && <ConnectionResultView result={result} />}
        {error && (
          <div className="form-error" role="alert" data-testid="endpoint-error">
            <p>{error.status === 409 ? t('endpoint.nameTaken') : t('error.generic', { message: error.message })}</p>
          </div>
        )}
        <div className="form-footer">
          <button type="button" onClick={props.onCancel}>
            {t('action.cancel')}
          </button>
          <button type="button" data-testid="endpoint-test" disabled={busy} onClick={() => test.mutate(inputOf(form.getValues()))}>
            {test.isPending ? t('endpoint.testing') : t('endpoint.test')}
          </button>
          <button type="submit" className="primary" data-testid="endpoint-save" disabled={busy}>
            {form.formState.isSubmitting ? t('admin.saving') : t('admin.save')}
          </button>
        </div>
      </form>
    </section>
  )
}

type TextName = 'baseUrl' | 'model' | 'apiKeyVariable' | 'ggufPath'

/** One of the form's text boxes: its value, change (through `onChange`) and error, for the field it renders. */
function TextBox(props: {
  control: Control<Draft, unknown, ModelEndpointInput>
  name: TextName
  onChange: (change: (value: string) => void) => (value: string) => void
  error: string | undefined
  children: (box: { value: string; onChange: (value: string) => void; error: string | undefined }) => ReactElement
}) {
  return (
    <Controller
      control={props.control}
      name={props.name}
      render={({ field }) => props.children({ value: field.value, onChange: props.onChange(field.onChange), error: props.error })}
    />
  )
}
