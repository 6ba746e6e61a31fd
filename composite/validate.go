package composite

import (
	"math"
	"strconv"

	"github.com/dxtrack/dxtrack"
)

// weightsTolerance is how far the children's weights may add up from
// WeightsSum.
const weightsTolerance = 1e-9

// Validate checks a definition and returns a dxtrack.Problems error naming
// every fault. A node's fields are named by the path of codes from the
// root, "nodes.DTI/GOV/C1.weight" (a node without a code by its position,
// "nodes.DTI/#2.code"); the index's own fields by their names ("code").
// It refuses: an empty code or tree, duplicate node codes (across Root and
// the views), unknown aggregators, rule kinds and missing policies,
// negative or non-finite weights and maxima, children's weights that do not
// add up to WeightsSum, an inner node none of whose children is scored, a
// leaf without a rule, an inner node with one, a ratio without a
// denominator, steps not strictly ascending, fixed bounds without
// min < max, categories missing or repeated, a direction other than ±1, a
// target not above 0, and a view leaf that names no node of Root.
func (ix *Index) Validate() error {
	var p dxtrack.Problems
	if ix.Code == "" {
		p.Add("code", "error.required", nil)
	}
	if ix.Decimals < 0 || ix.Decimals > 12 {
		p.Add("decimals", "error.composite_decimals", map[string]any{"Value": ix.Decimals})
	}
	if ix.Root == nil {
		p.Add("root", "error.composite_empty", nil)
		return p.Err()
	}
	v := validator{p: &p, seen: map[string]bool{}}
	v.node(ix.Root, "", false)
	mainCodes := v.seen
	v.seen = make(map[string]bool, len(mainCodes))
	for k := range mainCodes {
		v.seen[k] = true
	}
	for i, view := range ix.Views {
		if view == nil {
			p.Add("views["+itoa(i)+"]", "error.composite_empty", nil)
			continue
		}
		v.main = mainCodes
		v.node(view, "", true)
	}
	return p.Err()
}

type validator struct {
	p    *dxtrack.Problems
	seen map[string]bool
	main map[string]bool // Root's codes, for the leaves of views
}

func (v *validator) node(n *Node, parentPath string, view bool) {
	seg := n.Code
	if seg == "" {
		seg = "#"
	}
	path := seg
	if parentPath != "" {
		path = parentPath + "/" + seg
	}
	f := func(name string) string { return "nodes." + path + "." + name }
	switch {
	case n.Code == "":
		v.p.Add(f("code"), "error.required", nil)
	case v.seen[n.Code]:
		v.p.Add(f("code"), "error.composite_duplicate_node", map[string]any{"Code": n.Code})
	default:
		v.seen[n.Code] = true
	}
	if n.NameVI == "" {
		v.p.Add(f("name_vi"), "error.required", nil)
	}
	for _, w := range []struct {
		name string
		x    float64
	}{{"weight", n.Weight}, {"max_points", n.MaxPoints}, {"weights_sum", n.WeightsSum}} {
		if math.IsNaN(w.x) || math.IsInf(w.x, 0) {
			v.p.Add(f(w.name), "error.number", nil)
		} else if w.x < 0 {
			v.p.Add(f(w.name), "error.composite_negative", nil)
		}
	}
	if len(n.Children) == 0 {
		if n.Aggregator != "" {
			v.p.Add(f("aggregator"), "error.composite_leaf_aggregator", nil)
		}
		if n.Rule == nil {
			v.p.Add(f("rule"), "error.composite_leaf_rule", nil)
			return
		}
		v.rule(n, f, view)
		return
	}
	if n.Rule != nil {
		v.p.Add(f("rule"), "error.composite_inner_rule", nil)
	}
	switch n.Aggregator {
	case WeightedMean, Geometric, PointsSum:
	default:
		v.p.Add(f("aggregator"), "error.composite_unknown_aggregator", map[string]any{"Value": string(n.Aggregator)})
	}
	switch n.Missing {
	case "", MissingNone, Renormalise, CarryForward, GroupMean, MissingZero:
	default:
		v.p.Add(f("missing"), "error.composite_unknown_missing", map[string]any{"Value": string(n.Missing)})
	}
	var sum float64
	for _, c := range n.Children {
		if c != nil {
			sum += childWeight(c, n.Aggregator)
		}
	}
	if n.WeightsSum > 0 && math.Abs(sum-n.WeightsSum) > weightsTolerance {
		v.p.Add(f("children"), "error.composite_weights_sum", map[string]any{
			"Actual": strconv.FormatFloat(sum, 'g', -1, 64), "Target": strconv.FormatFloat(n.WeightsSum, 'g', -1, 64)})
	} else if sum <= 0 {
		v.p.Add(f("children"), "error.composite_no_weight", nil)
	}
	for i, c := range n.Children {
		if c == nil {
			v.p.Add(f("children["+itoa(i)+"]"), "error.composite_empty", nil)
			continue
		}
		v.node(c, path, view)
	}
}

