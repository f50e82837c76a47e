const separator = ' > '

/**
 * A passage's heading path without the document's title: a document takes its first heading as
 * its title, so the path usually starts with it, and the title is already shown beside it.
 */
export function headingBelowTitle(title: string, heading: string): string {
  if (heading === title) return ''
  return heading.startsWith(`${title}${separator}`) ? heading.slice(title.length + separator.length) : heading
}
