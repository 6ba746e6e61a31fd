package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// vworld adds to the small province the indicators of the value store:
// two counts, a percentage and a formula over the counts.
type vworld struct {
	*world
	indicators dxtrack.IndicatorService
	values     dxtrack.ValueService

	total, online, share, rate *dxtrack.Indicator
}

func seedValues(t *testing.T, db *store.DB) *vworld {
	t.Helper()
	w := &vworld{world: seed(t, db), indicators: store.NewIndicatorService(db), values: store.NewValueService(db)}
	w.total = &dxtrack.Indicator{Code: "HS_TONG", NameVI: "Tổng số hồ sơ", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp}
	w.online = &dxtrack.Indicator{Code: "HS_TT", NameVI: "Số hồ sơ trực tuyến", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp}
	w.share = &dxtrack.Indicator{Code: "TL_SO", NameVI: "Tỷ lệ số hoá", Type: dxtrack.ValuePercent, Decimals: 1, Direction: dxtrack.DirectionUp}
	w.rate = &dxtrack.Indicator{Code: "TL_TT", NameVI: "Tỷ lệ hồ sơ trực tuyến", Type: dxtrack.ValuePercent, Direction: dxtrack.DirectionUp,
		Source: dxtrack.SourceFormula, Formula: "100 * HS_TT / HS_TONG"}
	for _, in := range []*dxtrack.Indicator{w.total, w.online, w.share, w.rate} {
		must(t, w.indicators.CreateIndicator(as(w.admin), in))
	}
	return w
}

func month(y, m int) dxtrack.Period { return dxtrack.Period{Freq: dxtrack.Monthly, Year: y, N: m} }

func val(unit *dxtrack.Unit, in *dxtrack.Indicator, p dxtrack.Period, v float64) dxtrack.Value {
	return dxtrack.Value{UnitID: unit.ID, IndicatorID: in.ID, Period: p, Value: v}
}

// find returns the stored values matching f.
func (w *vworld) find(t *testing.T, f dxtrack.ValueFilter) []dxtrack.Value {
	t.Helper()
	vs, err := w.values.FindValues(as(w.leader), f)
	must(t, err)
	return vs
}

// one returns the stored value of a unit, indicator and period, or fails.
func (w *vworld) one(t *testing.T, unit *dxtrack.Unit, in *dxtrack.Indicator, p dxtrack.Period) dxtrack.Value {
	t.Helper()
	vs := w.find(t, dxtrack.ValueFilter{UnitID: unit.ID, IndicatorID: in.ID, From: &p, To: &p})
	if len(vs) != 1 {
		t.Fatalf("values of unit %d, indicator %s, %s = %+v, want one", unit.ID, in.Code, p, vs)
	}
	return vs[0]
}

// valueAudit returns a value's audit trail oldest first as
// "field:old>new|reason".
func (w *vworld) valueAudit(t *testing.T, unit *dxtrack.Unit, in *dxtrack.Indicator, p dxtrack.Period) []string {
	t.Helper()
	id, err := store.ValueID(w.db, unit.ID, in.ID, p.Key())
	must(t, err)
	es, err := w.audit.FindAudit(as(w.leader), "value", id)
	must(t, err)
	var out []string
	for _, e := range slices.Backward(es) {
		s := e.Field + ":" + e.Old + ">" + e.New
		if e.Reason != "" {
			s += "|" + e.Reason
		}
		out = append(out, s)
	}
	return out
}

