package composite_test

import (
	"bytes"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack/composite"
)

const twoMain = `
code: L
version: "2025"
name_vi: L
decimals: 4
root:
  code: R
  name_vi: R
  aggregator: weighted_mean
  children:
    - code: M1
      name_vi: M1
      level: main
      weight: 0.6
      aggregator: weighted_mean
      children: [{code: c1, name_vi: c1, weight: 1, rule: {kind: raw}}]
    - code: M2
      name_vi: M2
      level: main
      weight: 0.4
      aggregator: weighted_mean
      children: [{code: c2, name_vi: c2, weight: 1, rule: {kind: raw}}]
`

// TestMerge merges p1 and p2 into N1, renames p3 as N2 and keeps p4:
// the main indices are means of the former units', the total is
// aggregated again from them.
func TestMerge(t *testing.T) {
	ix := mustParse(t, twoMain)
	d := &composite.Data{Units: units("p1", "p2", "p3", "p4"), Numbers: map[string]map[string]float64{
		"p1": {"c1": 0.2, "c2": 0.9}, "p2": {"c1": 0.6, "c2": 0.5}, "p3": {"c1": 0.5, "c2": 0.5}, "p4": {"c1": 0.1, "c2": 0.2}}}
	res, err := composite.Compute(ix, d)
	if err != nil {
		t.Fatal(err)
	}
	merged, err := composite.Merge(res, "main", map[string][]string{"N1": {"p1", "p2"}, "N2": {"p3"}}, units("N1", "N2", "p4"))
	if err != nil {
		t.Fatal(err)
	}
	// N1: M1 = (0.2+0.6)/2 = 0.4, M2 = (0.9+0.5)/2 = 0.7, R = 0.6·0.4 + 0.4·0.7 = 0.52.
	// N2: R = 0.5; p4: R = 0.6·0.1 + 0.4·0.2 = 0.14.
	want := map[string][3]float64{"M1": {0.4, 0.5, 0.1}, "M2": {0.7, 0.5, 0.2}, "R": {0.52, 0.5, 0.14}}
	for node, w := range want {
		for u := range 3 {
			if got := merged.Scores[node][u].Value; !near(got, w[u]) {
				t.Errorf("%s %s: %v, want %v", node, merged.Units[u].Code, got, w[u])
			}
		}
	}
	if r := merged.Scores["R"]; r[0].Rank != 1 || r[1].Rank != 2 || r[2].Rank != 3 {
		t.Errorf("ranks %+v", r)
	}
	if r := merged.Scores["M2"]; r[0].Rank != 1 || r[1].Rank != 2 {
		t.Errorf("M2 ranks %+v", r)
	}
	if _, err := composite.Merge(res, "main", map[string][]string{"N1": {"p9"}}, units("N1")); !slices.Contains(fields(err), "successors.N1 error.unknown_unit") {
		t.Errorf("unknown former unit: %v", fields(err))
	}
	if _, err := composite.Merge(res, "pillar", nil, units("p1")); !slices.Contains(fields(err), "level error.composite_unknown_level") {
		t.Errorf("unknown level: %v", fields(err))
	}
	sub := d.Subset([]string{"p4", "p2", "zz"})
	if len(sub.Units) != 2 || sub.Units[0].Code != "p2" || sub.Numbers["p4"]["c1"] != 0.1 || sub.Numbers["p1"] != nil {
		t.Errorf("subset %+v", sub)
	}
}

