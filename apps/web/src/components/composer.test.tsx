/**
 * @jest-environment jsdom
 */
import type { CannedResponse, SuggestionsResponse } from '@chorus/protocol'
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { QueryClientProvider } from '@tanstack/react-query'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { createQueryClient } from '../api/query-client.js'
import { queryKeys } from '../api/query-keys.js'
import { Composer } from './composer.js'

afterEach(cleanup)

const canned: CannedResponse[] = [
  { id: 'c1', shortcut: 'hello', text: 'Hello, how can I help you?' },
  { id: 'c2', shortcut: 'hours', text: 'We are open from 9 to 18.' },
  { id: 'c3', shortcut: 'refund', text: 'Refunds take 3 working days.' },
]

const stored = { id: '1', role: 'agent' as const, text: '', at: '2026-12-07T09:00:00.000Z' }

/** The staff API calls the composer makes, each a mock. */
function fakeApi(suggested: SuggestionsResponse = { suggestions: [], source: 'model' }) {
  return {
    sendMessage: jest.fn<ApiClient['sendMessage']>().mockResolvedValue(stored),
    addNote: jest.fn<ApiClient['addNote']>().mockResolvedValue({ ...stored, role: 'note' }),
    typing: jest.fn<ApiClient['typing']>().mockResolvedValue(undefined),
    suggestions: jest.fn<ApiClient['suggestions']>().mockResolvedValue(suggested),
  }
}

function renderComposer(options: { api?: ReturnType<typeof fakeApi>; enabled?: boolean; assignedTo?: string | null } = {}) {
  const api = options.api ?? fakeApi()
  const notify = jest.fn<(text: string, kind: 'info' | 'error') => void>()
  const queries = createQueryClient()
  const invalidate = jest.spyOn(queries, 'invalidateQueries')
  // What was sent reloads the conversation: its cache entry is invalidated.
  const reloaded = () => expect(invalidate).toHaveBeenCalledWith({ queryKey: queryKeys.conversation('conv-1') })
  render(
    <QueryClientProvider client={queries}>
      <Composer
        api={api as unknown as ApiClient}
        conversationId="conv-1"
        enabled={options.enabled ?? true}
        assignedTo={options.assignedTo ?? null}
        canned={canned}
        notify={notify}
      />
    </QueryClientProvider>,
  )
  const input = screen.getByTestId('composer-input') as HTMLTextAreaElement
  const type = (text: string) => fireEvent.change(input, { target: { value: text, selectionStart: text.length } })
  return { api, notify, reloaded, invalidate, input, type }
}

describe('the composer', () => {
  it('sends the reply, empties the box and says it was sent', async () => {
    const { api, reloaded, input, type } = renderComposer()
    type('  Your order ships today.  ')
    expect(api.typing).toHaveBeenCalledWith('conv-1')
    fireEvent.click(screen.getByTestId('send-button'))
    await waitFor(reloaded)
    expect(api.sendMessage).toHaveBeenCalledWith('conv-1', 'Your order ships today.')
    expect(api.addNote).not.toHaveBeenCalled()
    expect(input.value).toBe('')
  })

  it('adds a private note in note mode, never sent to the user nor announced as typing', async () => {
    const { api, reloaded, type } = renderComposer()
    fireEvent.click(screen.getByTestId('composer-mode-note'))
    type('Customer called twice already.')
    expect(screen.getByTestId('send-button').textContent).toBe('Add note')
    fireEvent.click(screen.getByTestId('send-button'))
    await waitFor(reloaded)
    expect(api.addNote).toHaveBeenCalledWith('conv-1', 'Customer called twice already.')
    expect(api.sendMessage).not.toHaveBeenCalled()
    expect(api.typing).not.toHaveBeenCalled()
  })

  it('sends with Ctrl+Enter', async () => {
    const { api, input, type } = renderComposer()
    type('On its way.')
    fireEvent.keyDown(input, { key: 'Enter', ctrlKey: true })
    await waitFor(() => expect(api.sendMessage).toHaveBeenCalledWith('conv-1', 'On its way.'))
  })

  it('keeps the text and tells the agent when sending fails', async () => {
    const api = fakeApi()
    api.sendMessage.mockRejectedValue(new ApiError(409, 'conflict', 'claim the conversation before replying'))
    const { notify, invalidate, input, type } = renderComposer({ api })
    type('Still there?')
    fireEvent.click(screen.getByTestId('send-button'))
    await waitFor(() => expect(notify).toHaveBeenCalledWith('Something went wrong: claim the conversation before replying', 'error'))
    expect(invalidate).not.toHaveBeenCalled()
    expect(input.value).toBe('Still there?')
  })

  it('offers the canned responses matching "/" + shortcut, and Enter inserts the highlighted one', () => {
    const { input, type } = renderComposer()
    type('Hi! /h')
    const options = screen.getAllByRole('option')
    expect(options.map((option) => option.textContent)).toEqual(['/hello Hello, how can I help you?', '/hours We are open from 9 to 18.'])
    fireEvent.keyDown(input, { key: 'ArrowDown' })
    expect(screen.getAllByRole('option')[1]!.getAttribute('aria-selected')).toBe('true')
    fireEvent.keyDown(input, { key: 'Enter' })
    expect(input.value).toBe('Hi! We are open from 9 to 18.')
    expect(screen.queryByRole('listbox')).toBeNull()
  })

  it('closes the canned matches on Escape, leaving the text as typed', () => {
    const { input, type } = renderComposer()
    type('/re')
    expect(screen.getAllByRole('option')).toHaveLength(1)
    fireEvent.keyDown(input, { key: 'Escape' })
    expect(screen.queryByRole('listbox')).toBeNull()
    expect(input.value).toBe('/re')
  })

  it('fills the box with a suggestion from the knowledge base, labelled with its source', async () => {
    const api = fakeApi({
      suggestions: ['Boats run from 8 am to 5 pm.'],
      source: 'knowledge',
      sources: [{ document: 'West Lake FAQ', question: 'When do boats run?' }],
    })
    const { input } = renderComposer({ api })
    fireEvent.click(screen.getByTestId('suggest-button'))
    const chip = await screen.findByTestId('suggestion-chip')
    expect(screen.getByTestId('suggestions-source').textContent).toBe('From the knowledge base (no model is configured):')
    expect(chip.textContent).toContain('Source: West Lake FAQ · When do boats run?')
    fireEvent.click(chip)
    expect(input.value).toBe('Boats run from 8 am to 5 pm.')
  })

  it('says a model is needed when there is no suggestion to make', async () => {
    renderComposer({ api: fakeApi({ suggestions: [], source: 'knowledge', needsModel: true }) })
    fireEvent.click(screen.getByTestId('suggest-button'))
    expect((await screen.findByTestId('suggestions-need-model')).textContent).toContain('Suggested replies need a model.')
  })

  it('is closed to an agent who does not own the conversation, naming who does', () => {
    const { input } = renderComposer({ enabled: false, assignedTo: 'Zhang Wei' })
    expect(input.disabled).toBe(true)
    expect((screen.getByTestId('send-button') as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByText('Only Zhang Wei, who has this conversation, can reply.')).toBeTruthy()
  })

  it('refuses a message longer than the API takes, saying why', async () => {
    const { api, type } = renderComposer()
    type('x'.repeat(4001))
    fireEvent.click(screen.getByTestId('send-button'))
    expect((await screen.findByRole('alert')).textContent).toBe('A message is 1 to 4,000 characters long.')
    expect(api.sendMessage).not.toHaveBeenCalled()
  })
})
