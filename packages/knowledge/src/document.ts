// The document side of knowledge: what an upload becomes (parsed, then chunked).
export { chunkDocument, defaultMaxChars, type Chunk } from './chunk.js'
export { detectFormat } from './detect-format.js'
export { parseDocument, type PastedText, type UploadedFile } from './parse-document.js'
export { UnsupportedDocument, type DocumentFormat, type ParsedDocument, type ParsedFaq, type ParsedSection } from './parsed-document.js'
