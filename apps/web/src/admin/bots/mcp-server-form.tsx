import { useMutation } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { McpServer, McpServerInput } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { FormError } from '../../components/form-error.js'
import { useI18n } from '../../i18n.js'
import { issueAt } from '../ui/field.js'
import { SelectField, TextField } from '../ui/inputs.js'

type Transport = NonNullable<McpServerInput['transport']>
interface HeaderRow {
  key: number
  name: string
  value: string
}

/** Connects an MCP server to the bot: its name, URL, transport and headers; the API lists its tools at once. */
export function McpServerForm(props: { admin: AdminApi; botId: string; onAdded: (server: McpServer) => void }) {
  const { t } = useI18n()
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [transport, setTransport] = useState<Transport>('streamable_http')
  const [headers, setHeaders] = useState<HeaderRow[]>([])
  const add = useMutation({
    mutationFn: (body: McpServerInput) => props.admin.createMcpServer(props.botId, body),
    onSuccess: (server) => {
      setName('')
      setUrl('')
      setHeaders([])
      props.onAdded(server)
    },
  })
  const failure = add.error ? ApiError.from(add.error) : null
  const issues = failure?.issues ?? []
  const headerIssues = issues.filter((issue) => issue.path.startsWith('headers')).map((issue) => `${issue.path}: ${issue.message}`)
  const setHeader = (key: number, change: Partial<HeaderRow>) =>
    setHeaders((rows) => rows.map((row) => (row.key === key ? { ...row, ...change } : row)))

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const named = headers.filter((row) => row.name.trim())
    add.mutate({ name, url, transport, headers: Object.fromEntries(named.map((row) => [row.name.trim(), row.value])) })
  }

  return (
    <form className="card stacked-form" noValidate onSubmit={submit} aria-labelledby="mcp-add-title" data-testid="mcp-server-form">
      <h2 id="mcp-add-title">{t('tools.add')}</h2>
      <div className="field-grid">
        <TextField
          id="mcp-name"
          testId="mcp-name"
          label={t('tools.name')}
          value={name}
          onChange={setName}
          error={issueAt(issues, 'name')}
        />
        <TextField
          id="mcp-url"
          testId="mcp-url"
          label={t('tools.url')}
          type="url"
          placeholder="https://mcp.example.com/mcp"
          value={url}
          onChange={setUrl}
          error={issueAt(issues, 'url')}
        />
        <SelectField
          id="mcp-transport"
          testId="mcp-transport"
          label={t('tools.transport')}
          value={transport}
          onChange={setTransport}
          options={[
            { value: 'streamable_http', label: t('tools.transport.streamable_http') },
            { value: 'sse', label: t('tools.transport.sse') },
          ]}
        />
      </div>
      <fieldset className="mcp-headers">
        <legend>{t('tools.headers')}</legend>
        <span className="hint">{t('tools.headersHint')}</span>
        {headers.map((row) => (
          <div key={row.key} className="mcp-header-row">
            <input
              aria-label={t('tools.headerName')}
              data-testid="mcp-header-name"
              placeholder="Authorization"
              value={row.name}
              onChange={(event) => setHeader(row.key, { name: event.target.value })}
            />
            <input
              aria-label={t('tools.headerValue')}
              data-testid="mcp-header-value"
              placeholder="Bearer ${MCP_TOKEN}"
              value={row.value}
              onChange={(event) => setHeader(row.key, { value: event.target.value })}
            />
            <button
              type="button"
              aria-label={t('tools.removeHeader', { name: row.name })}
              onClick={() => setHeaders((rows) => rows.filter((each) => each.key !== row.key))}
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          data-testid="mcp-add-header"
          onClick={() => setHeaders((rows) => [...rows, { key: Date.now(), name: '', value: '' }])}
        >
          {t('tools.addHeader')}
        </button>
        {headerIssues.length > 0 && <span className="field-error">{headerIssues.join('; ')}</span>}
      </fieldset>
      {failure && issues.length === 0 && <FormError message={t('error.generic', { message: failure.message })} />}
      <button type="submit" className="primary" data-testid="mcp-add" disabled={add.isPending}>
        {add.isPending ? t('tools.adding') : t('tools.add')}
      </button>
    </form>
  )
}
