package composite_test

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/dxtrack/dxtrack/composite"
)

// TestEGDI2022 recomputes the UN's E-Government Index from its three
// components and ranks it as the UN does.
func TestEGDI2022(t *testing.T) {
	d, pub, err := composite.EGDI2022()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Units) != 193 {
		t.Fatalf("%d units, want 193", len(d.Units))
	}
	ix := composite.Builtin("EGDI", "2022")
	res, err := composite.Compute(ix, d)
	if err != nil {
		t.Fatal(err)
	}
	scores := res.Scores["EGDI"]
	// Ranking the published values gives the published ranks too.
	published := make([]composite.Score, len(d.Units))
	for i, u := range d.Units {
		p := pub[u.Code]
		s := scores[i]
		if math.Abs(s.Value-p.EGDI) > 1e-4 {
			t.Errorf("%s: EGDI %.6f, published %.5f", p.Country, s.Value, p.EGDI)
		}
		if s.Rank != p.Rank {
			t.Errorf("%s: rank %d (EGDI %.4f), published %d", p.Country, s.Rank, composite.Round(s.Value, 4), p.Rank)
		}
		published[i] = composite.Score{Value: p.EGDI}
	}
	composite.RankScores(published, 4)
	for i, u := range d.Units {
		if got, want := published[i].Rank, pub[u.Code].Rank; got != want {
			t.Errorf("%s: published EGDI ranks %d, published rank %d", pub[u.Code].Country, got, want)
		}
	}
	for _, code := range []string{"ISL", "SWE"} {
		if s, _ := res.Total(code); s.Rank != 5 {
			t.Errorf("%s: rank %d, want 5 (shared)", code, s.Rank)
		}
	}
	if s, _ := res.Total("DNK"); s.Rank != 1 || composite.Round(s.Value, 4) != 0.9717 {
		t.Errorf("Denmark: %+v, want rank 1 at 0.9717", s)
	}
}

// TestDESI2022 runs the raw indicators through the whole pipeline and
// compares with the Commission's published scores.
func TestDESI2022(t *testing.T) {
	d, pub, err := composite.DESI2022()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Units) != 28 || len(pub) != 28 {
		t.Fatalf("%d units, %d published, want 28", len(d.Units), len(pub))
	}
	res, err := composite.Compute(composite.Builtin("DESI", "2022"), d)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range d.Units {
		p, ok := pub[u.Code]
		if !ok {
			t.Fatalf("%s: not published", u.Code)
		}
		if got := res.Scores["DESI"][i].Value; math.Abs(got-p.Total) > 1e-6 {
			t.Errorf("%s: DESI %.7f, published %.6f", u.Code, got, p.Total)
		}
		for dim, want := range p.Dimensions {
			if got := res.Scores[dim][i].Value; math.Abs(got-want) > 1e-6 {
				t.Errorf("%s dimension %s: %.7f, published %.6f", u.Code, dim, got, want)
			}
		}
	}
	if s, _ := res.Total("FI"); s.Rank != 1 {
		t.Errorf("Finland ranks %d, want 1", s.Rank)
	}
}

// TestDESIDefinition checks the shipped DESI YAML against the
// Commission's parameters it was generated from.
func TestDESIDefinition(t *testing.T) {
	f, err := os.Open("data/desi_2022_normalisation_params.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ix := composite.Builtin("DESI", "2022")
	if got := len(ix.Leaves()); got != len(rows)-1 {
		t.Errorf("%d indicators, want %d", got, len(rows)-1)
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, r := range rows[1:] {
		n := ix.Node(r[0])
		if n == nil || n.Rule == nil {
			t.Errorf("%s: not in the definition", r[0])
			continue
		}
		dir := n.Rule.Direction
		if dir == 0 {
			dir = 1
		}
		if *n.Rule.Min != num(r[6]) || *n.Rule.Max != num(r[7]) || float64(dir) != num(r[8]) || n.Weight != num(r[10]) {
			t.Errorf("%s: %+v weight %v, want %v", r[0], n.Rule, n.Weight, r)
		}
		if sub := ix.Node(r[3]); sub == nil || sub.Weight != num(r[4]) {
			t.Errorf("%s: sub-dimension %s weight, want %s", r[0], r[3], r[4])
		}
	}
}
