package store_test

import (
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// wantArg fails unless err names the field with the message and the
// argument.
func wantArg(t *testing.T, err error, field, msgID, arg string, value any) {
	t.Helper()
	wantField(t, err, field, msgID)
	for _, f := range dxtrack.ErrorFields(err) {
		if f.Field == field && f.MsgID == msgID && f.Args[arg] == value {
			return
		}
	}
	t.Fatalf("error %v: %s has no %s = %v (%+v)", err, field, arg, value, dxtrack.ErrorFields(err))
}

// TestIndicatorFormulas checks the analytics fields of indicators on save:
// formulas that cannot be read, refer to unknown codes or go round in a
// cycle are refused with nothing written, and the aggregation fields hold
// together.
func TestIndicatorFormulas(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedValues(t, db)
		admin := as(w.admin)
		nothingWritten := func(t *testing.T, f func() error, check func(error)) {
			t.Helper()
			rows, audits := w.count(t, "indicators"), w.count(t, "audit")
			check(f())
			if w.count(t, "indicators") != rows || w.count(t, "audit") != audits {
				t.Fatal("a refused save wrote indicators or audit rows")
			}
		}
		formulaIndicator := func(code, src string) *dxtrack.Indicator {
			return &dxtrack.Indicator{Code: code, NameVI: "Chỉ tiêu " + code, Type: dxtrack.ValueNumber,
				Direction: dxtrack.DirectionUp, Source: dxtrack.SourceFormula, Formula: src}
		}

		got, err := w.indicators.FindIndicatorByID(admin, w.rate.ID)
		must(t, err)
		if got.Source != dxtrack.SourceFormula || got.Formula != "100 * HS_TT / HS_TONG" {
			t.Fatalf("stored formula indicator = %+v", got)
		}

		t.Run("unknown reference", func(t *testing.T) {
			nothingWritten(t, func() error {
				return w.indicators.CreateIndicator(admin, formulaIndicator("TL_X", "HS_TT / HS_KHAC"))
			}, func(err error) { wantArg(t, err, "formula", "error.formula_unknown", "Code", "HS_KHAC") })
		})
		t.Run("syntax", func(t *testing.T) {
			nothingWritten(t, func() error {
				return w.indicators.CreateIndicator(admin, formulaIndicator("TL_X", "100 * (HS_TT"))
			}, func(err error) { wantArg(t, err, "formula", "error.formula_syntax", "Value", 13) })
			nothingWritten(t, func() error {
				return w.indicators.CreateIndicator(admin, formulaIndicator("TL_X", " "))
			}, func(err error) { wantField(t, err, "formula", "error.required") })
		})
		t.Run("cycle", func(t *testing.T) {
			double := formulaIndicator("TL_DOUBLE", "2 * TL_TT")
			must(t, w.indicators.CreateIndicator(admin, double))
			rate := *w.rate
			rate.Formula = "TL_DOUBLE / 2"
			nothingWritten(t, func() error { return w.indicators.UpdateIndicator(admin, &rate) },
				func(err error) {
					wantArg(t, err, "formula", "error.formula_cycle", "Value", "TL_DOUBLE → TL_TT → TL_DOUBLE")
				})
			self := formulaIndicator("TL_SELF", "TL_SELF + 1")
			nothingWritten(t, func() error { return w.indicators.CreateIndicator(admin, self) },
				func(err error) { wantField(t, err, "formula", "error.formula_cycle") })
			// Last period's value of itself is no cycle.
			growth := formulaIndicator("TL_GROWTH", "prev(TL_GROWTH) + HS_TT")
			must(t, w.indicators.CreateIndicator(admin, growth))
			got, err := w.indicators.FindIndicatorByID(admin, w.rate.ID)
			must(t, err)
			if got.Formula != w.rate.Formula {
				t.Fatalf("refused formula stored: %q", got.Formula)
			}
		})
		t.Run("renaming an indicator a formula uses", func(t *testing.T) {
			online := *w.online
			online.Code = "HS_TRUC_TUYEN"
			nothingWritten(t, func() error { return w.indicators.UpdateIndicator(admin, &online) },
				func(err error) { wantArg(t, err, "code", "error.formula_unknown", "Code", "HS_TT") })
		})
		t.Run("a formula needs the formula source", func(t *testing.T) {
			in := &dxtrack.Indicator{Code: "HS_X", NameVI: "X", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp, Formula: "HS_TT"}
			nothingWritten(t, func() error { return w.indicators.CreateIndicator(admin, in) },
				func(err error) { wantField(t, err, "formula", "error.formula_source") })
		})

		t.Run("aggregation", func(t *testing.T) {
			ratio := &dxtrack.Indicator{Code: "TL_RATIO", NameVI: "Tỷ lệ", Type: dxtrack.ValueNumber, Direction: dxtrack.DirectionUp,
				UnitAgg: dxtrack.AggRatio, TimeAgg: dxtrack.TimeSum}
			nothingWritten(t, func() error { return w.indicators.CreateIndicator(admin, ratio) },
				func(err error) { wantField(t, err, "denominator_id", "error.required") })
			ratio.DenominatorID = w.rate.ID
			nothingWritten(t, func() error { return w.indicators.CreateIndicator(admin, ratio) },
				func(err error) { wantField(t, err, "denominator_id", "error.denominator_formula") })
			ratio.DenominatorID = 999999
			nothingWritten(t, func() error { return w.indicators.CreateIndicator(admin, ratio) },
				func(err error) { wantField(t, err, "denominator_id", "error.indicator_missing") })
			ratio.DenominatorID = w.total.ID
			ratio.Condition, ratio.Threshold = dxtrack.OpGE, 3 // not a count: cleared
			must(t, w.indicators.CreateIndicator(admin, ratio))
			got, err := w.indicators.FindIndicatorByID(admin, ratio.ID)
			must(t, err)
			if got.UnitAgg != dxtrack.AggRatio || got.TimeAgg != dxtrack.TimeSum || got.DenominatorID != w.total.ID ||
				got.Condition != "" || got.Threshold != 0 {
				t.Fatalf("stored ratio indicator = %+v", got)
			}
			// The denominator of a ratio cannot become a formula.
			total := *w.total
			total.Source, total.Formula = dxtrack.SourceFormula, "HS_TT * 2"
			nothingWritten(t, func() error { return w.indicators.UpdateIndicator(admin, &total) },
				func(err error) { wantField(t, err, "source", "error.denominator_in_use") })

			share := &dxtrack.Indicator{Code: "TL_DAT", NameVI: "Tỷ lệ xã đạt", Type: dxtrack.ValuePercent, Direction: dxtrack.DirectionUp,
				UnitAgg: dxtrack.AggShare}
			nothingWritten(t, func() error { return w.indicators.CreateIndicator(admin, share) },
				func(err error) { wantField(t, err, "condition", "error.required") })
			share.Condition = "~"
			nothingWritten(t, func() error { return w.indicators.CreateIndicator(admin, share) },
				func(err error) { wantField(t, err, "condition", "error.unknown_value") })
			share.Condition, share.Threshold, share.DenominatorID = dxtrack.OpGE, 80, w.total.ID
			must(t, w.indicators.CreateIndicator(admin, share))
			got, err = w.indicators.FindIndicatorByID(admin, share.ID)
			must(t, err)
			if got.Condition != dxtrack.OpGE || got.Threshold != 80 || got.DenominatorID != 0 {
				t.Fatalf("stored share indicator = %+v", got)
			}

			bad := &dxtrack.Indicator{Code: "X_BAD", NameVI: "X", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp,
				UnitAgg: "median", TimeAgg: "first", Source: "rumour"}
			nothingWritten(t, func() error { return w.indicators.CreateIndicator(admin, bad) }, func(err error) {
				wantField(t, err, "unit_agg", "error.unknown_value")
				wantField(t, err, "time_agg", "error.unknown_value")
				wantField(t, err, "source", "error.unknown_value")
			})

			// An update is audited field by field.
			share.Threshold, share.TimeAgg = 90, dxtrack.TimeLast
			must(t, w.indicators.UpdateIndicator(admin, share))
			es, err := w.audit.FindAudit(admin, "indicator", share.ID)
			must(t, err)
			fields := map[string]string{}
			for _, e := range es {
				fields[e.Field] = e.Old + ">" + e.New
			}
			if fields["threshold"] != "80>90" || fields["time_agg"] != ">last" || len(es) != 3 {
				t.Fatalf("indicator audit = %v", fields)
			}
		})
	})
}
