package composite_test

import (
	"math"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack/composite"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func units(codes ...string) []composite.Unit {
	var out []composite.Unit
	for _, c := range codes {
		out = append(out, composite.Unit{Code: c, Name: c})
	}
	return out
}

// TestRules scores each rule kind on hand-computed values over three
// units with inputs 2, 4, 10 (and 5 for the denominators).
func TestRules(t *testing.T) {
	ix := mustParse(t, `
code: R
version: "1"
name_vi: R
decimals: 4
root:
  code: R
  name_vi: R
  aggregator: weighted_mean
  children:
    - {code: raw, name_vi: x, weight: 1, rule: {kind: raw, input: x}}
    - {code: rawdown, name_vi: x, weight: 1, rule: {kind: raw, input: s, direction: -1}}
    - {code: ratio, name_vi: x, weight: 1, max_points: 20, rule: {kind: ratio, input: x, denominator: y, cap_high: 1}}
    - code: steps
      name_vi: x
      weight: 1
      rule: {kind: steps, input: x, steps: [{at_least: 1, score: 0.25}, {at_least: 3, score: 0.75}, {at_least: 4, score: 1}]}
    - code: cat
      name_vi: x
      weight: 1
      rule: {kind: categorical, input: chair, categories: [{value: chairman, score: 1}, {value: deputy, score: 0.5}]}
    - {code: best, name_vi: x, weight: 1, rule: {kind: relative_best, input: x}}
    - {code: bestdown, name_vi: x, weight: 1, rule: {kind: relative_best, input: x, direction: -1}}
    - {code: fixed, name_vi: x, weight: 1, rule: {kind: minmax_fixed, input: x, min: 0, max: 8}}
    - {code: fixeddown, name_vi: x, weight: 1, rule: {kind: minmax_fixed, input: x, min: 0, max: 8, direction: -1, cap_low: 0}}
    - {code: minmax, name_vi: x, weight: 1, rule: {kind: minmax, input: x}}
    - {code: z, name_vi: x, weight: 1, rule: {kind: zscore, input: x}}
    - {code: rank, name_vi: x, weight: 1, rule: {kind: rank, input: x}}
    - {code: rankdown, name_vi: x, weight: 1, rule: {kind: rank, input: x, direction: -1}}
    - {code: target, name_vi: x, weight: 1, rule: {kind: target, input: x, target: 5}}
`)
	d := &composite.Data{
		Units: units("a", "b", "c"),
		Numbers: map[string]map[string]float64{
			"a": {"x": 2, "y": 5, "s": 0.2}, "b": {"x": 4, "y": 5, "s": 0.5}, "c": {"x": 10, "y": 5, "s": 0.9}},
		Texts: map[string]map[string]string{"a": {"chair": "chairman"}, "b": {"chair": " Deputy "}, "c": {"chair": "none"}},
	}
	res, err := composite.Compute(ix, d)
	if err != nil {
		t.Fatal(err)
	}
	sd := math.Sqrt(((2-16.0/3)*(2-16.0/3) + (4-16.0/3)*(4-16.0/3) + (10-16.0/3)*(10-16.0/3)) / 2)
	want := map[string][3]float64{
		"raw":       {2, 4, 10},
		"rawdown":   {0.8, 0.5, 0.1},
		"ratio":     {0.4, 0.8, 1},
		"steps":     {0.25, 1, 1},
		"best":      {0.2, 0.4, 1},
		"bestdown":  {1, 0.5, 0.2},
		"fixed":     {0.25, 0.5, 1.25}, // fixed bounds do not clamp
		"fixeddown": {0.75, 0.5, 0},    // −0.25 capped at 0
		"minmax":    {0, 0.25, 1},
		"z":         {(2 - 16.0/3) / sd, (4 - 16.0/3) / sd, (10 - 16.0/3) / sd},
		"rank":      {0, 0.5, 1},
		"rankdown":  {1, 0.5, 0},
		"target":    {0.4, 0.8, 1},
	}
	for code, w := range want {
		for u := range 3 {
			if got := res.Scores[code][u]; got.Missing || !near(got.Value, w[u]) {
				t.Errorf("%s unit %d: %+v, want %v", code, u, got, w[u])
			}
		}
	}
	if s := res.Scores["ratio"][1]; !near(s.Points, 16) {
		t.Errorf("ratio points %v, want 16", s.Points)
	}
	cat := res.Scores["cat"]
	if cat[0].Value != 1 || cat[1].Value != 0.5 || !cat[2].Missing {
		t.Errorf("categorical %+v", cat)
	}
	// An unknown category is missing, so the weighted mean is too.
	if !res.Scores["R"][2].Missing || res.Scores["R"][2].Rank != 0 {
		t.Errorf("R for c: %+v, want missing", res.Scores["R"][2])
	}
}

