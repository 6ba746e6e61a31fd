package gso

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
)

// Since63 is the day the 63-province map began (Hà Tây joined Hà Nội on
// 1 August 2008); the former provinces are valid from it.
var Since63 = dxtrack.MustDate("2008-08-01")

// MergerResult counts what ApplyMergers did.
type MergerResult struct {
	Created int // former provinces added as units
	Merged  int // merge lineages recorded
	Skipped int // successors that kept the former code, or already recorded
}

// ApplyMergers records the former provinces merged away on the effective
// day: each one whose code no current province carries is created if
// missing (valid from Since63, type province) and merged into its
// successor, which must exist. It can run again: units already ended are
// left as they are. The context must carry a user allowed to admin units.
func ApplyMergers(ctx context.Context, units dxtrack.UnitService, ms []Merger, effective time.Time) (*MergerResult, error) {
	res := &MergerResult{}
	for _, m := range ms {
		if m.Continues() {
			res.Skipped++
			continue
		}
		succ, err := units.FindUnitByCode(ctx, m.NewCode)
		if err != nil {
			return res, fmt.Errorf("gso: successor %s of %s: %w", m.NewCode, m.OldName, err)
		}
		old, err := units.FindUnitByCode(ctx, m.OldCode)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			old = &dxtrack.Unit{
				Code: m.OldCode, NameVI: m.OldName, NameEN: asciiName(m.OldName), FullName: "Tỉnh " + m.OldName,
				Type: dxtrack.UnitProvince, TypeNameVI: "Tỉnh", TypeNameEN: "Province", ValidFrom: Since63,
			}
			if err := units.CreateUnit(ctx, old); err != nil {
				return res, fmt.Errorf("gso: create former province %s %s: %w", m.OldCode, m.OldName, err)
			}
			res.Created++
		} else if err != nil {
			return res, fmt.Errorf("gso: former province %s: %w", m.OldCode, err)
		}
		if !old.ValidTo.IsZero() {
			res.Skipped++
			continue
		}
		if err := units.MergeUnits(ctx, []int64{old.ID}, succ.ID, effective); err != nil {
			return res, fmt.Errorf("gso: merge %s into %s: %w", m.OldName, m.NewName, err)
		}
		res.Merged++
	}
	return res, nil
}

// asciiName writes a Vietnamese name without its marks, as the lists' English
// names do: "Hà Giang" → "Ha Giang".
func asciiName(vi string) string {
	words := strings.Fields(dxtrack.Fold(vi))
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}
