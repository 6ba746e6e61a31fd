package composite

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Compute scores every node of ix for every unit of d (the cohort) and
// ranks the units on every node.
//
// Leaves score their input by their rule (see RuleKind); direction −1
// turns "less is better" around: raw and ratio give 1 − x, the fixed and
// sample min-max count from the maximum, z-scores change sign, ranks and
// relative_best take the lowest input as the best (best/x), target gives
// Target/x capped at 1. Caps clamp the score last. The sample normalisers
// (minmax, zscore with the sample standard deviation, rank, relative_best)
// take their parameters from the units' reported values, not from values
// carried forward; a sample without spread gives minmax 1 and z-score 0.
// A ratio with a zero denominator is missing.
//
// Inner nodes combine the children whose weight (MaxPoints under
// points_sum) is above 0:
//   - weighted_mean: Σ wᵢsᵢ / Σ wᵢ;
//   - geometric: Π sᵢ^(wᵢ/Σw); a child scoring 0 or less gives 0 (a zero
//     factor), not a missing value;
//   - points_sum: Σ sᵢ·maxᵢ / Σ maxᵢ, so the node's points are the sum of
//     its children's points when the maxima add up to its own.
//
// A node's Points are Value × MaxPoints where it has a maximum (and the
// sum of the children's points for a points_sum node without one).
//
// When a child is missing for a unit the parent's Missing policy applies:
// none leaves the parent missing; renormalise drops the child (the parent
// is flagged Imputed); zero scores the child 0 (flagged); carry_forward
// scores a missing leaf child from the unit's Prior numbers (flagged), a
// child still missing makes the parent missing; group_mean fills the
// child with the mean of the units of the same Group that reported it
// (all units when the unit has no group or none of its group did),
// flagged, else the parent is missing. The Imputed flag rises to every
// ancestor.
//
// Overrides replace a node's score (normally a leaf's) for a unit before
// its parent uses it. Views are computed after Root. Ranks are standard
// competition ranks on the values rounded to ix.Decimals.
func Compute(ix *Index, d *Data) (*Result, error) {
	if ix == nil {
		return nil, fmt.Errorf("composite: compute: no index")
	}
	if err := ix.Validate(); err != nil {
		return nil, err
	}
	if d == nil {
		d = &Data{}
	}
	if err := checkUnits(d.Units); err != nil {
		return nil, err
	}
	return compute(ix, d), nil
}

// checkUnits refuses a cohort with a unit code twice or empty.
func checkUnits(units []Unit) error {
	seen := make(map[string]bool, len(units))
	for _, u := range units {
		if u.Code == "" || seen[u.Code] {
			return fmt.Errorf("composite: unit code %q empty or repeated", u.Code)
		}
		seen[u.Code] = true
	}
	return nil
}

// compute is Compute on a validated index.
func compute(ix *Index, d *Data) *Result {
	res := &Result{Index: ix, Units: slices.Clone(d.Units), Scores: map[string][]Score{}}
	c := &computer{ix: ix, d: d, res: res}
	c.node(ix.Root, "")
	for _, v := range ix.Views {
		c.node(v, "")
	}
	rankAll(res)
	return res
}

type computer struct {
	ix  *Index
	d   *Data
	res *Result
}

// node computes n and its subtree for every unit; policy is the parent's
// missing policy.
func (c *computer) node(n *Node, policy MissingPolicy) []Score {
	var out []Score
	if len(n.Children) == 0 {
		out = c.leaf(n, policy)
	} else {
		kids := make([][]Score, len(n.Children))
		for i, ch := range n.Children {
			kids[i] = c.node(ch, n.Missing)
		}
		if n.Missing == GroupMean {
			for i, ch := range n.Children {
				groupFill(kids[i], c.res.Units, ch)
			}
		}
		out = make([]Score, len(c.res.Units))
		vals := make([]Score, len(n.Children))
		for u := range c.res.Units {
			for i := range kids {
				vals[i] = kids[i][u]
			}
			out[u] = aggregate(n, vals)
		}
	}
	for u, unit := range c.res.Units {
		if v, ok := c.d.Overrides[unit.Code][n.Code]; ok {
			out[u] = Score{Value: v}
		}
		setPoints(n, &out[u])
	}
	c.res.Scores[n.Code] = out
	return out
}