func TestValues(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedValues(t, db)
		jul, aug := month(2025, 7), month(2025, 8)

		must(t, w.values.SetValues(as(w.reporterA), []dxtrack.Value{
			val(w.communeA, w.total, jul, 120), val(w.communeA, w.online, jul, 80), val(w.communeA, w.share, jul, 66.7),
		}, ""))
		got := w.one(t, w.communeA, w.online, jul)
		want := dxtrack.Value{UnitID: w.communeA.ID, IndicatorID: w.online.ID, Period: jul, Value: 80,
			Provenance: dxtrack.FromManual, By: w.reporterA.ID, At: testNow}
		if got != want {
			t.Fatalf("stored value = %+v, want %+v", got, want)
		}

		t.Run("permissions", func(t *testing.T) {
			rows, audits := w.count(t, "indicator_values"), w.count(t, "audit")
			for _, c := range []struct {
				name string
				u    *dxtrack.User
				code string
			}{
				{"another commune's reporter", w.reporterB, dxtrack.EFORBIDDEN},
				{"a leader", w.leader, dxtrack.EFORBIDDEN},
				{"a reviewer", w.reviewer, dxtrack.EFORBIDDEN},
				{"another province's admin", w.adminPT, dxtrack.EFORBIDDEN},
			} {
				err := w.values.SetValues(as(c.u), []dxtrack.Value{val(w.communeA, w.total, aug, 1)}, "")
				wantCode(t, err, c.code)
			}
			err := w.values.SetValues(t.Context(), []dxtrack.Value{val(w.communeA, w.total, aug, 1)}, "")
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
			// One value out of reach refuses the whole call.
			err = w.values.SetValues(as(w.reporterA), []dxtrack.Value{val(w.communeA, w.total, aug, 1), val(w.communeB, w.total, aug, 1)}, "")
			wantCode(t, err, dxtrack.EFORBIDDEN)
			// Machine figures are the connectors' (SystemUser).
			m := val(w.communeA, w.total, aug, 1)
			m.Provenance = dxtrack.FromMachine
			wantCode(t, w.values.SetValues(as(w.admin), []dxtrack.Value{m}, ""), dxtrack.EFORBIDDEN)
			_, err = w.values.FindValues(t.Context(), dxtrack.ValueFilter{})
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
			if w.count(t, "indicator_values") != rows || w.count(t, "audit") != audits {
				t.Fatal("a refused call wrote values or audit rows")
			}
			// The province's admin sets any unit's values.
			must(t, w.values.SetValues(as(w.admin), []dxtrack.Value{val(w.communeB, w.total, jul, 50)}, ""))
		})

		t.Run("invalid values are refused and nothing is written", func(t *testing.T) {
			rows, audits := w.count(t, "indicator_values"), w.count(t, "audit")
			bad := []dxtrack.Value{
				val(w.communeA, w.total, aug, 10), // fine, but the call fails
				val(w.communeA, w.total, aug, 1.5),
				val(w.communeA, w.share, aug, 120),
				val(w.communeA, w.rate, aug, 50),
				{UnitID: w.communeA.ID, IndicatorID: 999999, Period: aug, Value: 1},
				{UnitID: w.communeA.ID, IndicatorID: w.total.ID, Period: dxtrack.Period{Freq: dxtrack.Monthly, Year: 2025, N: 13}, Value: 1},
				{UnitID: w.communeA.ID, IndicatorID: w.total.ID, Period: aug, Value: 1, Provenance: dxtrack.FromFormula},
			}
			err := w.values.SetValues(as(w.reporterA), bad, "")
			wantField(t, err, "values[1]", "error.count")
			wantField(t, err, "values[2]", "error.percent_range")
			wantField(t, err, "values[3]", "error.formula_indicator")
			wantField(t, err, "values[4]", "error.indicator_missing")
			wantField(t, err, "values[5]", "error.unknown_value")
			wantField(t, err, "values[6]", "error.unknown_value")
			if n := len(dxtrack.ErrorFields(err)); n != 6 {
				t.Fatalf("%d field errors, want 6: %v", n, err)
			}
			if w.count(t, "indicator_values") != rows || w.count(t, "audit") != audits {
				t.Fatal("a refused call wrote values or audit rows")
			}
		})

		t.Run("a correction of a machine figure needs a reason and keeps the old value in the audit", func(t *testing.T) {
			m := val(w.communeA, w.total, aug, 300)
			m.Provenance = dxtrack.FromMachine
			must(t, w.values.SetValues(sys, []dxtrack.Value{m}, ""))
			if got := w.one(t, w.communeA, w.total, aug); got.Provenance != dxtrack.FromMachine || got.By != 0 {
				t.Fatalf("machine value = %+v", got)
			}
			audits := w.count(t, "audit")
			err := w.values.SetValues(as(w.reporterA), []dxtrack.Value{val(w.communeA, w.online, aug, 5), val(w.communeA, w.total, aug, 310)}, "  ")
			wantField(t, err, "reason", "error.correction_reason")
			if got := w.one(t, w.communeA, w.total, aug); got.Value != 300 || w.count(t, "audit") != audits ||
				len(w.find(t, dxtrack.ValueFilter{UnitID: w.communeA.ID, IndicatorID: w.online.ID, From: &aug})) != 0 {
				t.Fatalf("after a correction without a reason: %+v, audit rows %d (was %d)", got, w.count(t, "audit"), audits)
			}
			w.db.Now = func() time.Time { return testNow.Add(time.Hour) }
			must(t, w.values.SetValues(as(w.reporterA), []dxtrack.Value{val(w.communeA, w.total, aug, 310)}, "Hệ thống đếm trùng 10 hồ sơ"))
			got := w.one(t, w.communeA, w.total, aug)
			if got.Value != 310 || got.Provenance != dxtrack.FromCorrected || got.By != w.reporterA.ID || !got.At.Equal(testNow.Add(time.Hour)) {
				t.Fatalf("corrected value = %+v", got)
			}
			// A correction of a correction is one too.
			err = w.values.SetValues(as(w.reporterA), []dxtrack.Value{val(w.communeA, w.total, aug, 311)}, "")
			wantField(t, err, "reason", "error.correction_reason")
			// The same figure again changes nothing, reason or not.
			must(t, w.values.SetValues(as(w.reporterA), []dxtrack.Value{val(w.communeA, w.total, aug, 310)}, ""))
			gotAudit := w.valueAudit(t, w.communeA, w.total, aug)
			wantAudit := []string{"value:>300", "provenance:>machine",
				"value:300>310|Hệ thống đếm trùng 10 hồ sơ", "provenance:machine>corrected|Hệ thống đếm trùng 10 hồ sơ"}
			if !slices.Equal(gotAudit, wantAudit) {
				t.Fatalf("value audit:\n got %q\nwant %q", gotAudit, wantAudit)
			}
			// A manual figure is overwritten without a reason.
			must(t, w.values.SetValues(as(w.reporterA), []dxtrack.Value{val(w.communeA, w.online, jul, 81)}, ""))
			if got := w.valueAudit(t, w.communeA, w.online, jul); !slices.Equal(got, []string{"value:>80", "provenance:>manual", "value:80>81"}) {
				t.Fatalf("manual value audit = %q", got)
			}
		})

		t.Run("find values", func(t *testing.T) {
			q3 := dxtrack.Period{Freq: dxtrack.Quarterly, Year: 2025, N: 3}
			must(t, w.values.SetValues(sys, []dxtrack.Value{
				val(w.communeA, w.total, month(2025, 12), 400), val(w.communeA, w.total, month(2026, 1), 90),
				val(w.communeA, w.total, q3, 800),
			}, ""))
			keys := func(vs []dxtrack.Value) []string {
				var out []string
				for _, v := range vs {
					out = append(out, v.Period.Key())
				}
				return out
			}
			from, to := month(2025, 8), month(2025, 12)
			got := keys(w.find(t, dxtrack.ValueFilter{UnitID: w.communeA.ID, IndicatorID: w.total.ID, From: &from, To: &to}))
			if !slices.Equal(got, []string{"2025-08", "2025-12"}) {
				t.Fatalf("August to December = %v", got)
			}
			got = keys(w.find(t, dxtrack.ValueFilter{UnitID: w.communeA.ID, IndicatorID: w.total.ID}))
			if !slices.Equal(got, []string{"2025-07", "2025-08", "2025-12", "2026-01", "2025-Q3"}) {
				t.Fatalf("all of Vân Đồn's totals = %v", got)
			}
			got = keys(w.find(t, dxtrack.ValueFilter{IndicatorID: w.total.ID, From: &q3}))
			if !slices.Equal(got, []string{"2025-Q3"}) {
				t.Fatalf("quarters = %v", got)
			}
			if vs := w.find(t, dxtrack.ValueFilter{IndicatorID: w.total.ID, To: &jul}); len(vs) != 2 ||
				vs[0].UnitID != w.communeA.ID || vs[1].UnitID != w.communeB.ID {
				t.Fatalf("totals to July = %+v, want Vân Đồn's and Hoành Bồ's", vs)
			}
			_, err := w.values.FindValues(as(w.leader), dxtrack.ValueFilter{From: &dxtrack.Period{Freq: "week", Year: 2025, N: 1}})
			wantField(t, err, "period", "error.unknown_value")
		})
	})
}
