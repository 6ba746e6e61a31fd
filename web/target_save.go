package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
)

// saveTarget creates (POST /targets) or updates (POST /targets/{id}) a
// target; invalid input shows the form again with every message.
func (s *Server) saveTarget(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
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
	s.finishSave(w, r, ps, t.DocumentID, t.Validate, func(ctx context.Context) error {
		if existing == nil {
			return s.Targets.CreateTarget(ctx, t)
		}
		return s.Targets.UpdateTarget(ctx, t)
	}, func(status int, f *form) {
		s.renderTargetForm(w, r, status, f, existing)
	}, func() string { return "/targets/" + strconv.FormatInt(t.ID, 10) })
}
