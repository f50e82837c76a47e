import { type PropsWithChildren } from 'react'
import './app.css'

// The app shell: one page, nothing global to set up.
function App({ children }: PropsWithChildren) {
  return children
}

export default App
