package demo

import (
	"context"
	"fmt"
	"math"

	"github.com/dxtrack/dxtrack"
)

// The analytics demo: the monthly report's figures back to January 2024
// (the reports themselves cover only the last three months), the pillar
// of each indicator, two formula indicators, and targets for 2025–2027
// from a 2024 baseline for the province and a few communes, some within
// reach and some not, so that the dashboard's scorecard shows every
// status. The past figures come from the same generator as the reports'.

// historyFrom is the first month of the demo's past values.
var historyFrom = dxtrack.Period{Freq: dxtrack.Monthly, Year: 2024, N: 1}

// indicatorPillars puts the report's indicators in the pillars of the
// national programme.
var indicatorPillars = map[string]string{
	"DVC_RECEIVED": "CQS", "DVC_ONLINE": "CQS", "DVC_ONTIME": "CQS", "DVC_ONLINE_RATE": "CQS",
	"DOC_SIGNED": "CQS", "DOC_ONLINE_RATE": "CQS", "DVC_DIGITIZED": "DLS", "CASHLESS_RATE": "KTS",
}

// formulaIndicators are computed from the report's counts, at every
// level as the ratio of the sums.
var formulaIndicators = []struct {
	indicatorData
	Formula, Pillar string
}{
	{indicatorData{"DVC_ONTIME_RATE", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Share of dossiers processed on time", "%", dxtrack.ValuePercent, ""},
		"round(100 * DVC_ONTIME / DVC_RECEIVED, 1)", "CQS"},
	{indicatorData{"DVC_DIGITIZED_RATE", "Tỷ lệ hồ sơ, kết quả giải quyết TTHC được số hóa", "Share of dossiers and results digitised", "%", dxtrack.ValuePercent, ""},
		"round(100 * DVC_DIGITIZED / DVC_RECEIVED, 1)", "DLS"},
}

// targetPlan is a unit's targets for an indicator: the baseline year's
// figure plus a rise per year, capped.
type targetPlan struct {
	Unit      string // unit code
	Indicator string
	PerYear   float64 // percentage points a year over the 2024 baseline
}

// targetPlans mix the attainable with the ambitious: the rates rise by
// about 12 points a year in the generated figures.
var targetPlans = []targetPlan{
	{quangNinh, "DVC_ONLINE_RATE", 9},
	{quangNinh, "CASHLESS_RATE", 20},
	{quangNinh, "DVC_DIGITIZED_RATE", 3},
	{quangNinh, "DVC_ONTIME_RATE", 1.5},
}

// targetCommunes get DVC_ONLINE_RATE and CASHLESS_RATE targets, from
// modest to out of reach, in turn.
var targetRises = []float64{6, 11, 16, 24, 35}

func (l *loader) loadAnalytics(ctx context.Context) error {
	if l.s.Values == nil || l.s.IndicatorTargets == nil {
		return nil
	}
	ind := map[string]*dxtrack.Indicator{}
	for _, d := range reportIndicators {
		in, err := l.s.Indicators.FindIndicatorByCode(ctx, d.Code)
		if err != nil {
			return fmt.Errorf("demo: indicator %s: %w", d.Code, err)
		}
		ind[d.Code] = in
	}
	// Pillars first, then the formulas, which refer to the counts.
	for code, pillar := range indicatorPillars {
		in := ind[code]
		if in.PillarID == l.cats[pillar] {
			continue
		}
		in.PillarID = l.cats[pillar]
		if err := l.s.Indicators.UpdateIndicator(ctx, in); err != nil {
			return fmt.Errorf("demo: indicator %s: %w", code, err)
		}
	}
	owner, err := l.unit(ctx, skhcn)
	if err != nil {
		return err
	}
	for _, f := range formulaIndicators {
		in, err := l.s.Indicators.FindIndicatorByCode(ctx, f.Code)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			in = &dxtrack.Indicator{Code: f.Code, NameVI: f.NameVI, NameEN: f.NameEN, Measure: f.Measure, Type: f.Type,
				Decimals: 1, Direction: dxtrack.DirectionUp, OwnerUnitID: owner.ID, Source: dxtrack.SourceFormula,
				Formula: f.Formula, PillarID: l.cats[f.Pillar]}
			if err = l.s.Indicators.CreateIndicator(ctx, in); err == nil {
				l.res.Indicators++
			}
		}
		if err != nil {
			return fmt.Errorf("demo: indicator %s: %w", f.Code, err)
		}
		ind[f.Code] = in
	}

	rgs, err := l.s.Regimes.FindRegimes(ctx, dxtrack.RegimeFilter{Query: regimeCode})
	if err != nil || len(rgs) == 0 {
		return fmt.Errorf("demo: regime %s: %v", regimeCode, err)
	}
	units, err := l.s.Regimes.ReportingUnits(ctx, rgs[0].ID)
	if err != nil {
		return fmt.Errorf("demo: reporting units: %w", err)
	}
	if err := l.loadHistory(ctx, units, ind); err != nil {
		return err
	}
	return l.loadTargets(ctx, units, ind)
}

