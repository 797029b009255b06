package web

import (
	"context"
	"math"
	"time"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/vote"
)

// Devices are the kiosks the board registers.
type Devices interface {
	RegisterDevice(ctx context.Context, p auth.Principal, id string, in vote.DeviceInput) (vote.Device, string, error)
	RevokeDevice(ctx context.Context, p auth.Principal, id, deviceID string) (vote.Device, error)
	ListDevices(ctx context.Context, p auth.Principal, id string) ([]vote.Device, error)
	DeviceByToken(ctx context.Context, token string) (vote.Device, error)
}

// KioskHeader carries a registered kiosk's token.
const KioskHeader = "X-Kiosk-Token"

// codeThrottle budgets the uses of ballot codes. A registered kiosk has a budget of its own, which no
// other client's failures can touch; every other client has a budget per address and, all together,
// one shared budget (so spreading guesses over many addresses buys nothing). Every use is counted when
// it starts and given back when it succeeds (an unspent code looked up, a ballot cast or its identical
// retry answered), so parallel guesses are counted as surely as sequential ones.
type codeThrottle struct {
	perClient *auth.Throttle
	shared    *auth.Throttle
}

const sharedKey = "unregistered"

func newCodeThrottle() codeThrottle {
	return codeThrottle{perClient: auth.NewCodeThrottle(), shared: auth.NewGlobalCodeThrottle()}
}

// codeClient names the client of a code use: its registered kiosk, or its address.
func (s *Server) codeClient(c *fiber.Ctx) (key string, registered bool) {
	if token := c.Get(KioskHeader); token != "" && len(token) <= 64 {
		if d, err := s.devices.DeviceByToken(c.UserContext(), token); err == nil {
			return "device:" + d.ID, true
		}
	}
	return "addr:" + s.clientIP(c), false
}

// codeUse runs one use of a ballot code within the client's budget.
func codeUse[In any, PIn normalizer[In], Out any](s *Server, c *fiber.Ctx, call func(r request, in In) (Out, error)) (Out, error) {
	var zero Out
	key, registered := s.codeClient(c)
	now := s.now()
	wait := s.codes.perClient.Reserve(key, now)
	if !registered && wait == 0 {
		if wait = s.codes.shared.Reserve(sharedKey, now); wait > 0 {
			s.codes.perClient.Release(key)
		}
	}
	if wait > 0 {
		return zero, apperr.New(apperr.TooMany, "too_many_code_failures").With("seconds", int(math.Ceil(wait.Seconds())))
	}
	r, in, err := bindInput[In, PIn](c)
	var out Out
	if err == nil {
		out, err = call(r, in)
	}
	if err == nil {
		s.codes.perClient.Release(key)
		if !registered {
			s.codes.shared.Release(sharedKey)
		}
	}
	return out, err
}

// deviceStatus is a registered kiosk with the state of its budget, for the board's console.
type deviceStatus struct {
	vote.Device
	Failures     int        `json:"failures"`
	BlockedUntil *time.Time `json:"blocked_until,omitempty"`
}

// securityResponse shows the board whether a kiosk, the unregistered clients or a board member's
// account is under attack.
type securityResponse struct {
	Devices      []deviceStatus  `json:"devices"`
	Unregistered deviceStatus    `json:"unregistered"`
	Accounts     []accountStatus `json:"accounts"`
}

type accountStatus struct {
	UserID      string     `json:"user_id"`
	FullName    string     `json:"full_name"`
	Failures    int        `json:"failures"`
	SlowedUntil *time.Time `json:"slowed_until,omitempty"`
}

func (s *Server) statusOf(st auth.Status) (int, *time.Time) {
	if st.Until.After(s.now()) {
		u := st.Until.UTC()
		return st.Failures, &u
	}
	return st.Failures, nil
}

func (s *Server) security(r request, _ none) (securityResponse, error) {
	v, err := s.votes.GetVote(r.ctx, r.p, r.id("id"))
	if err != nil {
		return securityResponse{}, err
	}
	ds, err := s.devices.ListDevices(r.ctx, r.p, v.ID)
	if err != nil {
		return securityResponse{}, err
	}
	out := securityResponse{Devices: make([]deviceStatus, len(ds)), Accounts: make([]accountStatus, len(v.Board))}
	for i, d := range ds {
		out.Devices[i].Device = d
		out.Devices[i].Failures, out.Devices[i].BlockedUntil = s.statusOf(s.codes.perClient.Status("device:" + d.ID))
	}
	out.Unregistered.Name = sharedKey
	out.Unregistered.Failures, out.Unregistered.BlockedUntil = s.statusOf(s.codes.shared.Status(sharedKey))
	for i, m := range v.Board {
		out.Accounts[i] = accountStatus{UserID: m.UserID, FullName: m.FullName}
		out.Accounts[i].Failures, out.Accounts[i].SlowedUntil = s.statusOf(s.auth.LoginStatus(m.Username))
	}
	return out, nil
}

// deviceResponse is a newly registered kiosk with its token, shown this once.
type deviceResponse struct {
	vote.Device
	Token string `json:"token"`
}

func (s *Server) registerDevice(r request, in vote.DeviceInput) (deviceResponse, error) {
	d, token, err := s.devices.RegisterDevice(r.ctx, r.p, r.id("id"), in)
	return deviceResponse{Device: d, Token: token}, err
}

func (s *Server) revokeDevice(r request, _ none) (vote.Device, error) {
	return s.devices.RevokeDevice(r.ctx, r.p, r.id("id"), r.id("deviceId"))
}

func (s *Server) listDevices(r request, _ none) ([]vote.Device, error) {
	return s.devices.ListDevices(r.ctx, r.p, r.id("id"))
}