func TestCompareProfile(t *testing.T) {
	ix := mustParse(t, twoMain)
	d := &composite.Data{Units: units("a", "b", "c", "d"), Numbers: map[string]map[string]float64{
		"a": {"c1": 0.9, "c2": 0.1}, "b": {"c1": 0.5, "c2": 0.5}, "c": {"c1": 0.3, "c2": 0.6}, "d": {"c1": 0.1, "c2": 0.9}}}
	cur, err := composite.Compute(ix, d)
	if err != nil {
		t.Fatal(err)
	}
	prevData := d.Subset([]string{"a", "b", "c"})
	prevData.Numbers["a"]["c1"] = 0.2
	prev, err := composite.Compute(ix, prevData)
	if err != nil {
		t.Fatal(err)
	}
	changes := composite.Compare(cur, prev)
	if len(changes) != 5*4 {
		t.Fatalf("%d changes, want 20", len(changes))
	}
	// R: a 0.58 (rank 1) from 0.16 (rank 3); d is new.
	got := changes[0]
	if got.Unit != "a" || got.Node != "R" || !near(got.Value, 0.58) || !near(got.Prev, 0.16) || !near(got.Delta, 0.42) ||
		got.Rank != 1 || got.PrevRank != 3 || got.RankDelta != 2 || !got.HasPrev {
		t.Errorf("a R: %+v", got)
	}
	if got := changes[3]; got.Unit != "d" || got.HasPrev || got.Delta != 0 {
		t.Errorf("d R: %+v", got)
	}

	prof := composite.Profile(cur, "a")
	if len(prof) != 5 || prof[0].Node != "R" || prof[1].Node != "M1" || prof[1].Depth != 1 {
		t.Fatalf("profile %+v", prof)
	}
	m1 := prof[1]
	if m1.Rank != 1 || m1.Cohort != 4 || !near(m1.Mean, 0.45) || !near(m1.Median, 0.4) || m1.Percentile != 100 || !m1.Strength || m1.Weakness {
		t.Errorf("M1 standing %+v", m1)
	}
	if m2 := prof[3]; m2.Rank != 4 || m2.Percentile != 0 || !m2.Weakness {
		t.Errorf("M2 standing %+v", m2)
	}
	var codes []string
	for _, s := range prof.Strengths(0) {
		codes = append(codes, s.Node)
	}
	if strings.Join(codes, ",") != "M1,c1" {
		t.Errorf("strengths %v", codes)
	}
	if w := prof.Weaknesses(1); len(w) != 1 || w[0].Node != "M2" {
		t.Errorf("weaknesses %+v", w)
	}
	if composite.Profile(cur, "zz") != nil {
		t.Error("profile of an unknown unit")
	}
}

// gapIndex is a 100-point index of three components; L3 is capped at
// half its score.
const gapIndex = `
code: G
version: "1"
name_vi: G
decimals: 4
root:
  code: R
  name_vi: R
  max_points: 100
  aggregator: points_sum
  children:
    - {code: L1, name_vi: L1, max_points: 50, rule: {kind: raw}}
    - {code: L2, name_vi: L2, max_points: 30, rule: {kind: raw}}
    - {code: L3, name_vi: L3, max_points: 20, rule: {kind: raw, cap_high: 0.5}}
`

func gapData() *composite.Data {
	row := func(a, b, c float64) map[string]float64 { return map[string]float64{"L1": a, "L2": b, "L3": c} }
	return &composite.Data{Units: units("u", "o1", "o2", "o3", "o4"), Numbers: map[string]map[string]float64{
		"u": row(0.2, 0.5, 0.25), "o1": row(0.9, 1, 0.5), "o2": row(0.6, 0.6, 0.5), "o3": row(0.5, 0.5, 0.25), "o4": row(0.3, 0.3, 0)}}
}