// loadHistory stores the reporting units' monthly figures from
// historyFrom up to the first month the reports cover, a month per
// transaction. Figures already stored (a second run) are left alone.
func (l *loader) loadHistory(ctx context.Context, units []*dxtrack.Unit, ind map[string]*dxtrack.Indicator) error {
	first := dxtrack.PeriodOn(dxtrack.Monthly, l.now()).Prev().Prev().Prev()
	for p := historyFrom; p.Year < first.Year || p.Year == first.Year && p.N < first.N; p = p.Next() {
		have, err := l.s.Values.FindValues(ctx, dxtrack.ValueFilter{IndicatorID: ind["DVC_RECEIVED"].ID, From: &p, To: &p})
		if err != nil {
			return fmt.Errorf("demo: values %s: %w", p.Key(), err)
		}
		if len(have) > 0 {
			continue
		}
		var vs []dxtrack.Value
		for _, u := range units {
			for _, rv := range pastValues(u, p, ind) {
				vs = append(vs, dxtrack.Value{UnitID: u.ID, IndicatorID: rv.IndicatorID, Period: p, Value: *rv.Value,
					Provenance: dxtrack.FromManual})
			}
		}
		if err := l.s.Values.SetValues(ctx, vs, ""); err != nil {
			return fmt.Errorf("demo: values %s: %w", p.Key(), err)
		}
	}
	return nil
}

// loadTargets sets each plan's targets for 2025, 2026 and 2027 over its
// 2024 baseline, the figure the dashboards compute for that year.
func (l *loader) loadTargets(ctx context.Context, units []*dxtrack.Unit, ind map[string]*dxtrack.Indicator) error {
	plans := append([]targetPlan(nil), targetPlans...)
	k := 0
	for _, u := range units {
		if !u.Type.IsLocal() || k >= 2*len(targetRises) {
			continue
		}
		// Every fourth local unit, so that the plans spread over the list.
		if u.ID%4 != 0 {
			continue
		}
		plans = append(plans, targetPlan{u.Code, "DVC_ONLINE_RATE", targetRises[k%len(targetRises)]},
			targetPlan{u.Code, "CASHLESS_RATE", targetRises[(k+2)%len(targetRises)]})
		k++
	}
	dec := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2024, N: 12}
	for _, pl := range plans {
		u, err := l.unit(ctx, pl.Unit)
		if err != nil {
			return err
		}
		base := baseline(u, units, dec, pl.Indicator, ind)
		for year := 2025; year <= 2027; year++ {
			t := &dxtrack.IndicatorTarget{IndicatorID: ind[pl.Indicator].ID, UnitID: u.ID, Year: year, BaselineYear: 2024,
				Baseline: base, Value: math.Min(100, math.Round(base+pl.PerYear*float64(year-2024)))}
			if err := l.s.IndicatorTargets.SetIndicatorTarget(ctx, t); err != nil {
				return fmt.Errorf("demo: target %s %s %d: %w", pl.Unit, pl.Indicator, year, err)
			}
		}
	}
	return nil
}

// baseline is an indicator's 2024 figure at a unit, as the engine
// computes it: a rate's December value at a reporting unit, or for the
// province the average of its reporting units' December rates; a formula
// over counts is the ratio of the year's sums.
func baseline(u *dxtrack.Unit, units []*dxtrack.Unit, dec dxtrack.Period, code string, ind map[string]*dxtrack.Indicator) float64 {
	var list []*dxtrack.Unit
	for _, x := range units {
		if x.ID == u.ID || u.Type == dxtrack.UnitProvince {
			list = append(list, x)
		}
	}
	codeOf := map[int64]string{}
	for c, in := range ind {
		codeOf[in.ID] = c
	}
	decSums, yearSums := map[string]float64{}, map[string]float64{}
	for _, x := range list {
		for p := (dxtrack.Period{Freq: dxtrack.Monthly, Year: dec.Year, N: 1}); p.Year == dec.Year; p = p.Next() {
			for _, rv := range pastValues(x, p, ind) {
				yearSums[codeOf[rv.IndicatorID]] += *rv.Value
				if p == dec {
					decSums[codeOf[rv.IndicatorID]] += *rv.Value
				}
			}
		}
	}
	round1 := func(f float64) float64 { return math.Round(f*10) / 10 }
	switch code {
	case "DVC_ONTIME_RATE":
		return round1(100 * yearSums["DVC_ONTIME"] / yearSums["DVC_RECEIVED"])
	case "DVC_DIGITIZED_RATE":
		return round1(100 * yearSums["DVC_DIGITIZED"] / yearSums["DVC_RECEIVED"])
	}
	return round1(decSums[code] / float64(len(list)))
}

// pastValues are the report's figures for an earlier period, rates held
// within 0–100: the generator's trends, run back to 2024, can leave them.
func pastValues(u *dxtrack.Unit, p dxtrack.Period, ind map[string]*dxtrack.Indicator) []dxtrack.ReportValue {
	rates := map[int64]bool{}
	for _, in := range ind {
		rates[in.ID] = in.Type == dxtrack.ValuePercent
	}
	vs := values(u, p, ind)
	for i, rv := range vs {
		if rates[rv.IndicatorID] {
			v := math.Max(0, math.Min(100, *rv.Value))
			vs[i].Value = &v
		}
	}
	return vs
}
