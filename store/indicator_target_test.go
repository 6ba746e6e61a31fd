package store_test

import (
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func TestIndicatorTargets(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedValues(t, db)
		targets := store.NewIndicatorTargetService(db)
		admin := as(w.admin)

		a := &dxtrack.IndicatorTarget{IndicatorID: w.share.ID, UnitID: w.communeA.ID, Year: 2026, BaselineYear: 2024, Baseline: 40, Value: 80}
		must(t, targets.SetIndicatorTarget(admin, a))
		if a.ID == 0 {
			t.Fatal("a created target has no ID")
		}

		t.Run("permissions and validation", func(t *testing.T) {
			rows, audits := w.count(t, "indicator_targets"), w.count(t, "audit")
			b := &dxtrack.IndicatorTarget{IndicatorID: w.share.ID, UnitID: w.communeB.ID, Year: 2026, BaselineYear: 2024, Value: 70}
			for _, u := range []*dxtrack.User{w.reporterB, w.reviewer, w.leader, w.adminPT} {
				wantCode(t, targets.SetIndicatorTarget(as(u), b), dxtrack.EFORBIDDEN)
			}
			wantCode(t, targets.DeleteIndicatorTarget(as(w.adminPT), a.ID), dxtrack.EFORBIDDEN)
			wantCode(t, targets.SetIndicatorTarget(t.Context(), b), dxtrack.EUNAUTHORIZED)
			bad := *b
			bad.BaselineYear, bad.IndicatorID = 2026, 999999
			err := targets.SetIndicatorTarget(admin, &bad)
			wantField(t, err, "baseline_year", "error.baseline_year")
			wantField(t, err, "indicator", "error.indicator_missing")
			bad = *b
			bad.UnitID = 999999
			wantField(t, targets.SetIndicatorTarget(admin, &bad), "unit", "error.unknown_unit")
			if w.count(t, "indicator_targets") != rows || w.count(t, "audit") != audits {
				t.Fatal("a refused call wrote targets or audit rows")
			}
			_, err = targets.FindIndicatorTargets(t.Context(), 0, 0)
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
		})

		// Setting the same indicator, unit and year again replaces it.
		again := &dxtrack.IndicatorTarget{IndicatorID: w.share.ID, UnitID: w.communeA.ID, Year: 2026, BaselineYear: 2024, Baseline: 40, Value: 85}
		must(t, targets.SetIndicatorTarget(admin, again))
		if again.ID != a.ID {
			t.Fatalf("setting the same key made target %d, want %d", again.ID, a.ID)
		}
		b := &dxtrack.IndicatorTarget{IndicatorID: w.share.ID, UnitID: w.communeA.ID, Year: 2030, BaselineYear: 2024, Baseline: 40, Value: 100}
		must(t, targets.SetIndicatorTarget(admin, b))
		c := &dxtrack.IndicatorTarget{IndicatorID: w.total.ID, UnitID: w.communeB.ID, Year: 2026, BaselineYear: 2025, Baseline: 10, Value: 20}
		must(t, targets.SetIndicatorTarget(as(w.admin), c))

		// Moving a target onto another's year is refused.
		moved := *b
		moved.Year = 2026
		wantField(t, targets.SetIndicatorTarget(admin, &moved), "year", "error.target_exists")

		ts, err := targets.FindIndicatorTargets(as(w.leader), w.share.ID, w.communeA.ID)
		must(t, err)
		if len(ts) != 2 || *ts[0] != (dxtrack.IndicatorTarget{ID: a.ID, IndicatorID: w.share.ID, UnitID: w.communeA.ID, Year: 2026,
			BaselineYear: 2024, Baseline: 40, Value: 85}) || ts[1].Year != 2030 {
			t.Fatalf("targets of the share at Vân Đồn = %+v", ts)
		}
		if all, err := targets.FindIndicatorTargets(as(w.leader), 0, 0); err != nil || len(all) != 3 {
			t.Fatalf("all targets = %d, %v; want 3", len(all), err)
		}

		must(t, targets.DeleteIndicatorTarget(admin, b.ID))
		wantCode(t, targets.DeleteIndicatorTarget(admin, b.ID), dxtrack.ENOTFOUND)
		es, err := w.audit.FindAudit(admin, "indicator_target", a.ID)
		must(t, err)
		if len(es) != 7 || es[0].Field != "value" || es[0].Old != "80" || es[0].New != "85" {
			t.Fatalf("audit of the target = %+v", es)
		}
		es, err = w.audit.FindAudit(admin, "indicator_target", b.ID)
		must(t, err)
		if es[0].Field != "deleted" || es[0].Old != "2030: 100" {
			t.Fatalf("audit of the deleted target = %+v", es[0])
		}
	})
}
