/**
 * @jest-environment jsdom
 */
import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { QueryClientProvider } from '@tanstack/react-query'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { createQueryClient } from '../api/query-client.js'
import { PasswordDialog } from './password-dialog.js'
import { SignInPage } from './sign-in-page.js'

const realFetch = globalThis.fetch

beforeAll(() => {
  // jsdom has no modal dialogs: opening one just marks it open.
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.open = true
  }
})

afterEach(() => {
  cleanup()
  globalThis.fetch = realFetch
})

const fill = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } })

describe('the password dialog', () => {
  function renderDialog(changePassword = jest.fn<ApiClient['changePassword']>().mockResolvedValue(undefined)) {
    render(<PasswordDialog api={{ changePassword } as unknown as ApiClient} onClose={() => undefined} />)
    return changePassword
  }

  it('refuses a new password shorter than the API allows, before asking it', async () => {
    const changePassword = renderDialog()
    fill('password-current', 'old-password-1')
    fill('password-new', 'short')
    fill('password-repeat', 'short')
    fireEvent.click(screen.getByTestId('password-submit'))
    expect((await screen.findByRole('alert')).textContent).toBe('The new password needs at least 10 characters.')
    expect(changePassword).not.toHaveBeenCalled()
  })

  it('refuses a repeat that does not match', async () => {
    const changePassword = renderDialog()
    fill('password-current', 'old-password-1')
    fill('password-new', 'new-password-1')
    fill('password-repeat', 'new-password-2')
    fireEvent.click(screen.getByTestId('password-submit'))
    expect((await screen.findByRole('alert')).textContent).toBe('The two new passwords differ.')
    expect(changePassword).not.toHaveBeenCalled()
  })

  it('changes the password, or says the current one was wrong', async () => {
    const changePassword = renderDialog(
      jest
        .fn<ApiClient['changePassword']>()
        .mockRejectedValueOnce(new ApiError(403, 'forbidden', 'the current password is wrong'))
        .mockResolvedValue(undefined),
    )
    fill('password-current', 'old-password-1')
    fill('password-new', 'new-password-1')
    fill('password-repeat', 'new-password-1')
    fireEvent.click(screen.getByTestId('password-submit'))
    expect((await screen.findByRole('alert')).textContent).toBe('The current password is wrong.')
    fireEvent.click(screen.getByTestId('password-submit'))
    await screen.findByTestId('password-changed')
    expect(changePassword).toHaveBeenLastCalledWith('old-password-1', 'new-password-1')
  })
})

describe('the sign-in page', () => {
  function renderSignIn(answer: (path: string) => Response) {
    globalThis.fetch = jest.fn<typeof fetch>().mockImplementation(async (url) => answer(String(url)))
    const onSignedIn = jest.fn<(token: string) => void>()
    render(
      <QueryClientProvider client={createQueryClient()}>
        <SignInPage onSignedIn={onSignedIn} />
      </QueryClientProvider>,
    )
    return onSignedIn
  }

  // jsdom has no Response: what ApiClient reads of one.
  const json = (status: number, body: unknown) =>
    ({ ok: status < 300, status, statusText: '', text: async () => JSON.stringify(body), json: async () => body }) as unknown as Response
  const health = json(200, { status: 'ok', db: 'ok', redis: 'ok', workers: 1 })

  it('hands the session token up, the e-mail address trimmed', async () => {
    const onSignedIn = renderSignIn((path) =>
      path.endsWith('/healthz')
        ? health
        : json(200, {
            token: 'session-token',
            expiresAt: '2026-12-08T00:00:00.000Z',
            staff: { id: 's1', email: 'li.na@chorus.test', displayName: 'Li Na', role: 'agent', capacity: 5 },
          }),
    )
    fill('login-email', '  li.na@chorus.test ')
    fill('login-password', 'agent-password-1')
    fireEvent.click(screen.getByTestId('login-submit'))
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith('session-token'))
    const login = (globalThis.fetch as jest.Mock<typeof fetch>).mock.calls.find(([url]) => String(url).endsWith('/api/auth/login'))
    expect(JSON.parse(String(login![1]!.body))).toEqual({ email: 'li.na@chorus.test', password: 'agent-password-1' })
  })

  it('says so when the e-mail or password is wrong', async () => {
    const onSignedIn = renderSignIn((path) =>
      path.endsWith('/healthz') ? health : json(401, { error: { code: 'unauthorized', message: 'wrong e-mail or password' } }),
    )
    fill('login-email', 'li.na@chorus.test')
    fill('login-password', 'not-it')
    fireEvent.click(screen.getByTestId('login-submit'))
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong e-mail or password.')
    expect(onSignedIn).not.toHaveBeenCalled()
  })
})
