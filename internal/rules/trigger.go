package rules

import (
	"tinnhiem/internal/apperr"
	"tinnhiem/internal/roster"
)

// TriggerType is what set off a no-confidence vote (rules.md §8).
type TriggerType string

// Triggers.
const (
	TriggerConfidenceResult TriggerType = "confidence_result"           // middle band in a confidence vote, no resignation
	TriggerPetition         TriggerType = "delegate_petition"           // written proposals of k delegates
	TriggerFatherlandFront  TriggerType = "fatherland_front"            // HĐND: the same-level Fatherland Front committee
	TriggerStandingBody     TriggerType = "standing_committee"          // National Assembly: UBTVQH's own proposal
	TriggerEthnicCommittee  TriggerType = "ethnic_council_or_committee" // National Assembly: Ethnic Council or an NA committee
)

// Trigger is the recorded ground of a no-confidence vote.
type Trigger struct {
	Type         TriggerType `json:"type" validate:"required,oneof=confidence_result delegate_petition fatherland_front standing_committee ethnic_council_or_committee"`
	SourceVoteID string      `json:"source_vote_id,omitempty" validate:"max=64"`
	Petitioners  int         `json:"petitioners,omitempty" validate:"gte=0,lte=100000"`
	Document     string      `json:"document,omitempty" validate:"max=200,nocontrol"`
	ReceivedOn   string      `json:"received_on,omitempty" validate:"omitempty,date"`
}

// allowedTriggers lists the triggers of each body.
var allowedTriggers = map[roster.Body][]TriggerType{
	roster.BodyQuocHoi: {TriggerConfidenceResult, TriggerPetition, TriggerStandingBody, TriggerEthnicCommittee},
	roster.BodyHDND:    {TriggerConfidenceResult, TriggerPetition, TriggerFatherlandFront},
	roster.BodyDang:    {TriggerConfidenceResult, TriggerStandingBody},
}

// PetitionShareMet reports whether k petitioners meet the share of T for the body: at least 20% of
// the National Assembly's delegates (5k ≥ T), at least a third of a council's (3k ≥ T).
func PetitionShareMet(body roster.Body, k, total int) bool {
	if body == roster.BodyQuocHoi {
		return 5*k >= total
	}
	return 3*k >= total
}

// CheckTrigger validates a trigger for a council's body, with T on the vote date. A confidence-result
// trigger also needs the source vote checked against its tally, which the caller does.
func CheckTrigger(body roster.Body, t *Trigger, total int) []apperr.FieldError {
	if t == nil {
		return []apperr.FieldError{apperr.Field("trigger", "trigger_required")}
	}
	allowed := false
	for _, x := range allowedTriggers[body] {
		allowed = allowed || x == t.Type
	}
	if !allowed {
		return []apperr.FieldError{apperr.Field("trigger.type", "trigger_not_for_body")}
	}
	var f []apperr.FieldError
	switch t.Type {
	case TriggerConfidenceResult:
		if t.SourceVoteID == "" {
			f = append(f, apperr.Field("trigger.source_vote_id", "required"))
		}
	case TriggerPetition:
		if t.Petitioners <= 0 {
			f = append(f, apperr.Field("trigger.petitioners", "required"))
		} else if !PetitionShareMet(body, t.Petitioners, total) {
			f = append(f, apperr.Field("trigger.petitioners", "petition_share", "k", t.Petitioners, "total", total))
		}
		if t.Petitioners > total {
			f = append(f, apperr.Field("trigger.petitioners", "at_most", "max", total))
		}
	}
	if t.Type != TriggerConfidenceResult && t.Document == "" {
		f = append(f, apperr.Field("trigger.document", "required"))
	}
	return f
}
