package store_test

import (
	"reflect"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func TestIndicators(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		s := store.NewIndicatorService(db)
		in := &dxtrack.Indicator{Code: "DVC-TT", NameVI: "Tỷ lệ dịch vụ công trực tuyến", NameEN: "Online services",
			Measure: "%", Type: dxtrack.ValuePercent, Decimals: 1, Min: ptr(0.0), Max: ptr(100.0),
			Direction: dxtrack.DirectionUp, OwnerUnitID: w.dept.ID, PillarID: w.pillar.ID}

		wantCode(t, s.CreateIndicator(as(w.reviewer), in), dxtrack.EFORBIDDEN)
		wantCode(t, s.CreateIndicator(as(w.adminPT), in), dxtrack.EFORBIDDEN)
		must(t, s.CreateIndicator(as(w.admin), in))

		got, err := s.FindIndicatorByCode(as(w.reporterA), "DVC-TT")
		must(t, err)
		if !reflect.DeepEqual(got, in) {
			t.Fatalf("round trip:\n got %s\nwant %s", describe(got), describe(in))
		}
		_, err = s.FindIndicatorByID(as(w.reporterA), in.ID+100)
		wantCode(t, err, dxtrack.ENOTFOUND)
		_, err = s.FindIndicators(t.Context(), "")
		wantCode(t, err, dxtrack.EUNAUTHORIZED)

		dup := *in
		wantField(t, s.CreateIndicator(as(w.admin), &dup), "code", "error.duplicate_code")
		bad := &dxtrack.Indicator{Code: "X", NameVI: "X", Type: "ratio", Direction: dxtrack.DirectionUp, OwnerUnitID: 99999,
			PillarID: w.sector.ID}
		err = s.CreateIndicator(as(w.admin), bad)
		wantField(t, err, "pillar", "error.unknown_category") // a sector is no scorecard column
		wantField(t, err, "type", "error.unknown_value")
		wantField(t, err, "owner_unit", "error.unknown_unit")

		count := &dxtrack.Indicator{Code: "HS-01", NameVI: "Số hồ sơ tiếp nhận", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp}
		must(t, s.CreateIndicator(as(w.admin), count))
		list, err := s.FindIndicators(as(w.leader), "")
		must(t, err)
		if len(list) != 2 || list[0].Code != "DVC-TT" || list[1].Code != "HS-01" {
			t.Fatalf("indicators = %v, want by code", describe(list))
		}
		list, err = s.FindIndicators(as(w.leader), "truc tuyen")
		must(t, err)
		if len(list) != 1 || list[0].ID != in.ID {
			t.Fatalf("search 'truc tuyen' = %s", describe(list))
		}

		in.Decimals, in.Max = 2, nil
		must(t, s.UpdateIndicator(as(w.admin), in))
		got, err = s.FindIndicatorByID(as(w.leader), in.ID)
		must(t, err)
		if got.Decimals != 2 || got.Max != nil {
			t.Fatalf("after update = %s", describe(got))
		}
		es, err := w.audit.FindAudit(as(w.leader), "indicator", in.ID)
		must(t, err)
		if len(es) != 3 || es[0].Field != "max" && es[1].Field != "max" {
			t.Fatalf("indicator audit = %s", describe(es))
		}
		in.Code = "HS-01"
		wantField(t, s.UpdateIndicator(as(w.admin), in), "code", "error.duplicate_code")
	})
}
