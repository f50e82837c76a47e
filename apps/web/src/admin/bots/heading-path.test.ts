import { describe, expect, it } from '@jest/globals'
import { headingBelowTitle } from './heading-path.js'

describe('a search hit’s heading path', () => {
  it('leaves out the document title it starts with', () => {
    expect(headingBelowTitle('West Lake Guide', 'West Lake Guide > Opening hours > Boats')).toBe('Opening hours > Boats')
  })

  it('is empty when it is only the title', () => {
    expect(headingBelowTitle('West Lake Guide', 'West Lake Guide')).toBe('')
  })

  it('stays whole under a title of its own', () => {
    expect(headingBelowTitle('Pasted notes', 'Opening hours')).toBe('Opening hours')
    expect(headingBelowTitle('West Lake', 'West Lake Guide > Boats')).toBe('West Lake Guide > Boats')
  })
})
