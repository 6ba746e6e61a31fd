package web

import (
	"net/http"
	"slices"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
	"github.com/dxtrack/dxtrack/locale"
)

// whatIfPage edits a unit's inputs and shows its scores and ranks move.
type whatIfPage struct {
	V      *editionView
	Units  []composite.Unit
	Unit   string
	Inputs []whatIfInput
	Rows   []whatIfRow
	Form   *form
}

// whatIfInput is an input column of the unit, as it is and as edited.
type whatIfInput struct {
	Column string
	Node   *composite.Node
	Value  string // the stored figure
	Text   bool
}

// whatIfRow is a node's figure and rank for the unit before and after.
type whatIfRow struct {
	Node          *composite.Node
	Depth         int
	Before, After string
	RankBefore    int
	RankAfter     int
	Gain          int // places gained
}

// whatIfRows compares the edition's result with another for one unit, on
// the inner nodes (the index, pillars, main indices).
func whatIfRows(p *locale.Printer, v *editionView, after *composite.Result, unit string) []whatIfRow {
	k, ka := v.Result.UnitIndex(unit), after.UnitIndex(unit)
	if k < 0 || ka < 0 {
		return nil
	}
	var out []whatIfRow
	v.Index.Walk(func(n, parent *composite.Node, depth int) {
		if len(n.Children) == 0 {
			return
		}
		b, a := v.Result.Scores[n.Code][k], after.Scores[n.Code][ka]
		row := whatIfRow{Node: n, Depth: depth, Before: indexFigure(p, v.Index, b), After: indexFigure(p, v.Index, a),
			RankBefore: b.Rank, RankAfter: a.Rank}
		if !b.Missing && !a.Missing {
			row.Gain = b.Rank - a.Rank
		}
		out = append(out, row)
	})
	return out
}

// whatIfEdition loads the edition and the unit of a what-if request.
func (s *Server) whatIfEdition(w http.ResponseWriter, r *http.Request) (*whatIfPage, bool) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	v, err := s.loadEdition(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if v.Derived() {
		s.fail(w, r, errDerived)
		return nil, false
	}
	d := &whatIfPage{V: v, Units: v.Result.Units, Unit: r.FormValue("unit"), Form: newForm(nil)}
	if v.Result.UnitIndex(d.Unit) < 0 && len(d.Units) > 0 {
		d.Unit = d.Units[0].Code
	}
	for _, in := range v.Index.Inputs() {
		wi := whatIfInput{Column: in.Column, Node: v.Index.Node(in.Node), Text: in.Text, Value: "—"}
		if in.Text {
			wi.Value = v.Data.Texts[d.Unit][in.Column]
		} else if x, ok := v.Data.Numbers[d.Unit][in.Column]; ok {
			wi.Value = p.Decimal(x, 6)
		}
		if !slices.ContainsFunc(d.Inputs, func(x whatIfInput) bool { return x.Column == wi.Column }) {
			d.Inputs = append(d.Inputs, wi)
		}
	}
	return d, true
}

// showWhatIf shows the what-if form (GET /indices/editions/{id}/whatif?unit=).
func (s *Server) showWhatIf(w http.ResponseWriter, r *http.Request) {
	p := locale.For(langFrom(r.Context()))
	d, ok := s.whatIfEdition(w, r)
	if !ok {
		return
	}
	d.Form = newForm(nil)
	for _, in := range d.Inputs {
		if !in.Text && in.Value != "—" {
			d.Form.Values.Set("in."+in.Column, in.Value)
		}
	}
	d.Rows = whatIfRows(p, d.V, d.V.Result, d.Unit)
	s.render(w, r, http.StatusOK, "indices_whatif", p.T("indices.whatif.title", nil)+" · "+d.V.Edition.Name(p.Lang()), d)
}

// runWhatIf recomputes with the edited inputs
// (POST /indices/editions/{id}/whatif); htmx gets the result fragment.
func (s *Server) runWhatIf(w http.ResponseWriter, r *http.Request) {
	p := locale.For(langFrom(r.Context()))
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Invalid("form", "error.invalid", nil))
		return
	}
	d, ok := s.whatIfEdition(w, r)
	if !ok {
		return
	}
	d.Form = newForm(r.PostForm)
	ps := newParser(r)
	edits := map[string]float64{}
	for _, in := range d.Inputs {
		if in.Text {
			continue
		}
		if f := ps.decimal("in." + in.Column); f != nil {
			edits[in.Column] = *f
		}
	}
	status := http.StatusOK
	if err := ps.probs.Err(); err != nil {
		d.Form.addError(p, err, nil)
		status = http.StatusUnprocessableEntity
		d.Rows = whatIfRows(p, d.V, d.V.Result, d.Unit)
	} else {
		res, err := composite.WhatIf(d.V.Index, d.V.Data, map[string]map[string]float64{d.Unit: edits})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Rows = whatIfRows(p, d.V, res, d.Unit)
	}
	if r.Header.Get("HX-Request") == "true" {
		s.renderFragment(w, r, status, "indices_whatif", "whatif_result", d)
		return
	}
	s.render(w, r, status, "indices_whatif", p.T("indices.whatif.title", nil)+" · "+d.V.Edition.Name(p.Lang()), d)
}
