package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/vote"
)

// Encryption is the encrypted vote's board side (key ceremony, credentials, decryption) and its
// ballot box.
type Encryption interface {
	StartCeremony(ctx context.Context, p auth.Principal, voteID string, in vote.CeremonyInput) (vote.Ceremony, error)
	GetCeremony(ctx context.Context, p auth.Principal, id string) (vote.Ceremony, error)
	PostRound1(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Ceremony, error)
	PostRound2(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Ceremony, error)
	PostRound3(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Ceremony, error)
	PostReopen(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Ceremony, error)
	DeclareShareLost(ctx context.Context, p auth.Principal, id string) (vote.Ceremony, error)
	AbortCeremony(ctx context.Context, p auth.Principal, id string, in vote.AbortCeremonyInput) (vote.Ceremony, error)
	ConfirmDestruction(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Ceremony, error)
	RegisterCredentials(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Vote, error)
	EncryptedBallots(ctx context.Context, p auth.Principal, id string) (vote.EncryptedBallots, error)
	SubmitPartial(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Vote, error)
	LookupCredential(ctx context.Context, credential string) (vote.EncryptedBallot, error)
	CastEncrypted(ctx context.Context, raw []byte) (vote.EncryptedReceipt, error)
	SpoilEncrypted(ctx context.Context, raw []byte) (vote.EncryptedReceipt, error)
	LookupTracking(ctx context.Context, in vote.TrackingInput) (vote.TrackingAnswer, error)
}

func (s *Server) startCeremony(r request, in vote.CeremonyInput) (vote.Ceremony, error) {
	return s.crypto.StartCeremony(r.ctx, r.p, r.id("id"), in)
}

func (s *Server) getCeremony(r request, _ none) (vote.Ceremony, error) {
	return s.crypto.GetCeremony(r.ctx, r.p, r.id("id"))
}

// ceremonyPost is a member's message to a ceremony.
func (s *Server) ceremonyPost(post func(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Ceremony, error)) fiber.Handler {
	return handle(200, func(r request, msg vote.Message) (vote.Ceremony, error) { return post(r.ctx, r.p, r.id("id"), msg) })
}

func (s *Server) declareShareLost(r request, _ none) (vote.Ceremony, error) {
	return s.crypto.DeclareShareLost(r.ctx, r.p, r.id("id"))
}

func (s *Server) abortCeremony(r request, in vote.AbortCeremonyInput) (vote.Ceremony, error) {
	return s.crypto.AbortCeremony(r.ctx, r.p, r.id("id"), in)
}

func (s *Server) registerCredentials(r request, msg vote.Message) (voteResponse, error) {
	v, err := s.crypto.RegisterCredentials(r.ctx, r.p, r.id("id"), msg)
	return s.voteStep(r, v, err)
}

// encryptedBallots gives a board member's browser what it recomputes the encrypted sums from before
// it decrypts them (docs/PROTOCOL.md §11.2).
func (s *Server) encryptedBallots(r request, _ none) (vote.EncryptedBallots, error) {
	return s.crypto.EncryptedBallots(r.ctx, r.p, r.id("id"))
}

func (s *Server) submitPartial(r request, msg vote.Message) (voteResponse, error) {
	v, err := s.crypto.SubmitPartial(r.ctx, r.p, r.id("id"), msg)
	return s.voteStep(r, v, err)
}

// lookupCredential shows the ballot a public credential opens (the kiosk derived it from the code on
// the slip; the code never leaves the kiosk); throttled like every use of a code.
func (s *Server) lookupCredential(c *fiber.Ctx) error {
	b, err := codeUse(s, c, func(r request, in vote.CredentialInput) (vote.EncryptedBallot, error) {
		return s.crypto.LookupCredential(r.ctx, in.Credential)
	})
	if err != nil {
		return err
	}
	return c.JSON(b)
}

// castEncrypted takes an encrypted ballot (no login: its credential's signature is its right to be
// cast). A new ballot is a 201; the identical ballot sent again, a 200 with the same answer.
func (s *Server) castEncrypted(c *fiber.Ctx) error {
	rec, err := codeUse(s, c, func(r request, msg vote.Message) (vote.EncryptedReceipt, error) {
		return s.crypto.CastEncrypted(r.ctx, msg.Raw)
	})
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if rec.Replay {
		status = fiber.StatusOK
	}
	return c.Status(status).JSON(rec)
}

// spoilEncrypted records a ballot the delegate challenged at the kiosk ("kiểm tra máy"): only its
// tracking code is kept, never counted, listed in the record after the close.
func (s *Server) spoilEncrypted(c *fiber.Ctx) error {
	rec, err := codeUse(s, c, func(r request, msg vote.Message) (vote.EncryptedReceipt, error) {
		return s.crypto.SpoilEncrypted(r.ctx, msg.Raw)
	})
	if err != nil {
		return err
	}
	return c.JSON(rec)
}

// lookupTracking answers a delegate (or anyone holding a tracking code) whether it is recorded.
func (s *Server) lookupTracking(r request, in vote.TrackingInput) (vote.TrackingAnswer, error) {
	return s.crypto.LookupTracking(r.ctx, in)
}
