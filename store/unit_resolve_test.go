package store_test

import (
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// TestUnitResolver resolves today's codes to themselves, a merged unit's
// code to its successor (through two merges), and refuses a split unit's
// code and an unknown one.
func TestUnitResolver(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		old := w.mustUnit(t, "QN-HB", "Huyện Hoành Bồ cũ", dxtrack.UnitCommune, w.qn.ID)
		split := w.mustUnit(t, "QN-X", "Xã X", dxtrack.UnitCommune, w.qn.ID)
		// The old district merged into Vân Đồn, which merged into Hoành Bồ.
		must(t, w.units.MergeUnits(sys, []int64{old.ID}, w.communeA.ID, date("2025-07-10")))
		r, err := db.UnitResolver(t.Context())
		must(t, err)
		if id, err := r.Resolve("QN-HB"); err != nil || id != w.communeA.ID {
			t.Fatalf("before the second merge QN-HB = %d, %v; want Vân Đồn %d", id, err, w.communeA.ID)
		}
		if stale, err := db.Stale(t.Context(), r, 1<<40); err != nil || stale {
			t.Fatalf("resolver stale = %v, %v before any change", stale, err)
		}
		must(t, w.units.MergeUnits(sys, []int64{w.communeA.ID}, w.communeB.ID, date("2025-07-20")))
		must(t, w.units.SplitUnit(sys, split.ID, []int64{w.communeB.ID, w.dept.ID}, date("2025-07-20"), true))
		if stale, err := db.Stale(t.Context(), r, 1<<40); err != nil || !stale {
			t.Fatalf("resolver stale = %v, %v after a merge", stale, err)
		}
		r, err = db.UnitResolver(t.Context())
		must(t, err)
		for code, want := range map[string]int64{
			"07030": w.communeB.ID, // current
			"06994": w.communeB.ID, // merged
			"QN-HB": w.communeB.ID, // merged twice
			" 25 ":  w.pt.ID,
		} {
			if id, err := r.Resolve(code); err != nil || id != want {
				t.Errorf("Resolve(%q) = %d, %v; want %d", code, id, err, want)
			}
		}
		_, err = r.Resolve("QN-X")
		wantField(t, err, "unit", "error.ingest_unit_ambiguous")
		_, err = r.Resolve("99999")
		wantField(t, err, "unit", "error.ingest_unit_unknown")
		_, err = r.Resolve("")
		wantField(t, err, "unit", "error.ingest_unit_unknown")
	})
}
