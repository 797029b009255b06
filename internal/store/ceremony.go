package store

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/protocol"
	"tinnhiem/internal/vote"
)

// The board's key ceremony (docs/PROTOCOL.md §10). The server is a message board: it checks every
// message as the protocol says (structure, signatures, proofs, the round-3 confirmations against the
// transcript and keys it computes itself) and relays them; it never holds a share. A bad message or a
// valid complaint aborts the ceremony naming the members concerned; the board starts a new one.

type ceremonyRow struct {
	ID          string `gorm:"primaryKey"`
	CouncilID   string
	VoteID      string
	Threshold   int
	Members     string // JSON: the members' user ids, in board order
	Status      string
	AbortReason *string
	Transcript  *string
	GroupKey    *string
	CreatedAt   time.Time
	CompletedAt *time.Time
}

func (ceremonyRow) TableName() string { return "ceremonies" }

type ceremonyMemberRow struct {
	CeremonyID  string `gorm:"primaryKey"`
	UserID      string `gorm:"primaryKey"`
	Identifier  string
	Round1      *string
	Round2      *string
	Round3      *string
	Reopen      *string
	Lost        bool
	Destruction *string
}

func (ceremonyMemberRow) TableName() string { return "ceremony_members" }

// ceremony is a loaded ceremony: its rows and the protocol's view of it.
type ceremony struct {
	row     ceremonyRow
	members []ceremonyMemberRow // board order
	c       protocol.Ceremony
}

func (s *Store) loadCeremony(tx *gorm.DB, id string, lock bool) (*ceremony, error) {
	var row ceremonyRow
	q := "SELECT * FROM ceremonies WHERE id = ?"
	if lock {
		q += s.forUpdate()
	}
	if err := tx.Raw(q, id).Scan(&row).Error; err != nil {
		return nil, err
	}
	if row.ID == "" {
		return nil, apperr.New(apperr.NotFound, "ceremony_not_found")
	}
	var ids []string
	if err := unmarshalColumn(row.Members, "ceremonies.members", &ids); err != nil {
		return nil, err
	}
	var ms []ceremonyMemberRow
	if err := tx.Where("ceremony_id = ?", id).Find(&ms).Error; err != nil {
		return nil, err
	}
	byUser := map[string]ceremonyMemberRow{}
	for _, m := range ms {
		byUser[m.UserID] = m
	}
	c := &ceremony{row: row, c: protocol.Ceremony{ID: row.ID, CouncilID: row.CouncilID, VoteID: row.VoteID, Threshold: row.Threshold, Members: ids}}
	for _, u := range ids {
		c.members = append(c.members, byUser[u])
	}
	return c, nil
}

func (c *ceremony) member(userID string) (int, bool) {
	for i, m := range c.members {
		if m.UserID == userID {
			return i, true
		}
	}
	return 0, false
}

