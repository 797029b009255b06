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
	users    UserStore
	tokens   *Tokens
	throttle *Throttle
	now      func() time.Time
}

// NewService returns the login service.
func NewService(users UserStore, tokens *Tokens, throttle *Throttle, now func() time.Time) *Service {
	return &Service{users: users, tokens: tokens, throttle: throttle, now: now}
}

// LoginResult is a successful login.
type LoginResult struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      User      `json:"user"`
}

// Login checks a username and password. Failed attempts are slowed down per username and per client
// address; the answer is the same whether the username exists or not.
func (s *Service) Login(ctx context.Context, username, password, addr string) (LoginResult, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	now := s.now()
	userKey, addrKey := "u:"+username, "a:"+addr
	if wait := max(s.throttle.Wait(userKey, now), s.throttle.Wait(addrKey, now)); wait > 0 {
		return LoginResult{}, apperr.New(apperr.TooMany, "login_throttled").With("seconds", int(math.Ceil(wait.Seconds())))
	}
	fail := func() (LoginResult, error) {
		s.throttle.Fail(userKey, now)
		s.throttle.Fail(addrKey, now)
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
	// Only the username's count is cleared: one good account must not reset an address's count.
	s.throttle.Succeed(userKey)
	token, exp, err := s.tokens.Issue(u, now)
	if err != nil {
		return LoginResult{}, apperr.Wrap(err, "issue token")
	}
	return LoginResult{Token: token, ExpiresAt: exp, User: u}, nil
}

// Authenticate checks a bearer token and returns the caller. The account is read again, so a
// deactivated account or a changed role takes effect at once.
func (s *Service) Authenticate(ctx context.Context, token, requestID string) (Principal, error) {
	claims, err := s.tokens.Verify(token, s.now())
	if err != nil {
		return Principal{}, apperr.New(apperr.Unauthenticated, "invalid_token")
	}
	u, err := s.users.UserByID(ctx, claims.Subject)
	if apperr.IsKind(err, apperr.NotFound) || (err == nil && !u.Active) {
		return Principal{}, apperr.New(apperr.Unauthenticated, "invalid_token")
	}
	if err != nil {
		return Principal{}, err
	}
	return Principal{UserID: u.ID, Username: u.Username, Role: u.Role, CouncilID: u.CouncilID, RequestID: requestID}, nil
}
