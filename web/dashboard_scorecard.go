package web

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/dxtrack/dxtrack"
)

// progressOrder lists the progress values worst first: a scorecard cell
// takes the colour of its worst assessed target.
var progressOrder = []dxtrack.Progress{dxtrack.ProgressOffTrack, dxtrack.ProgressAtRisk, dxtrack.ProgressOnTrack,
	dxtrack.ProgressAchieved, dxtrack.ProgressNoData}

// scoreCell is a unit's targets in one pillar: how many stand each way,
// and the status the cell shows.
type scoreCell struct {
	Status  dxtrack.Progress
	Counts  []progressCount // the non-zero counts, worst first
	Targets int
}

type progressCount struct {
	Progress dxtrack.Progress
	N        int
}

// newScoreCell sums up assessments: the worst assessed status, or no
// data when no target has data (or there is none).
func newScoreCell(progress []dxtrack.Progress) scoreCell {
	c := scoreCell{Status: dxtrack.ProgressNoData, Targets: len(progress)}
	counts := map[dxtrack.Progress]int{}
	for _, pg := range progress {
		counts[pg]++
	}
	for _, pg := range progressOrder {
		if counts[pg] == 0 {
			continue
		}
		c.Counts = append(c.Counts, progressCount{pg, counts[pg]})
		if c.Status == dxtrack.ProgressNoData {
			c.Status = pg
		}
	}
	return c
}

// scoreRow is a unit's line of the scorecard, a cell per pillar.
type scoreRow struct {
	Unit  *dxtrack.Unit
	Cells []scoreCell
	Any   bool // the unit has a target in some pillar
}

// scoreTotals counts the cells of each status over the grid.
func scoreTotals(rows []scoreRow) []progressCount {
	counts := map[dxtrack.Progress]int{}
	for _, r := range rows {
		for _, c := range r.Cells {
			if c.Targets > 0 {
				counts[c.Status]++
			}
		}
	}
	out := make([]progressCount, 0, len(progressOrder))
	for _, pg := range progressOrder {
		out = append(out, progressCount{pg, counts[pg]})
	}
	return out
}

// rankRow is a unit's figure in the ranking and the sorted grid.
type rankRow struct {
	Unit  *dxtrack.Unit
	Value float64
	Has   bool
	Text  string
	Rank  int // 1 for the best; 0 without a figure
	Band  int // 1 (best fifth) to 5 (worst fifth); 0 without a figure
}

// rankRows sorts figures best first in the indicator's direction, units
// without a figure last (by name), ties by code; it numbers ranks (equal
// figures share one) and bands of fifths for the grid's colours.
func rankRows(rows []rankRow, dir dxtrack.Direction) []rankRow {
	slices.SortStableFunc(rows, func(a, b rankRow) int {
		if a.Has != b.Has {
			if a.Has {
				return -1
			}
			return 1
		}
		if a.Has && a.Value != b.Value {
			if dir == dxtrack.DirectionDown {
				return cmp.Compare(a.Value, b.Value)
			}
			return cmp.Compare(b.Value, a.Value)
		}
		return cmp.Compare(a.Unit.Code, b.Unit.Code)
	})
	n := 0
	for _, r := range rows {
		if r.Has {
			n++
		}
	}
	for i := range rows {
		if !rows[i].Has {
			continue
		}
		rows[i].Rank = i + 1
		if i > 0 && rows[i-1].Has && rows[i-1].Value == rows[i].Value {
			rows[i].Rank = rows[i-1].Rank
		}
		rows[i].Band = 1 + int(math.Floor(5*float64(rows[i].Rank-1)/float64(n)))
	}
	return rows
}

// targetPath is the line from a unit's baseline through its targets: the
// earliest target's baseline at the end of its year, then each target at
// the end of its year.
func targetPath(ts []*dxtrack.IndicatorTarget) []dxtrack.Observation {
	if len(ts) == 0 {
		return nil
	}
	ts = slices.Clone(ts)
	slices.SortFunc(ts, func(a, b *dxtrack.IndicatorTarget) int { return cmp.Compare(a.Year, b.Year) })
	out := []dxtrack.Observation{{At: ts[0].Start(), Value: ts[0].Baseline}}
	for _, t := range ts {
		out = append(out, dxtrack.Observation{At: t.End(), Value: t.Value})
	}
	return out
}

// pathAt reads the path at an instant by linear interpolation; outside
// the path there is nothing.
func pathAt(path []dxtrack.Observation, at time.Time) (float64, bool) {
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
