package composite

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"github.com/dxtrack/dxtrack"
)

// Plan is the cheapest set of leaf improvements found to lift a unit to
// rank N or better, the other units held as they are.
type Plan struct {
	Unit string `json:"unit"`
	N    int    `json:"n"`
	// Feasible is false when even the best score on every improvable leaf
	// does not reach rank N; the plan then reaches NewRank, the best rank
	// within reach, as cheaply as it can.
	Feasible bool `json:"feasible"`
	// Exact is true when the plan is the proven cheapest (an additive
	// index); false when found by the numeric greedy (geometric means).
	Exact       bool `json:"exact"`
	CurrentRank int  `json:"current_rank"`
	NewRank     int  `json:"new_rank"`
	// Current is the unit's total (unrounded); Needed the rounded total
	// rank N requires: that of the N-th of the other units (ties share
	// ranks). An infeasible plan aims at the bar of NewRank instead.
	Current float64    `json:"current"`
	Needed  float64    `json:"needed"`
	Steps   []PlanStep `json:"steps"`
	// TotalCost is the sum of the steps' costs.
	TotalCost float64 `json:"total_cost"`
}

// PlanStep raises one leaf's score.
type PlanStep struct {
	Node   string  `json:"node"`
	Parent string  `json:"parent"`
	From   float64 `json:"from"`
	To     float64 `json:"to"`
	// Points is (To − From) × the leaf's MaxPoints (0 for leaves without
	// points).
	Points float64 `json:"points"`
	Cost   float64 `json:"cost"`
}

