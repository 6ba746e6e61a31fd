package dxtrack_test

import (
	"math"
	"testing"

	"github.com/dxtrack/dxtrack"
)

func obs(pairs ...any) []dxtrack.Observation {
	var out []dxtrack.Observation
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, dxtrack.Observation{At: dxtrack.MustDate(pairs[i].(string)), Value: pairs[i+1].(float64)})
	}
	return out
}

func TestAssess(t *testing.T) {
	// Online dossiers: 40% at the end of 2022, 100% by the end of 2025.
	target := &dxtrack.IndicatorTarget{IndicatorID: 1, UnitID: 1, BaselineYear: 2022, Baseline: 40, Year: 2025, Value: 100}
	rule := dxtrack.DefaultTrajectoryRule
	tests := []struct {
		name string
		dir  dxtrack.Direction
		obs  []dxtrack.Observation
		want dxtrack.Progress
	}{
		{"nothing yet", dxtrack.DirectionUp, nil, dxtrack.ProgressNoData},
		{"only the baseline", dxtrack.DirectionUp, obs("2022-12-31", 40.0), dxtrack.ProgressNoData},
		{"reached", dxtrack.DirectionUp, obs("2024-06-30", 100.0), dxtrack.ProgressAchieved},
		// Needed: (100/40)^(1/3)-1 = 35.7%/yr. After one year at 54: 35% → 98% of the pace.
		{"on pace", dxtrack.DirectionUp, obs("2023-06-30", 45.0, "2023-12-31", 54.0), dxtrack.ProgressOnTrack},
		{"half pace", dxtrack.DirectionUp, obs("2023-12-31", 47.0), dxtrack.ProgressOffTrack},
		{"three quarters of the pace", dxtrack.DirectionUp, obs("2023-12-31", 50.0), dxtrack.ProgressAtRisk},
		{"going backwards", dxtrack.DirectionUp, obs("2023-12-31", 35.0), dxtrack.ProgressOffTrack},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := dxtrack.Assess(target, tt.dir, tt.obs, rule)
			if a.Progress != tt.want {
				t.Fatalf("Progress = %s (ratio %.3f, actual %.4f, required %.4f), want %s", a.Progress, a.Ratio, a.Actual, a.Required, tt.want)
			}
		})
	}
	a := dxtrack.Assess(target, dxtrack.DirectionUp, obs("2023-12-31", 54.0), rule)
	required := math.Pow(2.5, 1.0/3) - 1
	if a.Method != "cagr" || math.Abs(a.Required-required) > 1e-3 || a.MsgID != "why.pace_cagr" {
		t.Errorf("assessment = %+v, want CAGR with required %.4f", a, required)
	}

	// Fewer paper documents: a target below the baseline, and a zero
	// baseline that forces the linear method.
	down := &dxtrack.IndicatorTarget{IndicatorID: 2, UnitID: 1, BaselineYear: 2022, Baseline: 30, Year: 2026, Value: 10}
	if got := dxtrack.Assess(down, dxtrack.DirectionDown, obs("2024-12-31", 17.0), rule).Progress; got != dxtrack.ProgressOnTrack {
		t.Errorf("falling fast enough: %s", got)
	}
	if got := dxtrack.Assess(down, dxtrack.DirectionDown, obs("2025-12-31", 9.0), rule).Progress; got != dxtrack.ProgressAchieved {
		t.Errorf("below a lower-is-better target: %s", got)
	}
	zero := &dxtrack.IndicatorTarget{IndicatorID: 3, UnitID: 1, BaselineYear: 2023, Baseline: 0, Year: 2025, Value: 50}
	if a := dxtrack.Assess(zero, dxtrack.DirectionUp, obs("2024-12-31", 20.0), rule); a.Method != "linear" || a.Progress != dxtrack.ProgressAtRisk {
		t.Errorf("linear from zero: %+v", a)
	}
	strict := dxtrack.TrajectoryRule{OnTrack: 1.2, AtRisk: 0.9}
	if got := dxtrack.Assess(target, dxtrack.DirectionUp, obs("2023-12-31", 54.0), strict).Progress; got != dxtrack.ProgressAtRisk {
		t.Errorf("thresholds are configurable: %s", got)
	}
	bad := dxtrack.IndicatorTarget{IndicatorID: 1, UnitID: 1, BaselineYear: 2025, Year: 2025}
	if got := fieldSet(bad.Validate())["baseline_year"]; got != "error.baseline_year" {
		t.Errorf("baseline year not before the target year: %q", got)
	}
}
