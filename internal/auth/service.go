package auth

import (
	"context"
	"math"
	"strings"
	"time"

	"tinnhiem/internal/apperr"
)

// UserStore is what login and token checks need from storage.
type UserStore interface {
	// Credentials returns an active user and its password hash, or a NotFound error.
	Credentials(ctx context.Context, username string) (User, string, error)
	// UserByID returns a user, active or not, or a NotFound error.
	UserByID(ctx context.Context, id string) (User, error)
}

// Service logs staff in and authenticates their requests.
type Service struct {
	users   UserStore
	tokens  *Tokens
	byPair  *Throttle // per username and address: the lockout
	byUser  *Throttle // per username from anywhere: only a slowdown
	byAddr  *Throttle
	hashing chan struct{} // bounds concurrent password checks (19 MiB each)
	now     func() time.Time
}

// maxConcurrentChecks bounds the memory that password checks can take at once.
const maxConcurrentChecks = 4

// NewService returns the login service.
func NewService(users UserStore, tokens *Tokens, now func() time.Time) *Service {
	return &Service{users: users, tokens: tokens, byPair: NewThrottle(), byUser: NewUserSlowdown(), byAddr: NewAddressThrottle(),
		hashing: make(chan struct{}, maxConcurrentChecks), now: now}
}

// LoginResult is a successful login.
type LoginResult struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      User      `json:"user"`
}

// Login checks a username and password. Failed attempts lock out a username from one address (up to
// 15 minutes), only slow the username down from anywhere else (seconds), and slow a spraying address
// down; the answer is the same whether the username exists or not.
func (s *Service) Login(ctx context.Context, username, password, addr string) (LoginResult, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	now := s.now()
	// Both keys are reserved (counted as failures) before any work, so parallel guesses are throttled
	// as surely as sequential ones.
	pair := username + "\x00" + addr
	var wait time.Duration
	var attempts [3]Attempt // pair, user, address
	// Whatever refuses the login counts as a failed attempt.
	succeeded := false
	defer func() {
		if !succeeded {
			for _, a := range attempts {
				_ = a.Fail(context.WithoutCancel(ctx), now) // counted as far as the database allows
			}
		}
	}()
	for i, r := range []struct {
		t   *Throttle
		key string
	}{{s.byPair, pair}, {s.byUser, username}, {s.byAddr, addr}} {
		a, w, err := r.t.Begin(ctx, r.key, now)
		if err != nil {
			return LoginResult{}, err
		}
		attempts[i], wait = a, max(wait, w)
	}
	if wait > 0 {
		return LoginResult{}, apperr.New(apperr.TooMany, "login_throttled").With("seconds", int(math.Ceil(wait.Seconds())))
	}
	select {
	case s.hashing <- struct{}{}:
		defer func() { <-s.hashing }()
	case <-ctx.Done():
		return LoginResult{}, &apperr.Error{Kind: apperr.Unavailable, Code: "request_timeout", Err: ctx.Err()}
	}
	fail := func() (LoginResult, error) {
		return LoginResult{}, apperr.New(apperr.Unauthenticated, "bad_credentials")
	}
	if !ValidUsername(username) { // no such account can exist: skip the database
		CheckAbsent(password)
		return fail()
	}
	u, hash, err := s.users.Credentials(ctx, username)
	if apperr.IsKind(err, apperr.NotFound) {
		CheckAbsent(password)
		return fail()
	}
	if err != nil {
		return LoginResult{}, err
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return LoginResult{}, apperr.Wrap(err, "check password")
	}
	if !ok {
		return fail()
	}
	// The username's count is cleared; the address only gets this attempt back, so one good account
	// cannot reset an address's count.
	succeeded = true
	for _, err := range []error{attempts[0].Succeed(ctx), attempts[1].Succeed(ctx), attempts[2].Release(ctx)} {
		if err != nil {
			return LoginResult{}, err
		}
	}
	token, exp, err := s.tokens.Issue(u, now)
	if err != nil {
		return LoginResult{}, apperr.Wrap(err, "issue token")
	}
	return LoginResult{Token: token, ExpiresAt: exp, User: u}, nil
}

// Authenticate checks a bearer token and returns the caller. The account is read again, so a
// deactivated account, a changed role or a changed password (which ends older tokens) takes effect
// at once.
func (s *Service) Authenticate(ctx context.Context, token, requestID string) (Principal, error) {
	claims, err := s.tokens.Verify(token, s.now())
	if err != nil {
		return Principal{}, apperr.New(apperr.Unauthenticated, "invalid_token")
	}
	u, err := s.users.UserByID(ctx, claims.Subject)
	if apperr.IsKind(err, apperr.NotFound) || (err == nil && (!u.Active || u.TokenVersion != claims.Version)) {
		return Principal{}, apperr.New(apperr.Unauthenticated, "invalid_token")
	}
	if err != nil {
		return Principal{}, err
	}
	return Principal{UserID: u.ID, Username: u.Username, Role: u.Role, CouncilID: u.CouncilID, OfficialID: u.OfficialID, RequestID: requestID}, nil
}

// LoginStatus says how a username is throttled (for the board's console: an account under attack).
func (s *Service) LoginStatus(ctx context.Context, username string) (Status, error) {
	return s.byUser.StatusContext(ctx, username)
}
