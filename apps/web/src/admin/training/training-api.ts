import {
  comparisonDetailResponse,
  comparisonListResponse,
  comparisonStartedResponse,
  datasetCreatedResponse,
  datasetListResponse,
  trainingPairListResponse,
  trainingPairResponse,
  type ComparisonDetail,
  type ComparisonRequest,
  type ComparisonSummary,
  type DatasetFormat,
  type DatasetRecipe,
  type DatasetSummary,
  type TrainingPair,
  type TrainingPairStatus,
} from '@chorus/protocol'
import { filenameOf, queryString, type Download } from '../../api/admin-client.js'
import type { ApiClient } from '../../api/api-client.js'

/** A pair's review: accepted or rejected, perhaps edited, perhaps also an FAQ entry. */
export interface PairReview {
  status: TrainingPairStatus
  question?: string
  answer?: string
  addToKnowledge?: boolean
}

/** What the server fills in by default may be left out of a request (its `z.input`). */
export type DatasetInput = Omit<DatasetRecipe, 'sources' | 'filters' | 'testShare'> & Partial<DatasetRecipe>
export type ComparisonInput = Omit<ComparisonRequest, 'limit'> & { limit?: number }

const id = (value: string) => encodeURIComponent(value)

/** The training-data routes of docs/datasets.md: candidate pairs, datasets and their exports, model comparisons. */
export class TrainingApi {
  constructor(private readonly api: ApiClient) {}

  async pairs(status: TrainingPairStatus, botId?: string): Promise<TrainingPair[]> {
    const path = `/api/training/pairs${queryString({ status, botId, limit: 200 })}`
    return (await this.api.read(trainingPairListResponse, 'GET', path)).pairs
  }

  async reviewPair(pairId: string, review: PairReview): Promise<TrainingPair> {
    return (await this.api.read(trainingPairResponse, 'PATCH', `/api/training/pairs/${id(pairId)}`, review)).pair
  }

  async datasets(): Promise<DatasetSummary[]> {
    return (await this.api.read(datasetListResponse, 'GET', '/api/datasets')).datasets
  }

  async createDataset(recipe: DatasetInput): Promise<{ id: string; train: number; test: number }> {
    return (await this.api.read(datasetCreatedResponse, 'POST', '/api/datasets', recipe)).dataset
  }

  deleteDataset(datasetId: string): Promise<void> {
    return this.api.request('DELETE', `/api/datasets/${id(datasetId)}`)
  }

  /** One split in one format, fetched with the bearer token (a plain link could not send it). */
  async exportDataset(dataset: DatasetSummary, format: DatasetFormat, split: 'train' | 'test'): Promise<Download> {
    const res = await this.api.raw(`/api/datasets/${id(dataset.id)}/export${queryString({ format, split })}`)
    return {
      blob: await res.blob(),
      filename: filenameOf(res, `${dataset.name}-${split}-${format}.${format === 'openai' ? 'jsonl' : 'json'}`),
    }
  }

  async comparisons(): Promise<ComparisonSummary[]> {
    return (await this.api.read(comparisonListResponse, 'GET', '/api/comparisons')).comparisons
  }

  async comparison(comparisonId: string): Promise<ComparisonDetail> {
    return (await this.api.read(comparisonDetailResponse, 'GET', `/api/comparisons/${id(comparisonId)}`)).comparison
  }

  async startComparison(request: ComparisonInput): Promise<{ id: string; questions: number }> {
    return (await this.api.read(comparisonStartedResponse, 'POST', '/api/comparisons', request)).comparison
  }
}
