package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// saveTask creates (POST /tasks) or updates (POST /tasks/{id}) a task;
// invalid input shows the form again with every message.
func (s *Server) saveTask(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	var existing *dxtrack.Task
	if r.PathValue("id") != "" {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if existing, err = s.Tasks.FindTaskByID(ctx, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	t := &dxtrack.Task{
		DocumentID:   ps.id("document"),
		Code:         ps.code("code"),
		NameVI:       ps.str("name_vi"),
		NameEN:       ps.str("name_en"),
		Group:        ps.str("group"),
		StartOn:      ps.date("start_on"),
		Deadline:     ps.date("deadline"),
		Output:       ps.str("output"),
		BudgetVND:    ps.integer("budget_vnd"),
		Progress:     int(ps.integer("progress")),
		PillarID:     ps.id("pillar"),
		SectorID:     ps.id("sector"),
		Illustrative: ps.bool("illustrative"),
		Note:         ps.str("note"),
		TargetIDs:    []int64{},
	}
	for _, v := range r.PostForm["targets"] {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && !containsInt64(t.TargetIDs, id) {
			t.TargetIDs = append(t.TargetIDs, id)
		} else if err != nil {
			ps.probs.Add("targets", "error.unknown_target", nil)
		}
	}
	if existing != nil {
		t.ID = existing.ID
		t.DocumentID = existing.DocumentID // a task stays in its document
		t.Override = existing.Override
	}
	t.LeadUnitID = ps.unit(ctx, s, "lead_unit")
	t.CoUnitIDs = ps.units(ctx, s, "co_units")
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
		s.renderTaskForm(w, r, http.StatusUnprocessableEntity, f, existing)
		return
	}
	var err error
	if existing == nil {
		err = s.Tasks.CreateTask(ctx, t)
	} else {
		err = s.Tasks.UpdateTask(ctx, t)
	}
	if err != nil {
		if f.addError(p, err, nil) {
			s.renderTaskForm(w, r, http.StatusUnprocessableEntity, f, existing)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/tasks/"+strconv.FormatInt(t.ID, 10), http.StatusSeeOther)
}
