// Package audit is the tamper-evident log: every state-changing action appends an event whose hash
// covers the event and the previous event's hash (SHA-256 over a canonical encoding). Recomputing the
// chain finds the first altered or missing event. The log never holds a ballot code, a choice, or
// anything linking a delegate to a ballot.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// GenesisHash is the previous hash of the first event.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Event is one entry of the log.
type Event struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	ActorID    string    `json:"actor_id"`
	ActorName  string    `json:"actor_name"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	CouncilID  string    `json:"council_id,omitempty"`
	VoteID     string    `json:"vote_id,omitempty"`
	Summary    string    `json:"summary"` // canonical JSON of what changed
	RequestID  string    `json:"request_id,omitempty"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// Entry is what a use case records; the store fills in the sequence number, time and hashes.
type Entry struct {
	Action     string
	ObjectType string
	ObjectID   string
	CouncilID  string
	VoteID     string
	Summary    map[string]any
}

// TimeLayout is the fixed text form of an event's time in the canonical encoding: UTC, microseconds
// (what PostgreSQL keeps).
const TimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// Normalize brings t to the precision and zone the log keeps.
func Normalize(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// CanonicalSummary encodes a summary as JSON with sorted keys (encoding/json sorts map keys).
func CanonicalSummary(summary map[string]any) (string, error) {
	if summary == nil {
		return "{}", nil
	}
	b, err := json.Marshal(summary)
	if err != nil {
		return "", fmt.Errorf("audit: summary: %w", err)
	}
	return string(b), nil
}

// Canonical is the byte string the hash covers: a JSON array of the event's fields in a fixed order,
// ending with the previous hash.
func Canonical(e Event) []byte {
	b, _ := json.Marshal([]any{e.Seq, Normalize(e.At).Format(TimeLayout), e.ActorID, e.ActorName, e.Action,
		e.ObjectType, e.ObjectID, e.CouncilID, e.VoteID, e.Summary, e.RequestID, e.PrevHash})
	return b
}

// ComputeHash returns the hex SHA-256 of the event's canonical encoding.
func ComputeHash(e Event) string {
	sum := sha256.Sum256(Canonical(e))
	return hex.EncodeToString(sum[:])
}

// Seal sets e's previous hash and hash, following prev (nil for the first event).
func Seal(e *Event, prevSeq int64, prevHash string) {
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.At = Normalize(e.At)
	e.Hash = ComputeHash(*e)
}

// Result is the outcome of verifying the chain.
type Result struct {
	OK            bool   `json:"ok"`
	Events        int64  `json:"events"`
	Head          string `json:"head"`
	FirstBadEvent *int64 `json:"first_bad_event"`
	Problem       string `json:"problem,omitempty"`
}

// Verifier recomputes the chain one event at a time, in sequence order, so a long log is checked in
// batches without holding it in memory.
type Verifier struct {
	res      Result
	lastSeq  int64
	lastHash string
}

// NewVerifier starts a verification at the genesis.
func NewVerifier() *Verifier {
	return &Verifier{res: Result{OK: true, Head: GenesisHash}, lastHash: GenesisHash}
}

// Add checks the next event. After the first problem, further events are only counted.
func (v *Verifier) Add(e Event) {
	v.res.Events++
	if !v.res.OK {
		return
	}
	switch {
	case e.Seq != v.lastSeq+1:
		v.fail(v.lastSeq+1, fmt.Sprintf("event %d is missing (next stored event is %d)", v.lastSeq+1, e.Seq))
	case e.PrevHash != v.lastHash:
		v.fail(e.Seq, fmt.Sprintf("event %d does not follow event %d (previous hash differs)", e.Seq, v.lastSeq))
	case ComputeHash(e) != e.Hash:
		v.fail(e.Seq, fmt.Sprintf("event %d was altered (its hash does not match its content)", e.Seq))
	default:
		v.lastSeq, v.lastHash = e.Seq, e.Hash
		v.res.Head = e.Hash
	}
}

func (v *Verifier) fail(seq int64, problem string) {
	v.res.OK = false
	v.res.FirstBadEvent = &seq
	v.res.Problem = problem
}

// Finish compares the end of the chain with the recorded head (the sequence number and hash kept
// beside the log), which reveals events removed from the end.
func (v *Verifier) Finish(headSeq int64, headHash string) Result {
	if v.res.OK && (headSeq != v.lastSeq || headHash != v.lastHash) {
		next := v.lastSeq + 1
		if headSeq < v.lastSeq {
			next = headSeq + 1
		}
		v.fail(next, fmt.Sprintf("the log ends at event %d but the recorded head is event %d", v.lastSeq, headSeq))
	}
	return v.res
}

// Filter selects events for listing: of a council, of a vote, after a sequence number, at most Limit.
type Filter struct {
	CouncilID string
	VoteID    string
	After     int64
	Limit     int
}
