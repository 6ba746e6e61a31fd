package demo_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
	"github.com/dxtrack/dxtrack/store"
)

// TestAnalytics loads the demo with the value store and targets and checks
// what the dashboard relies on: past values from January 2024, pillars,
// the formula indicators, targets whose baselines are the figures the
// engine computes for 2024, and a spread of progress statuses.
func TestAnalytics(t *testing.T) {
	e := openEnv(t)
	e.s.Values, e.s.IndicatorTargets = store.NewValueService(e.db), store.NewIndicatorTargetService(e.db)
	start := time.Now()
	mustLoad(t, e)
	// How long the load takes is for the benchmarks, not an assertion.
	t.Logf("the demo loaded in %v", time.Since(start).Round(time.Millisecond))

	units, lineage, inds, values, err := e.db.LoadAnalytics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c, err := cube.New(units, lineage, inds)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Load(values); err != nil {
		t.Fatal(err)
	}
	byCode := map[string]*dxtrack.Indicator{}
	for _, in := range inds {
		byCode[in.Code] = in
	}
	for _, code := range []string{"DVC_ONLINE_RATE", "CASHLESS_RATE", "DVC_ONTIME_RATE", "DVC_DIGITIZED_RATE"} {
		if byCode[code] == nil || byCode[code].PillarID == 0 {
			t.Fatalf("indicator %s: %+v", code, byCode[code])
		}
	}
	if byCode["DVC_ONTIME_RATE"].Formula == "" {
		t.Error("DVC_ONTIME_RATE is not a formula")
	}

	qn := e.unit(t, "22")
	year := func(y int) dxtrack.Period { return dxtrack.Period{Freq: dxtrack.Yearly, Year: y, N: 1} }
	figure := func(code string, unitID int64, y int) (float64, bool) {
		res, err := c.Query(cube.Query{Codes: []string{code}, UnitID: unitID, From: year(y), To: year(y)})
		if err != nil {
			t.Fatal(err)
		}
		return res.Value(0, 0, 0)
	}
	if _, ok := figure("DVC_RECEIVED", qn.ID, 2024); !ok {
		t.Fatal("no 2024 values at the province")
	}

	targets, err := e.s.IndicatorTargets.FindIndicatorTargets(e.ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) < 30 {
		t.Fatalf("%d targets", len(targets))
	}
	seen := map[dxtrack.Progress]int{}
	for _, tg := range targets {
		var in *dxtrack.Indicator
		for _, x := range inds {
			if x.ID == tg.IndicatorID {
				in = x
			}
		}
		base, ok := figure(in.Code, tg.UnitID, 2024)
		if !ok || math.Abs(base-tg.Baseline) > 0.05+1e-9 {
			t.Errorf("%s at unit %d: baseline %v, the engine's 2024 figure %v", in.Code, tg.UnitID, tg.Baseline, base)
		}
		var obs []dxtrack.Observation
		for y := tg.BaselineYear + 1; y <= min(tg.Year, now.Year()); y++ {
			if v, ok := figure(in.Code, tg.UnitID, y); ok {
				at := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
				if at.After(now) {
					at = now
				}
				obs = append(obs, dxtrack.Observation{At: at, Value: v})
			}
		}
		seen[dxtrack.Assess(tg, in.Direction, obs, dxtrack.DefaultTrajectoryRule).Progress]++
	}
	for _, pg := range []dxtrack.Progress{dxtrack.ProgressAchieved, dxtrack.ProgressOnTrack, dxtrack.ProgressAtRisk, dxtrack.ProgressOffTrack} {
		if seen[pg] == 0 {
			t.Errorf("no target is %s: %v", pg, seen)
		}
	}
}
