// Package web is the HTTP interface: a Fiber application with its middleware, one handler file per
// capability, the one error envelope and the OpenAPI document. It calls the services through
// interfaces and never touches the database itself.
package web

import (
	"context"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/config"
	"tinnhiem/internal/document"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/vote"
)

// The server depends on small interfaces, one per capability, which the store satisfies; each
// handler file uses one of them.

// Health checks the database.
type Health interface {
	Ping(ctx context.Context) error
	CheckSchema(ctx context.Context) error
}

// Accounts are staff accounts.
type Accounts interface {
	CreateUser(ctx context.Context, p auth.Principal, in auth.UserInput) (auth.User, error)
	UpdateUser(ctx context.Context, p auth.Principal, id string, in auth.UserPatch) (auth.User, error)
	ListUsers(ctx context.Context, p auth.Principal, councilID string) ([]auth.User, error)
	UserByID(ctx context.Context, id string) (auth.User, error)
	CouncilStaff(ctx context.Context, p auth.Principal, councilID string) ([]auth.User, error)
	RevokeTokens(ctx context.Context, p auth.Principal) error
}

// Rosters are councils, delegates and officials.
type Rosters interface {
	CreateCouncil(ctx context.Context, p auth.Principal, in roster.CouncilInput) (roster.Council, error)
	UpdateCouncil(ctx context.Context, p auth.Principal, id string, in roster.CouncilInput) (roster.Council, error)
	ListCouncils(ctx context.Context, p auth.Principal) ([]roster.Council, error)
	GetCouncil(ctx context.Context, p auth.Principal, id string) (roster.Council, error)
	CreateDelegate(ctx context.Context, p auth.Principal, councilID string, in roster.DelegateInput) (roster.Delegate, error)
	UpdateDelegate(ctx context.Context, p auth.Principal, councilID, id string, in roster.DelegateInput) (roster.Delegate, error)
	ListDelegates(ctx context.Context, p auth.Principal, councilID string, f roster.DelegateFilter) ([]roster.Delegate, error)
	ImportDelegates(ctx context.Context, p auth.Principal, councilID string, rows []roster.DelegateRow, dryRun bool) (int, error)
	CreateOfficial(ctx context.Context, p auth.Principal, councilID string, in roster.OfficialInput) (roster.Official, error)
	UpdateOfficial(ctx context.Context, p auth.Principal, councilID, id string, in roster.OfficialInput) (roster.Official, error)
	ListOfficials(ctx context.Context, p auth.Principal, councilID string, includeInactive bool) ([]roster.Official, error)
	ImportOfficials(ctx context.Context, p auth.Principal, councilID string, rows []roster.OfficialRow, dryRun bool) (int, error)
}

// Votes are a vote's lifecycle: setup, opening and closing, counting, certification, publication.
type Votes interface {
	CreateVote(ctx context.Context, p auth.Principal, councilID string, in vote.Input) (vote.Vote, error)
	EditDraft(ctx context.Context, p auth.Principal, id string, in vote.Input) (vote.Vote, error)
	ListVotes(ctx context.Context, p auth.Principal, councilID string) ([]vote.Vote, error)
	GetVote(ctx context.Context, p auth.Principal, id string) (vote.Vote, error)
	SetBoard(ctx context.Context, p auth.Principal, id string, in vote.BoardInput) (vote.Vote, error)
	OpenVote(ctx context.Context, p auth.Principal, id string) (vote.Vote, error)
	CloseVote(ctx context.Context, p auth.Principal, id string) (vote.Vote, error)
	CancelVote(ctx context.Context, p auth.Principal, id string, in vote.CancelInput) (vote.Vote, error)
	ApproveAccountChange(ctx context.Context, p auth.Principal, id string, in vote.AccountApprovalInput) (vote.Vote, error)
	Turnout(ctx context.Context, p auth.Principal, id string) (vote.Turnout, error)
	Tally(ctx context.Context, p auth.Principal, id string) (tally.Result, error)
	MarkAbsent(ctx context.Context, p auth.Principal, id string, in vote.AbsentInput) (vote.Vote, error)
	Certify(ctx context.Context, p auth.Principal, id string, in vote.CertifyInput) (vote.Vote, error)
	Announce(ctx context.Context, p auth.Principal, id string) (vote.Vote, error)
	RecordResignation(ctx context.Context, p auth.Principal, id string, in vote.ResignationInput) (vote.Vote, error)
	Publish(ctx context.Context, p auth.Principal, id string, in vote.PublishInput) (vote.Vote, error)
	SetPortalPosting(ctx context.Context, p auth.Principal, id string, in vote.PortalInput) (vote.Vote, error)
	RecordDecision(ctx context.Context, p auth.Principal, id string, in vote.DecisionInput) (vote.Vote, error)
	ChangeBase(ctx context.Context, p auth.Principal, id string, in vote.BaseChangeInput) (vote.Vote, error)
	SetSignedIssuance(ctx context.Context, p auth.Principal, id string, in vote.SignedIssuanceInput) (vote.Vote, error)
	Recount(ctx context.Context, p auth.Principal, id string, in vote.RecountInput) (vote.Vote, error)
	PublicResults(ctx context.Context, id string) (vote.PublicResult, error)
	CurrentVotes(ctx context.Context) ([]vote.CurrentVote, error)
	PublishedVotes(ctx context.Context) ([]vote.PublicVote, error)
}