func (v *validator) rule(n *Node, f func(string) string, view bool) {
	r := n.Rule
	if r.Direction != 0 && r.Direction != 1 && r.Direction != -1 {
		v.p.Add(f("rule.direction"), "error.composite_direction", map[string]any{"Value": r.Direction})
	}
	if r.CapLow != nil && r.CapHigh != nil && *r.CapLow > *r.CapHigh {
		v.p.Add(f("rule.cap_high"), "error.composite_bounds", nil)
	}
	if view != (r.Kind == RuleNode) && validKind(r.Kind) {
		v.p.Add(f("rule.kind"), "error.composite_node_rule", nil)
		return
	}
	switch r.Kind {
	case RuleRaw, RuleRelativeBest, RuleMinMax, RuleZScore, RuleRank:
	case RuleRatio:
		if r.Denominator == "" {
			v.p.Add(f("rule.denominator"), "error.composite_denominator", nil)
		}
	case RuleSteps:
		if len(r.Steps) == 0 {
			v.p.Add(f("rule.steps"), "error.composite_steps_order", nil)
		}
		for i := 1; i < len(r.Steps); i++ {
			if !(r.Steps[i].AtLeast > r.Steps[i-1].AtLeast) {
				v.p.Add(f("rule.steps["+itoa(i)+"].at_least"), "error.composite_steps_order", nil)
			}
		}
		if r.Direction == -1 {
			v.p.Add(f("rule.direction"), "error.composite_direction", map[string]any{"Value": r.Direction})
		}
	case RuleCategorical:
		if len(r.Categories) == 0 {
			v.p.Add(f("rule.categories"), "error.composite_categories", nil)
		}
		seen := map[string]bool{}
		for i, c := range r.Categories {
			if seen[c.Value] {
				v.p.Add(f("rule.categories["+itoa(i)+"].value"), "error.composite_duplicate_category", map[string]any{"Value": c.Value})
			}
			seen[c.Value] = true
		}
		if r.Direction == -1 {
			v.p.Add(f("rule.direction"), "error.composite_direction", map[string]any{"Value": r.Direction})
		}
	case RuleMinMaxFixed:
		if r.Min == nil || r.Max == nil || !(*r.Min < *r.Max) {
			v.p.Add(f("rule.max"), "error.composite_bounds", nil)
		}
	case RuleTarget:
		if !(r.Target > 0) {
			v.p.Add(f("rule.target"), "error.composite_target", nil)
		}
	case RuleNode:
		if r.Input == "" || !v.main[r.Input] {
			v.p.Add(f("rule.input"), "error.composite_node_ref", map[string]any{"Code": r.Input})
		}
	default:
		v.p.Add(f("rule.kind"), "error.composite_unknown_rule", map[string]any{"Value": string(r.Kind)})
	}
}

func validKind(k RuleKind) bool {
	switch k {
	case RuleRaw, RuleRatio, RuleSteps, RuleCategorical, RuleRelativeBest, RuleMinMaxFixed,
		RuleMinMax, RuleZScore, RuleRank, RuleTarget, RuleNode:
		return true
	}
	return false
}

func itoa(i int) string { return strconv.Itoa(i) }
