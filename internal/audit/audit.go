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
	"strconv"
	"strings"
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
	// VoteSeq and VoteHash place an event of a vote in that vote's own chain (see SealVote).
	VoteSeq  int64  `json:"vote_seq,omitempty"`
	VoteHash string `json:"vote_hash,omitempty"`
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

// SealVote places e (already sealed in the global chain) in its vote's own chain: vote hash_n =
// SHA-256 of the vote id, n, vote hash_(n-1) and the event's hash. A vote's anchor, "hash:n", printed
// in its minutes and resolution, can then be checked from that vote's events alone, without trusting
// the rest of the log or the database.
func SealVote(e *Event, prevSeq int64, prevHash string) {
	e.VoteSeq = prevSeq + 1
	e.VoteHash = voteLink(e.VoteID, e.VoteSeq, prevHash, e.Hash)
}

func voteLink(voteID string, seq int64, prevHash, eventHash string) string {
	b, _ := json.Marshal([]any{"tinnhiem/audit/vote/v1", voteID, seq, prevHash, eventHash})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Anchor is a point of a vote's chain: the vote hash after Count events.
type Anchor struct {
	Hash  string `json:"hash"`
	Count int64  `json:"count"`
}

func (a Anchor) String() string { return fmt.Sprintf("%s:%d", a.Hash, a.Count) }

// ParseAnchor reads "HASH:COUNT".
func ParseAnchor(s string) (Anchor, error) {
	h, n, ok := strings.Cut(strings.TrimSpace(s), ":")
	count, err := strconv.ParseInt(n, 10, 64)
	if !ok || err != nil || count < 1 || len(h) != 64 {
		return Anchor{}, fmt.Errorf("audit: an anchor is HASH:COUNT (64 hex digits, a count of at least 1), not %q", s)
	}
	if _, err := hex.DecodeString(h); err != nil {
		return Anchor{}, fmt.Errorf("audit: the anchor's hash is not hexadecimal: %q", h)
	}
	return Anchor{Hash: strings.ToLower(h), Count: count}, nil
}

// AnchorResult is the outcome of checking a vote's events against a printed anchor.
type AnchorResult struct {
	OK      bool    `json:"ok"`
	VoteID  string  `json:"vote_id"`
	Events  int64   `json:"events"`  // the vote's events found
	After   []Event `json:"after"`   // events appended after the anchor
	Problem string  `json:"problem"` // the first problem found, empty when OK
}

// VerifyVote checks a vote's events (in vote order) against an anchor: each event's own hash, the
// vote chain's links, and the chain's hash at the anchor's count. Events after the anchor are
// reported (they may be legitimate later steps, such as publication), not failed.
func VerifyVote(voteID string, events []Event, a Anchor) AnchorResult {
	res := AnchorResult{OK: true, VoteID: voteID, Events: int64(len(events))}
	fail := func(msg string, args ...any) AnchorResult {
		res.OK, res.Problem = false, fmt.Sprintf(msg, args...)
		return res
	}
	prev := GenesisHash
	for i, e := range events {
		n := int64(i + 1)
		switch {
		case e.VoteID != voteID:
			return fail("event %d is not an event of vote %s", e.Seq, voteID)
		case e.VoteSeq != n:
			return fail("the vote's event %d is missing (event %d carries number %d)", n, e.Seq, e.VoteSeq)
		case ComputeHash(e) != e.Hash:
			return fail("event %d was altered (its hash does not match its content)", e.Seq)
		case voteLink(voteID, n, prev, e.Hash) != e.VoteHash:
			return fail("event %d does not follow the vote's event %d", e.Seq, n-1)
		}
		prev = e.VoteHash
		if n == a.Count && e.VoteHash != a.Hash {
			return fail("the vote's chain after %d events is %s, not the anchor's %s", n, e.VoteHash, a.Hash)
		}
		if n > a.Count {
			res.After = append(res.After, e)
		}
	}
	if res.Events < a.Count {
		return fail("the vote has %d events, fewer than the anchor's %d: events were removed", res.Events, a.Count)
	}
	return res
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
	votes    map[string]Anchor // each vote's chain so far
}

// NewVerifier starts a verification at the genesis.
func NewVerifier() *Verifier {
	return &Verifier{res: Result{OK: true, Head: GenesisHash}, lastHash: GenesisHash, votes: map[string]Anchor{}}
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
	case !v.followsVote(e):
		v.fail(e.Seq, fmt.Sprintf("event %d breaks the chain of vote %s", e.Seq, e.VoteID))
	default:
		v.lastSeq, v.lastHash = e.Seq, e.Hash
		v.res.Head = e.Hash
	}
}

// followsVote checks an event's link in its vote's chain (events from before the per-vote chain
// existed carry none and start no chain).
func (v *Verifier) followsVote(e Event) bool {
	if e.VoteID == "" || e.VoteSeq == 0 {
		return e.VoteSeq == 0 && e.VoteHash == ""
	}
	prev, ok := v.votes[e.VoteID]
	if !ok {
		prev = Anchor{Hash: GenesisHash}
	}
	if e.VoteSeq != prev.Count+1 || voteLink(e.VoteID, e.VoteSeq, prev.Hash, e.Hash) != e.VoteHash {
		return false
	}
	v.votes[e.VoteID] = Anchor{Hash: e.VoteHash, Count: e.VoteSeq}
	return true
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
