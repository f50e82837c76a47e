/**
 * @jest-environment jsdom
 */
import type { ConversationSummary } from '@chorus/protocol'
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { createRef } from 'react'
import type { InboxTab } from '../hooks/use-hash-route.js'
import { InboxPanel, type InboxPanelProps } from './inbox-panel.js'

afterEach(cleanup)

let counter = 0
function conversation(fields: Partial<ConversationSummary> = {}): ConversationSummary {
  const n = ++counter
  return {
    id: `c-${n}`,
    state: 'waiting',
    bot: { id: 'bot-1', name: 'Chorus' },
    channel: { kind: 'wechat_group', title: `Group ${n}` },
    user: { id: `u-${n}`, displayName: `User ${n}` },
    assignee: null,
    teamId: null,
    lastMessage: { text: `question ${n}`, role: 'user', at: '2026-12-07T09:00:00.000Z' },
    lastMessageAt: '2026-12-07T09:00:00.000Z',
    handoffAt: '2026-12-07T09:00:00.000Z',
    handoffReason: 'asked for a person',
    rating: null,
    ...fields,
  }
}

function renderInbox(props: Partial<InboxPanelProps> = {}) {
  const onTab = jest.fn<(tab: InboxTab) => void>()
  const onOpen = jest.fn<(id: string) => void>()
  const onQuery = jest.fn<(query: string) => void>()
  render(
    <InboxPanel
      tab="waiting"
      onTab={onTab}
      query=""
      onQuery={onQuery}
      searchRef={createRef<HTMLInputElement>()}
      conversations={[]}
      counts={{ waiting: 0, mine: 0, all: 0 }}
      loading={false}
      error={null}
      openId={null}
      onOpen={onOpen}
      {...props}
    />,
  )
  return { onTab, onOpen, onQuery }
}

describe('the inbox', () => {
  it('shows each tab with its live count, the chosen one selected', () => {
    renderInbox({ tab: 'mine', counts: { waiting: 2, mine: 1, all: 7 } })
    expect(screen.getByTestId('count-waiting').textContent).toBe('2')
    expect(screen.getByTestId('count-mine').textContent).toBe('1')
    expect(screen.getByTestId('count-all').textContent).toBe('7')
    expect(screen.getByRole('tab', { selected: true }).id).toBe('inbox-tab-mine')
  })

  it('says so when a tab is empty, and that it is loading while it is', () => {
    renderInbox()
    expect(screen.getByText('No conversations here.')).toBeTruthy()
    cleanup()
    renderInbox({ loading: true, counts: null })
    expect(screen.getByText('Loading…')).toBeTruthy()
    expect(screen.getByTestId('count-waiting').textContent).toBe('–')
  })

  it('lists the conversations with who they are with and their assignee, and opens one on click', () => {
    const waiting = conversation()
    const taken = conversation({ state: 'agent', assignee: { id: 's-1', displayName: 'Li Na' } })
    const { onOpen } = renderInbox({ conversations: [waiting, taken], openId: taken.id })
    const rows = screen.getAllByTestId('conversation-row')
    expect(rows.map((row) => row.dataset.state)).toEqual(['waiting', 'agent'])
    expect(within(rows[0]!).getByText('Unassigned')).toBeTruthy()
    expect(within(rows[1]!).getByText('Assignee: Li Na')).toBeTruthy()
    expect(rows[1]!.getAttribute('aria-current')).toBe('true')
    fireEvent.click(rows[0]!)
    expect(onOpen).toHaveBeenCalledWith(waiting.id)
  })

  it('marks a conversation given to the agent as new until they open it', () => {
    const arrived = conversation({ state: 'agent' })
    renderInbox({ tab: 'mine', conversations: [arrived, conversation()], arrived: new Set([arrived.id]) })
    const rows = screen.getAllByTestId('conversation-row')
    expect(rows.map((row) => row.dataset.arrived ?? null)).toEqual(['true', null])
    expect(within(rows[0]!).getByText('New')).toBeTruthy()
  })

  it('moves between tabs with the arrow keys and passes the search on', () => {
    const { onTab, onQuery } = renderInbox()
    fireEvent.keyDown(screen.getByTestId('inbox-tab-waiting'), { key: 'ArrowLeft' })
    expect(onTab).toHaveBeenLastCalledWith('all')
    fireEvent.keyDown(screen.getByTestId('inbox-tab-waiting'), { key: 'ArrowRight' })
    expect(onTab).toHaveBeenLastCalledWith('mine')
    fireEvent.change(screen.getByTestId('search-input'), { target: { value: 'refund' } })
    expect(onQuery).toHaveBeenCalledWith('refund')
  })

  it('shows a load failure above the list', () => {
    renderInbox({ error: 'Something went wrong: offline' })
    expect(screen.getByRole('alert').textContent).toContain('offline')
  })
})