// setPoints fills the points of a node with a maximum.
func setPoints(n *Node, s *Score) {
	if s.Missing {
		s.Value, s.Points = 0, 0
		return
	}
	if n.MaxPoints > 0 {
		s.Points = s.Value * n.MaxPoints
	}
}

// aggregate combines one unit's children scores at n (points of a
// points_sum node without a maximum included).
func aggregate(n *Node, kids []Score) Score {
	var out Score
	var sw, acc, pts float64
	geo := 0.0
	zero := false
	for i, ch := range n.Children {
		w := childWeight(ch, n.Aggregator)
		if w <= 0 {
			continue
		}
		k := kids[i]
		if k.Missing && n.Missing == MissingZero {
			k = Score{Imputed: true}
		}
		if k.Missing {
			if n.Missing == Renormalise {
				out.Imputed = true
				continue
			}
			return Score{Missing: true}
		}
		out.Imputed = out.Imputed || k.Imputed
		sw += w
		switch n.Aggregator {
		case Geometric:
			if k.Value <= 0 {
				zero = true
			} else {
				geo += w * math.Log(k.Value)
			}
		default:
			acc += w * k.Value
		}
	}
	if sw == 0 {
		return Score{Missing: true}
	}
	switch n.Aggregator {
	case Geometric:
		if zero {
			out.Value = 0
		} else {
			out.Value = math.Exp(geo / sw)
		}
	case PointsSum:
		out.Value = acc / sw
		pts = acc
		if n.MaxPoints == 0 {
			out.Points = pts
		}
	default:
		out.Value = acc / sw
	}
	return out
}

// groupFill fills the missing scores of child ch with group means.
func groupFill(s []Score, units []Unit, ch *Node) {
	type acc struct {
		sum float64
		n   int
	}
	groups := map[string]*acc{}
	all := &acc{}
	for u, unit := range units {
		if s[u].Missing || s[u].Imputed {
			continue
		}
		g := groups[unit.Group]
		if g == nil {
			g = &acc{}
			groups[unit.Group] = g
		}
		g.sum += s[u].Value
		g.n++
		all.sum += s[u].Value
		all.n++
	}
	for u, unit := range units {
		if !s[u].Missing {
			continue
		}
		g := groups[unit.Group]
		if unit.Group == "" || g == nil || g.n == 0 {
			g = all
		}
		if g.n == 0 {
			continue
		}
		s[u] = Score{Value: g.sum / float64(g.n), Imputed: true}
		setPoints(ch, &s[u])
	}
}

// leaf scores a leaf for every unit.
func (c *computer) leaf(n *Node, policy MissingPolicy) []Score {
	r := n.Rule
	units := c.res.Units
	out := make([]Score, len(units))
	if r.Kind == RuleNode {
		src := c.res.Scores[r.Input]
		for u := range units {
			if src == nil || src[u].Missing {
				out[u] = Score{Missing: true}
				continue
			}
			out[u] = Score{Value: clamp(r, src[u].Value), Imputed: src[u].Imputed}
		}
		return out
	}
	col := r.column(n)
	xs := make([]float64, len(units))
	has := make([]bool, len(units))
	imp := make([]bool, len(units))
	for u, unit := range units {
		if r.Kind == RuleCategorical {
			t, ok := c.d.Texts[unit.Code][col]
			if !ok {
				// A table read numbers in a column of codes ("1", "2").
				var x float64
				if x, ok = c.d.Numbers[unit.Code][col]; ok {
					t = strconv.FormatFloat(x, 'f', -1, 64)
				}
			}
			if ok { // texts are not carried forward
				sc, found := categoryScore(r, t)
				xs[u], has[u] = sc, found
			}
			continue
		}
		x, ok := input(c.d.Numbers[unit.Code], r, col)
		if !ok && policy == CarryForward {
			if x, ok = input(c.d.Prior[unit.Code], r, col); ok {
				imp[u] = true
			}
		}
		xs[u], has[u] = x, ok
	}
	st := sampleOf(r, xs, has, imp)
	for u := range units {
		if !has[u] {
			out[u] = Score{Missing: true}
			continue
		}
		v, ok := st.score(r, xs[u])
		if !ok {
			out[u] = Score{Missing: true}
			continue
		}
		out[u] = Score{Value: clamp(r, v), Imputed: imp[u]}
	}
	return out
}

