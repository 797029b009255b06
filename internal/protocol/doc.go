// Package protocol implements the cryptographic protocol of Tín Nhiệm, as specified in
// docs/PROTOCOL.md: ristretto255 encodings and the framed hash, credential codes, encrypted ballots
// with their proofs and batch verification, the Benaloh reveal, the dealer-free key ceremony (the
// byte-for-byte Go counterpart of @noble/curves' ristretto255_FROST.DKG), share files, partial
// decryptions, their combination and the discrete logarithm of the counts, and the signed
// statements of the board.
//
// The package imports only the standard library, golang.org/x/crypto and the group library
// (github.com/gtank/ristretto255 and the filippo.io/edwards25519 it is built on): an independent
// verifier imports it. Every decoder returns an *Error naming the field.
package protocol
