package auth

import (
	"tinnhiem/internal/apperr"
	"tinnhiem/internal/validate"
)

// UserInput is what a staff account is created from.
type UserInput struct {
	Username  string `json:"username" validate:"required,max=64"`
	Password  string `json:"password" validate:"required,max=256"`
	FullName  string `json:"full_name" validate:"required,max=120,nocontrol"`
	Role      Role   `json:"role" validate:"required,oneof=admin secretariat board observer"`
	CouncilID string `json:"council_id" validate:"max=64"`
	// OfficialID links the account to an official of its council (the same person).
	OfficialID string `json:"official_id" validate:"max=64"`
}

// UserPatch changes an account; nil fields stay as they are.
type UserPatch struct {
	FullName *string `json:"full_name" validate:"omitempty,max=120,nocontrol"`
	Password *string `json:"password" validate:"omitempty,max=256"`
	Active   *bool   `json:"active"`
	// OfficialID links (an id) or unlinks ("") the account and an official of its council.
	OfficialID *string `json:"official_id" validate:"omitempty,max=64"`
}

// Normalize cleans and validates in.
func (in *UserInput) Normalize() error {
	in.FullName = validate.Clean(in.FullName)
	fields := validate.Struct(in, "")
	if in.Username != "" && !ValidUsername(in.Username) {
		fields = append(fields, apperr.Field("username", "invalid_username"))
	}
	if in.Password != "" && len([]rune(in.Password)) < MinPasswordLength {
		fields = append(fields, apperr.Field("password", "weak_password", "min", MinPasswordLength))
	}
	switch {
	case in.Role == RoleAdmin && in.CouncilID != "":
		fields = append(fields, apperr.Field("council_id", "council_forbidden"))
	case in.Role != RoleAdmin && in.Role != "" && in.CouncilID == "":
		fields = append(fields, apperr.Field("council_id", "council_required"))
	}
	if in.OfficialID != "" && in.CouncilID == "" {
		fields = append(fields, apperr.Field("official_id", "official_needs_council"))
	}
	if len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

// Normalize cleans and validates a patch.
func (in *UserPatch) Normalize() error {
	if in.FullName != nil {
		*in.FullName = validate.Clean(*in.FullName)
	}
	fields := validate.Struct(in, "")
	if in.FullName != nil && *in.FullName == "" {
		fields = append(fields, apperr.Field("full_name", "required"))
	}
	if in.Password != nil && len([]rune(*in.Password)) < MinPasswordLength {
		fields = append(fields, apperr.Field("password", "weak_password", "min", MinPasswordLength))
	}
	if len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}
