// The building blocks every screen uses: loading with an honest error and a retry, guarded actions,
// the app's own dialogs, dates typed in the app's language, labels for the server's identifiers, and
// the results table.

export { html } from 'htm/preact'
export * from './load'
export * from './action'
export * from './dialog'
export * from './date'
export * from './labels'
export * from './results'
export * from './field'
