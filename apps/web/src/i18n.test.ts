import { describe, expect, it } from '@jest/globals'
import { translate } from './i18n.js'

describe('the console dictionary', () => {
  it('fills in placeholders in either language', () => {
    expect(translate('en', 'inbox.assignee', { name: 'Li Na' })).toBe('Assignee: Li Na')
    expect(translate('zh', 'inbox.assignee', { name: '李娜' })).toBe('接待人：李娜')
  })

  it('leaves a placeholder it was given no value for as it is', () => {
    expect(translate('en', 'conversation.newMessage')).toBe('New message from {author}')
  })
})
