package dxtrack_test

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
)

func progresses(ps ...dxtrack.Progress) []dxtrack.Assessment {
	var out []dxtrack.Assessment
	for _, p := range ps {
		out = append(out, dxtrack.Assessment{Progress: p})
	}
	return out
}

func TestNewScoreCell(t *testing.T) {
	const (
		off  = dxtrack.ProgressOffTrack
		risk = dxtrack.ProgressAtRisk
		on   = dxtrack.ProgressOnTrack
		ach  = dxtrack.ProgressAchieved
		no   = dxtrack.ProgressNoData
	)
	type pc = dxtrack.ProgressCount
	for _, tc := range []struct {
		name string
		in   []dxtrack.Assessment
		want dxtrack.ScoreCell
	}{
		{"no target", nil, dxtrack.ScoreCell{Status: no}},
		{"only no data", progresses(no, no), dxtrack.ScoreCell{Status: no, Counts: []pc{{no, 2}}, Targets: 2}},
		{"worst assessed wins over no data", progresses(no, ach, on, ach),
			dxtrack.ScoreCell{Status: on, Counts: []pc{{on, 1}, {ach, 2}, {no, 1}}, Targets: 4}},
		{"off track is worst", progresses(ach, off, risk, on, off),
			dxtrack.ScoreCell{Status: off, Counts: []pc{{off, 2}, {risk, 1}, {on, 1}, {ach, 1}}, Targets: 5}},
		{"at risk", progresses(on, risk), dxtrack.ScoreCell{Status: risk, Counts: []pc{{risk, 1}, {on, 1}}, Targets: 2}},
	} {
		if got := dxtrack.NewScoreCell(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestBuildScorecard(t *testing.T) {
	units := []*dxtrack.Unit{{ID: 1, Code: "P"}, {ID: 2, Code: "A"}, {ID: 3, Code: "B"}}
	pillars := []*dxtrack.Category{{ID: 10}, {ID: 20}}
	st := func(unit, pillar int64, p dxtrack.Progress) dxtrack.ScoredTarget {
		return dxtrack.ScoredTarget{UnitID: unit, PillarID: pillar, Assessment: dxtrack.Assessment{Progress: p}}
	}
	sc := dxtrack.BuildScorecard(units, pillars, []dxtrack.ScoredTarget{
		st(1, 10, dxtrack.ProgressAchieved), st(1, 10, dxtrack.ProgressAtRisk), st(1, 20, dxtrack.ProgressNoData),
		st(2, 20, dxtrack.ProgressOffTrack),
		st(3, 30, dxtrack.ProgressOffTrack), // a pillar not shown
		st(4, 10, dxtrack.ProgressOffTrack), // a unit not shown
	})
	var got []string
	for _, r := range sc.Rows {
		var cells []string
		for _, c := range r.Cells {
			cells = append(cells, fmt.Sprintf("%s/%d", c.Status, c.Targets))
		}
		got = append(got, fmt.Sprintf("%s %v %s", r.Unit.Code, r.Any, strings.Join(cells, ",")))
	}
	want := []string{"P true at_risk/2,no_data/1", "A true no_data/0,off_track/1", "B false no_data/0,no_data/0"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	// Cells without a target do not count; every status is listed.
	wantTotals := []dxtrack.ProgressCount{{dxtrack.ProgressOffTrack, 1}, {dxtrack.ProgressAtRisk, 1},
		{dxtrack.ProgressOnTrack, 0}, {dxtrack.ProgressAchieved, 0}, {dxtrack.ProgressNoData, 1}}
	if !reflect.DeepEqual(sc.Totals, wantTotals) {
		t.Errorf("totals %v, want %v", sc.Totals, wantTotals)
	}
}

func TestRankUnits(t *testing.T) {
	fig := func(code string, v float64) dxtrack.UnitFigure {
		return dxtrack.UnitFigure{Unit: &dxtrack.Unit{Code: code}, Value: v, Has: true}
	}
	none := func(code string) dxtrack.UnitFigure { return dxtrack.UnitFigure{Unit: &dxtrack.Unit{Code: code}} }
	for _, tc := range []struct {
		name string
		dir  dxtrack.Direction
		in   []dxtrack.UnitFigure
		want string // code:rank:band, best first
	}{
		{"empty", dxtrack.DirectionUp, nil, ""},
		{"higher is better, ties share a rank and skip the next", dxtrack.DirectionUp,
			[]dxtrack.UnitFigure{fig("C", 10), fig("A", 30), none("Z"), fig("B", 30), fig("D", 5), none("Y")},
			"A:1:1 B:1:1 C:3:3 D:4:4 Y:0:0 Z:0:0"},
		{"lower is better", dxtrack.DirectionDown,
			[]dxtrack.UnitFigure{fig("A", 3), fig("B", 1), fig("C", 2)},
			"B:1:1 C:2:2 A:3:4"},
		{"all tied", dxtrack.DirectionUp,
			[]dxtrack.UnitFigure{fig("B", 7), fig("A", 7), fig("C", 7)},
			"A:1:1 B:1:1 C:1:1"},
		{"three tied after the first", dxtrack.DirectionUp,
			[]dxtrack.UnitFigure{fig("A", 9), fig("B", 4), fig("C", 4), fig("D", 4), fig("E", 1)},
			"A:1:1 B:2:2 C:2:2 D:2:2 E:5:5"},
		{"no figures", dxtrack.DirectionUp, []dxtrack.UnitFigure{none("B"), none("A")}, "A:0:0 B:0:0"},
	} {
		var got []string
		for _, r := range dxtrack.RankUnits(tc.in, tc.dir) {
			got = append(got, fmt.Sprintf("%s:%d:%d", r.Unit.Code, r.Rank, r.Band))
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, s, tc.want)
		}
	}
}

func TestTargetPath(t *testing.T) {
	if dxtrack.TargetPath(nil) != nil {
		t.Error("a path without targets")
	}
	ts := []*dxtrack.IndicatorTarget{
		{Year: 2030, BaselineYear: 2025, Baseline: 20, Value: 100},
		{Year: 2026, BaselineYear: 2024, Baseline: 10, Value: 50},
	}
	path := dxtrack.TargetPath(ts)
	want := []dxtrack.Observation{{At: dxtrack.MustDate("2024-12-31"), Value: 10},
		{At: dxtrack.MustDate("2026-12-31"), Value: 50}, {At: dxtrack.MustDate("2030-12-31"), Value: 100}}
	if !reflect.DeepEqual(path, want) {
		t.Fatalf("path %v, want %v", path, want)
	}
	if ts[0].Year != 2030 {
		t.Error("the targets were reordered in place")
	}
	for _, tc := range []struct {
		at   string
		want float64
		ok   bool
	}{
		{"2024-12-30", 0, false},
		{"2024-12-31", 10, true},
		{"2026-12-31", 50, true},
		{"2028-12-31", 75, true}, // halfway from 2026 to 2030, 2028 a leap year
		{"2030-12-31", 100, true},
		{"2031-01-01", 0, false},
	} {
		v, ok := dxtrack.PathAt(path, dxtrack.MustDate(tc.at))
		if ok != tc.ok || math.Abs(v-tc.want) > 0.05 {
			t.Errorf("at %s: %v %v, want %v %v", tc.at, v, ok, tc.want, tc.ok)
		}
	}
	one := []dxtrack.Observation{{At: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), Value: 3}}
	if _, ok := dxtrack.PathAt(one, one[0].At); ok {
		t.Error("a single point is no path")
	}
}