// round1s are the verified round-1 messages posted so far, in identifier order.
func (c *ceremony) round1s() ([]*protocol.Round1, error) {
	var out []*protocol.Round1
	for _, m := range c.members {
		if m.Round1 == nil {
			continue
		}
		r, err := protocol.ParseRound1([]byte(*m.Round1))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return protocol.VerifyRound1(&c.c, out, true)
}

// result is the ceremony's public result (every member's round 1 is in).
func (c *ceremony) result() (*protocol.CeremonyResult, error) {
	sorted, err := c.round1s()
	if err != nil {
		return nil, err
	}
	return protocol.ComputeResult(&c.c, sorted)
}

func (c *ceremony) all(field func(ceremonyMemberRow) *string) bool {
	for _, m := range c.members {
		if field(m) == nil {
			return false
		}
	}
	return true
}

func (c *ceremony) ready() bool {
	return c.row.Status == "complete" && c.all(func(m ceremonyMemberRow) *string { return m.Reopen })
}

func (c *ceremony) available() int {
	n := 0
	for _, m := range c.members {
		if !m.Lost {
			n++
		}
	}
	return n
}

// toDomain is the ceremony as its members and the public see it.
func (c *ceremony) toDomain(names map[string]string) vote.Ceremony {
	out := vote.Ceremony{ID: c.row.ID, CouncilID: c.row.CouncilID, VoteID: c.row.VoteID, Threshold: c.row.Threshold, Status: c.row.Status,
		AbortReason: deref(c.row.AbortReason), Transcript: deref(c.row.Transcript), GroupKey: deref(c.row.GroupKey),
		CreatedAt: c.row.CreatedAt.UTC(), CompletedAt: utc(c.row.CompletedAt)}
	if t, err := hex.DecodeString(out.Transcript); err == nil && len(t) == 64 {
		out.Fingerprint = protocol.Fingerprint80([64]byte(t))
	}
	raw := func(s *string) json.RawMessage {
		if s == nil {
			return nil
		}
		return json.RawMessage(*s)
	}
	for _, m := range c.members {
		out.Members = append(out.Members, vote.CeremonyMember{UserID: m.UserID, FullName: names[m.UserID], Identifier: m.Identifier,
			Round1: raw(m.Round1), Round2: raw(m.Round2), Round3: raw(m.Round3), Reopen: raw(m.Reopen), Destruction: raw(m.Destruction), Lost: m.Lost})
	}
	return out
}

func (s *Store) ceremonyOut(tx *gorm.DB, c *ceremony) (vote.Ceremony, error) {
	var users []userRow
	if err := tx.Where("id IN ?", c.c.Members).Find(&users).Error; err != nil {
		return vote.Ceremony{}, err
	}
	names := map[string]string{}
	for _, u := range users {
		names[u.ID] = u.FullName
	}
	return c.toDomain(names), nil
}

// StartCeremony starts the key ceremony of an encrypted vote's board (a board member, while the vote
// is a draft), or links the vote to a complete ceremony of exactly the same board (reuse). The board
// is frozen from then on.
func (s *Store) StartCeremony(ctx context.Context, p auth.Principal, voteID string, in vote.CeremonyInput) (vote.Ceremony, error) {
	var out vote.Ceremony
	err := s.act(ctx, p, voteID, vote.ActCeremony, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		if st := s.state(v, voteRow{}); st.Ceremony == "running" || st.Ceremony == "complete" {
			return apperr.New(apperr.Conflict, "ceremony_exists")
		}
		members := make([]string, len(v.Board))
		for i, m := range v.Board {
			members[i] = m.UserID
		}
		var c *ceremony
		if in.Reuse != "" {
			old, err := s.loadCeremony(tx, in.Reuse, false)
			if err != nil {
				return err
			}
			same := slices.Clone(old.c.Members)
			slices.Sort(same)
			mine := slices.Clone(members)
			slices.Sort(mine)
			if old.row.CouncilID != v.CouncilID || !old.ready() || !slices.Equal(same, mine) {
				return apperr.New(apperr.Conflict, "ceremony_not_reusable")
			}
			c = old
		} else {
			t := in.Threshold
			if t == 0 {
				t = protocol.DefaultThreshold(len(members))
			}
			pc := protocol.Ceremony{ID: newID(), CouncilID: v.CouncilID, VoteID: v.ID, Threshold: t, Members: members}
			if err := pc.Validate(); err != nil {
				return protocolErr(err)
			}
			row := ceremonyRow{ID: pc.ID, CouncilID: v.CouncilID, VoteID: v.ID, Threshold: t, Members: mustJSON(members), Status: "running", CreatedAt: s.clock()}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
			for _, u := range members {
				id, err := protocol.DeriveIdentifier(u)
				if err != nil {
					return protocolErr(err)
				}
				if err := tx.Create(&ceremonyMemberRow{CeremonyID: pc.ID, UserID: u, Identifier: hex.EncodeToString(id[:])}).Error; err != nil {
					return err
				}
			}
			var err error
			if c, err = s.loadCeremony(tx, pc.ID, false); err != nil {
				return err
			}
		}
		if err := setVote(tx, voteID, map[string]any{"ceremony_id": c.row.ID}); err != nil {
			return err
		}
		var err error
		if out, err = s.ceremonyOut(tx, c); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "ceremony.start", map[string]any{"ceremony_id": c.row.ID, "threshold": c.row.Threshold,
			"members": len(members), "reused": in.Reuse != ""})
	})
	return out, err
}

// GetCeremony returns a ceremony to its council's staff: every message, as the members signed them.
func (s *Store) GetCeremony(ctx context.Context, p auth.Principal, id string) (vote.Ceremony, error) {
	db := s.db.WithContext(ctx)
	c, err := s.loadCeremony(db, id, false)
	if err != nil {
		return vote.Ceremony{}, voteOrNotFound(err)
	}
	if !p.InCouncil(c.row.CouncilID) {
		return vote.Ceremony{}, apperr.New(apperr.NotFound, "ceremony_not_found")
	}
	out, err := s.ceremonyOut(db, c)
	return out, dbErr(err)
}

