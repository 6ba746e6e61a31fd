package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
)

// saveTask creates (POST /tasks) or updates (POST /tasks/{id}) a task;
// invalid input shows the form again with every message.
func (s *Server) saveTask(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
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
	s.finishSave(w, r, ps, t.DocumentID, t.Validate, func(ctx context.Context) error {
		if existing == nil {
			return s.Tasks.CreateTask(ctx, t)
		}
		return s.Tasks.UpdateTask(ctx, t)
	}, func(status int, f *form) {
		s.renderTaskForm(w, r, status, f, existing)
	}, func() string { return "/tasks/" + strconv.FormatInt(t.ID, 10) })
}
