package store_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func TestRegimes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedReporting(t, db)

		t.Run("round trip", func(t *testing.T) {
			got, err := w.regimes.FindRegimeByID(as(w.reporterA), w.rg.ID)
			must(t, err)
			if !reflect.DeepEqual(got, w.rg) {
				t.Fatalf("round trip:\n got %s\nwant %s", describe(got), describe(w.rg))
			}
		})

		t.Run("permissions and validation", func(t *testing.T) {
			g := *w.rg
			g.Code = "BC-2"
			wantCode(t, w.regimes.CreateRegime(as(w.reviewer), &g), dxtrack.EFORBIDDEN)
			wantCode(t, w.regimes.CreateRegime(as(w.adminPT), &g), dxtrack.EFORBIDDEN)
			dup := *w.rg
			wantField(t, w.regimes.CreateRegime(as(w.admin), &dup), "code", "error.duplicate_code")
			bad := *w.rg
			bad.Code, bad.UnitIDs, bad.FinalUnitID = "BC-3", []int64{99999}, 88888
			bad.Items = append(slices.Clone(bad.Items), dxtrack.FormItem{IndicatorID: 77777})
			bad.Rules = []dxtrack.Rule{{Left: "NOPE", Op: dxtrack.OpLE, Right: "1"}}
			err := w.regimes.CreateRegime(as(w.admin), &bad)
			wantField(t, err, "units", "error.unknown_unit")
			wantField(t, err, "final_unit", "error.unknown_unit")
			wantField(t, err, "items", "error.unknown_indicator")
			wantField(t, err, "rules.1", "error.unknown_indicator")
			if n := w.count(t, "regimes"); n != 1 {
				t.Fatalf("regimes after refused creates = %d, want 1", n)
			}
		})

		t.Run("update", func(t *testing.T) {
			g, err := w.regimes.FindRegimeByID(as(w.admin), w.rg.ID)
			must(t, err)
			g.Items = []dxtrack.FormItem{g.Items[2], g.Items[0], g.Items[1]}
			g.UnitIDs = nil
			g.DeadlineDays = 7
			wantCode(t, w.regimes.UpdateRegime(as(w.adminPT), g), dxtrack.EFORBIDDEN)
			must(t, w.regimes.UpdateRegime(as(w.admin), g))
			got, err := w.regimes.FindRegimeByID(as(w.admin), w.rg.ID)
			must(t, err)
			if got.Items[0].IndicatorID != w.share.ID || len(got.UnitIDs) != 0 || got.DeadlineDays != 7 {
				t.Fatalf("after update = %s", describe(got))
			}
			es, err := w.audit.FindAudit(as(w.leader), "regime", w.rg.ID)
			must(t, err)
			var fields []string
			for _, e := range es {
				fields = append(fields, e.Field)
			}
			slices.Sort(fields)
			if want := []string{"created", "deadline_days", "items", "unit_ids"}; !slices.Equal(fields, want) {
				t.Fatalf("regime audit fields = %v, want %v", fields, want)
			}
			units, err := w.regimes.ReportingUnits(as(w.leader), w.rg.ID)
			must(t, err)
			if got, want := codes(units), []string{"07069", "07030", "06994"}; !slices.Equal(got, want) {
				t.Fatalf("reporting units without the listed department = %v, want %v", got, want)
			}
		})

		t.Run("find", func(t *testing.T) {
			other := &dxtrack.Regime{Code: "BC-Q", NameVI: "Báo cáo quý của sở", Freq: dxtrack.Quarterly, UnitIDs: []int64{w.dept.ID},
				OwnerUnitID: w.dto.ID, DeadlineDays: 10}
			must(t, w.regimes.CreateRegime(as(w.admin), other))
			all, err := w.regimes.FindRegimes(as(w.leader), dxtrack.RegimeFilter{})
			must(t, err)
			if len(all) != 2 || all[0].Code != "BC-CDS" {
				t.Fatalf("all regimes = %s", describe(all))
			}
			for _, tt := range []struct {
				f    dxtrack.RegimeFilter
				want []int64
			}{
				{dxtrack.RegimeFilter{UnitID: w.communeA.ID}, []int64{w.rg.ID}},
				{dxtrack.RegimeFilter{UnitID: w.dept.ID}, []int64{other.ID}},
				{dxtrack.RegimeFilter{UnitID: w.communePT.ID}, nil},
				{dxtrack.RegimeFilter{Freq: dxtrack.Quarterly}, []int64{other.ID}},
				{dxtrack.RegimeFilter{Active: ptr(true)}, []int64{w.rg.ID}},
				{dxtrack.RegimeFilter{Query: "chuyen doi so"}, []int64{w.rg.ID}},
			} {
				got, err := w.regimes.FindRegimes(as(w.leader), tt.f)
				must(t, err)
				var ids []int64
				for _, g := range got {
					ids = append(ids, g.ID)
				}
				if !slices.Equal(ids, tt.want) {
					t.Errorf("FindRegimes(%+v) = %v, want %v", tt.f, ids, tt.want)
				}
			}
		})
	})
}
