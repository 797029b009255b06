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
//
// With several server processes on one PostgreSQL database (docs/OPERATIONS.md) the budgets are
// counted in the database (SharedState), so a guesser spreading attempts over N servers gets one
// budget, not N; the embedded database has one server process, which counts in memory.
type codeThrottle struct {
	perClient *auth.Throttle
	shared    *auth.Throttle
}

const sharedKey = "unregistered"

// SharedState is the state that several server processes on one database keep there: the
// throttles' counts and the turnout snapshots. SharesState is false for the embedded database, whose
// single server process keeps both in memory.
type SharedState interface {
	auth.Counts
	TurnoutSnapshot(ctx context.Context, voteID string, fresh vote.Turnout, now time.Time, period time.Duration) (vote.Turnout, error)
	SharesState() bool
}

// sharedState returns st when the server must keep its shared state there, else nil (memory).
func sharedState(st SharedState) SharedState {
	if st == nil || !st.SharesState() {
		return nil
	}
	return st
}

func newCodeThrottle(st SharedState) codeThrottle {
	t := codeThrottle{perClient: auth.NewCodeThrottle(), shared: auth.NewGlobalCodeThrottle()}
	if st = sharedState(st); st != nil {
		t.perClient.Share(st, "code_client")
		t.shared.Share(st, "code_shared")
	}
	return t
}

// codeClient names the client of a code use: its registered kiosk, or its address. A kiosk token
// that cannot be checked (the database busy) is an error, not a fall back to the address's budget,
// which the hall's kiosks share.
func (s *Server) codeClient(c *fiber.Ctx) (key string, registered bool, err error) {
	if token := c.Get(KioskHeader); token != "" && len(token) <= 64 {
		d, err := s.devices.DeviceByToken(c.UserContext(), token)
		if err == nil {
			return "device:" + d.ID, true, nil
		}
		if !apperr.IsKind(err, apperr.NotFound) {
			return "", false, err
		}
	}
	return "addr:" + s.clientIP(c), false, nil
}

// codeUse runs one use of a ballot code within the client's budget.
func codeUse[In any, PIn normalizer[In], Out any](s *Server, c *fiber.Ctx, call func(r request, in In) (Out, error)) (Out, error) {
	var zero Out
	key, registered, err := s.codeClient(c)
	if err != nil {
		return zero, err
	}
	ctx, now := c.UserContext(), s.now()
	var attempts []auth.Attempt
	mine, wait, err := s.codes.perClient.Begin(ctx, key, now)
	if err != nil {
		return zero, err
	}
	attempts = append(attempts, mine)
	if !registered && wait == 0 {
		var all auth.Attempt
		if all, wait, err = s.codes.shared.Begin(ctx, sharedKey, now); err != nil || wait > 0 {
			// Not evaluated: the client's own attempt is given back.
			if rerr := mine.Release(ctx); err == nil {
				err = rerr
			}
			if err != nil {
				return zero, err
			}
		}
		attempts = append(attempts, all)
	}
	if wait > 0 {
		return zero, apperr.New(apperr.TooMany, "too_many_code_failures").With("seconds", int(math.Ceil(wait.Seconds())))
	}
	r, in, err := bindInput[In, PIn](c)
	var out Out
	if err == nil {
		out, err = call(r, in)
	}
	// The answer is the client's whatever happens to the count: a count that cannot be written is
	// logged (a failure left uncounted, a success left counted).
	bg := context.WithoutCancel(ctx)
	for _, a := range attempts {
		var end error
		if err == nil {
			end = a.Release(bg)
		} else {
			end = a.Fail(bg, now) // every use that fails counts, whatever its reason
		}
		if end != nil {
			s.log.Warn("a code use could not be counted", "err", end)
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
		st, err := s.codes.perClient.StatusContext(r.ctx, "device:"+d.ID)
		if err != nil {
			return securityResponse{}, err
		}
		out.Devices[i].Failures, out.Devices[i].BlockedUntil = s.statusOf(st)
	}
	out.Unregistered.Name = sharedKey
	st, err := s.codes.shared.StatusContext(r.ctx, sharedKey)
	if err != nil {
		return securityResponse{}, err
	}
	out.Unregistered.Failures, out.Unregistered.BlockedUntil = s.statusOf(st)
	for i, m := range v.Board {
		out.Accounts[i] = accountStatus{UserID: m.UserID, FullName: m.FullName}
		st, err := s.auth.LoginStatus(r.ctx, m.Username)
		if err != nil {
			return securityResponse{}, err
		}
		out.Accounts[i].Failures, out.Accounts[i].SlowedUntil = s.statusOf(st)
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
