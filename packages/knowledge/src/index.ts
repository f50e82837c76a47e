export { decideAnswer, type KnowledgeDecision } from './answer-decision.js'
export { demoKnowledge, evalSet, evalSets, type EvalCase, type EvalSet } from './demo.js'
export { parseFaqCsv } from './faq-csv.js'
export {
  chunkDocument,
  defaultMaxChars,
  detectFormat,
  parseDocument,
  UnsupportedDocument,
  type Chunk,
  type DocumentFormat,
  type ParsedDocument,
  type ParsedFaq,
  type ParsedSection,
  type PastedText,
  type UploadedFile,
} from './document.js'
export { EmbeddingModel, embeddingModelName } from './embedding-model.js'
export { KnowledgeAnswerer } from './knowledge-answerer.js'
export { KnowledgeBase, knowledgeFromConfig, learnedDocumentTitle, type DocumentInput } from './knowledge-base.js'
export { knowledgeLookup } from './knowledge-lookup.js'
export { KnowledgeSearch, type KnowledgeHit } from './knowledge-search.js'
export { KnowledgeRepository } from './knowledge.repository.js'
export { groupQuestions, type QuestionGroup, type UnansweredQuestion } from './question-groups.js'
export { OpenAIEmbedder } from './openai-embedder.js'
export { addWords, queryTerms, searchText, words } from './segment.js'
export { VectorIndex, type Embedder } from './vector-index.js'
export { seedDemoKnowledge } from './seed-demo.js'
