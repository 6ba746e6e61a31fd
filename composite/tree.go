package composite

// Input is an input column an index reads.
type Input struct {
	Column string `json:"column"`
	// Text is true for the text inputs of categorical rules.
	Text bool `json:"text,omitempty"`
	// Node is the code of the leaf that reads the column.
	Node string `json:"node"`
}

// Node returns the node of the given code, in Root or in a view, or nil.
func (ix *Index) Node(code string) *Node {
	var found *Node
	ix.Walk(func(n, _ *Node, _ int) {
		if found == nil && n.Code == code {
			found = n
		}
	})
	return found
}

// Walk calls fn for every node of Root, then of each view, parents before
// children (tree order); parent is nil for a tree's root.
func (ix *Index) Walk(fn func(n *Node, parent *Node, depth int)) {
	if ix == nil {
		return
	}
	var walk func(n, parent *Node, depth int)
	walk = func(n, parent *Node, depth int) {
		if n == nil {
			return
		}
		fn(n, parent, depth)
		for _, c := range n.Children {
			walk(c, n, depth+1)
		}
	}
	walk(ix.Root, nil, 0)
	for _, v := range ix.Views {
		walk(v, nil, 0)
	}
}

// Leaves returns Root's leaves in tree order (views excluded: their leaves
// read nodes, not inputs).
func (ix *Index) Leaves() []*Node {
	var out []*Node
	var walk func(n *Node)
	walk = func(n *Node) {
		if n == nil {
			return
		}
		if len(n.Children) == 0 {
			out = append(out, n)
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	if ix != nil {
		walk(ix.Root)
	}
	return out
}

// Inputs lists the input columns the index reads, in tree order, each
// once per leaf: a leaf's input, then its denominator.
func (ix *Index) Inputs() []Input {
	var out []Input
	for _, l := range ix.Leaves() {
		if l.Rule == nil || l.Rule.Kind == RuleNode {
			continue
		}
		out = append(out, Input{Column: l.Rule.column(l), Text: l.Rule.Kind == RuleCategorical, Node: l.Code})
		if l.Rule.Kind == RuleRatio && l.Rule.Denominator != "" {
			out = append(out, Input{Column: l.Rule.Denominator, Node: l.Code})
		}
	}
	return out
}

// column is the input column of a leaf's rule.
func (r *Rule) column(n *Node) string {
	if r.Input != "" {
		return r.Input
	}
	return n.Code
}

// childWeight is a child's weight within a parent aggregating with agg:
// its maximum points under points_sum, its weight otherwise.
func childWeight(c *Node, agg Aggregator) float64 {
	if agg == PointsSum {
		return c.MaxPoints
	}
	return c.Weight
}
