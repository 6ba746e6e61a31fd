package composite

import (
	"cmp"
	"math"
	"slices"
)

// Change is a unit's year-on-year change on one node.
type Change struct {
	Unit  string  `json:"unit"`
	Node  string  `json:"node"`
	Value float64 `json:"value"`
	Prev  float64 `json:"prev"`
	// Delta is Value − Prev.
	Delta float64 `json:"delta"`
	Rank  int     `json:"rank"`
	// PrevRank is the rank in the previous result; RankDelta is
	// PrevRank − Rank, so a positive change means moving up.
	PrevRank  int `json:"prev_rank"`
	RankDelta int `json:"rank_delta"`
	// HasPrev is false when prev has no score of the unit on the node
	// (a new unit, a new node): Prev, Delta, PrevRank and RankDelta are 0.
	HasPrev bool `json:"has_prev"`
}

// Compare lists the changes from prev to cur for every unit and node that
// has a score in cur, nodes in cur's tree order and units in cur's order.
// Nodes and units are matched by code, so a previous edition under
// another framework version compares on the codes they share.
func Compare(cur, prev *Result) []Change {
	var out []Change
	cur.Index.Walk(func(n, _ *Node, _ int) {
		scores := cur.Scores[n.Code]
		for i, u := range cur.Units {
			if i >= len(scores) || scores[i].Missing {
				continue
			}
			c := Change{Unit: u.Code, Node: n.Code, Value: scores[i].Value, Rank: scores[i].Rank}
			if prev != nil {
				if p, ok := prev.Score(n.Code, u.Code); ok && !p.Missing {
					c.HasPrev = true
					c.Prev, c.PrevRank = p.Value, p.Rank
					c.Delta = c.Value - c.Prev
					c.RankDelta = c.PrevRank - c.Rank
				}
			}
			out = append(out, c)
		}
	})
	return out
}

// Standing is a unit's position on one node within its cohort.
type Standing struct {
	Node    string  `json:"node"`
	Level   string  `json:"level,omitempty"`
	Depth   int     `json:"depth"`
	Value   float64 `json:"value"`
	Points  float64 `json:"points,omitempty"`
	Rank    int     `json:"rank"`
	Missing bool    `json:"missing,omitempty"`
	Imputed bool    `json:"imputed,omitempty"`
	// Cohort is the number of units scored on the node; Mean and Median
	// are over them.
	Cohort int     `json:"cohort"`
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
	// Percentile is the share of the other scored units ranked below the
	// unit, 0–100 (100: no one ahead; a cohort of one gives 100).
	Percentile float64 `json:"percentile"`
	// Z is (Value − Mean) / standard deviation of the cohort (0 without
	// spread).
	Z float64 `json:"z"`
	// Strength is a rank in the top quarter of the cohort (Percentile ≥
	// 75), Weakness in the bottom quarter (Percentile ≤ 25), for nodes
	// with a cohort of at least 4 units.
	Strength bool `json:"strength,omitempty"`
	Weakness bool `json:"weakness,omitempty"`
}

// Standings is a unit's profile, one standing per node in tree order.
type Standings []Standing

// Profile returns a unit's standing on every node of the index, in tree
// order (views last); nil when the unit is not in r.
func Profile(r *Result, unit string) Standings {
	u := r.UnitIndex(unit)
	if u < 0 {
		return nil
	}
	var out Standings
	r.Index.Walk(func(n, _ *Node, depth int) {
		scores := r.Scores[n.Code]
		s := scores[u]
		st := Standing{Node: n.Code, Level: n.Level, Depth: depth, Value: s.Value, Points: s.Points,
			Rank: s.Rank, Missing: s.Missing, Imputed: s.Imputed}
		var vals []float64
		for _, o := range scores {
			if !o.Missing {
				vals = append(vals, o.Value)
			}
		}
		st.Cohort = len(vals)
		if st.Cohort > 0 {
			var sum float64
			for _, v := range vals {
				sum += v
			}
			st.Mean = sum / float64(len(vals))
			slices.Sort(vals)
			m := len(vals) / 2
			st.Median = vals[m]
			if len(vals)%2 == 0 {
				st.Median = (vals[m-1] + vals[m]) / 2
			}
			var ss float64
			for _, v := range vals {
				ss += (v - st.Mean) * (v - st.Mean)
			}
			if sd := math.Sqrt(ss / float64(len(vals))); sd > 0 && !s.Missing {
				st.Z = (s.Value - st.Mean) / sd
			}
		}
		if !s.Missing {
			st.Percentile = 100
			if st.Cohort > 1 {
				// Units strictly behind on the rounded value.
				behind := 0
				for _, o := range scores {
					if !o.Missing && o.Rank > s.Rank {
						behind++
					}
				}
				st.Percentile = 100 * float64(behind) / float64(st.Cohort-1)
			}
			if st.Cohort >= 4 {
				st.Strength = st.Percentile >= 75
				st.Weakness = st.Percentile <= 25
			}
		}
		out = append(out, st)
	})
	return out
}

// Strengths returns up to n of the unit's strengths below the top node
// (all when n ≤ 0), the strongest first: by percentile, then z-score.
func (s Standings) Strengths(n int) []Standing {
	return s.pick(n, func(x Standing) bool { return x.Strength }, func(a, b Standing) int {
		return cmp.Or(cmp.Compare(b.Percentile, a.Percentile), cmp.Compare(b.Z, a.Z))
	})
}

// Weaknesses returns up to n of the unit's weaknesses below the top node
// (all when n ≤ 0), the weakest first.
func (s Standings) Weaknesses(n int) []Standing {
	return s.pick(n, func(x Standing) bool { return x.Weakness }, func(a, b Standing) int {
		return cmp.Or(cmp.Compare(a.Percentile, b.Percentile), cmp.Compare(a.Z, b.Z))
	})
}

func (s Standings) pick(n int, keep func(Standing) bool, order func(a, b Standing) int) []Standing {
	var out []Standing
	for _, x := range s {
		if x.Depth > 0 && !x.Missing && keep(x) {
			out = append(out, x)
		}
	}
	slices.SortStableFunc(out, order)
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}
