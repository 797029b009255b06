// Package groupbench holds only benchmarks: the core ristretto255 operations of the protocol with
// github.com/gtank/ristretto255 (what internal/protocol uses) against github.com/cloudflare/circl's
// group (docs/PROTOCOL.md §16.3). It is kept apart so that circl never enters the protocol package's
// imports, not even its tests'.
package groupbench
