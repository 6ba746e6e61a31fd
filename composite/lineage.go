package composite

import (
	"maps"
	"slices"

	"github.com/dxtrack/dxtrack"
)

// Merge carries a result over to a new cohort after units merged (the
// July 2025 merger of provinces: 63 → 34). For each unit of units, its
// former units are successors[code] (a unit without an entry continues
// itself). Every node at the given Level ("main") and every node below it
// gets the arithmetic mean of the former units' scores (and points),
// over those that have one; the nodes above are aggregated again from
// them with the index's aggregators and missing policies; views follow.
// All nodes are ranked over the new cohort. This is the rule of the 2025
// DTI: a merged province's main indices are the means of its former
// provinces'. The means below Level are for display: they do not feed
// the nodes above, which come from Level's means.
func Merge(r *Result, level string, successors map[string][]string, units []Unit) (*Result, error) {
	ix := r.Index
	var p dxtrack.Problems
	found := false
	ix.Walk(func(n, _ *Node, _ int) { found = found || n.Level == level && level != "" })
	if !found {
		p.Add("level", "error.composite_unknown_level", map[string]any{"Value": level})
	}
	if err := checkUnits(units); err != nil {
		p.Add("units", "error.composite_duplicate_unit", nil)
	}
	formers := make([][]int, len(units))
	for i, u := range units {
		codes, ok := successors[u.Code]
		if !ok {
			codes = []string{u.Code}
		}
		for _, c := range codes {
			k := r.UnitIndex(c)
			if k < 0 {
				p.Add("successors."+u.Code, "error.unknown_unit", map[string]any{"Code": c})
				continue
			}
			formers[i] = append(formers[i], k)
		}
		if len(codes) == 0 {
			p.Add("successors."+u.Code, "error.required", nil)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	out := &Result{Index: ix, Units: slices.Clone(units), Scores: map[string][]Score{}}
	var merge func(n *Node, mean bool) []Score
	merge = func(n *Node, mean bool) []Score {
		mean = mean || n.Level == level || len(n.Children) == 0
		kids := make([][]Score, len(n.Children))
		for i, c := range n.Children {
			kids[i] = merge(c, mean)
		}
		s := make([]Score, len(units))
		if mean {
			old := r.Scores[n.Code]
			for i := range units {
				var sum, pts float64
				var k int
				for _, f := range formers[i] {
					if o := old[f]; !o.Missing {
						sum += o.Value
						pts += o.Points
						k++
						s[i].Imputed = s[i].Imputed || o.Imputed
					}
				}
				if k == 0 {
					s[i] = Score{Missing: true}
					continue
				}
				s[i].Value, s[i].Points = sum/float64(k), pts/float64(k)
			}
		} else {
			if n.Missing == GroupMean {
				for i, c := range n.Children {
					groupFill(kids[i], units, c)
				}
			}
			vals := make([]Score, len(n.Children))
			for u := range units {
				for i := range kids {
					vals[i] = kids[i][u]
				}
				s[u] = aggregate(n, vals)
				setPoints(n, &s[u])
			}
		}
		out.Scores[n.Code] = s
		return s
	}
	merge(ix.Root, false)
	c := &computer{ix: ix, d: &Data{}, res: out}
	for _, v := range ix.Views {
		c.node(v, "")
	}
	rankAll(out)
	return out, nil
}

// Subset returns the data of the listed units only (a cohort: the 34
// provinces of 2025, the communes of one district), in d's order; codes
// not in d are ignored. The maps are copies.
func (d *Data) Subset(codes []string) *Data {
	keep := make(map[string]bool, len(codes))
	for _, c := range codes {
		keep[c] = true
	}
	out := &Data{}
	pick := func(m map[string]map[string]float64) map[string]map[string]float64 {
		if m == nil {
			return nil
		}
		o := map[string]map[string]float64{}
		for k, v := range m {
			if keep[k] {
				o[k] = maps.Clone(v)
			}
		}
		return o
	}
	for _, u := range d.Units {
		if keep[u.Code] {
			out.Units = append(out.Units, u)
		}
	}
	out.Numbers, out.Prior, out.Overrides = pick(d.Numbers), pick(d.Prior), pick(d.Overrides)
	if d.Texts != nil {
		out.Texts = map[string]map[string]string{}
		for k, v := range d.Texts {
			if keep[k] {
				out.Texts[k] = maps.Clone(v)
			}
		}
	}
	return out
}