// BallotBox is the board's codes and issuance, and the delegates' casting.
type BallotBox interface {
	GenerateCodes(ctx context.Context, p auth.Principal, id string, in vote.CodesInput) ([]string, error)
	VoidCode(ctx context.Context, p auth.Principal, id string, in vote.CodeInput) (vote.Turnout, error)
	IssueBallot(ctx context.Context, p auth.Principal, id string, in vote.IssueInput) (vote.Turnout, error)
	WithdrawIssuance(ctx context.Context, p auth.Principal, id, delegateID string) (vote.Turnout, error)
	SwapIssuance(ctx context.Context, p auth.Principal, id, delegateID string, in vote.IssueInput) (vote.Turnout, error)
	ListIssuances(ctx context.Context, p auth.Principal, id string) ([]string, error)
	CastBallot(ctx context.Context, in vote.CastInput) (vote.Receipt, error)
	LookupCode(ctx context.Context, code string) (vote.Ballot, error)
}

// Documents are a council's document settings and a vote's documents.
type Documents interface {
	DocumentSettings(ctx context.Context, p auth.Principal, councilID string) (document.Settings, error)
	SetDocumentSettings(ctx context.Context, p auth.Principal, councilID string, in document.Settings) (document.Settings, error)
	DocumentData(ctx context.Context, p auth.Principal, voteID string) (document.Data, error)
	FrozenDocument(ctx context.Context, voteID, name string) ([]byte, string, bool, error)
	Record(ctx context.Context, voteID string) ([]byte, error)
}

// AuditLog is the hash-chained log of every change.
type AuditLog interface {
	ListAudit(ctx context.Context, p auth.Principal, f audit.Filter) ([]audit.Event, error)
	VerifyAudit(ctx context.Context) (audit.Result, error)
}

// Backend is every capability at once: what the store provides (one value for all of Deps').
type Backend interface {
	Health
	Accounts
	Rosters
	Votes
	BallotBox
	Documents
	AuditLog
	Devices
	Displays
	Encryption
	PaperCount
	SharedState
}

// Deps are the server's collaborators.
type Deps struct {
	Config  config.Config
	Backend Backend
	Auth    *auth.Service
	Log     *slog.Logger
	Now     func() time.Time
}

// Server is the HTTP server.
type Server struct {
	done     chan struct{} // closed by Shutdown: long-lived streams end
	stopOnce sync.Once
	turnouts turnoutCache
	codes    codeThrottle
	app      *fiber.App
	cfg      config.Config
	health   Health
	accounts Accounts
	rosters  Rosters
	votes    Votes
	box      BallotBox
	docs     Documents
	auditLog AuditLog
	devices  Devices
	displays Displays
	crypto   Encryption
	paper    PaperCount
	auth     *auth.Service
	log      *slog.Logger
	now      func() time.Time
	metrics  *metrics
	proxies  []netip.Prefix
}

// BodyLimit is the largest request body accepted (CSV imports are the largest).
const BodyLimit = 4 << 20

// New builds the server with its middleware and routes.
func New(d Deps) *Server {
	b := d.Backend
	s := &Server{cfg: d.Config, health: b, accounts: b, rosters: b, votes: b, box: b, docs: b, auditLog: b, devices: b, displays: b, crypto: b, paper: b, auth: d.Auth, log: d.Log, now: d.Now, done: make(chan struct{}),
		turnouts: turnoutCache{snap: map[string]turnoutSnap{}, shared: sharedState(b)},
		codes:    newCodeThrottle(b), proxies: trustedProxies(d.Config.TrustedProxies)}
	if st := sharedState(b); st != nil && d.Auth != nil { // several server processes may share the database (docs/OPERATIONS.md)
		d.Auth.ShareThrottles(st)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.metrics = newMetrics(prometheus.NewRegistry())
	s.app = fiber.New(fiber.Config{
		AppName:               "tinnhiem",
		BodyLimit:             BodyLimit,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          0, // the turnout stream is long-lived; ordinary requests have their own deadline
		IdleTimeout:           120 * time.Second,
		ErrorHandler:          s.errorHandler,
		Immutable:             true, // strings from the request are copies, safe to keep
		DisableStartupMessage: true,
		// The client address behind proxies is s.clientIP's to work out (clientip.go): Fiber's own
		// reading would believe the left of the chain, which the client writes.
		StrictRouting: false,
		CaseSensitive: true,
		JSONEncoder:   jsonMarshal,
	})
	s.routes()
	return s
}

// App returns the Fiber application (for tests and the process runner).
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error { return s.app.Listen(addr) }

// Shutdown ends the event streams, stops accepting requests and waits for those under way, up to the
// context's deadline.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopOnce.Do(func() { close(s.done) })
	return s.app.ShutdownWithContext(ctx)
}
