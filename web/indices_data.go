package web

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
	"github.com/dxtrack/dxtrack/locale"
)

// The index pages read an edition through the service (definition,
// inputs, component scores) and compute with the engine: the figures are
// composite's, the stages the domain's. loadEdition puts them together.

// editionView is an edition computed: the engine's index, inputs and
// result, and the stage of every figure.
type editionView struct {
	Edition *dxtrack.IndexEdition
	Def     *dxtrack.IndexDefinition
	Index   *composite.Index
	Data    *composite.Data // nil for a FromLineage edition
	Result  *composite.Result
	Rows    []dxtrack.IndexRow
	Scores  []*dxtrack.ComponentScore
	// stages holds node → unit → stage of the figures that went through
	// the workflow; the others are StageData.
	stages map[string]map[string]dxtrack.ScoreStage
}

// Stage returns the stage of a node's figure for a unit.
func (v *editionView) Stage(node, unit string) dxtrack.ScoreStage {
	if s, ok := v.stages[node][unit]; ok {
		return s
	}
	return dxtrack.StageData
}

// Derived reports whether the edition is computed by the lineage rule;
// what-if, gap and uncertainty need inputs and are not offered then.
func (v *editionView) Derived() bool { return v.Data == nil }

// errDerived refuses the analyses that need inputs on a derived edition.
var errDerived = dxtrack.Invalid("edition", "error.indices_derived", nil)

// dataOf turns the domain's table into the engine's input.
func dataOf(t *dxtrack.IndexTable) *composite.Data {
	d := &composite.Data{Numbers: t.Numbers, Texts: t.Texts}
	for _, r := range t.Rows {
		d.Units = append(d.Units, composite.Unit{Code: r.Code, Name: r.Name, Group: r.Group})
	}
	return d
}

// loadEdition reads and computes an edition. Component scores override
// the leaves they score (final, else appraised, else self-assessed), and
// an inner node's figure is at the lowest stage found under it.
// editionFor loads the edition of the request's {id}, answering the
// error page itself when there is none; withInputs also refuses a derived
// edition (computed by lineage), which has no inputs to plan or score.
func (s *Server) editionFor(w http.ResponseWriter, r *http.Request, withInputs bool) (*editionView, bool) {
	id, err := pathID(r)
	if err == nil {
		var v *editionView
		if v, err = s.loadEdition(r.Context(), id); err == nil {
			if withInputs && v.Derived() {
				err = errDerived
			} else {
				return v, true
			}
		}
	}
	s.fail(w, r, err)
	return nil, false
}

func (s *Server) loadEdition(ctx context.Context, id int64) (*editionView, error) {
	if s.Indices == nil {
		return nil, errors.New("web: no index service")
	}
	e, err := s.Indices.FindEdition(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &editionView{Edition: e, stages: map[string]map[string]dxtrack.ScoreStage{}}
	if v.Def, err = s.Indices.FindIndexDefinition(ctx, e.IndexCode, e.IndexVersion); err != nil {
		return nil, err
	}
	if v.Index, err = composite.Parse(v.Def.Definition); err != nil {
		return nil, err
	}
	if e.Source == dxtrack.FromLineage {
		src, err := s.loadEdition(ctx, e.DerivedFrom)
		if err != nil {
			return nil, err
		}
		succ, rows, err := s.Indices.Successors(ctx, id)
		if err != nil {
			return nil, err
		}
		units := make([]composite.Unit, len(rows))
		for i, r := range rows {
			units[i] = composite.Unit{Code: r.Code, Name: r.Name, Group: r.Group}
		}
		v.Rows = rows
		v.Result, err = composite.Merge(src.Result, mergeLevel(v.Index), succ, units)
		return v, err
	}
	t, err := s.Indices.EditionTable(ctx, id)
	if err != nil {
		return nil, err
	}
	v.Rows, v.Data = t.Rows, dataOf(t)
	if v.Scores, err = s.Indices.FindScores(ctx, id); err != nil {
		return nil, err
	}
	for _, c := range v.Scores {
		val, stage, ok := c.Current()
		if !ok {
			continue
		}
		if v.Data.Overrides == nil {
			v.Data.Overrides = map[string]map[string]float64{}
		}
		if v.Data.Overrides[c.Unit] == nil {
			v.Data.Overrides[c.Unit] = map[string]float64{}
		}
		v.Data.Overrides[c.Unit][c.Node] = val
		v.setStage(c.Node, c.Unit, stage)
	}
	// Stages rise from the leaves: a parent is at the lowest stage of
	// its children that have one.
	var up func(n *composite.Node)
	up = func(n *composite.Node) {
		for _, ch := range n.Children {
			up(ch)
			for unit, st := range v.stages[ch.Code] {
				v.setStage(n.Code, unit, st)
			}
		}
	}
	up(v.Index.Root)
	v.Result, err = composite.Compute(v.Index, v.Data)
	return v, err
}

// setStage keeps the lowest stage seen for a node and unit.
func (v *editionView) setStage(node, unit string, st dxtrack.ScoreStage) {
	m := v.stages[node]
	if m == nil {
		m = map[string]dxtrack.ScoreStage{}
		v.stages[node] = m
	}
	if old, ok := m[unit]; !ok || dxtrack.StageOrder(st) < dxtrack.StageOrder(old) {
		m[unit] = st
	}
}

// levels lists the node levels of an index for the ranking's select: the
// index itself, then every level named in the tree, in tree order.
func levels(ix *composite.Index) []string {
	out := []string{"index"}
	ix.Walk(func(n, parent *composite.Node, depth int) {
		if depth > 0 && n.Level != "" && len(n.Children) > 0 && !slices.Contains(out, n.Level) {
			out = append(out, n.Level)
		}
	})
	if len(out) == 1 && ix.Root != nil && len(ix.Root.Children) > 0 {
		out = append(out, "children")
	}
	return out
}

// nodesAt returns the nodes of a level: the root for "index", the root's
// children for "children".
func nodesAt(ix *composite.Index, level string) []*composite.Node {
	switch level {
	case "index", "":
		return []*composite.Node{ix.Root}
	case "children":
		return ix.Root.Children
	}
	var out []*composite.Node
	ix.Walk(func(n, parent *composite.Node, depth int) {
		if depth > 0 && n.Level == level {
			out = append(out, n)
		}
	})
	return out
}

// mainNodes are the nodes a unit's radar and the lineage rule use: those
// of level "main", else the root's children.
func mainNodes(ix *composite.Index) []*composite.Node {
	if ns := nodesAt(ix, "main"); len(ns) > 0 {
		return ns
	}
	return ix.Root.Children
}

// nodeName is a node's name in the language.
func nodeName(n *composite.Node, lang string) string {
	if lang == "en" && n.NameEN != "" {
		return n.NameEN
	}
	return n.NameVI
}

// levelOption is a level of the ranking's select with its label.
type levelOption struct {
	Value, Label string
}

// levelLabel names a node level: the catalogue's name for the usual
// ones, the definition's word for any other.
func levelLabel(p *locale.Printer, level string) string {
	if id := "indices.level." + level; p.Has(id) {
		return p.T(id, nil)
	}
	return level
}

// mergeLevel is the level the lineage rule averages: the main indices, or
// the level of the root's children when the tree names no "main".
func mergeLevel(ix *composite.Index) string {
	if len(nodesAt(ix, "main")) > 0 {
		return "main"
	}
	for _, c := range ix.Root.Children {
		if c.Level != "" {
			return c.Level
		}
	}
	return "main"
}