// ceremonyStep runs a member's step on a running ceremony, under its row lock.
func (s *Store) ceremonyStep(ctx context.Context, p auth.Principal, id string, fn func(tx *gorm.DB, c *ceremony, i int) error) (vote.Ceremony, error) {
	var out vote.Ceremony
	err := s.transact(ctx, func(tx *gorm.DB) error {
		c, err := s.loadCeremony(tx, id, true)
		if err != nil {
			return err
		}
		if !p.InCouncil(c.row.CouncilID) {
			return apperr.New(apperr.NotFound, "ceremony_not_found")
		}
		i, ok := c.member(p.UserID)
		if !ok {
			return vote.ErrNotBoard
		}
		if p.OfficialID != "" {
			var n int64
			if err := tx.Model(&subjectRow{}).Where("vote_id = ? AND official_id = ?", c.row.VoteID, p.OfficialID).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return vote.ErrConflictInterest
			}
		}
		if err := fn(tx, c, i); err != nil {
			return err
		}
		if c, err = s.loadCeremony(tx, id, false); err != nil {
			return err
		}
		out, err = s.ceremonyOut(tx, c)
		return err
	})
	return out, err
}

func (s *Store) requireRunning(c *ceremony) error {
	if c.row.Status != "running" {
		return apperr.New(apperr.Conflict, "ceremony_not_running").With("status", c.row.Status)
	}
	return nil
}

// abortCeremony ends a ceremony with the reason naming the members concerned (in the same
// transaction as the refused message, which is not kept).
func (s *Store) abortCeremony(tx *gorm.DB, p auth.Principal, c *ceremony, reason string, named ...string) error {
	if err := tx.Model(&ceremonyRow{}).Where("id = ?", c.row.ID).Updates(map[string]any{"status": "aborted", "abort_reason": reason}).Error; err != nil {
		return err
	}
	return s.appendAudit(tx, p, auditCeremony(c, "ceremony.abort", map[string]any{"reason": reason, "members": named}))
}

// PostRound1 takes a member's round-1 message: checked (its identifier is the member's, its proof of
// knowledge and signature verify, no key repeats another member's) and kept; when every member's is
// in, the transcript and the joint key are fixed.
func (s *Store) PostRound1(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Ceremony, error) {
	return s.ceremonyStep(ctx, p, id, func(tx *gorm.DB, c *ceremony, i int) error {
		if err := s.requireRunning(c); err != nil {
			return err
		}
		if c.members[i].Round1 != nil {
			return apperr.New(apperr.Conflict, "message_already_posted")
		}
		r, err := protocol.ParseRound1(msg.Raw)
		if err != nil {
			return protocolErr(err)
		}
		if hex.EncodeToString(r.Identifier[:]) != c.members[i].Identifier || r.CeremonyID != c.row.ID {
			return apperr.InvalidFields(apperr.Field("identifier", "not_your_identifier"))
		}
		body := string(msg.Raw)
		c.members[i].Round1 = &body
		if _, err := c.round1s(); err != nil {
			return protocolErr(err)
		}
		if err := tx.Model(&ceremonyMemberRow{}).Where("ceremony_id = ? AND user_id = ?", c.row.ID, p.UserID).Update("round1", body).Error; err != nil {
			return err
		}
		if c.all(func(m ceremonyMemberRow) *string { return m.Round1 }) {
			res, err := c.result()
			if err != nil {
				return protocolErr(err)
			}
			if err := tx.Model(&ceremonyRow{}).Where("id = ?", c.row.ID).Updates(map[string]any{
				"transcript": hex.EncodeToString(res.Transcript[:]), "group_key": res.GroupKey.Hex()}).Error; err != nil {
				return err
			}
		}
		return s.appendAudit(tx, p, auditCeremony(c, "ceremony.round1", nil))
	})
}

// PostRound2 takes a member's encrypted shares for the others: the server checks their structure and
// signature (it cannot read a share).
func (s *Store) PostRound2(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Ceremony, error) {
	return s.ceremonyStep(ctx, p, id, func(tx *gorm.DB, c *ceremony, i int) error {
		if err := s.requireRunning(c); err != nil {
			return err
		}
		if c.members[i].Round2 != nil {
			return apperr.New(apperr.Conflict, "message_already_posted")
		}
		res, err := c.resultOrWait()
		if err != nil {
			return err
		}
		r, err := protocol.ParseRound2(msg.Raw)
		if err != nil {
			return protocolErr(err)
		}
		sorted, _ := c.round1s() // verified above
		if hex.EncodeToString(r.Identifier[:]) != c.members[i].Identifier {
			return apperr.InvalidFields(apperr.Field("identifier", "not_your_identifier"))
		}
		if err := protocol.VerifyRound2(&c.c, sorted, res.Transcript, r); err != nil {
			return protocolErr(err)
		}
		if err := tx.Model(&ceremonyMemberRow{}).Where("ceremony_id = ? AND user_id = ?", c.row.ID, p.UserID).Update("round2", string(msg.Raw)).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, auditCeremony(c, "ceremony.round2", nil))
	})
}

