import { useState, type FormEvent } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { ConnectionResult, EndpointKind, ModelEndpoint, ModelEndpointInput } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { useI18n } from '../../i18n.js'
import { CheckField, issueAt } from '../ui/field.js'
import { NumberField, SelectField, TextField } from '../ui/inputs.js'
import { ConnectionResultView } from './connection-result.js'

interface Draft {
  name: string
  kind: EndpointKind
  baseUrl: string
  model: string
  apiKeyVariable: string
  ggufPath: string
  replicas: number
  concurrency: number
  leavesNetwork: boolean
  enabled: boolean
}

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

/** Add or change a model endpoint; "Test connection" tries what is typed in before anything is saved. */
export function ModelEndpointForm(props: {
  admin: AdminApi
  endpoint: ModelEndpoint | null
  onSaved: (endpoint: ModelEndpoint) => void
  onCancel: () => void
}) {
  const { t } = useI18n()
  const [draft, setDraft] = useState(() => draftOf(props.endpoint))
  const [busy, setBusy] = useState<'save' | 'test' | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [result, setResult] = useState<ConnectionResult | null>(null)
  const change = (fields: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...fields }))
    setResult(null)
  }

  const test = async () => {
    setBusy('test')
    setError(null)
    setResult(null)
    try {
      // The test validates a whole endpoint; a name is not needed to try a connection.
      const input = inputOf(draft)
      setResult(await props.admin.testModelEndpoint({ ...input, name: input.name || 'connection-test' }))
    } catch (failure) {
      setError(ApiError.from(failure))
    } finally {
      setBusy(null)
    }
  }

  const save = async (event: FormEvent) => {
    event.preventDefault()
    setBusy('save')
    setError(null)
    try {
      const input = inputOf(draft)
      const saved = props.endpoint
        ? await props.admin.updateModelEndpoint(props.endpoint.id, input)
        : await props.admin.createModelEndpoint(input)
      props.onSaved(saved)
    } catch (failure) {
      setError(ApiError.from(failure))
      setBusy(null)
    }
  }

  const issues = error?.issues ?? []
  const fieldError = (path: string) => issueAt(issues, path)
  const openai = draft.kind === 'openai'
  return (
    <section className="card endpoint-form" aria-labelledby="endpoint-form-title">
      <h2 id="endpoint-form-title">{props.endpoint ? t('endpoint.edit', { name: props.endpoint.name }) : t('endpoint.add')}</h2>
      <form noValidate onSubmit={(event) => void save(event)} data-testid="endpoint-form">
        <div className="field-grid">
          <TextField
            id="endpoint-name"
            testId="endpoint-name"
            label={t('endpoint.name')}
            hint={t('endpoint.nameHint')}
            value={draft.name}
            onChange={(name) => change({ name })}
            error={fieldError('name')}
          />
          <SelectField
            id="endpoint-kind"
            testId="endpoint-kind"
            label={t('endpoint.kind')}
            value={draft.kind}
            onChange={(kind) => change({ kind })}
            options={[
              { value: 'openai', label: t('endpoint.kind.openai') },
              { value: 'gguf', label: t('endpoint.kind.gguf') },
            ]}
          />
          {openai ? (
            <>
              <TextField
                id="endpoint-base-url"
                testId="endpoint-base-url"
                type="url"
                label={t('endpoint.baseUrl')}
                hint={t('endpoint.baseUrlHint')}
                placeholder="https://dashscope.aliyuncs.com/compatible-mode/v1"
                value={draft.baseUrl}
                onChange={(baseUrl) => change({ baseUrl })}
                error={fieldError('baseUrl')}
              />
              <TextField
                id="endpoint-model"
                testId="endpoint-model"
                label={t('endpoint.model')}
                hint={t('endpoint.modelHint')}
                placeholder="qwen-plus"
                value={draft.model}
                onChange={(model) => change({ model })}
                error={fieldError('model')}
              />
              <TextField
                id="endpoint-api-key-variable"
                testId="endpoint-api-key-variable"
                label={t('endpoint.apiKeyVariable')}
                hint={t('endpoint.apiKeyVariableHint')}
                placeholder="QWEN_API_KEY"
                autoComplete="off"
                value={draft.apiKeyVariable}
                onChange={(apiKeyVariable) => change({ apiKeyVariable })}
                error={fieldError('apiKeyVariable')}
              />
            </>
          ) : (
            <TextField
              id="endpoint-gguf-path"
              testId="endpoint-gguf-path"
              label={t('endpoint.ggufPath')}
              hint={t('endpoint.ggufPathHint')}
              placeholder="/models/qwen2.5-7b-instruct-q4_k_m.gguf"
              value={draft.ggufPath}
              onChange={(ggufPath) => change({ ggufPath })}
              error={fieldError('ggufPath')}
            />
          )}
          <NumberField
            id="endpoint-replicas"
            testId="endpoint-replicas"
            label={t('endpoint.replicas')}
            hint={t('endpoint.replicasHint')}
            min={1}
            max={16}
            value={draft.replicas}
            onChange={(replicas) => change({ replicas })}
            error={fieldError('replicas')}
          />
          <NumberField
            id="endpoint-concurrency"
            testId="endpoint-concurrency"
            label={t('endpoint.concurrency')}
            hint={t('endpoint.concurrencyHint')}
            min={1}
            max={256}
            value={draft.concurrency}
            onChange={(concurrency) => change({ concurrency })}
            error={fieldError('concurrency')}
          />
        </div>
        <CheckField
          id="endpoint-leaves-network"
          testId="endpoint-leaves-network"
          label={t('endpoint.leavesNetwork')}
          hint={t('endpoint.leavesNetworkHint')}
          checked={draft.leavesNetwork}
          onChange={(leavesNetwork) => change({ leavesNetwork })}
        />
        <CheckField
          id="endpoint-enabled"
          testId="endpoint-enabled"
          label={t('endpoint.enabled')}
          hint={t('endpoint.enabledHint')}
          checked={draft.enabled}
          onChange={(enabled) => change({ enabled })}
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
          <button type="button" data-testid="endpoint-test" disabled={busy !== null} onClick={() => void test()}>
            {busy === 'test' ? t('endpoint.testing') : t('endpoint.test')}
          </button>
          <button type="submit" className="primary" data-testid="endpoint-save" disabled={busy !== null}>
            {busy === 'save' ? t('admin.saving') : t('admin.save')}
          </button>
        </div>
      </form>
    </section>
  )
}
