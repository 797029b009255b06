package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("đúng-mật-khẩu")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("got hash %q, want PHC argon2id", h)
	}
	if ok, _ := CheckPassword(h, "đúng-mật-khẩu"); !ok {
		t.Fatal("right password refused")
	}
	if ok, _ := CheckPassword(h, "sai-mật-khẩu"); ok {
		t.Fatal("wrong password accepted")
	}
	if _, err := CheckPassword("$2a$10$bcrypt", "x"); err == nil {
		t.Fatal("want an error for a foreign hash")
	}
}

func TestTokenPinsAlgorithmIssuerAudienceExpiry(t *testing.T) {
	secret := []byte(strings.Repeat("s", 32))
	tk, err := NewTokens(secret, 8*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2028, 12, 5, 8, 0, 0, 0, time.UTC)
	u := User{ID: "u1", Username: "thuky", Role: RoleSecretariat, CouncilID: "c1"}
	s, exp, err := tk.Issue(u, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := exp.Sub(now); got != 8*time.Hour {
		t.Fatalf("got lifetime %v, want 8h", got)
	}
	c, err := tk.Verify(s, now.Add(time.Hour))
	if err != nil || c.Subject != "u1" || c.Role != RoleSecretariat || c.CouncilID != "c1" {
		t.Fatalf("got %+v, %v", c, err)
	}
	if _, err := tk.Verify(s, now.Add(9*time.Hour)); err == nil {
		t.Fatal("expired token accepted")
	}
	// Same claims signed with another algorithm, issuer or audience, or without expiry: all refused.
	mk := func(m jwt.SigningMethod, key any, mut func(*Claims)) string {
		c := Claims{Role: RoleAdmin, Username: "x", RegisteredClaims: jwt.RegisteredClaims{Issuer: TokenIssuer, Subject: "u1",
			Audience: jwt.ClaimStrings{TokenAudience}, ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)), IssuedAt: jwt.NewNumericDate(now)}}
		mut(&c)
		s, err := jwt.NewWithClaims(m, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	bad := map[string]string{
		"HS512":        mk(jwt.SigningMethodHS512, secret, func(*Claims) {}),
		"none":         mk(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, func(*Claims) {}),
		"issuer":       mk(jwt.SigningMethodHS256, secret, func(c *Claims) { c.Issuer = "other" }),
		"audience":     mk(jwt.SigningMethodHS256, secret, func(c *Claims) { c.Audience = jwt.ClaimStrings{"other"} }),
		"no expiry":    mk(jwt.SigningMethodHS256, secret, func(c *Claims) { c.ExpiresAt = nil }),
		"other key":    mk(jwt.SigningMethodHS256, []byte(strings.Repeat("o", 32)), func(*Claims) {}),
		"unknown role": mk(jwt.SigningMethodHS256, secret, func(c *Claims) { c.Role = "root" }),
	}
	for name, s := range bad {
		if _, err := tk.Verify(s, now); err == nil {
			t.Errorf("%s: token accepted", name)
		}
	}
	if _, err := NewTokens(secret, 13*time.Hour); err == nil {
		t.Fatal("a 13-hour lifetime was accepted")
	}
}

func TestThrottleDoublesAfterFreeFailures(t *testing.T) {
	th := NewThrottle()
	now := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		if w := th.Wait("u", now); w != 0 {
			t.Fatalf("failure %d: got wait %v, want 0", i, w)
		}
		th.Fail("u", now)
	}
	th.Fail("u", now) // 6th failure: 2 s
	if th.Reserve("u", now) == 0 {
		t.Fatal("a throttled key was reserved")
	}
	if w := th.Wait("u", now); w != 2*time.Second {
		t.Fatalf("got %v, want 2s", w)
	}
	th.Fail("u", now) // 7th: 4 s
	if w := th.Wait("u", now); w != 4*time.Second {
		t.Fatalf("got %v, want 4s", w)
	}
	for i := 0; i < 30; i++ {
		th.Fail("u", now)
	}
	if w := th.Wait("u", now); w != 15*time.Minute {
		t.Fatalf("got %v, want the 15m cap", w)
	}
	if w := th.Wait("other", now); w != 0 {
		t.Fatalf("another key is throttled: %v", w)
	}
	th.Succeed("u")
	if w := th.Wait("u", now); w != 0 {
		t.Fatalf("success did not clear: %v", w)
	}
}

func TestReserveCountsParallelAttempts(t *testing.T) {
	th := NewThrottle()
	now := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
	admitted := 0
	for i := 0; i < 40; i++ { // 40 attempts started before any finishes
		if th.Reserve("u", now) == 0 {
			admitted++
		}
	}
	if admitted != 6 {
		t.Fatalf("got %d attempts admitted, want the 5 free ones and one more", admitted)
	}
	a := NewAddressThrottle()
	for i := 0; i < 30; i++ {
		if a.Reserve("10.0.0.1", now) == 0 {
			a.Release("10.0.0.1") // each a success
		}
	}
	if a.Wait("10.0.0.1", now) != 0 {
		t.Fatal("successful logins throttled their address")
	}
}

func TestPolicyKeepsCouncilsApart(t *testing.T) {
	admin := Principal{Role: RoleAdmin}
	sec := Principal{Role: RoleSecretariat, CouncilID: "c1"}
	board := Principal{Role: RoleBoard, CouncilID: "c1"}
	other := Principal{Role: RoleSecretariat, CouncilID: "c2"}
	cases := []struct {
		name string
		err  error
		ok   bool
	}{
		{"admin reads any council", admin.CanReadCouncil("c9"), true},
		{"secretariat reads own council", sec.CanReadCouncil("c1"), true},
		{"secretariat of another council cannot read", other.CanReadCouncil("c1"), false},
		{"secretariat manages own roster", sec.CanManageRoster("c1"), true},
		{"board cannot manage roster", board.CanManageRoster("c1"), false},
		{"other council cannot manage roster", other.CanManageRoster("c1"), false},
		{"only admin administers", sec.CanAdminister(), false},
		{"admin administers", admin.CanAdminister(), true},
	}
	for _, c := range cases {
		if (c.err == nil) != c.ok {
			t.Errorf("%s: got %v", c.name, c.err)
		}
	}
}

func TestUsernames(t *testing.T) {
	for s, want := range map[string]bool{"admin": true, "bkp.truongban": true, "a_b-c.9": true, "ab": false, "Admin": false, "thư.ký": false, ".x1": false} {
		if got := ValidUsername(s); got != want {
			t.Errorf("ValidUsername(%q) = %v, want %v", s, got, want)
		}
	}
}