// TestAggregators checks the weighted, geometric and points aggregators
// and a points_sum node's points.
func TestAggregators(t *testing.T) {
	ix := mustParse(t, `
code: A
version: "1"
name_vi: A
decimals: 4
root:
  code: R
  name_vi: R
  aggregator: weighted_mean
  children:
    - code: G
      name_vi: G
      weight: 1
      aggregator: geometric
      children:
        - {code: g1, name_vi: g1, weight: 1, rule: {kind: raw}}
        - {code: g2, name_vi: g2, weight: 3, rule: {kind: raw}}
    - code: P
      name_vi: P
      weight: 3
      max_points: 50
      aggregator: points_sum
      children:
        - {code: p1, name_vi: p1, max_points: 20, rule: {kind: raw}}
        - {code: p2, name_vi: p2, max_points: 30, rule: {kind: raw}}
        - {code: p3, name_vi: p3, max_points: 0, rule: {kind: raw}}
`)
	d := &composite.Data{Units: units("a", "b"), Numbers: map[string]map[string]float64{
		"a": {"g1": 0.16, "g2": 0.5, "p1": 0.5, "p2": 1, "p3": 0.1},
		"b": {"g1": 0, "g2": 0.9, "p1": 1, "p2": 0, "p3": 1},
	}}
	res, err := composite.Compute(ix, d)
	if err != nil {
		t.Fatal(err)
	}
	g := math.Pow(0.16, 0.25) * math.Pow(0.5, 0.75)
	if s := res.Scores["G"]; !near(s[0].Value, g) || s[1].Value != 0 || s[1].Missing {
		t.Errorf("geometric %+v, want %v and 0", s, g)
	}
	if s := res.Scores["P"][0]; !near(s.Value, 40.0/50) || !near(s.Points, 40) {
		t.Errorf("points_sum %+v, want 0.8 and 40 points", s)
	}
	if s := res.Scores["R"][0]; !near(s.Value, (g+3*0.8)/4) {
		t.Errorf("total %v", s.Value)
	}
	if s := res.Scores["R"][1]; !near(s.Value, 3*0.4/4) {
		t.Errorf("total b %v, want 0.3", s.Value)
	}
}

