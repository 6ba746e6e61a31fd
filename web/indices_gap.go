package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
	"github.com/dxtrack/dxtrack/locale"
)

// gapPage plans what a unit needs to reach rank N: the components with
// the points still open, cheapest per point first, their cost and the
// rank reached; applied as a what-if it shows the recomputed ranking.
type gapPage struct {
	V       *editionView
	Units   []composite.Unit
	Unit    string
	N       int
	Costs   []costInput
	Plan    *composite.Plan
	Steps   []gapStep
	Total   string
	Current string
	Needed  string
	Applied []whatIfRow // the ranking with the plan applied, when asked
	Error   string
}

// costInput is the editable cost per point of a main index or component.
type costInput struct {
	Node  *composite.Node
	Name  string // the input's name: "cost.CODE"
	Value string
}

// gapStep is a step of the plan, formatted.
type gapStep struct {
	Node     *composite.Node
	Parent   *composite.Node
	From, To string
	Points   string
	Cost     string
}

// showGap shows the planner (GET /indices/editions/{id}/gap?unit=&n=&cost.X=&apply=1).
func (s *Server) showGap(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	v, ok := s.editionFor(w, r, true)
	if !ok {
		return
	}
	q := r.URL.Query()
	d := gapPage{V: v, Units: v.Result.Units, N: 5, Unit: q.Get("unit")}
	if n, err := strconv.Atoi(q.Get("n")); err == nil && n >= 1 && n <= len(v.Result.Units) {
		d.N = n
	}
	if d.Unit == "" || v.Result.UnitIndex(d.Unit) < 0 {
		// The first unit outside the top N is the natural example.
		root := v.Result.Scores[v.Index.Root.Code]
		best := -1
		for i, sc := range root {
			if !sc.Missing && sc.Rank > d.N && (best < 0 || sc.Rank < root[best].Rank) {
				best = i
			}
		}
		if best >= 0 {
			d.Unit = v.Result.Units[best].Code
		} else if len(v.Result.Units) > 0 {
			d.Unit = v.Result.Units[0].Code
		}
	}
	costs := map[string]float64{}
	for _, n := range mainNodes(v.Index) {
		name := "cost." + n.Code
		c := costInput{Node: n, Name: name, Value: q.Get(name)}
		if c.Value != "" {
			if f, err := p.ParseDecimal(c.Value); err == nil && f >= 0 {
				// A main index's cost per point is that of its components.
				for _, leaf := range leavesUnder(n) {
					costs[leaf.Code] = f
				}
			} else {
				d.Error = p.FieldError(dxtrack.FieldError{Field: nodeName(n, p.Lang()), MsgID: "error.number"})
			}
		}
		d.Costs = append(d.Costs, c)
	}
	if d.Unit != "" && d.Error == "" {
		plan, err := composite.GapToRank(v.Index, v.Data, d.Unit, d.N, costs)
		if err != nil {
			if dxtrack.ErrorCode(err) != dxtrack.EINVALID {
				s.fail(w, r, err)
				return
			}
			d.Error = p.Error(err)
			for _, fe := range dxtrack.ErrorFields(err) {
				d.Error += " " + p.FieldError(fe)
			}
		} else {
			d.Plan = plan
			d.Current, d.Needed = p.Fixed(plan.Current, v.Index.Decimals), p.Fixed(plan.Needed, v.Index.Decimals)
			d.Total = p.Decimal(plan.TotalCost, 2)
			for _, st := range plan.Steps {
				d.Steps = append(d.Steps, gapStep{Node: v.Index.Node(st.Node), Parent: v.Index.Node(st.Parent),
					From: p.Fixed(st.From, v.Index.Decimals), To: p.Fixed(st.To, v.Index.Decimals),
					Points: p.Decimal(openPoints(v.Index.Node(st.Node), st), 2), Cost: p.Decimal(st.Cost, 2)})
			}
			if q.Get("apply") != "" {
				res, err := composite.Compute(v.Index, plan.Apply(v.Data))
				if err != nil {
					s.fail(w, r, err)
					return
				}
				d.Applied = whatIfRows(p, v, res, d.Unit)
			}
		}
	}
	s.render(w, r, http.StatusOK, "indices_gap", p.T("indices.gap.title", nil)+" · "+v.Edition.Name(p.Lang()), d)
}

// nodeLabel is a node's code and name.
func nodeLabel(n *composite.Node, lang string) string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.Code + " · " + nodeName(n, lang))
}

// leavesUnder lists the leaves of a subtree.
func leavesUnder(n *composite.Node) []*composite.Node {
	if len(n.Children) == 0 {
		return []*composite.Node{n}
	}
	var out []*composite.Node
	for _, c := range n.Children {
		out = append(out, leavesUnder(c)...)
	}
	return out
}

// openPoints is what a step raises, in the points its cost is counted in:
// points for a leaf with a maximum, hundredths of score for the others.
func openPoints(n *composite.Node, st composite.PlanStep) float64 {
	if n != nil && n.MaxPoints > 0 {
		return st.Points
	}
	return (st.To - st.From) * 100
}
