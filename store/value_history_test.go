package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func TestValueHistory(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedValues(t, db)
		aug, sep := month(2025, 8), month(2025, 9)
		m := val(w.communeA, w.total, aug, 300)
		m.Provenance = dxtrack.FromMachine
		must(t, w.values.SetValues(sys, []dxtrack.Value{m}, ""))
		// Another period's and another indicator's changes stay out.
		must(t, w.values.SetValues(as(w.reporterA), []dxtrack.Value{val(w.communeA, w.total, sep, 7),
			val(w.communeA, w.online, aug, 9)}, ""))
		w.db.Now = func() time.Time { return testNow.Add(time.Hour) }
		must(t, w.values.SetValues(as(w.reporterA), []dxtrack.Value{val(w.communeA, w.total, aug, 310)}, "Đếm trùng"))
		w.db.Now = func() time.Time { return testNow.Add(2 * time.Hour) }
		must(t, w.values.SetValues(as(w.admin), []dxtrack.Value{val(w.communeA, w.total, aug, 312)}, "Bổ sung"))

		es, err := w.values.ValueHistory(as(w.leader), w.communeA.ID, w.total.ID, aug)
		must(t, err)
		var got []string
		for _, e := range es {
			got = append(got, e.At.Sub(testNow).String()+" "+e.UserName+" "+e.Field+":"+e.Old+">"+e.New+"|"+e.Reason)
		}
		reporter, admin := w.reporterA.Name, w.admin.Name
		if reporter == "" {
			reporter = w.reporterA.Username
		}
		if admin == "" {
			admin = w.admin.Username
		}
		want := []string{
			"2h0m0s " + admin + " value:310>312|Bổ sung",
			"1h0m0s " + reporter + " provenance:machine>corrected|Đếm trùng",
			"1h0m0s " + reporter + " value:300>310|Đếm trùng",
			"0s dxtrack provenance:>machine|",
			"0s dxtrack value:>300|",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("history:\n got %q\nwant %q", got, want)
		}
		for _, e := range es {
			if e.Entity != "value" || e.EntityID == 0 {
				t.Fatalf("entry %+v", e)
			}
		}

		// No value yet: an empty trail, not an error.
		es, err = w.values.ValueHistory(as(w.reporterB), w.communeB.ID, w.total.ID, aug)
		must(t, err)
		if es == nil || len(es) != 0 {
			t.Fatalf("history of a missing value = %#v", es)
		}
		_, err = w.values.ValueHistory(t.Context(), w.communeA.ID, w.total.ID, aug)
		wantCode(t, err, dxtrack.EUNAUTHORIZED)
		_, err = w.values.ValueHistory(as(w.leader), w.communeA.ID, w.total.ID, dxtrack.Period{Freq: dxtrack.Monthly, Year: 2025, N: 13})
		wantField(t, err, "period", "error.unknown_value")
	})
}
