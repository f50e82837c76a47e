import { knowledgeTextBody } from '@chorus/protocol'
import { zodResolver } from '@hookform/resolvers/zod'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useRef, useState, type FormEvent } from 'react'
import { useForm, useWatch } from 'react-hook-form'
import type { AdminApi } from '../../api/admin-client.js'
import type { Bot, KnowledgeDocument } from '../../api/admin-types.js'
import { ApiError } from '../../api/api-error.js'
import { queryKeys } from '../../api/query-keys.js'
import { FormError } from '../../components/form-error.js'
import { localeOf, useI18n } from '../../i18n.js'
import { formatFullTime, formatTime } from '../../time-format.js'
import { ConfirmDialog } from '../ui/confirm-dialog.js'
import { numeric } from '../ui/data-table.js'
import { NoticeBar, useNotices } from '../ui/notice.js'
import { ResourceTable } from '../ui/resource-table.js'
import { RowButton } from '../ui/row-button.js'
import { KnowledgeSearch } from './knowledge-search.js'
import { UnansweredPanel } from './unanswered-panel.js'

const accepted = '.md,.markdown,.txt,.html,.htm,.pdf,.docx,.csv'

/** A bot's knowledge base: upload files or paste text, see the documents and their chunks, delete, and try a search. */
export function KnowledgePanel(props: { admin: AdminApi; bot: Bot }) {
  const { t, language } = useI18n()
  const { admin, bot } = props
  const queries = useQueryClient()
  const documents = useQuery({ queryKey: queryKeys.knowledgeDocuments(bot.id), queryFn: () => admin.knowledgeDocuments(bot.id) })
  // A document added or removed, or a question learned, changes the whole knowledge tab.
  const reload = () => void queries.invalidateQueries({ queryKey: queryKeys.knowledge(bot.id) })
  const notices = useNotices()
  const [deleting, setDeleting] = useState<KnowledgeDocument | null>(null)

  const added = (result: { title: string; chunks: number }) => {
    notices.info(t('knowledge.added', { title: result.title, chunks: result.chunks }))
    reload()
  }

  const remove = async (document: KnowledgeDocument) => {
    try {
      await admin.deleteKnowledgeDocument(bot.id, document.id)
      notices.info(t('knowledge.deleted', { title: document.title }))
      reload()
    } catch (failure) {
      notices.fail(failure)
    }
  }

  return (
    <div className="knowledge">
      <NoticeBar notices={notices} />
      <p className="muted page-intro">{t('knowledge.intro')}</p>
      <div className="admin-columns">
        <UploadForm admin={admin} botId={bot.id} onAdded={added} />
        <PasteForm admin={admin} botId={bot.id} onAdded={added} />
      </div>
      <ResourceTable
        resource={documents}
        title={{ id: 'knowledge-documents-title', text: t('knowledge.documents') }}
        empty={t('knowledge.none')}
        testId="knowledge-documents"
        columns={[t('knowledge.docTitle'), t('knowledge.format'), numeric(t('knowledge.chunks')), t('knowledge.updated')]}
        actions
        row={(document) => (
          <tr key={document.id} data-testid="knowledge-document-row">
            <th scope="row">{document.title}</th>
            <td>{document.format}</td>
            <td className="numeric">{document.chunkCount}</td>
            <td>
              <time dateTime={document.updatedAt} title={formatFullTime(document.updatedAt, localeOf(language))}>
                {formatTime(document.updatedAt, localeOf(language))}
              </time>
            </td>
            <td className="row-actions">
              <RowButton danger label={t('knowledge.deleteNamed', { title: document.title })} onClick={() => setDeleting(document)}>
                {t('admin.delete')}
              </RowButton>
            </td>
          </tr>
        )}
      />
      <KnowledgeSearch admin={admin} botId={bot.id} minScore={bot.settings.knowledge.minScore} />
      <UnansweredPanel admin={admin} botId={bot.id} onLearned={reload} />
      {deleting && (
        <ConfirmDialog
          title={t('knowledge.deleteTitle')}
          text={t('knowledge.deleteText', { title: deleting.title })}
          confirmLabel={t('admin.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        />
      )}
    </div>
  )
}

type Added = (result: { title: string; chunks: number }) => void

function UploadForm(props: { admin: AdminApi; botId: string; onAdded: Added }) {
  const { t } = useI18n()
  const [file, setFile] = useState<File | null>(null)
  const [title, setTitle] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const input = useRef<HTMLInputElement>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!file) return
    setBusy(true)
    setError(null)
    try {
      props.onAdded(await props.admin.uploadKnowledgeFile(props.botId, file, title.trim() || undefined))
      setFile(null)
      setTitle('')
      if (input.current) input.current.value = ''
    } catch (failure) {
      const apiError = ApiError.from(failure)
      setError(apiError.status === 413 ? t('knowledge.tooLarge') : t('error.generic', { message: apiError.message }))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card" aria-labelledby="knowledge-upload-title">
      <h2 id="knowledge-upload-title">{t('knowledge.upload')}</h2>
      <form className="stacked-form" onSubmit={(event) => void submit(event)}>
        <label htmlFor="knowledge-file">{t('knowledge.file')}</label>
        <input
          id="knowledge-file"
          ref={input}
          data-testid="knowledge-file"
          type="file"
          accept={accepted}
          aria-describedby="knowledge-file-hint"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
        <span className="hint" id="knowledge-file-hint">
          {t('knowledge.fileHint')}
        </span>
        <label htmlFor="knowledge-file-title">{t('knowledge.titleOptional')}</label>
        <input id="knowledge-file-title" value={title} onChange={(event) => setTitle(event.target.value)} />
        <FormError message={error} />
        <button type="submit" className="primary" data-testid="knowledge-upload-submit" disabled={!file || busy}>
          {busy ? t('knowledge.uploading') : t('knowledge.uploadButton')}
        </button>
      </form>
    </section>
  )
}

function PasteForm(props: { admin: AdminApi; botId: string; onAdded: Added }) {
  const { t } = useI18n()
  // The API's own schema for a pasted document.
  const form = useForm({ resolver: zodResolver(knowledgeTextBody), defaultValues: { title: '', text: '' } })
  const [title, text] = useWatch({ control: form.control, name: ['title', 'text'] })
  const [error, setError] = useState<string | null>(null)
  const { errors, isSubmitting } = form.formState

  const submit = form.handleSubmit(async (body) => {
    setError(null)
    try {
      props.onAdded(await props.admin.addKnowledgeText(props.botId, body.title, body.text))
      form.reset()
    } catch (failure) {
      setError(t('error.generic', { message: ApiError.from(failure).message }))
    }
  })
  const invalid = errors.title || errors.text ? t('knowledge.pasteInvalid') : null

  return (
    <section className="card" aria-labelledby="knowledge-paste-title">
      <h2 id="knowledge-paste-title">{t('knowledge.paste')}</h2>
      <form className="stacked-form" onSubmit={(event) => void submit(event)}>
        <label htmlFor="knowledge-text-title">{t('knowledge.docTitle')}</label>
        <input id="knowledge-text-title" data-testid="knowledge-text-title" required {...form.register('title')} />
        <label htmlFor="knowledge-text">{t('knowledge.text')}</label>
        <textarea
          id="knowledge-text"
          data-testid="knowledge-text"
          rows={6}
          required
          placeholder={t('knowledge.textPlaceholder')}
          {...form.register('text')}
        />
        <FormError message={error ?? invalid} />
        <button
          type="submit"
          className="primary"
          data-testid="knowledge-text-submit"
          disabled={isSubmitting || !title.trim() || !text.trim()}
        >
          {t('knowledge.add')}
        </button>
      </form>
    </section>
  )
}