// TestMissingPolicies fills a missing child by each policy and flags the
// values imputed up the tree.
func TestMissingPolicies(t *testing.T) {
	src := `
code: M
version: "1"
name_vi: M
decimals: 4
root:
  code: R
  name_vi: R
  aggregator: weighted_mean
  missing: renormalise
  children:
    - code: S
      name_vi: S
      weight: 1
      aggregator: weighted_mean
      missing: POLICY
      children:
        - {code: x, name_vi: x, weight: 1, rule: {kind: raw}}
        - {code: y, name_vi: y, weight: 3, rule: {kind: raw}}
    - {code: z, name_vi: z, weight: 1, rule: {kind: raw}}
`
	us := []composite.Unit{{Code: "a", Group: "ward"}, {Code: "b", Group: "ward"}, {Code: "c", Group: "commune"}, {Code: "d", Group: "ward"}}
	d := &composite.Data{Units: us, Numbers: map[string]map[string]float64{
		"a": {"x": 0.2, "y": 0.4, "z": 0.5}, "b": {"x": 0.6, "y": 0.8, "z": 0.5}, "c": {"x": 1, "y": 0.1, "z": 0.5},
		"d": {"x": 0.4, "z": 0.5}},
		Prior: map[string]map[string]float64{"d": {"y": 0.7}},
	}
	tests := []struct {
		policy  string
		s       float64 // S for unit d
		missing bool
	}{
		{"none", 0, true},
		{"renormalise", 0.4, false},
		{"carry_forward", (0.4 + 3*0.7) / 4, false},
		{"group_mean", (0.4 + 3*0.6) / 4, false}, // y over the wards a, b
		{"zero", 0.4 / 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.policy, func(t *testing.T) {
			ix := mustParse(t, strings.ReplaceAll(src, "POLICY", tt.policy))
			res, err := composite.Compute(ix, d)
			if err != nil {
				t.Fatal(err)
			}
			s := res.Scores["S"][3]
			if s.Missing != tt.missing || !near(s.Value, tt.s) {
				t.Errorf("S(d) = %+v, want %v missing=%v", s, tt.s, tt.missing)
			}
			r := res.Scores["R"][3]
			if tt.missing {
				// The root renormalises over z alone.
				if r.Missing || !near(r.Value, 0.5) || !r.Imputed {
					t.Errorf("R(d) = %+v, want 0.5 imputed", r)
				}
			} else if !s.Imputed || !r.Imputed {
				t.Errorf("imputed flags S %v R %v, want both", s.Imputed, r.Imputed)
			}
			if res.Scores["R"][0].Imputed || res.Scores["S"][0].Imputed {
				t.Error("unit a flagged imputed")
			}
			if y := res.Scores["y"][3]; tt.policy == "carry_forward" && (!y.Imputed || y.Value != 0.7) {
				t.Errorf("carried y %+v", y)
			}
		})
	}
	// Group mean for a unit whose group has no value: over all units.
	d2 := &composite.Data{Units: us, Numbers: map[string]map[string]float64{
		"a": {"x": 0.2, "y": 0.4}, "b": {"x": 0.6, "y": 0.8}, "c": {"x": 1}, "d": {"x": 0.4, "y": 0.6}}}
	res, err := composite.Compute(mustParse(t, strings.ReplaceAll(src, "POLICY", "group_mean")), d2)
	if err != nil {
		t.Fatal(err)
	}
	if y := res.Scores["y"][2]; !y.Imputed || !near(y.Value, 0.6) {
		t.Errorf("group mean with no group value: %+v, want 0.6", y)
	}
	// Overrides replace a leaf's score.
	d.Overrides = map[string]map[string]float64{"a": {"x": 1}}
	res, err = composite.Compute(mustParse(t, strings.ReplaceAll(src, "POLICY", "none")), d)
	if err != nil {
		t.Fatal(err)
	}
	if s := res.Scores["S"][0]; !near(s.Value, (1+3*0.4)/4) {
		t.Errorf("override: S(a) %v", s.Value)
	}
}

// TestRanking ranks on values rounded to the index's decimals, ties
// sharing a rank and the next skipped ("1224").
func TestRanking(t *testing.T) {
	vals := []float64{0.94096667, 0.941, 0.94100, 0.5, 0.94104999, 0.3}
	s := make([]composite.Score, len(vals))
	for i, v := range vals {
		s[i].Value = v
	}
	s = append(s, composite.Score{Missing: true})
	composite.RankScores(s, 4)
	want := []int{1, 1, 1, 5, 1, 6, 0}
	for i := range s {
		if s[i].Rank != want[i] {
			t.Errorf("rank %d: %d, want %d", i, s[i].Rank, want[i])
		}
	}
	composite.RankScores(s[:6], 5)
	if got := [4]int{s[0].Rank, s[1].Rank, s[2].Rank, s[4].Rank}; got != [4]int{4, 2, 2, 1} {
		t.Errorf("5 decimals: %v, want [4 2 2 1]", got)
	}
	for _, tt := range []struct {
		v    float64
		d    int
		want float64
	}{
		{0.94105, 4, 0.9411}, {0.94104999, 4, 0.941}, {1.005, 2, 1.01}, {2.675, 2, 2.68},
		{-0.00005, 4, -0.0001}, {0.94100, 4, 0.941}, {0.9999, 3, 1}, {123.45, 0, 123}, {0.5, 0, 1},
	} {
		if got := composite.Round(tt.v, tt.d); got != tt.want {
			t.Errorf("Round(%v, %d) = %v, want %v", tt.v, tt.d, got, tt.want)
		}
	}
}