// GapToRank finds the cheapest improvements of a unit's leaf scores that
// lift its total, rounded to ix.Decimals as ranks are, to rank n or
// better, every other unit held at its current scores.
//
// Each leaf can rise to its maximum score (1, or its CapHigh when lower;
// for z-scores, the best score in the cohort). A leaf the unit did not
// report counts from 0 when its parent scores missing children 0
// (missing: zero), and from its imputed value under carry_forward and
// group_mean; under renormalise and none it cannot be improved (the
// weights would change). Sample normalisers (relative_best, minmax, …)
// keep the others' scores: only the unit's leaf score moves.
//
// Costs are per point: per 1.0 of score × MaxPoints for leaves with
// points, per 0.01 of score for leaves without (so a leaf's full range
// costs MaxPoints or 100 times its cost); a leaf missing from costs
// costs 1. With weighted means and points sums all the way up the total
// is linear in the leaf scores, each with an effective weight (the
// product of the normalised weights down the path, after this unit's
// re-normalisation), and the greedy by cost per unit of total is the
// exact optimum (a fractional knapsack). With a geometric mean anywhere
// the plan comes from a numeric greedy in steps of 0.05 of a leaf's
// score, the last step trimmed by bisection, and Exact is false.
//
// A unit already at rank n or better gets an empty feasible plan.
func GapToRank(ix *Index, d *Data, unit string, n int, costs map[string]float64) (*Plan, error) {
	res, err := Compute(ix, d)
	if err != nil {
		return nil, err
	}
	var p dxtrack.Problems
	u := res.UnitIndex(unit)
	if u < 0 {
		p.Add("unit", "error.unknown_unit", map[string]any{"Code": unit})
	}
	if n < 1 {
		p.Add("n", "error.composite_rank_target", nil)
	}
	for code, c := range costs {
		if nd := ix.Node(code); nd == nil || len(nd.Children) > 0 {
			p.Add("costs."+code, "error.composite_unknown_node", map[string]any{"Code": code})
		} else if c < 0 || math.IsNaN(c) || math.IsInf(c, 0) {
			p.Add("costs."+code, "error.composite_negative", nil)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	g := newGap(ix, d, res, u, costs)
	plan := &Plan{Unit: unit, N: n, Feasible: true, Exact: !g.geometric, Steps: []PlanStep{}}
	total := res.Scores[ix.Root.Code][u]
	plan.Current, plan.CurrentRank, plan.NewRank = total.Value, total.Rank, total.Rank
	if total.Missing {
		plan.Feasible = false
		return plan, nil
	}
	if total.Rank <= n {
		return plan, nil
	}
	// The best reachable rank, every improvable leaf at its maximum.
	best := g.total(g.hi)
	reach := g.rankOf(best)
	// At least n others are ahead, so the n-th of them sets the bar.
	plan.Needed = g.others[n-1]
	target := n
	if reach > n {
		plan.Feasible = false
		target = reach
	}
	if target >= plan.CurrentRank {
		return plan, nil
	}
	bar := g.others[target-1]
	unitStep := math.Pow10(-ix.Decimals)
	for _, margin := range []float64{1e-7, 1e-5, 1e-3} {
		// Round(x) ≥ bar from bar − half a unit of the last decimal.
		goal := bar - unitStep/2 + margin*unitStep
		scores := g.solve(goal)
		plan.Steps, plan.TotalCost = g.steps(scores)
		check, err := Compute(ix, plan.Apply(d))
		if err != nil {
			return nil, err
		}
		plan.NewRank = check.Scores[ix.Root.Code][u].Rank
		if plan.NewRank <= target {
			break
		}
	}
	return plan, nil
}

// gap holds one unit's improvable leaves and evaluates its total.
type gap struct {
	ix        *Index
	res       *Result
	u         int
	unit      string
	over      map[string]float64 // the unit's overrides
	leaves    []*Node
	parent    map[*Node]*Node
	idx       map[*Node]int // improvable leaf → position in cur/hi
	cur, hi   []float64
	cost      []float64 // per 1.0 of score
	others    []float64 // the other units' rounded totals, descending
	geometric bool
}

func newGap(ix *Index, d *Data, res *Result, u int, costs map[string]float64) *gap {
	g := &gap{ix: ix, res: res, u: u, unit: res.Units[u].Code, over: d.Overrides[res.Units[u].Code],
		parent: map[*Node]*Node{}, idx: map[*Node]int{}}
	ix.Walk(func(n, parent *Node, _ int) {
		if parent != nil {
			g.parent[n] = parent
		}
	})
	var walk func(n *Node)
	walk = func(n *Node) {
		if _, fixed := g.over[n.Code]; fixed && len(n.Children) > 0 {
			return // an overridden subtree does not move
		}
		if n.Aggregator == Geometric {
			g.geometric = true
		}
		for _, c := range n.Children {
			walk(c)
		}
		if len(n.Children) > 0 {
			return
		}
		s := res.Scores[n.Code][u]
		par := g.parent[n]
		from := s.Value
		if s.Missing {
			if par.Missing != MissingZero {
				return
			}
			from = 0
		}
		hi := 1.0
		if n.Rule.CapHigh != nil {
			hi = min(hi, *n.Rule.CapHigh)
		}
		if n.Rule.Kind == RuleZScore {
			hi = math.Inf(-1)
			for _, o := range res.Scores[n.Code] {
				if !o.Missing {
					hi = max(hi, o.Value)
				}
			}
		}
		if hi <= from {
			return
		}
		scale := n.MaxPoints
		if scale <= 0 {
			scale = 100
		}
		c, ok := costs[n.Code]
		if !ok {
			c = 1
		}
		g.idx[n] = len(g.leaves)
		g.leaves = append(g.leaves, n)
		g.cur = append(g.cur, from)
		g.hi = append(g.hi, hi)
		g.cost = append(g.cost, c*scale)
	}
	walk(ix.Root)
	for i, s := range res.Scores[ix.Root.Code] {
		if i != u && !s.Missing {
			g.others = append(g.others, Round(s.Value, ix.Decimals))
		}
	}
	slices.SortFunc(g.others, func(a, b float64) int { return cmp.Compare(b, a) })
	return g
}

// total evaluates the unit's total with the improvable leaves at scores.
func (g *gap) total(scores []float64) float64 {
	var eval func(n *Node) Score
	eval = func(n *Node) Score {
		if i, ok := g.idx[n]; ok {
			return Score{Value: scores[i]}
		}
		if _, fixed := g.over[n.Code]; fixed {
			return g.res.Scores[n.Code][g.u]
		}
		if len(n.Children) == 0 {
			return g.res.Scores[n.Code][g.u]
		}
		kids := make([]Score, len(n.Children))
		for i, c := range n.Children {
			kids[i] = eval(c)
		}
		return aggregate(n, kids)
	}
	s := eval(g.ix.Root)
	if s.Missing {
		return math.Inf(-1)
	}
	return s.Value
}

// rankOf is the rank a total would take among the others.
func (g *gap) rankOf(v float64) int {
	r := Round(v, g.ix.Decimals)
	k := 0
	for k < len(g.others) && g.others[k] > r {
		k++
	}
	return k + 1
}

// solve returns leaf scores reaching goal as cheaply as it can.
func (g *gap) solve(goal float64) []float64 {
	s := slices.Clone(g.cur)
	base := g.total(s)
	if base >= goal {
		return s
	}
	if !g.geometric {
		// Linear: effective weights, then the greedy by cost per unit of
		// total.
		eff := make([]float64, len(s))
		for i := range s {
			t := slices.Clone(s)
			t[i] = s[i] + 1
			eff[i] = g.total(t) - base
		}
		order := make([]int, 0, len(s))
		for i := range s {
			if eff[i] > 0 {
				order = append(order, i)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(g.cost[a]/eff[a], g.cost[b]/eff[b]) })
		need := goal - base
		for _, i := range order {
			if need <= 0 {
				break
			}
			ds := min(g.hi[i]-s[i], need/eff[i])
			s[i] += ds
			need -= ds * eff[i]
		}
		return s
	}
	// Geometric: a numeric greedy in small steps.
	const step = 0.05
	cur := base
	last := -1
	for cur < goal {
		bestI, bestRatio, bestVal := -1, 0.0, 0.0
		for i := range s {
			ds := min(step, g.hi[i]-s[i])
			if ds <= 0 {
				continue
			}
			old := s[i]
			s[i] += ds
			v := g.total(s)
			s[i] = old
			gain := v - cur
			if gain <= 0 {
				continue
			}
			ratio := gain / (g.cost[i]*ds + 1e-300)
			if bestI < 0 || ratio > bestRatio {
				bestI, bestRatio, bestVal = i, ratio, v
			}
		}
		if bestI < 0 {
			break
		}
		s[bestI] += min(step, g.hi[bestI]-s[bestI])
		cur, last = bestVal, bestI
	}
	if last >= 0 && cur > goal {
		// Trim the last step to what the goal needs.
		hiV := s[last]
		loV := max(g.cur[last], hiV-step)
		for range 50 {
			mid := (loV + hiV) / 2
			s[last] = mid
			if g.total(s) >= goal {
				hiV = mid
			} else {
				loV = mid
			}
		}
		s[last] = hiV
	}
	return s
}

// steps turns leaf scores into plan steps, in tree order.
func (g *gap) steps(s []float64) ([]PlanStep, float64) {
	out := []PlanStep{}
	var sum float64
	for i, n := range g.leaves {
		if s[i] <= g.cur[i] {
			continue
		}
		ds := s[i] - g.cur[i]
		c := g.cost[i] * ds
		out = append(out, PlanStep{Node: n.Code, Parent: g.parent[n].Code, From: g.cur[i], To: s[i],
			Points: ds * n.MaxPoints, Cost: c})
		sum += c
	}
	return out, sum
}

// Apply returns a copy of d whose Overrides set the plan's leaf scores,
// so Compute shows the unit after the plan (a what-if).
func (p *Plan) Apply(d *Data) *Data {
	out := *d
	out.Overrides = make(map[string]map[string]float64, len(d.Overrides)+1)
	for k, v := range d.Overrides {
		out.Overrides[k] = maps.Clone(v)
	}
	if len(p.Steps) == 0 {
		return &out
	}
	if out.Overrides[p.Unit] == nil {
		out.Overrides[p.Unit] = map[string]float64{}
	}
	for _, s := range p.Steps {
		out.Overrides[p.Unit][s.Node] = s.To
	}
	return &out
}

// WhatIf recomputes the index with some input numbers changed, unit code
// → column → value, the rest of d as it is (its Overrides too: scores
// set by hand go there). Unknown units and columns the index does not
// read are refused.
func WhatIf(ix *Index, d *Data, edits map[string]map[string]float64) (*Result, error) {
	cols := map[string]bool{}
	for _, in := range ix.Inputs() {
		cols[in.Column] = true
	}
	var p dxtrack.Problems
	units := map[string]bool{}
	for _, u := range d.Units {
		units[u.Code] = true
	}
	out := *d
	out.Numbers = maps.Clone(d.Numbers)
	if out.Numbers == nil {
		out.Numbers = map[string]map[string]float64{}
	}
	for unit, row := range edits {
		if !units[unit] {
			p.Add("edits."+unit, "error.unknown_unit", map[string]any{"Code": unit})
			continue
		}
		nums := maps.Clone(d.Numbers[unit])
		if nums == nil {
			nums = map[string]float64{}
		}
		for col, v := range row {
			switch {
			case !cols[col]:
				p.Add("edits."+unit+"."+col, "error.composite_unknown_column", map[string]any{"Value": col})
			case math.IsNaN(v) || math.IsInf(v, 0):
				p.Add("edits."+unit+"."+col, "error.number", nil)
			default:
				nums[col] = v
			}
		}
		out.Numbers[unit] = nums
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return Compute(ix, &out)
}
