package web

import (
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// saveTarget creates (POST /targets) or updates (POST /targets/{id}) a
// target; invalid input shows the form again with every message.
func (s *Server) saveTarget(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	var existing *dxtrack.Target
	if r.PathValue("id") != "" {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if existing, err = s.Targets.FindTargetByID(ctx, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	t := &dxtrack.Target{
		DocumentID:   ps.id("document"),
		Code:         ps.code("code"),
		NameVI:       ps.str("name_vi"),
		NameEN:       ps.str("name_en"),
		Kind:         dxtrack.TargetKind(ps.str("kind")),
		Measure:      ps.str("measure"),
		Baseline:     ps.decimal("baseline"),
		Value:        ps.decimal("value"),
		Current:      ps.decimal("current"),
		Direction:    dxtrack.Direction(ps.str("direction")),
		Done:         ps.bool("done"),
		StartOn:      ps.date("start_on"),
		Deadline:     ps.date("deadline"),
		PillarID:     ps.id("pillar"),
		SectorID:     ps.id("sector"),
		Illustrative: ps.bool("illustrative"),
		Note:         ps.str("note"),
	}
	if existing != nil {
		t.ID = existing.ID
		t.DocumentID = existing.DocumentID // a target stays in its document
		t.Override = existing.Override
	}
	if t.Kind == dxtrack.TargetQualitative {
		t.Baseline, t.Value, t.Current, t.Direction, t.Measure = nil, nil, nil, "", ""
	} else {
		t.Done = false
	}
	t.LeadUnitID = ps.unit(ctx, s, "lead_unit")
	var doc *dxtrack.Document
	if t.DocumentID == 0 {
		ps.probs.Add("document", "error.required", nil)
	} else {
		d, err := s.Documents.FindDocumentByID(ctx, t.DocumentID)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			ps.probs.Add("document", "error.unknown_document", nil)
		} else {
			ps.keep(err)
		}
		doc = d
	}
	if ps.err != nil {
		s.fail(w, r, ps.err)
		return
	}
	f := newForm(r.PostForm)
	if len(ps.probs) > 0 {
		ps.merge(t.Validate(doc))
		f.addError(p, ps.probs.Err(), nil)
		s.renderTargetForm(w, r, http.StatusUnprocessableEntity, f, existing)
		return
	}
	var err error
	if existing == nil {
		err = s.Targets.CreateTarget(ctx, t)
	} else {
		err = s.Targets.UpdateTarget(ctx, t)
	}
	if err != nil {
		if f.addError(p, err, nil) {
			s.renderTargetForm(w, r, http.StatusUnprocessableEntity, f, existing)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/targets/"+strconv.FormatInt(t.ID, 10), http.StatusSeeOther)
}
