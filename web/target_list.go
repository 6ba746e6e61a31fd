package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// targetListPage is the data of the target list.
type targetListPage struct {
	Rows       []targetRow
	Filter     *form // the filter as typed
	Pager      pager
	Documents  []*dxtrack.Document
	Categories *categoryLists
	Statuses   []dxtrack.Status
	CanAdd     bool
}

// listTargets lists targets by document, pillar, sector, lead unit, status
// and words of the name or code.
func (s *Server) listTargets(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	q := r.URL.Query()
	pg := pageOf(r)
	f := dxtrack.TargetFilter{
		DocumentID: queryID(r, "document"),
		PillarID:   queryID(r, "pillar"),
		SectorID:   queryID(r, "sector"),
		Status:     dxtrack.Status(q.Get("status")),
		Query:      q.Get("q"),
		Page:       pg,
	}
	if !f.Status.Valid() {
		f.Status = ""
	}
	filter := newForm(q)
	id, err := s.unitIDByCode(ctx, "lead_unit", q.Get("lead_unit"))
	if filter.addError(p, err, nil) {
		// An unknown unit code finds nothing rather than everything.
		id = -1
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	f.LeadUnitID = id
	data := targetListPage{Filter: filter, Statuses: dxtrack.Statuses, CanAdd: dxtrack.UserFromContext(ctx).Role == dxtrack.RoleAdmin}
	var targets []*dxtrack.Target
	total := 0
	if id >= 0 {
		if targets, total, err = s.Targets.FindTargets(ctx, f); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	units, err := s.unitsByID(ctx, leadIDsOfTargets(targets)...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Rows = s.targetRows(targets, units, p.Lang(), s.Now())
	data.Pager = newPager(r, pg, len(targets), total)
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
	s.render(w, r, status, "target_list", p.T("page.targets.title", nil), data)
}