// resultOrWait is the ceremony's public result once every round 1 is in.
func (c *ceremony) resultOrWait() (*protocol.CeremonyResult, error) {
	if !c.all(func(m ceremonyMemberRow) *string { return m.Round1 }) {
		return nil, apperr.New(apperr.Conflict, "ceremony_waiting").With("round", 1)
	}
	res, err := c.result()
	if err != nil {
		return nil, protocolErr(err)
	}
	return res, nil
}

// PostRound3 takes a member's confirmation, checked against the transcript, joint key and verifying
// share the server computed itself; or a complaint, which (when it verifies) aborts the ceremony
// naming both members. The ceremony is complete when every member has confirmed.
func (s *Store) PostRound3(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Ceremony, error) {
	return s.ceremonyStep(ctx, p, id, func(tx *gorm.DB, c *ceremony, i int) error {
		if err := s.requireRunning(c); err != nil {
			return err
		}
		if !c.all(func(m ceremonyMemberRow) *string { return m.Round2 }) {
			return apperr.New(apperr.Conflict, "ceremony_waiting").With("round", 2)
		}
		if c.members[i].Round3 != nil {
			return apperr.New(apperr.Conflict, "message_already_posted")
		}
		res, err := c.resultOrWait()
		if err != nil {
			return err
		}
		if complaint, err := protocol.ParseComplaint(msg.Raw); err == nil {
			if hex.EncodeToString(complaint.Identifier[:]) != c.members[i].Identifier {
				return apperr.InvalidFields(apperr.Field("identifier", "not_your_identifier"))
			}
			if err := res.CheckComplaint(complaint); err != nil {
				return protocolErr(err)
			}
			accused := hex.EncodeToString(complaint.Accused[:])
			return s.abortCeremony(tx, p, c, "complaint: "+complaint.Reason, c.members[i].UserID, c.userOf(accused))
		}
		conf, err := protocol.ParseConfirmation(msg.Raw)
		if err != nil {
			return protocolErr(err)
		}
		if hex.EncodeToString(conf.Identifier[:]) != c.members[i].Identifier {
			return apperr.InvalidFields(apperr.Field("identifier", "not_your_identifier"))
		}
		if err := res.CheckConfirmation(conf); err != nil {
			return protocolErr(err)
		}
		if err := tx.Model(&ceremonyMemberRow{}).Where("ceremony_id = ? AND user_id = ?", c.row.ID, p.UserID).Update("round3", string(msg.Raw)).Error; err != nil {
			return err
		}
		body := string(msg.Raw)
		c.members[i].Round3 = &body
		if c.all(func(m ceremonyMemberRow) *string { return m.Round3 }) {
			if err := tx.Model(&ceremonyRow{}).Where("id = ?", c.row.ID).Updates(map[string]any{"status": "complete", "completed_at": s.clock()}).Error; err != nil {
				return err
			}
		}
		return s.appendAudit(tx, p, auditCeremony(c, "ceremony.round3", map[string]any{"fingerprint": protocol.Fingerprint80(res.Transcript)}))
	})
}

func (c *ceremony) userOf(identifier string) string {
	for _, m := range c.members {
		if m.Identifier == identifier {
			return m.UserID
		}
	}
	return ""
}

// PostReopen takes a member's proof that they reopened their saved share file (a proof of knowledge
// of their share, signed): the votes of the ceremony can open once every member has reopened theirs.
func (s *Store) PostReopen(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Ceremony, error) {
	return s.ceremonyStep(ctx, p, id, func(tx *gorm.DB, c *ceremony, i int) error {
		if c.row.Status != "complete" {
			return apperr.New(apperr.Conflict, "ceremony_not_running").With("status", c.row.Status)
		}
		res, err := c.result()
		if err != nil {
			return protocolErr(err)
		}
		r, err := protocol.ParseReopen(msg.Raw)
		if err != nil {
			return protocolErr(err)
		}
		if hex.EncodeToString(r.Identifier[:]) != c.members[i].Identifier {
			return apperr.InvalidFields(apperr.Field("identifier", "not_your_identifier"))
		}
		if err := res.CheckReopen(r); err != nil {
			return protocolErr(err)
		}
		if err := tx.Model(&ceremonyMemberRow{}).Where("ceremony_id = ? AND user_id = ?", c.row.ID, p.UserID).
			Updates(map[string]any{"reopen": string(msg.Raw), "lost": false}).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, auditCeremony(c, "ceremony.reopen", nil))
	})
}

