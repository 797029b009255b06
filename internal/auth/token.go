package auth

import (
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token claims are pinned: HS256 only, this issuer and audience, an expiry always present.
const (
	TokenIssuer   = "tinnhiem"
	TokenAudience = "tinnhiem-api"
)

// Claims are the contents of a login token.
type Claims struct {
	Role      Role   `json:"role"`
	CouncilID string `json:"cid,omitempty"`
	Username  string `json:"usr"`
	Version   int    `json:"ver"`
	jwt.RegisteredClaims
}

// Tokens issues and verifies login tokens.
type Tokens struct {
	secret []byte
	ttl    time.Duration
}

// NewTokens returns a token issuer with the given HMAC key and lifetime (at most 12 hours).
func NewTokens(secret []byte, ttl time.Duration) (*Tokens, error) {
	if len(secret) < 32 {
		return nil, errors.New("auth: token secret shorter than 32 bytes")
	}
	if ttl <= 0 || ttl > 12*time.Hour {
		return nil, errors.New("auth: token lifetime must be within 12 hours")
	}
	return &Tokens{secret: secret, ttl: ttl}, nil
}

// Issue returns a signed token for u and its expiry.
func (t *Tokens) Issue(u User, now time.Time) (string, time.Time, error) {
	exp := now.Add(t.ttl).UTC().Truncate(time.Second)
	claims := Claims{
		Role: u.Role, CouncilID: u.CouncilID, Username: u.Username, Version: u.TokenVersion,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    TokenIssuer,
			Subject:   u.ID,
			Audience:  jwt.ClaimStrings{TokenAudience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	return s, exp, err
}

// Verify checks a token's signature, algorithm, issuer, audience and expiry and returns its claims.
func (t *Tokens) Verify(token string, now time.Time) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(TokenIssuer),
		jwt.WithAudience(TokenAudience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	if err != nil {
		return nil, err
	}
	if c.Subject == "" || !c.Role.Valid() {
		return nil, errors.New("auth: token without subject or role")
	}
	return &c, nil
}
