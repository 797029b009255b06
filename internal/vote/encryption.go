package vote

import (
	"encoding/json"
	"time"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/record"
)

// Ballot modes. An encrypted vote's ballots are encrypted in the kiosk under the board's joint key and
// signed with a credential the board's browser made (docs/PROTOCOL.md): the server can neither read
// nor forge one. A plain vote's marks are stored as cast (docs/SECURITY.md says who may still want it).
const (
	ModeEncrypted = "encrypted"
	ModePlain     = "plain"
	// DefaultMode is the mode of an electronic vote drafted without one: encrypted (issue 14 §9). A
	// paper vote is plain (there is nothing to encrypt).
	DefaultMode = ModeEncrypted
)

// Encryption is an encrypted vote's public cryptographic state.
type Encryption struct {
	// Manifest is what a kiosk encrypts under (fixed when the vote opens), as the protocol encodes it.
	Manifest json.RawMessage `json:"manifest,omitempty"`
	// Fingerprint is the vote fingerprint the kiosk shows, for the board's spot check at the opening.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Credentials is the number of public credentials registered; CredentialLists the fingerprints
	// of the signed lists, which the board reads aloud.
	Credentials     int      `json:"credentials"`
	CredentialLists []string `json:"credential_lists"`
	// Sums is the encrypted sum of each row after the close, as the protocol encodes them.
	Sums json.RawMessage `json:"sums,omitempty"`
	// Partials are the board members who submitted a valid partial decryption; Threshold how many the
	// count needs; Decrypted whether the counts are known.
	Partials  []string `json:"partials"`
	Threshold int      `json:"threshold"`
	Decrypted bool     `json:"decrypted"`
	// CeremonyStatus is the key ceremony's ("" before one starts, running, complete, aborted);
	// CeremonyReady says it is complete and every member reopened their share file; SharesAvailable
	// counts the members who have not declared their share lost.
	CeremonyStatus  string `json:"ceremony_status"`
	CeremonyReady   bool   `json:"ceremony_ready"`
	SharesAvailable int    `json:"shares_available"`
}

// EncryptedBallots is what a board member's browser recomputes the encrypted sums from before it
// decrypts them (docs/PROTOCOL.md §11.2): the key ceremony (its round-1 messages give the members'
// signing keys), the signed credential lists, every cast ballot, the sealed paper totals (none
// without a paper part) and the sums the server asks the board to decrypt, with their hash. Each
// part is the record's (docs/RECORD.md §3.8), in the record's order and bytes: ballots by ballot
// hash, nothing that ties one to a time.
type EncryptedBallots struct {
	VoteID          string              `json:"vote_id"`
	Ceremony        record.Ceremony     `json:"ceremony"`
	CredentialLists []json.RawMessage   `json:"credential_lists"`
	Ballots         []record.CastBallot `json:"ballots"`
	PaperTotals     []json.RawMessage   `json:"paper_totals"`
	Sums            json.RawMessage     `json:"sums"`
	SumsHash        string              `json:"sums_hash"`
}

// Ceremony is a board's key ceremony: who takes part, how far each member is, and its public
// transcript (every message as its member signed it).
type Ceremony struct {
	ID          string           `json:"id"`
	CouncilID   string           `json:"council_id"`
	VoteID      string           `json:"vote_id"`
	Threshold   int              `json:"threshold"`
	Status      string           `json:"status"` // running, complete, aborted
	AbortReason string           `json:"abort_reason,omitempty"`
	Transcript  string           `json:"transcript,omitempty"`
	Fingerprint string           `json:"fingerprint,omitempty"`
	GroupKey    string           `json:"group_key,omitempty"`
	Members     []CeremonyMember `json:"members"`
	CreatedAt   time.Time        `json:"created_at"`
	CompletedAt *time.Time       `json:"completed_at,omitempty"`
}

