/**
 * @jest-environment jsdom
 */
import type { ModelEndpointInput } from '@chorus/protocol'
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { QueryClientProvider } from '@tanstack/react-query'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import type { AdminApi } from '../../api/admin-client.js'
import type { ModelEndpoint } from '../../api/admin-types.js'
import { createQueryClient } from '../../api/query-client.js'
import { ModelEndpointForm } from './model-endpoint-form.js'

afterEach(cleanup)

const fill = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } })

function renderForm() {
  const saved = { id: 'e1', name: 'qwen' } as ModelEndpoint
  const admin = {
    createModelEndpoint: jest.fn<AdminApi['createModelEndpoint']>().mockResolvedValue(saved),
    updateModelEndpoint: jest.fn<AdminApi['updateModelEndpoint']>().mockResolvedValue(saved),
    testModelEndpoint: jest.fn<AdminApi['testModelEndpoint']>().mockResolvedValue({ ok: true, latencyMs: 12, models: ['qwen-plus'] }),
  }
  const onSaved = jest.fn<(endpoint: ModelEndpoint) => void>()
  render(
    <QueryClientProvider client={createQueryClient()}>
      <ModelEndpointForm admin={admin as unknown as AdminApi} endpoint={null} onSaved={onSaved} onCancel={() => undefined} />
    </QueryClientProvider>,
  )
  return { admin, onSaved }
}

describe('the model endpoint form', () => {
  it('sends what the API takes: the other kind’s fields and empty boxes as null', async () => {
    const { admin, onSaved } = renderForm()
    fill('endpoint-name', ' qwen ')
    fill('endpoint-base-url', 'https://dashscope.aliyuncs.com/compatible-mode/v1')
    fill('endpoint-model', 'qwen-plus')
    fireEvent.click(screen.getByTestId('endpoint-save'))
    await waitFor(() => expect(onSaved).toHaveBeenCalled())
    expect(admin.createModelEndpoint).toHaveBeenCalledWith({
      name: 'qwen',
      kind: 'openai',
      baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
      model: 'qwen-plus',
      apiKeyVariable: null,
      ggufPath: null,
      replicas: 1,
      concurrency: 8,
      leavesNetwork: false,
      enabled: true,
    } satisfies ModelEndpointInput)
  })

  it('names what the API would refuse beside its field, saving nothing', async () => {
    const { admin } = renderForm()
    fill('endpoint-name', 'local')
    fill('endpoint-kind', 'gguf')
    fireEvent.click(screen.getByTestId('endpoint-save'))
    expect(await screen.findByText('required for a GGUF model')).toBeTruthy()
    expect(admin.createModelEndpoint).not.toHaveBeenCalled()
  })

  it('tries the connection as typed, without a name, and shows what it found', async () => {
    const { admin } = renderForm()
    fill('endpoint-base-url', 'http://127.0.0.1:8000/v1')
    fireEvent.click(screen.getByTestId('endpoint-test'))
    await screen.findByTestId('endpoint-test-result')
    expect(admin.testModelEndpoint).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'connection-test', baseUrl: 'http://127.0.0.1:8000/v1' }),
    )
  })
})
