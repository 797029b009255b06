package protocol

import (
	"errors"
	"fmt"
)

// ErrInvalid is the base error of every refusal: errors.Is(err, ErrInvalid) holds for each *Error.
var ErrInvalid = errors.New("protocol: invalid")

// Error codes (docs/PROTOCOL.md §14).
const (
	CodeJSON      = "json"
	CodeVersion   = "version"
	CodeHex       = "hex"
	CodeLength    = "length"
	CodePoint     = "point"
	CodeIdentity  = "identity"
	CodeScalar    = "scalar"
	CodeKey       = "key"
	CodeRange     = "range"
	CodeMismatch  = "mismatch"
	CodeDuplicate = "duplicate"
	CodeSignature = "signature"
	CodeProof     = "proof"
	CodeDecrypt   = "decrypt"
	CodeLog       = "log"
)

// Error is a refusal that names its place: Field is the JSON path inside the message
// ("rows[3].proof[2].a"), Index the position of the message in a batch (-1 when there is no batch).
type Error struct {
	Index int
	Field string
	Code  string
	Msg   string
}

// Error formats the refusal: "item 2: rows[3].proof[1]: the proof does not verify".
func (e *Error) Error() string {
	s := e.Msg
	if e.Field != "" {
		s = e.Field + ": " + s
	}
	if e.Index >= 0 {
		s = fmt.Sprintf("item %d: %s", e.Index, s)
	}
	return s
}

// Is makes every *Error match ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

func errf(field, code, format string, args ...any) *Error {
	return &Error{Index: -1, Field: field, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// at returns err with its field prefixed by prefix (and its index set when index >= 0).
func at(err error, prefix string, index int) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	if prefix != "" {
		if c.Field == "" {
			c.Field = prefix
		} else if c.Field[0] == '[' {
			c.Field = prefix + c.Field
		} else {
			c.Field = prefix + "." + c.Field
		}
	}
	if index >= 0 {
		c.Index = index
	}
	return &c
}

func idx(name string, i int) string { return fmt.Sprintf("%s[%d]", name, i) }
