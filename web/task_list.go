package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// taskListPage is the data of the task list.
type taskListPage struct {
	Rows       []taskRow
	Filter     *form
	Pager      pager
	Documents  []*dxtrack.Document
	Categories *categoryLists
	Statuses   []dxtrack.Status
	CanAdd     bool
}

// listTasks lists tasks by document, pillar, unit (leading or
// coordinating), status and words of the name or code.
func (s *Server) listTasks(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	q := r.URL.Query()
	pg := pageOf(r)
	f := dxtrack.TaskFilter{
		DocumentID: queryID(r, "document"),
		PillarID:   queryID(r, "pillar"),
		Status:     dxtrack.Status(q.Get("status")),
		Group:      q.Get("group"),
		Query:      q.Get("q"),
		Page:       pg,
	}
	if !f.Status.Valid() {
		f.Status = ""
	}
	filter := newForm(q)
	lead, err := s.unitIDByCode(ctx, "lead_unit", q.Get("lead_unit"))
	if filter.addError(p, err, nil) {
		lead = -1
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	unit, err := s.unitIDByCode(ctx, "unit", q.Get("unit"))
	if filter.addError(p, err, nil) {
		unit = -1
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	f.LeadUnitID, f.UnitID = lead, unit
	data := taskListPage{Filter: filter, Statuses: dxtrack.Statuses, CanAdd: dxtrack.UserFromContext(ctx).Role == dxtrack.RoleAdmin}
	var tasks []*dxtrack.Task
	total := 0
	if lead >= 0 && unit >= 0 {
		if tasks, total, err = s.Tasks.FindTasks(ctx, f); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	units, err := s.unitsByID(ctx, leadIDsOfTasks(tasks)...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Rows = s.taskRows(tasks, units, p.Lang(), s.Now())
	data.Pager = newPager(r, pg, len(tasks), total)
	if data.Documents, err = s.allDocuments(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if data.Categories, err = s.categoryLists(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if filter.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "task_list", p.T("page.tasks.title", nil), data)
}
