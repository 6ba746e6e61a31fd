package cube_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
)

// The small tree of the tests:
//
//	P1 province ─ C1 commune, C2 ward, D1 department
//	             ← OLD, a former province merged into P1 in 2025,
//	               with X, one of its districts
//	             ← OLD2, merged into OLD in 2008 (a chain)
//	P2 province ─ C3 commune, split off Y, a district ended by the split
const (
	p1, p2, c1, c2, d1, c3, y, old, x, old2 = 1, 2, 11, 12, 13, 21, 22, 30, 31, 40
)

// Indicators of the tests.
const (
	dossiers  = 101 + iota // count: sum over units and time
	online                 // count
	rate                   // ratio of online to dossiers (its values are numerators)
	score                  // percent: average over units, last over time
	lowest                 // min
	highest                // max
	good                   // count of units with score >= 50
	goodPct                // share of units with score >= 50
	avgT                   // average over units and over time
	onlinePct              // formula: 100 * ONLINE / DOSSIERS
	growth                 // formula: ONLINE_PCT - prev(ONLINE_PCT)
)

var day = dxtrack.MustDate

func units() []*dxtrack.Unit {
	u := func(id int64, code string, typ dxtrack.UnitType, parent int64) *dxtrack.Unit {
		return &dxtrack.Unit{ID: id, Code: code, NameVI: code, Type: typ, ParentID: parent, ValidFrom: day("2000-01-01")}
	}
	ended := func(x *dxtrack.Unit, on string) *dxtrack.Unit { x.ValidTo = day(on); return x }
	return []*dxtrack.Unit{
		u(c1, "C1", dxtrack.UnitCommune, p1),
		u(p1, "P1", dxtrack.UnitProvince, 0),
		u(c2, "C2", dxtrack.UnitWard, p1),
		u(d1, "D1", dxtrack.UnitDepartment, p1),
		u(p2, "P2", dxtrack.UnitProvince, 0),
		u(c3, "C3", dxtrack.UnitCommune, p2),
		ended(u(y, "Y", dxtrack.UnitDistrict, p2), "2025-07-01"),
		ended(u(old, "OLD", dxtrack.UnitProvince, 0), "2025-07-01"),
		ended(u(x, "X", dxtrack.UnitDistrict, old), "2025-07-01"),
		ended(u(old2, "OLD2", dxtrack.UnitProvince, 0), "2008-08-01"),
	}
}

func lineage() []dxtrack.Lineage {
	return []dxtrack.Lineage{
		{FromID: old, ToID: p1, Kind: dxtrack.LineageMerge, On: day("2025-07-01")},
		{FromID: old2, ToID: old, Kind: dxtrack.LineageMerge, On: day("2008-08-01")},
		{FromID: y, ToID: c3, Kind: dxtrack.LineageSplit, On: day("2025-07-01")},
	}
}

func indicators() []*dxtrack.Indicator {
	ind := func(id int64, code string, typ dxtrack.ValueType, ua dxtrack.UnitAgg, ta dxtrack.TimeAgg) *dxtrack.Indicator {
		return &dxtrack.Indicator{ID: id, Code: code, NameVI: code, Type: typ, UnitAgg: ua, TimeAgg: ta, Direction: dxtrack.DirectionUp}
	}
	r := ind(rate, "RATE", dxtrack.ValueCount, dxtrack.AggRatio, dxtrack.TimeSum)
	r.DenominatorID = dossiers
	g := ind(good, "GOOD", dxtrack.ValuePercent, dxtrack.AggCount, dxtrack.TimeLast)
	gp := ind(goodPct, "GOOD_PCT", dxtrack.ValuePercent, dxtrack.AggShare, dxtrack.TimeLast)
	g.Condition, g.Threshold, gp.Condition, gp.Threshold = dxtrack.OpGE, 50, dxtrack.OpGE, 50
	f1 := ind(onlinePct, "ONLINE_PCT", dxtrack.ValuePercent, "", "")
	f1.Source, f1.Formula = dxtrack.SourceFormula, "100 * ONLINE / DOSSIERS"
	f2 := ind(growth, "GROWTH", dxtrack.ValueNumber, "", "")
	f2.Source, f2.Formula = dxtrack.SourceFormula, "ONLINE_PCT - prev(ONLINE_PCT)"
	return []*dxtrack.Indicator{
		ind(dossiers, "DOSSIERS", dxtrack.ValueCount, "", ""),
		ind(online, "ONLINE", dxtrack.ValueCount, "", ""),
		r,
		ind(score, "SCORE", dxtrack.ValuePercent, "", ""),
		ind(lowest, "LOWEST", dxtrack.ValueNumber, dxtrack.AggMin, dxtrack.TimeLast),
		ind(highest, "HIGHEST", dxtrack.ValueNumber, dxtrack.AggMax, dxtrack.TimeSum),
		g, gp,
		ind(avgT, "AVG_T", dxtrack.ValueNumber, dxtrack.AggAvg, dxtrack.TimeAvg),
		f1, f2,
	}
}

