/**
 * @jest-environment jsdom
 */
import type { RecordedToolCall } from '@chorus/protocol'
import { afterEach, describe, expect, it } from '@jest/globals'
import { cleanup, render, screen } from '@testing-library/react'
import { I18nContext, translate, type Language } from '../i18n.js'
import { ToolCalls } from './tool-calls.js'

afterEach(cleanup)

const calls: RecordedToolCall[] = [
  {
    id: 'call-1',
    tool: 'get_order',
    server: 'orders',
    arguments: '{"order_id":"A1024"}',
    status: 'ok',
    result: '订单 A1024：西湖一日游',
    ms: 42,
  },
  { id: 'call-2', tool: 'search_knowledge', server: 'builtin', arguments: 'not json', status: 'timeout', result: 'timed out', ms: 10000 },
]

function renderIn(language: Language) {
  render(
    <I18nContext.Provider value={{ language, setLanguage: () => undefined, t: (key, params) => translate(language, key, params) }}>
      <ToolCalls calls={calls} />
    </I18nContext.Provider>,
  )
}

describe('a reply’s tool calls in the console', () => {
  it('folds the calls under one line that counts them', () => {
    renderIn('zh')
    const details = screen.getByTestId('tool-calls')
    expect(details.tagName).toBe('DETAILS')
    expect(details.hasAttribute('open')).toBe(false)
    expect(details.querySelector('summary')?.textContent).toBe('🔧 调用工具 2 次')
  })

  it('shows each call’s tool, server, status, time, arguments as indented JSON and result', () => {
    renderIn('en')
    const [first, second] = screen.getAllByTestId('tool-call')
    expect(first!.textContent).toContain('get_order')
    expect(first!.textContent).toContain('orders')
    expect(first!.textContent).toContain('OK')
    expect(first!.textContent).toContain('42 ms')
    expect(first!.querySelectorAll('pre')[0]!.textContent).toBe('{\n  "order_id": "A1024"\n}')
    expect(first!.querySelectorAll('pre')[1]!.textContent).toBe('订单 A1024：西湖一日游')
    expect(second!.textContent).toContain('built-in')
    expect(second!.textContent).toContain('Timed out')
    expect(second!.querySelectorAll('pre')[0]!.textContent).toBe('not json')
  })
})
