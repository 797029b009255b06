// Package auth holds staff accounts, roles and the access policy, password hashing (argon2id), login
// tokens (JWT with a pinned algorithm, issuer and audience) and the failed-login throttle.
package auth

import (
	"regexp"
	"time"
)

// Role is a staff role.
type Role string

// Staff roles. Admin is global; the others belong to exactly one council.
const (
	RoleAdmin       Role = "admin"
	RoleSecretariat Role = "secretariat"
	RoleBoard       Role = "board"
	RoleObserver    Role = "observer"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleSecretariat, RoleBoard, RoleObserver}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// User is a staff account.
type User struct {
	ID        string `json:"id"`
	Username  string `json:"username"`
	FullName  string `json:"full_name"`
	Role      Role   `json:"role"`
	CouncilID string `json:"council_id,omitempty"`
	// OfficialID links the account to a person on the council's roster of officials: the account may
	// not act on a vote that rates that person (conflict of interest).
	OfficialID string    `json:"official_id,omitempty"`
	Active     bool      `json:"active"`
	CreatedAt  time.Time `json:"created_at"`
	// TokenVersion changes when the password changes or the account is deactivated; tokens carry it.
	TokenVersion int `json:"-"`
}

// Principal is the authenticated caller of a request, with the request id for the audit log.
type Principal struct {
	UserID     string
	Username   string
	Role       Role
	CouncilID  string
	OfficialID string // the person on the roster this account belongs to, if linked
	RequestID  string
}

// System is the principal of command-line and start-up actions.
func System(name string) Principal {
	return Principal{UserID: "system", Username: name, Role: RoleAdmin}
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// ValidUsername reports whether s is an acceptable username: lowercase ASCII letters, digits, dot,
// dash and underscore, 3 to 64 characters, starting with a letter or digit.
func ValidUsername(s string) bool { return usernameRE.MatchString(s) }

// MinPasswordLength is the shortest password accepted for a staff account.
const MinPasswordLength = 10
