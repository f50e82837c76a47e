import { UnsupportedDocument } from './parsed-document.js'

// Word's "Title" paragraph is the document's top heading; mammoth's default map leaves it a paragraph.
const styleMap = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => p:fresh"]

/** A Word (.docx) document as HTML, so that its Heading 1/2/… paragraphs become h1/h2/…. */
export async function docxToHtml(bytes: Buffer, what: string): Promise<string> {
  // Loaded on first use, like pdf.js.
  const { default: mammoth } = await import('mammoth')
  try {
    const result = await mammoth.convertToHtml(
      { buffer: bytes },
      // Images carry no text; an empty src spares encoding every picture as a data URI.
      { styleMap, convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })), externalFileAccess: false },
    )
    return result.value
  } catch (error) {
    throw new UnsupportedDocument(
      `${what} is not a readable Word (.docx) document (${error instanceof Error ? error.message : String(error)})`,
    )
  }
}
