package store_test

import (
	"slices"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// TestLoadAnalytics reads what the analytics engine starts from: ended
// units and their lineage too, every indicator with its aggregation, and
// every value.
func TestLoadAnalytics(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedValues(t, db)
		jul := month(2025, 7)
		q3 := dxtrack.Period{Freq: dxtrack.Quarterly, Year: 2025, N: 3}
		m := val(w.communeB, w.online, jul, 7)
		m.Provenance = dxtrack.FromMachine
		must(t, w.values.SetValues(sys, []dxtrack.Value{
			val(w.communeA, w.total, jul, 120), val(w.communeA, w.total, q3, 300), m, val(w.communePT, w.share, jul, 55.5),
		}, ""))
		must(t, w.units.MergeUnits(sys, []int64{w.communeA.ID}, w.communeB.ID, date("2025-07-20")))

		units, lineage, indicators, values, err := db.LoadAnalytics(t.Context())
		must(t, err)
		if len(units) != 6 {
			t.Fatalf("%d units, want all 6", len(units))
		}
		i := slices.IndexFunc(units, func(u *dxtrack.Unit) bool { return u.ID == w.communeA.ID })
		if u := units[i]; !u.ValidTo.Equal(date("2025-07-20")) || u.ParentID != w.qn.ID || u.Type != dxtrack.UnitSpecialZone || u.Code != "06994" {
			t.Fatalf("the merged commune = %+v", u)
		}
		if len(lineage) != 1 || lineage[0] != (dxtrack.Lineage{FromID: w.communeA.ID, ToID: w.communeB.ID, Kind: dxtrack.LineageMerge, On: date("2025-07-20")}) {
			t.Fatalf("lineage = %+v", lineage)
		}
		if len(indicators) != 4 || indicators[3].Code != "TL_TT" || indicators[3].Formula != w.rate.Formula {
			t.Fatalf("indicators = %+v", indicators)
		}
		got := describeValues(values)
		slices.Sort(got)
		stored, err := w.values.FindValues(as(w.leader), dxtrack.ValueFilter{})
		must(t, err)
		want := describeValues(stored)
		slices.Sort(want)
		if len(got) != 4 || !slices.Equal(got, want) {
			t.Fatalf("values = %v, want %v", got, want)
		}
		var n int
		must(t, db.EachValue(t.Context(), func(v dxtrack.Value) error {
			if v.Provenance == dxtrack.FromMachine && v.Value == 7 {
				n++
			}
			return nil
		}))
		if n != 1 {
			t.Fatalf("EachValue saw the machine value %d times", n)
		}
	})
}