func month(n int) dxtrack.Period { return dxtrack.Period{Freq: dxtrack.Monthly, Year: 2025, N: n} }

func newCube(t testing.TB) *cube.Cube {
	t.Helper()
	c, err := cube.New(units(), lineage(), indicators())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func set(t testing.TB, c *cube.Cube, unit, ind int64, p dxtrack.Period, v float64) {
	t.Helper()
	if err := c.Set(dxtrack.Value{UnitID: unit, IndicatorID: ind, Period: p, Value: v}); err != nil {
		t.Fatal(err)
	}
}

// one returns the single figure of a query for one unit, one indicator and
// one span.
func one(t testing.TB, c *cube.Cube, unit, ind int64, from, to dxtrack.Period) (float64, bool) {
	t.Helper()
	r, err := c.Query(cube.Query{Indicators: []int64{ind}, UnitID: unit, From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Units) != 1 || len(r.Spans) != 1 {
		t.Fatalf("query gave %d rows and %d spans", len(r.Units), len(r.Spans))
	}
	return r.Value(0, 0, 0)
}

func want(t testing.TB, what string, got float64, gotOK bool, want float64) {
	t.Helper()
	if !gotOK || got != want {
		t.Errorf("%s = %v (ok %v), want %v", what, got, gotOK, want)
	}
}

func wantMissing(t testing.TB, what string, got float64, gotOK bool) {
	t.Helper()
	if gotOK {
		t.Errorf("%s = %v, want missing", what, got)
	}
}

func TestRollUpByHand(t *testing.T) {
	c := newCube(t)
	m1, m2, m3 := month(1), month(2), month(3)
	for _, v := range []struct {
		unit               int64
		p                  dxtrack.Period
		dos, onl, numer    float64
		sc, avgt, low, hig float64
	}{
		{c1, m1, 120, 30, 30, 80, 10, 7, 1},
		{c2, m1, 45, 9, 9, 40, 20, 3, 5},
		{d1, m1, 300, 297, 297, 50, 0.5, -2, 4},
		{c1, m2, 130, 65, 65, 30, 30, 9, 2},
		{c3, m1, 10, 1, 1, 100, 6, 4, 8},
	} {
		set(t, c, v.unit, dossiers, v.p, v.dos)
		set(t, c, v.unit, online, v.p, v.onl)
		set(t, c, v.unit, rate, v.p, v.numer)
		set(t, c, v.unit, score, v.p, v.sc)
		set(t, c, v.unit, good, v.p, v.sc)
		set(t, c, v.unit, goodPct, v.p, v.sc)
		set(t, c, v.unit, avgT, v.p, v.avgt)
		set(t, c, v.unit, lowest, v.p, v.low)
		set(t, c, v.unit, highest, v.p, v.hig)
	}

	// One month at the province: sums and averages from the partials.
	v, ok := one(t, c, p1, dossiers, m1, m1)
	want(t, "P1 dossiers 2025-01", v, ok, 120+45+300)
	v, ok = one(t, c, p1, score, m1, m1)
	want(t, "P1 score 2025-01", v, ok, (80.0+40+50)/3)
	v, ok = one(t, c, 0, dossiers, m1, m1)
	want(t, "country dossiers 2025-01", v, ok, 120+45+300+10)

	// A range: each unit over time first, then over units.
	q1 := dxtrack.Period{Freq: dxtrack.Quarterly, Year: 2025, N: 1}
	v, ok = one(t, c, p1, dossiers, q1, q1)
	want(t, "P1 dossiers Q1", v, ok, 120+45+300+130)
	v, ok = one(t, c, p1, score, m1, m3) // last of each unit: C1 30, C2 40, D1 50
	want(t, "P1 score Jan–Mar", v, ok, (30.0+40+50)/3)
	v, ok = one(t, c, p1, avgT, q1, q1) // C1 (10+30)/2, C2 20, D1 0.5
	var c1avg float64 = (10.0 + 30) / 2
	want(t, "P1 avg-over-time Q1", v, ok, (c1avg+20+0.5)/3)
	v, ok = one(t, c, p1, lowest, q1, q1) // last values: C1 9, C2 3, D1 -2
	want(t, "P1 min Q1", v, ok, -2)
	v, ok = one(t, c, p1, highest, q1, q1) // sums over time: C1 3, C2 5, D1 4
	want(t, "P1 max Q1", v, ok, 5)
	v, ok = one(t, c, p1, good, q1, q1) // last scores 30, 40, 50
	want(t, "P1 count score>=50 Q1", v, ok, 1)
	v, ok = one(t, c, p1, goodPct, m1, m1) // 80, 40, 50
	var twoThirds float64 = 100 * 2.0 / 3
	want(t, "P1 share score>=50 2025-01", v, ok, twoThirds)
	v, ok = one(t, c, 0, goodPct, m1, m1) // and C3's 100
	want(t, "country share score>=50 2025-01", v, ok, 75)

	// Ratio of sums, not mean of ratios.
	v, ok = one(t, c, p1, rate, q1, q1)
	var num, den float64 = 30 + 9 + 297 + 65, 120 + 45 + 300 + 130
	want(t, "P1 ratio Q1", v, ok, num/den)

	// Formula on the rolled-up inputs, and prev.
	var on1, dos1 float64 = 30 + 9 + 297, 120 + 45 + 300
	pct1 := 100 * on1 / dos1
	v, ok = one(t, c, p1, onlinePct, m1, m1)
	want(t, "P1 online % 2025-01", v, ok, pct1)
	pct2 := 100 * float64(65) / 130
	v, ok = one(t, c, p1, onlinePct, m2, m2)
	want(t, "P1 online % 2025-02", v, ok, pct2)
	v, ok = one(t, c, p1, growth, m2, m2)
	want(t, "P1 growth 2025-02", v, ok, pct2-pct1)
	v, ok = one(t, c, p1, growth, m1, m1)
	wantMissing(t, "P1 growth 2025-01 (no December)", v, ok)
	v, ok = one(t, c, c1, onlinePct, m1, m1)
	want(t, "C1 online % 2025-01", v, ok, 25)

	// Missing stays missing.
	v, ok = one(t, c, p1, dossiers, m3, m3)
	wantMissing(t, "P1 dossiers 2025-03", v, ok)
	v, ok = one(t, c, p2, onlinePct, m2, m2)
	wantMissing(t, "P2 online % 2025-02", v, ok)
}

func TestRows(t *testing.T) {
	c := newCube(t)
	year := dxtrack.Period{Freq: dxtrack.Yearly, Year: 2025, N: 1}
	for _, tt := range []struct {
		unit  int64
		level cube.Level
		want  []int64
	}{
		{p1, "", []int64{p1}},
		{p1, cube.LevelSelf, []int64{p1}},
		{p1, cube.LevelChildren, []int64{c1, c2, d1}}, // not the former OLD
		{p1, cube.LevelLocal, []int64{c1, c2}},
		{p1, cube.Level(dxtrack.UnitDepartment), []int64{d1}},
		{p1, cube.Level(dxtrack.UnitDistrict), nil}, // X has ended
		{p1, cube.Level(dxtrack.UnitProvince), []int64{p1}},
		{0, cube.Level(dxtrack.UnitProvince), []int64{p1, p2}},
		{0, cube.LevelChildren, []int64{p1, p2}},
		{0, cube.LevelLocal, []int64{c1, c2, c3}},
		{0, cube.LevelSelf, []int64{0}},
		{old, cube.LevelSelf, []int64{old}},
	} {
		r, err := c.Query(cube.Query{Indicators: []int64{dossiers}, UnitID: tt.unit, Level: tt.level, From: year, To: year})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.Units, tt.want) {
			t.Errorf("unit %d level %q: rows %v, want %v", tt.unit, tt.level, r.Units, tt.want)
		}
	}
}

func TestLineage(t *testing.T) {
	c := newCube(t)
	m := month(3)
	set(t, c, c1, dossiers, m, 1)
	set(t, c, old, dossiers, m, 10)   // a former province
	set(t, c, x, dossiers, m, 100)    // a district of the former province
	set(t, c, old2, dossiers, m, 1e3) // merged into OLD, itself merged into P1
	set(t, c, y, dossiers, m, 1e4)    // ended by a split: stays in P2
	set(t, c, c3, dossiers, m, 1e5)
	set(t, c, p2, dossiers, m, 1e6) // a province's own figure counts too

	v, ok := one(t, c, p1, dossiers, m, m)
	want(t, "P1 with its former units", v, ok, 1111)
	v, ok = one(t, c, p2, dossiers, m, m)
	want(t, "P2 with its split district", v, ok, 1110000)
	v, ok = one(t, c, c3, dossiers, m, m)
	want(t, "C3, split off Y", v, ok, 1e5)
	v, ok = one(t, c, 0, dossiers, m, m)
	want(t, "country", v, ok, 1111111)
	v, ok = one(t, c, old, dossiers, m, m)
	want(t, "OLD's own figure", v, ok, 10)

	r, err := c.Query(cube.Query{Indicators: []int64{dossiers}, UnitID: 0, Level: cube.LevelChildren, From: m, To: m})
	if err != nil {
		t.Fatal(err)
	}
	for row, id := range r.Units {
		v, _ := r.Value(row, 0, 0)
		if w := map[int64]float64{p1: 1111, p2: 1110000}[id]; v != w {
			t.Errorf("row of unit %d = %v, want %v", id, v, w)
		}
	}
}

func TestPeriods(t *testing.T) {
	c := newCube(t)
	for n := 1; n <= 12; n++ {
		set(t, c, c1, dossiers, month(n), float64(n))
		set(t, c, c1, score, month(n), float64(10*n))
	}
	q := func(n int) dxtrack.Period { return dxtrack.Period{Freq: dxtrack.Quarterly, Year: 2025, N: n} }
	r, err := c.Query(cube.Query{Indicators: []int64{dossiers, score}, UnitID: p1, From: q(1), To: q(4), ByPeriod: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Spans) != 4 || r.Spans[2] != (cube.Span{From: q(3), To: q(3)}) {
		t.Fatalf("spans %v", r.Spans)
	}
	for k, w := range []float64{1 + 2 + 3, 4 + 5 + 6, 7 + 8 + 9, 10 + 11 + 12} {
		v, ok := r.Value(0, 0, k)
		want(t, "dossiers by quarter", v, ok, w)
		v, ok = r.Value(0, 1, k)
		want(t, "score by quarter (last)", v, ok, float64(30*(k+1)))
	}
	h1 := dxtrack.Period{Freq: dxtrack.SixMonths, Year: 2025, N: 1}
	v, ok := one(t, c, p1, dossiers, h1, h1)
	want(t, "dossiers first six months", v, ok, 21)

	// A quarter's value is kept in its last month.
	set(t, c, c2, dossiers, q(2), 1000)
	v, ok = one(t, c, c2, dossiers, month(6), month(6))
	want(t, "C2 June", v, ok, 1000)
	v, ok = one(t, c, p1, dossiers, q(2), q(2))
	want(t, "P1 Q2", v, ok, 1015)

	// prev over a range steps back as many periods.
	set(t, c, c1, online, month(1), 1)
	set(t, c, c1, online, month(2), 2)
	for n := 3; n <= 12; n++ {
		set(t, c, c1, online, month(n), float64(n))
	}
	for _, p := range []dxtrack.Period{{Freq: dxtrack.Yearly, Year: 2026, N: 1}} {
		v, ok := one(t, c, c1, growth, p, p)
		wantMissing(t, "growth 2026 (no data in 2026)", v, ok)
	}
	v, ok = one(t, c, c1, growth, q(2), q(2)) // Q2 100*15/15 - Q1 100*6/6
	want(t, "C1 growth Q2", v, ok, 0)
}

func TestSetDelete(t *testing.T) {
	c := newCube(t)
	m := month(5)
	set(t, c, c1, dossiers, m, 5)
	set(t, c, c2, dossiers, m, 7)
	set(t, c, c1, dossiers, m, 6) // replaces
	if got := c.Len(); got != 2 {
		t.Errorf("Len = %d, want 2", got)
	}
	v, ok := one(t, c, p1, dossiers, m, m)
	want(t, "after replace", v, ok, 13)
	if err := c.Delete(c2, dossiers, m); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(c2, dossiers, m); err != nil { // twice is fine
		t.Fatal(err)
	}
	v, ok = one(t, c, p1, dossiers, m, m)
	want(t, "after delete", v, ok, 6)
	if err := c.Delete(c1, dossiers, m); err != nil {
		t.Fatal(err)
	}
	v, ok = one(t, c, p1, dossiers, m, m)
	wantMissing(t, "after deleting all", v, ok)
	if got := c.Len(); got != 0 {
		t.Errorf("Len = %d, want 0", got)
	}
}

// TestNoDrift checks that a figure depends on the values held, not on the
// history of writes: after many random sets and deletes of values that
// are not exact in binary, the cube answers to the last digit as one
// loaded with the final values at once.
func TestNoDrift(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a := newCube(t)
	ids := []int64{p1, p2, c1, c2, d1, c3, y, old, x, old2}
	final := map[[2]int64]float64{}
	for range 5000 {
		u, n := ids[rng.IntN(len(ids))], int64(1+rng.IntN(3))
		if rng.IntN(4) == 0 {
			if err := a.Delete(u, dossiers, month(int(n))); err != nil {
				t.Fatal(err)
			}
			delete(final, [2]int64{u, n})
			continue
		}
		v := float64(rng.IntN(1000)) / 10
		set(t, a, u, dossiers, month(int(n)), v)
		final[[2]int64{u, n}] = v
	}
	b := newCube(t)
	var vs []dxtrack.Value
	for k, v := range final {
		vs = append(vs, dxtrack.Value{UnitID: k[0], IndicatorID: dossiers, Period: month(int(k[1])), Value: v})
	}
	if err := b.Load(vs); err != nil {
		t.Fatal(err)
	}
	if a.Len() != len(final) || b.Len() != len(final) {
		t.Fatalf("Len %d and %d, want %d", a.Len(), b.Len(), len(final))
	}
	for _, u := range []int64{0, p1, p2, c1, old} {
		for n := 1; n <= 3; n++ {
			va, oka := one(t, a, u, dossiers, month(n), month(n))
			vb, okb := one(t, b, u, dossiers, month(n), month(n))
			if va != vb || oka != okb {
				t.Errorf("unit %d month %d: after writes %v, loaded %v", u, n, va, vb)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	c := newCube(t)
	m := month(1)
	for _, tt := range []struct {
		name string
		err  error
		code string
	}{
		{"unknown unit", c.Set(dxtrack.Value{UnitID: 999, IndicatorID: dossiers, Period: m, Value: 1}), dxtrack.ENOTFOUND},
		{"unknown indicator", c.Set(dxtrack.Value{UnitID: c1, IndicatorID: 999, Period: m, Value: 1}), dxtrack.ENOTFOUND},
		{"formula", c.Set(dxtrack.Value{UnitID: c1, IndicatorID: onlinePct, Period: m, Value: 1}), dxtrack.EINVALID},
		{"NaN", c.Set(dxtrack.Value{UnitID: c1, IndicatorID: dossiers, Period: m, Value: math.NaN()}), dxtrack.EINVALID},
		{"bad period", c.Set(dxtrack.Value{UnitID: c1, IndicatorID: dossiers, Period: dxtrack.Period{Freq: "week", Year: 2025, N: 1}, Value: 1}), dxtrack.EINVALID},
		{"load", c.Load([]dxtrack.Value{{UnitID: c1, IndicatorID: dossiers, Period: m, Value: 1}, {UnitID: 999, IndicatorID: dossiers, Period: m}}), dxtrack.ENOTFOUND},
	} {
		if got := dxtrack.ErrorCode(tt.err); got != tt.code {
			t.Errorf("%s: %v, want code %s", tt.name, tt.err, tt.code)
		}
	}
	if c.Len() != 0 {
		t.Errorf("a failed Load stored %d values", c.Len())
	}
	year := dxtrack.Period{Freq: dxtrack.Yearly, Year: 2025, N: 1}
	for _, tt := range []struct {
		name string
		q    cube.Query
		code string
	}{
		{"unknown unit", cube.Query{Indicators: []int64{dossiers}, UnitID: 999, From: year, To: year}, dxtrack.ENOTFOUND},
		{"unknown code", cube.Query{Codes: []string{"NOPE"}, From: year, To: year}, dxtrack.ENOTFOUND},
		{"level", cube.Query{Indicators: []int64{dossiers}, Level: "galaxy", From: year, To: year}, dxtrack.EINVALID},
		{"frequencies", cube.Query{Indicators: []int64{dossiers}, From: year, To: month(3)}, dxtrack.EINVALID},
		{"backwards", cube.Query{Indicators: []int64{dossiers}, From: month(3), To: month(1)}, dxtrack.EINVALID},
		{"too long", cube.Query{Indicators: []int64{dossiers}, From: month(1), To: dxtrack.Period{Freq: dxtrack.Monthly, Year: 2200, N: 1}, ByPeriod: true}, dxtrack.EINVALID},
	} {
		_, err := c.Query(tt.q)
		if got := dxtrack.ErrorCode(err); got != tt.code {
			t.Errorf("query %s: %v, want code %s", tt.name, err, tt.code)
		}
	}
	r, err := c.Query(cube.Query{Codes: []string{"ONLINE_PCT"}, Indicators: []int64{dossiers}, From: year, To: year})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Indicators, []int64{dossiers, onlinePct}) {
		t.Errorf("indicators %v, want IDs first, then codes", r.Indicators)
	}
}

func TestNewRefuses(t *testing.T) {
	cyc := indicators()
	cyc[9].Formula = "GROWTH + 1" // ONLINE_PCT ↔ GROWTH
	badRatio := indicators()
	badRatio[2].DenominatorID = 999
	noCond := indicators()
	noCond[6].Condition = ""
	loop := units()
	loop = append(loop, &dxtrack.Unit{ID: 50, Code: "L1", Type: dxtrack.UnitOther, ParentID: 51}, &dxtrack.Unit{ID: 51, Code: "L2", Type: dxtrack.UnitOther, ParentID: 50})
	orphan := append(units(), &dxtrack.Unit{ID: 52, Code: "O", Type: dxtrack.UnitOther, ParentID: 404})
	mergeLoop := append(lineage(), dxtrack.Lineage{FromID: old2, ToID: old, Kind: dxtrack.LineageMerge, On: day("2025-07-02")},
		dxtrack.Lineage{FromID: old, ToID: old2, Kind: dxtrack.LineageMerge, On: day("2025-07-02")})
	for _, tt := range []struct {
		name    string
		units   []*dxtrack.Unit
		lineage []dxtrack.Lineage
		inds    []*dxtrack.Indicator
		want    string
	}{
		{"formula cycle", units(), lineage(), cyc, "formulas form a cycle: GROWTH → ONLINE_PCT → GROWTH"},
		{"ratio", units(), lineage(), badRatio, "unknown denominator 999"},
		{"condition", units(), lineage(), noCond, "has no valid condition"},
		{"parent loop", loop, lineage(), indicators(), "cycle of parents"},
		{"unknown parent", orphan, lineage(), indicators(), "unknown parent 404"},
		{"merge loop", units(), mergeLoop, indicators(), "forms a cycle"},
	} {
		_, err := cube.New(tt.units, tt.lineage, tt.inds)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error with %q", tt.name, err, tt.want)
		}
	}
}

// TestConcurrent runs writers and readers together (run with -race): a
// writer moves amounts between two communes in one Load, so every reader
// must see the province's total unchanged, and a value Set is in the very
// next query.
func TestConcurrent(t *testing.T) {
	c := newCube(t)
	m := month(4)
	set(t, c, c1, dossiers, m, 500)
	set(t, c, c2, dossiers, m, 500)
	var writers, readers sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 16)
	for w := range 2 {
		p := month(5 + w) // each writer its own month, so it knows the value
		writers.Go(func() {
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				a := float64((k*7 + w) % 1000)
				if err := c.Load([]dxtrack.Value{
					{UnitID: c1, IndicatorID: dossiers, Period: m, Value: a},
					{UnitID: c2, IndicatorID: dossiers, Period: m, Value: 1000 - a},
				}); err != nil {
					errs <- err
					return
				}
				v := float64(k % 97)
				if err := c.Set(dxtrack.Value{UnitID: c3, IndicatorID: online, Period: p, Value: v}); err != nil {
					errs <- err
					return
				}
				r, err := c.Query(cube.Query{Indicators: []int64{online}, UnitID: p2, From: p, To: p})
				if err != nil {
					errs <- err
					return
				}
				if got, _ := r.Value(0, 0, 0); got != v {
					errs <- errors.New("a value set was not in the next query")
					return
				}
			}
		})
	}
	for range 4 {
		readers.Go(func() {
			for range 2000 {
				r, err := c.Query(cube.Query{Indicators: []int64{dossiers}, UnitID: 0, Level: cube.LevelChildren, From: m, To: m})
				if err != nil {
					errs <- err
					return
				}
				if v, _ := r.Value(0, 0, 0); v != 1000 {
					errs <- errors.New("a reader saw a half-done write")
					return
				}
			}
		})
	}
	readers.Wait()
	close(stop)
	writers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
