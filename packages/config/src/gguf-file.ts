import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { z } from 'zod'

/**
 * A path to a GGUF file that is there and readable, checked when the configuration is parsed so a
 * wrong path stops the process at start-up rather than failing the first upload or question.
 */
export const ggufFile = z
  .string()
  .trim()
  .superRefine((path, ctx) => {
    const problem = ggufProblem(path)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

function ggufProblem(path: string): string | undefined {
  const magic = Buffer.alloc(4)
  try {
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return 'no file at this path'
    const file = openSync(path, 'r')
    try {
      readSync(file, magic, 0, 4, 0)
    } finally {
      closeSync(file)
    }
  } catch (error) {
    return `cannot read this file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`
  }
  // Every GGUF file starts with these four bytes.
  return magic.toString('latin1') === 'GGUF' ? undefined : 'not a GGUF file (it does not start with "GGUF")'
}