// CeremonyMember is one member's part in a ceremony, with the messages posted so far.
type CeremonyMember struct {
	UserID      string          `json:"user_id"`
	FullName    string          `json:"full_name"`
	Identifier  string          `json:"identifier"`
	Round1      json.RawMessage `json:"round1,omitempty"`
	Round2      json.RawMessage `json:"round2,omitempty"`
	Round3      json.RawMessage `json:"round3,omitempty"`
	Reopen      json.RawMessage `json:"reopen,omitempty"`
	Destruction json.RawMessage `json:"destruction,omitempty"`
	Lost        bool            `json:"lost"`
}

// CeremonyInput starts a key ceremony for a vote's board, or reuses a complete one of the same board
// (the no-confidence vote that may follow, in the same session).
type CeremonyInput struct {
	Threshold int    `json:"threshold,omitempty" validate:"omitempty,gte=2,lte=50"`
	Reuse     string `json:"reuse,omitempty" validate:"omitempty,max=64"`
}

// Normalize validates the input.
func (in *CeremonyInput) Normalize() error { return check(in) }

// Message is a protocol message posted as it was signed (a round of the ceremony, a credential list,
// a partial decryption...): the protocol's strict decoders read it.
type Message struct {
	Raw json.RawMessage
}

// SetRaw keeps the message's bytes as they were sent (the API's binder gives a protocol message
// whole to its strict decoder rather than to encoding/json).
func (m *Message) SetRaw(b []byte) { m.Raw = append(json.RawMessage(nil), b...) }

// CredentialInput names a public credential (hex), which a kiosk derived from the code on a slip.
type CredentialInput struct {
	Credential string `json:"credential" validate:"required,len=64,hexadecimal"`
}

// Normalize validates the input.
func (in *CredentialInput) Normalize() error { return check(in) }

// Normalize refuses an empty message (its content is checked by the protocol's decoder).
func (m *Message) Normalize() error {
	if len(m.Raw) == 0 {
		return apperr.New(apperr.Invalid, "empty_body")
	}
	return nil
}

// EncryptedBallot is what a kiosk needs to cast on an encrypted vote: the ballot's layout, the
// manifest it encrypts under (as the protocol encodes it), and the vote fingerprint it shows.
type EncryptedBallot struct {
	Ballot
	Manifest    json.RawMessage `json:"manifest"`
	Fingerprint string          `json:"fingerprint"`
}

// EncryptedReceipt answers a cast encrypted ballot: its tracking code (80 bits, for people), the full
// ballot hash and the receipt QR's text. Replay marks the answer to a resend of the same ballot.
type EncryptedReceipt struct {
	VoteID       string `json:"vote_id"`
	TrackingCode string `json:"tracking_code"`
	BallotHash   string `json:"ballot_hash"`
	ReceiptQR    string `json:"receipt_qr"`
	Replay       bool   `json:"replay"`
	// Spoiled says the ballot was challenged at the kiosk (never counted): its tracking code is
	// listed in the record after the close.
	Spoiled bool `json:"spoiled,omitempty"`
}

// TrackingInput asks whether a tracking code is recorded for a vote: the 16 characters the kiosk
// showed, or the receipt's QR code.
type TrackingInput struct {
	VoteID       string `json:"vote_id" validate:"required,max=64"`
	TrackingCode string `json:"tracking_code" validate:"required,max=200"`
}

// Normalize validates the input.
func (in *TrackingInput) Normalize() error { return check(in) }

// TrackingAnswer says whether a tracking code is recorded: as a cast ballot (counted) or a ballot
// challenged at the kiosk (spoiled, never counted). It answers only for the code asked about: no list
// is published before the close.
type TrackingAnswer struct {
	VoteID       string `json:"vote_id"`
	TrackingCode string `json:"tracking_code"` // the 16 characters, as the kiosk showed them
	Recorded     bool   `json:"recorded"`
	Spoiled      bool   `json:"spoiled"`
	Status       Status `json:"status"`
}
