package dxtrack

import (
	"context"
	"math"
	"time"
)

// Progress is how a target stands on its trajectory.
type Progress string

// Progress values.
const (
	ProgressAchieved Progress = "achieved"
	ProgressOnTrack  Progress = "on_track"
	ProgressAtRisk   Progress = "at_risk"
	ProgressOffTrack Progress = "off_track"
	ProgressNoData   Progress = "no_data"
)

// TrajectoryRule holds the thresholds of the progress assessment, in the
// style of the Open SDG progress method: the ratio of the growth achieved
// so far to the growth needed to reach the target on time.
type TrajectoryRule struct {
	OnTrack float64 `json:"on_track"` // ratio at or above it: on track
	AtRisk  float64 `json:"at_risk"`  // ratio at or above it: at risk; below: off track
}

// DefaultTrajectoryRule is Open SDG's default: 95% of the needed pace is
// on track, half of it at risk.
var DefaultTrajectoryRule = TrajectoryRule{OnTrack: 0.95, AtRisk: 0.5}

// IndicatorTarget is a target for an indicator at a unit: a value to reach
// by the end of a year, from a baseline.
type IndicatorTarget struct {
	ID           int64   `json:"id"`
	IndicatorID  int64   `json:"indicator_id"`
	UnitID       int64   `json:"unit_id"`
	Year         int     `json:"year"`
	BaselineYear int     `json:"baseline_year"`
	Baseline     float64 `json:"baseline"`
	Value        float64 `json:"value"`
}

// Validate checks the target's own fields.
func (t *IndicatorTarget) Validate() error {
	var p Problems
	if t.IndicatorID == 0 {
		p.Add("indicator", "error.required", nil)
	}
	if t.UnitID == 0 {
		p.Add("unit", "error.required", nil)
	}
	if t.Year < 2000 || t.Year > 2100 {
		p.Add("year", "error.year", nil)
	}
	if t.BaselineYear < 2000 || t.BaselineYear >= t.Year {
		p.Add("baseline_year", "error.baseline_year", map[string]any{"Year": t.Year})
	}
	for field, v := range map[string]float64{"baseline": t.Baseline, "value": t.Value} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			p.Add(field, "error.number", nil)
		}
	}
	return p.Err()
}

// Start and End are the instants the baseline and the target refer to:
// the end of their years.
func (t *IndicatorTarget) Start() time.Time { return yearEnd(t.BaselineYear) }

// End is the end of the target's year.
func (t *IndicatorTarget) End() time.Time { return yearEnd(t.Year) }

func yearEnd(y int) time.Time { return time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC) }

// Observation is a value at a time.
type Observation struct {
	At    time.Time `json:"at"`
	Value float64   `json:"value"`
}

// Assessment says where a target stands and why.
type Assessment struct {
	Progress Progress `json:"progress"`
	// Method is "cagr" (compound annual growth, for positive series) or
	// "linear" (yearly change, when a value is zero or negative).
	Method   string       `json:"method,omitempty"`
	Actual   float64      `json:"actual"`   // growth per year so far
	Required float64      `json:"required"` // growth per year the target needs from the baseline
	Ratio    float64      `json:"ratio"`    // Actual / Required
	Latest   *Observation `json:"latest,omitempty"`
	// MsgID and Args explain the result in the user's language.
	MsgID string         `json:"msg_id"`
	Args  map[string]any `json:"args,omitempty"`
}

// Assess rates a target from its baseline, its target value and the
// observations so far, the latest of which counts: achieved when it has
// reached the target (in the indicator's direction); otherwise the ratio
// of the growth rate achieved since the baseline to the rate needed to
// reach the target by its end decides between on track, at risk and off
// track. Rates are compound (CAGR) when baseline, latest and target are
// all positive, else linear per year.
func Assess(t *IndicatorTarget, dir Direction, obs []Observation, rule TrajectoryRule) Assessment {
	var latest *Observation
	for i := range obs {
		if latest == nil || obs[i].At.After(latest.At) {
			latest = &obs[i]
		}
	}
	if latest == nil || !latest.At.After(t.Start()) {
		return Assessment{Progress: ProgressNoData, MsgID: "why.no_observation"}
	}
	a := Assessment{Latest: latest}
	better := latest.Value >= t.Value
	if dir == DirectionDown {
		better = latest.Value <= t.Value
	}
	if better {
		a.Progress, a.MsgID = ProgressAchieved, "why.achieved"
		a.Args = map[string]any{"Value": latest.Value, "Target": t.Value}
		return a
	}
	years := func(to time.Time) float64 { return to.Sub(t.Start()).Hours() / 24 / 365.25 }
	elapsed, total := years(latest.At), years(t.End())
	if t.Baseline > 0 && latest.Value > 0 && t.Value > 0 {
		a.Method = "cagr"
		a.Actual = math.Pow(latest.Value/t.Baseline, 1/elapsed) - 1
		a.Required = math.Pow(t.Value/t.Baseline, 1/total) - 1
	} else {
		a.Method = "linear"
		a.Actual = (latest.Value - t.Baseline) / elapsed
		a.Required = (t.Value - t.Baseline) / total
	}
	if a.Required == 0 {
		// The target equals the baseline and is not met: any slip is off track.
		a.Progress, a.MsgID = ProgressOffTrack, "why.slipped"
		return a
	}
	a.Ratio = a.Actual / a.Required
	switch {
	case a.Ratio >= rule.OnTrack:
		a.Progress = ProgressOnTrack
	case a.Ratio >= rule.AtRisk:
		a.Progress = ProgressAtRisk
	default:
		a.Progress = ProgressOffTrack
	}
	// Compound rates read as percent a year, linear ones in the
	// indicator's unit a year.
	scale := 1.0
	a.MsgID = "why.pace_linear"
	if a.Method == "cagr" {
		scale, a.MsgID = 100, "why.pace_cagr"
	}
	a.Args = map[string]any{
		"Actual": scale * a.Actual, "Required": scale * a.Required, "Ratio": 100 * a.Ratio,
		"OnTrack": 100 * rule.OnTrack, "AtRisk": 100 * rule.AtRisk,
	}
	return a
}

// IndicatorTargetService keeps targets per indicator, unit and year.
// Writing is for admins over the unit.
type IndicatorTargetService interface {
	FindIndicatorTargets(ctx context.Context, indicatorID, unitID int64) ([]*IndicatorTarget, error)
	SetIndicatorTarget(ctx context.Context, t *IndicatorTarget) error
	DeleteIndicatorTarget(ctx context.Context, id int64) error
}