// input reads a unit's input for a rule: the ratio's quotient, or the
// number itself. A ratio with a zero or absent denominator has none.
func input(row map[string]float64, r *Rule, col string) (float64, bool) {
	x, ok := row[col]
	if !ok || math.IsNaN(x) {
		return 0, false
	}
	if r.Kind == RuleRatio {
		den, ok := row[r.Denominator]
		if !ok || den == 0 || math.IsNaN(den) {
			return 0, false
		}
		return x / den, true
	}
	return x, true
}

func categoryScore(r *Rule, t string) (float64, bool) {
	t = strings.TrimSpace(t)
	for _, c := range r.Categories {
		if strings.EqualFold(c.Value, t) {
			return c.Score, true
		}
	}
	return 0, false
}

// sample holds a sample normaliser's parameters over the reported values.
type sample struct {
	min, max, mean, sd float64
	sorted             []float64 // ascending, for rank
	n                  int
}

func sampleOf(r *Rule, xs []float64, has, imp []bool) sample {
	var s sample
	switch r.Kind {
	case RuleMinMax, RuleZScore, RuleRank, RuleRelativeBest:
	default:
		return s
	}
	s.min, s.max = math.Inf(1), math.Inf(-1)
	for i, x := range xs {
		if !has[i] || imp[i] {
			continue
		}
		s.n++
		s.min, s.max = min(s.min, x), max(s.max, x)
		s.mean += x
		s.sorted = append(s.sorted, x)
	}
	if s.n == 0 {
		return s
	}
	s.mean /= float64(s.n)
	if s.n > 1 {
		var ss float64
		for _, x := range s.sorted {
			ss += (x - s.mean) * (x - s.mean)
		}
		s.sd = math.Sqrt(ss / float64(s.n-1))
	}
	slices.Sort(s.sorted)
	return s
}

// score applies a rule to an input x (a category's score already for
// categorical rules), direction included, caps not.
func (s sample) score(r *Rule, x float64) (float64, bool) {
	down := r.Direction == -1
	switch r.Kind {
	case RuleRaw, RuleRatio:
		if down {
			return 1 - x, true
		}
		return x, true
	case RuleSteps:
		v := 0.0
		for _, st := range r.Steps {
			if x >= st.AtLeast {
				v = st.Score
			}
		}
		return v, true
	case RuleCategorical:
		return x, true
	case RuleMinMaxFixed:
		if down {
			return (*r.Max - x) / (*r.Max - *r.Min), true
		}
		return (x - *r.Min) / (*r.Max - *r.Min), true
	case RuleTarget:
		if down {
			if x <= 0 {
				return 1, true
			}
			return min(1, r.Target/x), true
		}
		return min(1, x/r.Target), true
	}
	if s.n == 0 {
		return 0, false
	}
	switch r.Kind {
	case RuleMinMax:
		if s.max == s.min {
			return 1, true
		}
		if down {
			return (s.max - x) / (s.max - s.min), true
		}
		return (x - s.min) / (s.max - s.min), true
	case RuleZScore:
		if s.sd == 0 {
			return 0, true
		}
		if down {
			return (s.mean - x) / s.sd, true
		}
		return (x - s.mean) / s.sd, true
	case RuleRank:
		if s.n == 1 {
			return 1, true
		}
		// Competition rank among the reported values, best 1 → 1.0.
		var better int
		if down {
			better = sortSearch(s.sorted, x, false)
		} else {
			better = s.n - sortSearch(s.sorted, x, true)
		}
		// A reported value is in the sample; it does not beat itself.
		v := float64(s.n-1-better) / float64(s.n-1)
		return max(0, min(1, v)), true
	case RuleRelativeBest:
		if down {
			if x <= 0 {
				return 1, true
			}
			return s.min / x, true
		}
		if s.max <= 0 {
			return 0, true
		}
		return x / s.max, true
	}
	return 0, false
}

