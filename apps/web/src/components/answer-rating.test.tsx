/**
 * @jest-environment jsdom
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { QueryClientProvider } from '@tanstack/react-query'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { createQueryClient } from '../api/query-client.js'
import { AnswerRating } from './answer-rating.js'

afterEach(cleanup)

const path = '/api/conversations/conv-1/messages/42/rating'

function renderRating(read: jest.Mock<(...args: unknown[]) => Promise<unknown>>) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <AnswerRating api={{ read } as unknown as ApiClient} conversationId="conv-1" messageId="42" />
    </QueryClientProvider>,
  )
}

const pair = { pair: { id: 'p1' } }

describe('rating a bot answer in the console', () => {
  it('records a good answer in one click and says so', async () => {
    const read = jest.fn<(...args: unknown[]) => Promise<unknown>>().mockResolvedValue(pair)
    renderRating(read)
    fireEvent.click(screen.getByTestId('rate-good'))
    await waitFor(() => expect(screen.getByTestId('rating-recorded').dataset.rating).toBe('good'))
    expect(read).toHaveBeenCalledWith(expect.anything(), 'POST', path, { rating: 'good' })
  })

  it('needs the better answer before it records a bad one', async () => {
    const read = jest.fn<(...args: unknown[]) => Promise<unknown>>().mockResolvedValue(pair)
    renderRating(read)
    fireEvent.click(screen.getByTestId('rate-bad'))
    fireEvent.click(screen.getByTestId('rate-bad-submit'))
    await screen.findByText('Write the answer the bot should have given.')
    expect(read).not.toHaveBeenCalled()

    fireEvent.change(screen.getByTestId('better-answer'), { target: { value: '  8:00 to 17:30, 55 yuan.  ' } })
    fireEvent.click(screen.getByTestId('rate-bad-submit'))
    await waitFor(() => expect(screen.getByTestId('rating-recorded').dataset.rating).toBe('bad'))
    expect(read).toHaveBeenCalledWith(expect.anything(), 'POST', path, { rating: 'bad', betterAnswer: '8:00 to 17:30, 55 yuan.' })
  })

  it('shows why the server refused, and records nothing', async () => {
    const refused = new ApiError(400, 'bad_request', 'only the bot’s answer to a question can be rated')
    const read = jest.fn<(...args: unknown[]) => Promise<unknown>>().mockRejectedValue(refused)
    renderRating(read)
    fireEvent.click(screen.getByTestId('rate-good'))
    expect((await screen.findByRole('alert')).textContent).toContain('only the bot’s answer to a question can be rated')
    expect(screen.queryByTestId('rating-recorded')).toBeNull()
  })
})
