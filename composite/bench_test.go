package composite_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack/composite"
)

// benchIndex is a synthetic DTI-like index: 10 main indices of 10
// components each (points_sum, 1,000 points), with a mix of ratio,
// relative-to-best, raw and sample min-max rules, for 34 provinces.
func benchIndex(tb testing.TB) (*composite.Index, *composite.Data) {
	tb.Helper()
	var b strings.Builder
	b.WriteString("code: B\nversion: '1'\nname_vi: B\ndecimals: 4\nroot:\n  code: R\n  name_vi: R\n  max_points: 1000\n  aggregator: points_sum\n  missing: zero\n  children:\n")
	for m := range 10 {
		fmt.Fprintf(&b, "    - code: M%d\n      name_vi: M%d\n      max_points: 100\n      aggregator: points_sum\n      missing: zero\n      children:\n", m, m)
		for c := range 10 {
			code := fmt.Sprintf("C%d_%d", m, c)
			var rule string
			switch c % 4 {
			case 0:
				rule = fmt.Sprintf("{kind: ratio, input: %s, denominator: %s_d, cap_high: 1}", code, code)
			case 1:
				rule = "{kind: relative_best}"
			case 2:
				rule = "{kind: raw, cap_high: 1}"
			default:
				rule = "{kind: minmax}"
			}
			fmt.Fprintf(&b, "        - {code: %s, name_vi: %s, max_points: 10, rule: %s}\n", code, code, rule)
		}
	}
	ix, err := composite.Parse([]byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	d := &composite.Data{Numbers: map[string]map[string]float64{}}
	for u := range 34 {
		code := fmt.Sprintf("P%02d", u)
		d.Units = append(d.Units, composite.Unit{Code: code, Name: code})
		row := map[string]float64{}
		for _, in := range ix.Inputs() {
			row[in.Column] = rng.Float64()
			if strings.HasSuffix(in.Column, "_d") {
				row[in.Column] = 1 + rng.Float64()
			}
		}
		d.Numbers[code] = row
	}
	return ix, d
}

// BenchmarkUncertainty runs 10,000 draws (weights ±20 %, four
// normalisers) over 34 units × 100 components; the goal is ≤ 1 s.
func BenchmarkUncertainty(b *testing.B) {
	ix, d := benchIndex(b)
	o := composite.DefaultMCOptions()
	o.Draws = 10000
	for b.Loop() {
		if _, err := composite.Uncertainty(ix, d, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUncertaintyNaive is the baseline: 100 draws, each perturbing
// a copy of the index and running Compute on it (weights only). Per draw
// it is the cost the flattened Monte Carlo avoids.
func BenchmarkUncertaintyNaive(b *testing.B) {
	ix, d := benchIndex(b)
	rng := rand.New(rand.NewPCG(1, 1))
	for b.Loop() {
		for range 100 {
			alt := ix.Clone()
			alt.Walk(func(n, _ *composite.Node, _ int) {
				n.MaxPoints *= 1 + 0.2*(2*rng.Float64()-1)
			})
			if _, err := composite.Compute(alt, d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCompute is one plain computation of the same index.
func BenchmarkCompute(b *testing.B) {
	ix, d := benchIndex(b)
	for b.Loop() {
		if _, err := composite.Compute(ix, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGapToRank plans the 30th province's way into the top 5 over
// 34 units × 100 components; the goal is ≤ 10 ms.
func BenchmarkGapToRank(b *testing.B) {
	ix, d := benchIndex(b)
	res, err := composite.Compute(ix, d)
	if err != nil {
		b.Fatal(err)
	}
	var unit string
	for i, s := range res.Scores["R"] {
		if s.Rank == 30 {
			unit = res.Units[i].Code
		}
	}
	for b.Loop() {
		plan, err := composite.GapToRank(ix, d, unit, 5, nil)
		if err != nil || !plan.Feasible || plan.NewRank > 5 {
			b.Fatalf("%+v %v", plan, err)
		}
	}
}
