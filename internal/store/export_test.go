package store

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"gorm.io/gorm/schema"
)

// CheckRowStructs compares every row struct with the live table: each struct field must be a column
// and each column a struct field.
func CheckRowStructs(s *Store) error {
	var problems []string
	for _, model := range []any{&councilSettingsRow{}, &voteDocumentRow{}, &voteRow{}, &subjectRow{}, &boardRow{}, &certificationRow{}, &issuanceRow{}, &cancelRow{}, &accountApprovalRow{}, &deviceRow{}, &codeRoute{}, &auditVoteHeadRow{}, &councilRow{}, &userRow{}, &delegateRow{}, &officialRow{}, &positionRow{}, &auditRow{}, &auditHeadRow{}} {
		sch, err := schema.Parse(model, &sync.Map{}, s.db.NamingStrategy)
		if err != nil {
			return err
		}
		cols, err := s.db.Migrator().ColumnTypes(model)
		if err != nil {
			return err
		}
		have := map[string]bool{}
		for _, c := range cols {
			have[c.Name()] = true
		}
		want := map[string]bool{}
		for _, f := range sch.Fields {
			if f.DBName == "" {
				continue
			}
			want[f.DBName] = true
			if !have[f.DBName] {
				problems = append(problems, fmt.Sprintf("%s.%s: no such column", sch.Table, f.DBName))
			}
		}
		for c := range have {
			if !want[c] {
				problems = append(problems, fmt.Sprintf("%s.%s: column without a struct field", sch.Table, c))
			}
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		return fmt.Errorf("row structs differ from the schema:\n%s", strings.Join(problems, "\n"))
	}
	return nil
}