// TestGapToRank checks the plan lifts the unit to the rank asked and
// that no plan on a grid of whole points is cheaper.
func TestGapToRank(t *testing.T) {
	ix := mustParse(t, gapIndex)
	d := gapData()
	// o1's total was set by hand to 95 points, beyond u's reach.
	d.Overrides = map[string]map[string]float64{"o1": {"R": 0.95}}
	costs := map[string]float64{"L1": 2, "L2": 1, "L3": 0.5}
	// u: 10 + 15 + 5 = 30 points, rank 4 (o3 has 45, o4 24).
	for n := 1; n <= 3; n++ {
		plan, err := composite.GapToRank(ix, d, "u", n, costs)
		if err != nil {
			t.Fatal(err)
		}
		if plan.CurrentRank != 4 || !plan.Exact {
			t.Fatalf("n=%d: plan %+v", n, plan)
		}
		res, err := composite.Compute(ix, plan.Apply(d))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := res.Total("u")
		// Brute force over whole points: L1 0–40, L2 0–15, L3 0–5.
		bestCost := math.Inf(1)
		others := []float64{}
		for _, o := range []string{"o1", "o2", "o3", "o4"} {
			s, _ := res.Total(o)
			others = append(others, composite.Round(s.Value, 4))
		}
		for a := 0; a <= 40; a++ {
			for b := 0; b <= 15; b++ {
				for c := 0; c <= 5; c++ {
					v := composite.Round(float64(30+a+b+c)/100, 4)
					rank := 1
					for _, o := range others {
						if o > v {
							rank++
						}
					}
					if rank <= n {
						bestCost = min(bestCost, 2*float64(a)+float64(b)+0.5*float64(c))
					}
				}
			}
		}
		if n == 1 {
			// o1 has 95 points; u can reach 50 + 30 + 10 = 90: rank 2 at best.
			if plan.Feasible || plan.NewRank != 2 || got.Rank != 2 || !math.IsInf(bestCost, 1) {
				t.Errorf("n=1: plan %+v, rank after %d", plan, got.Rank)
			}
			continue
		}
		if !plan.Feasible || got.Rank > n || plan.NewRank != got.Rank {
			t.Errorf("n=%d: plan %+v reaches rank %d", n, plan, got.Rank)
		}
		if plan.TotalCost > bestCost+1e-9 {
			t.Errorf("n=%d: plan costs %v, a grid plan costs %v", n, plan.TotalCost, bestCost)
		}
		if n == 3 {
			// Needs 45 points (o3): the 5 points of L3 at 0.5, then 10 of L2.
			if plan.Needed != 0.45 || len(plan.Steps) != 2 || plan.Steps[0].Node != "L2" || plan.Steps[1].Node != "L3" ||
				math.Abs(plan.Steps[1].Points-5) > 1e-6 || math.Abs(plan.Steps[0].Points-10) > 0.01 || plan.Steps[0].Parent != "R" {
				t.Errorf("n=3 steps %+v", plan.Steps)
			}
		}
	}
	// o2 (58 points, rank 2) cannot pass o1 either: nothing to do.
	if plan, err := composite.GapToRank(ix, d, "o2", 1, nil); err != nil || plan.Feasible || len(plan.Steps) != 0 || plan.NewRank != 2 || plan.Needed != 0.95 {
		t.Errorf("o2 to rank 1: %+v %v", plan, err)
	}
	plan, err := composite.GapToRank(ix, d, "o1", 1, nil)
	if err != nil || !plan.Feasible || len(plan.Steps) != 0 || plan.NewRank != 1 {
		t.Errorf("rank 1 already: %+v %v", plan, err)
	}
	if _, err := composite.GapToRank(ix, d, "zz", 1, map[string]float64{"R": 1}); len(fields(err)) != 2 {
		t.Errorf("bad unit and cost: %v", fields(err))
	}
	// A geometric total: a numeric plan, still reaching the rank.
	geo := mustParse(t, strings.NewReplacer("aggregator: points_sum", "aggregator: geometric",
		"max_points: 50", "weight: 50", "max_points: 30", "weight: 30", "max_points: 20", "weight: 20").Replace(gapIndex))
	plan, err = composite.GapToRank(geo, d, "u", 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := composite.Compute(geo, plan.Apply(d))
	if s, _ := res.Total("u"); plan.Exact || !plan.Feasible || s.Rank > 2 || plan.NewRank != s.Rank {
		t.Errorf("geometric: plan %+v, rank after %d", plan, s.Rank)
	}
}

// TestWhatIf changes an input and recomputes.
func TestWhatIf(t *testing.T) {
	ix := mustParse(t, gapIndex)
	res, err := composite.WhatIf(ix, gapData(), map[string]map[string]float64{"u": {"L1": 1}})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := res.Total("u"); !near(s.Value, 0.7) || s.Rank != 2 || !near(s.Points, 70) {
		t.Errorf("what-if total %+v, want 0.7, rank 2", s)
	}
	if _, err := composite.WhatIf(ix, gapData(), map[string]map[string]float64{"u": {"L9": 1}, "zz": {"L1": 1}}); len(fields(err)) != 2 {
		t.Errorf("unknown column and unit: %v", fields(err))
	}
}

// TestUncertainty checks the Monte Carlo is reproducible and that a unit
// far ahead on every leaf stays first in every draw.
func TestUncertainty(t *testing.T) {
	ix := mustParse(t, gapIndex)
	d := gapData()
	d.Numbers["o1"] = map[string]float64{"L1": 1, "L2": 1, "L3": 0.5}
	d.Numbers["o4"] = map[string]float64{"L1": 0, "L2": 0, "L3": 0}
	o := composite.DefaultMCOptions()
	o.Draws, o.Seed, o.Workers, o.Nodes = 700, 42, 1, []string{"L1"}
	a, err := composite.Uncertainty(ix, d, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Workers = 3
	b, err := composite.Uncertainty(ix, d, o)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different result")
	}
	first := a.Units[1]
	if first.Unit.Code != "o1" || first.Nominal != 1 || first.P5 != 1 || first.P95 != 1 || first.Median != 1 || first.Mean != 1 || first.Ranked != 700 {
		t.Errorf("o1 %+v", first)
	}
	if last := a.Units[4]; last.P5 != 5 || last.P95 != 5 {
		t.Errorf("o4 %+v", last)
	}
	for _, iv := range a.Units {
		if iv.P5 > iv.Median || iv.Median > iv.P95 || iv.P5 < 1 || iv.P95 > 5 {
			t.Errorf("interval %+v", iv)
		}
	}
	if len(a.Nodes["L1"]) != 5 {
		t.Errorf("node intervals %+v", a.Nodes)
	}
	o.Seed = 43
	c, _ := composite.Uncertainty(ix, d, o)
	if reflect.DeepEqual(a.Units, c.Units) && a.Units[2].Mean == c.Units[2].Mean {
		t.Log("another seed gave the same intervals (possible on so small a case)")
	}
	o.Normalisers = []composite.RuleKind{"steps"}
	if _, err := composite.Uncertainty(ix, d, o); !slices.Contains(fields(err), "normalisers error.composite_unknown_rule") {
		t.Errorf("bad normaliser: %v", fields(err))
	}
}

func TestReadTable(t *testing.T) {
	csv := "unit_code,unit_name,group,OSI,chair\nA,Một,ward,\"0,5\",chairman\nB,Hai,,0.25,deputy\n\n"
	d, err := composite.ReadTable(strings.NewReader(csv), "x.csv")
	if err != nil {
		t.Fatal(fields(err), err)
	}
	if len(d.Units) != 2 || d.Units[0].Group != "ward" || d.Numbers["A"]["OSI"] != 0.5 || d.Numbers["B"]["OSI"] != 0.25 || d.Texts["B"]["chair"] != "deputy" {
		t.Errorf("table %+v", d)
	}
	bad := "unit_code,unit_name,OSI,TII\nA,Một,\"1,234\",1\nA,Hai,x,2\n,Ba,1,2\n"
	_, err = composite.ReadTable(strings.NewReader(bad), "x.csv")
	want := []string{"row 2: OSI error.composite_ambiguous_number", "row 3: unit_code error.composite_table_duplicate_unit",
		"row 3: OSI error.not_a_number", "row 4: unit_code error.required"}
	if got := fields(err); !reflect.DeepEqual(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
	if _, err := composite.ReadTable(strings.NewReader("code,name,x\nA,B,1\n"), "x.csv"); !slices.Contains(fields(err), "row 1: unit_code error.composite_table_header") {
		t.Errorf("header: %v", fields(err))
	}
	if _, err := composite.ReadTable(strings.NewReader("unit_code,unit_name,x,,x\nA,B,1,2,3\n"), "x.csv"); !reflect.DeepEqual(fields(err),
		[]string{"row 1: D error.composite_table_header", "row 1: x error.composite_table_header"}) {
		t.Errorf("columns: %v", fields(err))
	}
	if _, err := composite.ReadTable(strings.NewReader("x"), "x.pdf"); !slices.Contains(fields(err), "file error.composite_table_format") {
		t.Errorf("format: %v", fields(err))
	}
	// The same table as a workbook.
	x := excelize.NewFile()
	for i, row := range [][]any{{"unit_code", "unit_name", "OSI"}, {"A", "Một", 0.5}, {"B", "Hai", "40,7"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	d, err = composite.ReadTable(&buf, "bang.XLSX")
	if err != nil {
		t.Fatal(fields(err), err)
	}
	if d.Numbers["A"]["OSI"] != 0.5 || d.Numbers["B"]["OSI"] != 40.7 {
		t.Errorf("xlsx %+v", d.Numbers)
	}
}

// TestDTI922 scores a province with every component at its best and one
// that reported nothing on the digital economy.
func TestDTI922(t *testing.T) {
	ix := composite.Builtin("DTI-922", "2022")
	full := map[string]float64{}
	texts := map[string]string{"NT2_chair": "chairman", "TC1_issued": "yes", "HT3_lgsp": "connected", "CQS5_reporting": "yes", "DTTM1_programme": "no"}
	for _, in := range ix.Inputs() {
		if !in.Text {
			full[in.Column] = 100
		}
	}
	full["NT1_meetings"] = 4
	full["TC2_budget_pct"] = 1
	full["TC3_policies"] = 3
	full["KTS1_digital_grdp_pct"] = 20
	half := map[string]float64{}
	for k, v := range full {
		half[k] = v
	}
	for _, c := range []string{"KTS1_digital_grdp_pct", "KTS2_einvoice", "KTS3_tech_firms_per_1000"} {
		delete(half, c)
	}
	d := &composite.Data{Units: units("01", "04"), Numbers: map[string]map[string]float64{"01": full, "04": half},
		Texts: map[string]map[string]string{"01": texts, "04": texts}}
	res, err := composite.Compute(ix, d)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := res.Total("01"); !near(s.Value, 1) || !near(s.Points, 1000) || s.Rank != 1 {
		t.Errorf("full marks: %+v", s)
	}
	// 150 points of the digital economy lost: 850 points, 0.85.
	if s, _ := res.Total("04"); !near(s.Value, 0.85) || !near(s.Points, 850) || !s.Imputed || s.Rank != 2 {
		t.Errorf("no digital economy: %+v", s)
	}
	if s, _ := res.Score("ECO", "04"); s.Value != 0 || s.Rank != 2 {
		t.Errorf("economy pillar: %+v", s)
	}
	if s, _ := res.Score("DTTM", "01"); s.Value != 0 || s.Missing {
		t.Errorf("smart city: %+v", s)
	}
}

// TestDTI1726 weighs the three pillars 0.4, 0.3, 0.3.
func TestDTI1726(t *testing.T) {
	d := &composite.Data{Units: units("a", "b"), Numbers: map[string]map[string]float64{
		"a": {"GOV": 0.5, "ECO": 0.6, "SOC": 0.7}, "b": {"GOV": 0.7, "ECO": 0.5, "SOC": 0.5}}}
	res, err := composite.Compute(composite.Builtin("DTI-1726", "2020"), d)
	if err != nil {
		t.Fatal(err)
	}
	// a: 0.2 + 0.18 + 0.21 = 0.59; b: 0.28 + 0.15 + 0.15 = 0.58.
	a, _ := res.Total("a")
	b, _ := res.Total("b")
	if !near(a.Value, 0.59) || !near(b.Value, 0.58) || a.Rank != 1 || b.Rank != 2 {
		t.Errorf("DTI a %+v, b %+v", a, b)
	}
}
