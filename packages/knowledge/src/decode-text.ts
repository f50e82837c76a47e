import { UnsupportedDocument } from './parsed-document.js'

/**
 * The text of an uploaded text file (Markdown, plain text, HTML, CSV). UTF-8 with or without BOM
 * and UTF-16 with BOM; otherwise GB18030 (a superset of GBK), which Chinese Windows and Excel
 * still save by default.
 */
export function decodeText(bytes: Uint8Array, what: string): string {
  let text: string
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) text = decode('utf-8', bytes.subarray(3))
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) text = decode('utf-16le', bytes.subarray(2))
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = decode('utf-16be', bytes.subarray(2))
  else text = utf8OrGb18030(bytes)
  // Text files have no NUL bytes and few control characters; binary files have plenty.
  const controls = text.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0
  if (text.includes('\u0000') || controls > Math.max(8, text.length / 100)) {
    throw new UnsupportedDocument(`${what} is not a text file (it looks binary); check the file type`)
  }
  return text.replace(/\r\n?/g, '\n')
}

// GBK text read as UTF-8 fails at almost every Chinese character; UTF-8 with a damaged byte here
// and there is still UTF-8.
function utf8OrGb18030(bytes: Uint8Array): string {
  const utf8 = decode('utf-8', bytes)
  const failures = utf8.match(/\ufffd/g)?.length ?? 0
  return failures <= utf8.length * 0.05 ? utf8 : decode('gb18030', bytes)
}

function decode(encoding: string, bytes: Uint8Array): string {
  return new TextDecoder(encoding).decode(bytes)
}
