package auth

import "tinnhiem/internal/apperr"

// ErrForbidden is returned when a principal may not do an action.
var ErrForbidden = apperr.New(apperr.Forbidden, "forbidden")

// IsAdmin reports whether p is a global administrator.
func (p Principal) IsAdmin() bool { return p.Role == RoleAdmin }

// InCouncil reports whether p may see the data of the council: an admin, or any staff of that council.
func (p Principal) InCouncil(councilID string) bool {
	return p.IsAdmin() || (councilID != "" && p.CouncilID == councilID)
}

// CanReadCouncil refuses callers from other councils. A caller who may not see a council is told it
// does not exist, so council ids cannot be probed.
func (p Principal) CanReadCouncil(councilID string) error {
	if p.InCouncil(councilID) {
		return nil
	}
	return apperr.New(apperr.NotFound, "council_not_found")
}

// CanManageRoster allows the admin and the council's secretariat to change rosters and settings.
func (p Principal) CanManageRoster(councilID string) error {
	if err := p.CanReadCouncil(councilID); err != nil {
		return err
	}
	if p.IsAdmin() || p.Role == RoleSecretariat {
		return nil
	}
	return ErrForbidden
}

// CanAdminister allows only the admin (user management, creating councils).
func (p Principal) CanAdminister() error {
	if p.IsAdmin() {
		return nil
	}
	return ErrForbidden
}
