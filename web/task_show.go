package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// taskPage is the data of a task's page.
type taskPage struct {
	T           *dxtrack.Task
	Status      dxtrack.Status
	Derived     dxtrack.Status
	Why         string
	Doc         *dxtrack.Document
	Lead        *dxtrack.Unit
	CoUnits     []*dxtrack.Unit
	Pillar      *dxtrack.Category
	Sector      *dxtrack.Category
	Targets     []targetRow
	Audit       []*dxtrack.AuditEntry
	Statuses    []dxtrack.Status
	CanAdmin    bool
	CanReport   bool
	CanOverride bool
	Report      *form
	Override    *form
}

// showTask shows a task's figures, status and why, its units and targets,
// override and audit trail.
func (s *Server) showTask(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderTask(w, r, http.StatusOK, id, nil, nil)
}

func (s *Server) renderTask(w http.ResponseWriter, r *http.Request, status int, id int64, report, override *form) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	t, err := s.Tasks.FindTaskByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.Now()
	data := &taskPage{T: t, Status: t.Status(now), Derived: t.DerivedStatus(now), Statuses: dxtrack.Statuses, Report: report, Override: override}
	data.Why = taskWhy(p, t, data.Derived)
	if data.Doc, err = s.Documents.FindDocumentByID(ctx, t.DocumentID); err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.unitsByID(ctx, append([]int64{t.LeadUnitID}, t.CoUnitIDs...)...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Lead = units[t.LeadUnitID]
	for _, id := range t.CoUnitIDs {
		if u := units[id]; u != nil {
			data.CoUnits = append(data.CoUnits, u)
		}
	}
	cats, err := s.categoryLists(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Pillar, data.Sector = cats.ByID[t.PillarID], cats.ByID[t.SectorID]
	var targets []*dxtrack.Target
	for _, tid := range t.TargetIDs {
		tg, err := s.Targets.FindTargetByID(ctx, tid)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			continue
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		targets = append(targets, tg)
	}
	targetUnits, err := s.unitsByID(ctx, leadIDsOfTargets(targets)...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Targets = s.targetRows(targets, targetUnits, p.Lang(), now)
	if data.Audit, err = s.Audit.FindAudit(ctx, "task", id); err != nil {
		s.fail(w, r, err)
		return
	}
	if data.CanAdmin, data.CanReport, data.CanOverride, err = s.itemRights(ctx, t.LeadUnitID); err != nil {
		s.fail(w, r, err)
		return
	}
	if data.Report == nil {
		v := url.Values{}
		v.Set("progress", strconv.Itoa(t.Progress))
		v.Set("note", t.Note)
		data.Report = newForm(v)
	}
	if data.Override == nil {
		data.Override = overrideForm(t.Override)
	}
	s.render(w, r, status, "task_show", t.Code+" · "+t.Name(p.Lang()), data)
}

// taskWhy says in words why the task's derived status is what it is.
func taskWhy(p *locale.Printer, t *dxtrack.Task, st dxtrack.Status) string {
	args := map[string]any{
		"Deadline": p.Date(t.Deadline),
		"Progress": p.Number(int64(t.Progress)) + "%",
		"Margin":   p.Decimal(dxtrack.AtRiskMargin, 1),
	}
	switch st {
	case dxtrack.StatusCompleted:
		return p.T("why.task.completed", args)
	case dxtrack.StatusOverdue:
		return p.T("why.overdue", args)
	case dxtrack.StatusNotStarted:
		return p.T("why.task.not_started", args)
	case dxtrack.StatusAtRisk:
		return p.T("why.at_risk", args)
	}
	return p.T("why.on_track", args)
}
