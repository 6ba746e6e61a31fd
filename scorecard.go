package dxtrack

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// ProgressOrder lists the progress values worst first: a scorecard cell
// takes the colour of its worst assessed target.
var ProgressOrder = []Progress{ProgressOffTrack, ProgressAtRisk, ProgressOnTrack, ProgressAchieved, ProgressNoData}

// ProgressCount is how many targets (or cells) stand at one progress.
type ProgressCount struct {
	Progress Progress `json:"progress"`
	N        int      `json:"n"`
}

// ScoreCell is a unit's targets in one pillar: how many stand each way,
// and the status the cell shows.
type ScoreCell struct {
	Status  Progress        `json:"status"`
	Counts  []ProgressCount `json:"counts,omitempty"` // the non-zero counts, worst first
	Targets int             `json:"targets"`
}

// NewScoreCell sums up assessments: the worst assessed status, or no data
// when no target has data (or there is none).
func NewScoreCell(as []Assessment) ScoreCell {
	c := ScoreCell{Status: ProgressNoData, Targets: len(as)}
	counts := map[Progress]int{}
	for _, a := range as {
		counts[a.Progress]++
	}
	for _, pg := range ProgressOrder {
		if counts[pg] == 0 {
			continue
		}
		c.Counts = append(c.Counts, ProgressCount{pg, counts[pg]})
		if c.Status == ProgressNoData {
			c.Status = pg
		}
	}
	return c
}

// ScoredTarget is the assessment of a target placed at its unit and the
// pillar of its indicator.
type ScoredTarget struct {
	UnitID     int64
	PillarID   int64
	Assessment Assessment
}

// ScoreRow is a unit's line of the scorecard, a cell per pillar.
type ScoreRow struct {
	Unit  *Unit       `json:"unit"`
	Cells []ScoreCell `json:"cells"`
	Any   bool        `json:"any"` // the unit has a target in some pillar
}

// Scorecard is the grid of units by pillars, with the number of cells
// (that have a target) of each status.
type Scorecard struct {
	Rows   []ScoreRow      `json:"rows"`
	Totals []ProgressCount `json:"totals"` // every progress value, worst first
}

// BuildScorecard groups assessed targets by unit and pillar: a row per
// unit and a cell per pillar, in the orders given. Targets of other units
// or pillars are left out.
func BuildScorecard(units []*Unit, pillars []*Category, ts []ScoredTarget) Scorecard {
	type key struct{ unit, pillar int64 }
	byKey := map[key][]Assessment{}
	for _, t := range ts {
		k := key{t.UnitID, t.PillarID}
		byKey[k] = append(byKey[k], t.Assessment)
	}
	var sc Scorecard
	counts := map[Progress]int{}
	for _, u := range units {
		row := ScoreRow{Unit: u}
		for _, pl := range pillars {
			cell := NewScoreCell(byKey[key{u.ID, pl.ID}])
			if cell.Targets > 0 {
				row.Any = true
				counts[cell.Status]++
			}
			row.Cells = append(row.Cells, cell)
		}
		sc.Rows = append(sc.Rows, row)
	}
	sc.Totals = make([]ProgressCount, 0, len(ProgressOrder))
	for _, pg := range ProgressOrder {
		sc.Totals = append(sc.Totals, ProgressCount{pg, counts[pg]})
	}
	return sc
}

// UnitFigure is a unit's figure, if it has one, to rank.
type UnitFigure struct {
	Unit  *Unit   `json:"unit"`
	Value float64 `json:"value"`
	Has   bool    `json:"has"`
}

// UnitRank is a unit's place in a ranking.
type UnitRank struct {
	UnitFigure
	Rank int `json:"rank"` // 1 for the best; 0 without a figure
	Band int `json:"band"` // 1 (best fifth) to 5 (worst fifth); 0 without a figure
}

// RankUnits sorts figures best first in the direction given, units
// without a figure last, ties (and units without a figure) by code. Ranks
// are standard competition ranks: equal figures share one, and the next
// is skipped (1, 1, 3). Bands are fifths of the ranked units, by rank.
func RankUnits(fs []UnitFigure, dir Direction) []UnitRank {
	out := make([]UnitRank, len(fs))
	for i, f := range fs {
		out[i] = UnitRank{UnitFigure: f}
	}
	slices.SortStableFunc(out, func(a, b UnitRank) int {
		if a.Has != b.Has {
			if a.Has {
				return -1
			}
			return 1
		}
		if a.Has && a.Value != b.Value {
			if dir == DirectionDown {
				return cmp.Compare(a.Value, b.Value)
			}
			return cmp.Compare(b.Value, a.Value)
		}
		return cmp.Compare(a.Unit.Code, b.Unit.Code)
	})
	n := 0
	for _, r := range out {
		if r.Has {
			n++
		}
	}
	for i := range out {
		if !out[i].Has {
			continue
		}
		out[i].Rank = i + 1
		if i > 0 && out[i-1].Has && out[i-1].Value == out[i].Value {
			out[i].Rank = out[i-1].Rank
		}
		out[i].Band = 1 + int(math.Floor(5*float64(out[i].Rank-1)/float64(n)))
	}
	return out
}

// TargetPath is the line from a unit's baseline through its targets: the
// earliest target's baseline at the end of its year, then each target at
// the end of its year.
func TargetPath(ts []*IndicatorTarget) []Observation {
	if len(ts) == 0 {
		return nil
	}
	ts = slices.Clone(ts)
	slices.SortFunc(ts, func(a, b *IndicatorTarget) int { return cmp.Compare(a.Year, b.Year) })
	out := []Observation{{At: ts[0].Start(), Value: ts[0].Baseline}}
	for _, t := range ts {
		out = append(out, Observation{At: t.End(), Value: t.Value})
	}
	return out
}

// PathAt reads a path at an instant by linear interpolation; outside the
// path there is nothing.
func PathAt(path []Observation, at time.Time) (float64, bool) {
	for i := 1; i < len(path); i++ {
		a, b := path[i-1], path[i]
		if at.Before(a.At) || at.After(b.At) {
			continue
		}
		span := b.At.Sub(a.At)
		if span <= 0 {
			return b.Value, true
		}
		return a.Value + (b.Value-a.Value)*float64(at.Sub(a.At))/float64(span), true
	}
	return 0, false
}
