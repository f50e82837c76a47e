import busboy from 'busboy'
import type { Request } from 'express'
import { BadRequest, HttpError } from '../../http/http-errors.js'

export interface UploadedFile {
  filename: string
  mimeType: string
  bytes: Buffer
  /** Other form fields (e.g. a title). */
  fields: Record<string, string>
}

/** Reads the one file field `name` of a multipart/form-data upload, at most `maxBytes`. */
export function readUploadedFile(req: Request, name: string, maxBytes: number): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 10, fieldSize: 10_000 } })
    } catch {
      reject(new BadRequest('expected multipart/form-data'))
      return
    }
    const fields: Record<string, string> = {}
    let file: Omit<UploadedFile, 'fields'> | undefined
    let failure: HttpError | undefined
    parser.on('field', (key, value) => (fields[key] = value))
    parser.on('file', (field, stream, info) => {
      if (field !== name) {
        stream.resume()
        return
      }
      const parts: Buffer[] = []
      stream.on('data', (part: Buffer) => parts.push(part))
      stream.on(
        'limit',
        () => (failure = new HttpError(413, 'payload_too_large', `the file is larger than ${Math.round(maxBytes / 1e6)} MB`)),
      )
      stream.on('end', () => {
        file = { filename: info.filename ?? name, mimeType: info.mimeType, bytes: Buffer.concat(parts) }
      })
    })
    parser.on('error', () => reject(new BadRequest('the upload could not be read')))
    parser.on('close', () => {
      if (failure) reject(failure)
      else if (!file) reject(new BadRequest(`no file in the field "${name}"`))
      else resolve({ ...file, fields })
    })
    req.pipe(parser)
  })
}