// DeclareShareLost records that a member lost their share file or its passphrase: the other members
// can still decrypt while at least the threshold remain; fewer, and the count cannot be made, which
// lets the board cancel the vote at once.
func (s *Store) DeclareShareLost(ctx context.Context, p auth.Principal, id string) (vote.Ceremony, error) {
	return s.ceremonyStep(ctx, p, id, func(tx *gorm.DB, c *ceremony, i int) error {
		if err := tx.Model(&ceremonyMemberRow{}).Where("ceremony_id = ? AND user_id = ?", c.row.ID, p.UserID).
			Updates(map[string]any{"lost": true, "reopen": nil}).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, auditCeremony(c, "ceremony.share_lost", map[string]any{"available": c.available() - 1, "threshold": c.row.Threshold}))
	})
}

// AbortCeremony lets the head stop the vote's running ceremony (a member's browser lost its part
// before round 3, and the ceremony cannot finish): it ends aborted, with the reason, and a new one can
// start. A complete ceremony is never aborted (its key may already encrypt ballots).
func (s *Store) AbortCeremony(ctx context.Context, p auth.Principal, id string, in vote.AbortCeremonyInput) (vote.Ceremony, error) {
	var out vote.Ceremony
	c, err := s.loadCeremony(s.db.WithContext(ctx), id, false)
	if err != nil {
		return out, voteOrNotFound(err)
	}
	if !p.InCouncil(c.row.CouncilID) {
		return out, apperr.New(apperr.NotFound, "ceremony_not_found")
	}
	err = s.act(ctx, p, c.row.VoteID, vote.ActAbortCeremony, func(tx *gorm.DB, _ vote.Vote, _ voteRow) error {
		c, err := s.loadCeremony(tx, id, true)
		if err != nil {
			return err
		}
		if err := s.requireRunning(c); err != nil {
			return err
		}
		if err := s.abortCeremony(tx, p, c, "stopped: "+in.Reason); err != nil {
			return err
		}
		if c, err = s.loadCeremony(tx, id, false); err != nil {
			return err
		}
		out, err = s.ceremonyOut(tx, c)
		return err
	})
	return out, err
}

// ConfirmDestruction records a member's confirmation that they destroyed their share file (after
// every vote of the ceremony is published or cancelled: t kept shares would open its ballots for ever).
func (s *Store) ConfirmDestruction(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Ceremony, error) {
	return s.ceremonyStep(ctx, p, id, func(tx *gorm.DB, c *ceremony, i int) error {
		var open int64
		if err := tx.Model(&voteRow{}).Where("ceremony_id = ? AND status NOT IN ?", c.row.ID, []string{string(vote.Published), string(vote.Cancelled)}).
			Count(&open).Error; err != nil {
			return err
		}
		if open > 0 {
			return apperr.New(apperr.Conflict, "ceremony_votes_running")
		}
		res, err := c.result()
		if err != nil {
			return protocolErr(err)
		}
		d, err := protocol.ParseDestruction(msg.Raw)
		if err != nil {
			return protocolErr(err)
		}
		if hex.EncodeToString(d.Identifier[:]) != c.members[i].Identifier {
			return apperr.InvalidFields(apperr.Field("identifier", "not_your_identifier"))
		}
		mk, ok := res.Member(d.Identifier)
		if !ok {
			return apperr.InvalidFields(apperr.Field("identifier", "not_your_identifier"))
		}
		if err := d.Verify(mk.SigningKey); err != nil {
			return protocolErr(err)
		}
		if err := tx.Model(&ceremonyMemberRow{}).Where("ceremony_id = ? AND user_id = ?", c.row.ID, p.UserID).Update("destruction", string(msg.Raw)).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, auditCeremony(c, "ceremony.share_destroyed", nil))
	})
}

// auditCeremony is an event about a ceremony, in the chain of the vote it was started for.
func auditCeremony(c *ceremony, action string, summary map[string]any) audit.Entry {
	if summary == nil {
		summary = map[string]any{}
	}
	summary["ceremony_id"] = c.row.ID
	return audit.Entry{Action: action, ObjectType: "ceremony", ObjectID: c.row.ID, CouncilID: c.row.CouncilID, VoteID: c.row.VoteID, Summary: summary}
}

// protocolErr turns a protocol refusal into a 422 naming the field (the message's JSON path).
func protocolErr(err error) error {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		field := pe.Field
		if field == "" {
			field = "message"
		}
		return apperr.InvalidFields(apperr.Field(field, "protocol_refused", "detail", pe.Error()))
	}
	return err
}