// sortSearch counts the sorted values ≤ x (upper) or < x (!upper).
func sortSearch(sorted []float64, x float64, upper bool) int {
	lo, hi := 0, len(sorted)
	for lo < hi {
		m := (lo + hi) / 2
		if sorted[m] < x || upper && sorted[m] == x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func clamp(r *Rule, v float64) float64 {
	if r.CapLow != nil && v < *r.CapLow {
		v = *r.CapLow
	}
	if r.CapHigh != nil && v > *r.CapHigh {
		v = *r.CapHigh
	}
	return v
}

// rankAll ranks the units on every node.
func rankAll(res *Result) {
	for _, s := range res.Scores {
		rankScores(s, res.Index.Decimals)
	}
}

// rankScores sets standard competition ranks ("1224") on the values
// rounded to decimals; missing scores get rank 0.
func rankScores(s []Score, decimals int) {
	type item struct {
		v float64
		i int
	}
	items := make([]item, 0, len(s))
	for i := range s {
		s[i].Rank = 0
		if !s[i].Missing {
			items = append(items, item{Round(s[i].Value, decimals), i})
		}
	}
	slices.SortFunc(items, func(a, b item) int {
		switch {
		case a.v > b.v:
			return -1
		case a.v < b.v:
			return 1
		}
		return 0
	})
	for k, it := range items {
		r := k + 1
		if k > 0 && it.v == items[k-1].v {
			r = s[items[k-1].i].Rank
		}
		s[it.i].Rank = r
	}
}

// Round rounds v to decimals places, half away from zero on v's shortest
// decimal representation: Round(0.94105, 4) is 0.9411 although the float
// 0.94105 lies just below it.
func Round(v float64, decimals int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow10(decimals)
	x := math.Abs(v) * p
	if x > 1e15 {
		return v
	}
	f := math.Floor(x)
	// Far from a half the product's error cannot matter.
	if frac := x - f; math.Abs(frac-0.5) > 1e-6 {
		return math.Copysign(math.Round(x)/p, v)
	}
	return roundDecimal(v, decimals)
}

// roundDecimal rounds on the decimal digits of v.
func roundDecimal(v float64, decimals int) float64 {
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	dot := strings.IndexByte(s, '.')
	if dot < 0 || len(s)-dot-1 <= decimals {
		return v
	}
	digits := []byte(s[:dot] + s[dot+1:dot+1+decimals])
	if s[dot+1+decimals] >= '5' {
		i := len(digits) - 1
		for ; i >= 0; i-- {
			if digits[i] == '9' {
				digits[i] = '0'
				continue
			}
			digits[i]++
			break
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
		}
	}
	intLen := len(digits) - decimals
	out := string(digits[:intLen])
	if decimals > 0 {
		out += "." + string(digits[intLen:])
	}
	r, _ := strconv.ParseFloat(out, 64)
	return math.Copysign(r, v)
}

// UnitIndex returns the position of a unit in r.Units, or −1.
func (r *Result) UnitIndex(code string) int {
	for i, u := range r.Units {
		if u.Code == code {
			return i
		}
	}
	return -1
}

// Score returns a node's score for a unit; false when either is unknown.
func (r *Result) Score(node, unit string) (Score, bool) {
	u := r.UnitIndex(unit)
	s, ok := r.Scores[node]
	if u < 0 || !ok {
		return Score{}, false
	}
	return s[u], true
}

// Total returns the index's (Root's) score for a unit.
func (r *Result) Total(unit string) (Score, bool) {
	return r.Score(r.Index.Root.Code, unit)
}

// RankScores sets standard competition ranks ("1224") on scores, on the
// values rounded to decimals; missing scores get rank 0.
func RankScores(s []Score, decimals int) { rankScores(s, decimals) }
