package web

import (
	"net/http"
	"net/url"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// targetPage is the data of a target's page.
type targetPage struct {
	T           *dxtrack.Target
	Status      dxtrack.Status // shown: the override's or the derived one
	Derived     dxtrack.Status
	Why         string
	Progress    float64
	HasProgress bool
	Doc         *dxtrack.Document
	Lead        *dxtrack.Unit
	Pillar      *dxtrack.Category
	Sector      *dxtrack.Category
	Tasks       []taskRow
	Audit       []*dxtrack.AuditEntry
	Statuses    []dxtrack.Status
	CanAdmin    bool
	CanReport   bool
	CanOverride bool
	Report      *form
	Override    *form
}

// showTarget shows a target's figures, status and why, override and
// audit trail, with the forms the user may use.
func (s *Server) showTarget(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderTarget(w, r, http.StatusOK, id, nil, nil)
}

// renderTarget shows the target page, with the report or override form
// as entered when it was refused.
func (s *Server) renderTarget(w http.ResponseWriter, r *http.Request, status int, id int64, report, override *form) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	t, err := s.Targets.FindTargetByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.Now()
	data := &targetPage{T: t, Status: t.Status(now), Derived: t.DerivedStatus(now), Statuses: dxtrack.Statuses, Report: report, Override: override}
	data.Progress, data.HasProgress = t.Progress()
	data.Why = targetWhy(p, t, data.Derived, data.Progress, data.HasProgress)
	if data.Doc, err = s.Documents.FindDocumentByID(ctx, t.DocumentID); err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.unitsByID(ctx, t.LeadUnitID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Lead = units[t.LeadUnitID]
	cats, err := s.categoryLists(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Pillar, data.Sector = cats.ByID[t.PillarID], cats.ByID[t.SectorID]
	tasks, _, err := s.Tasks.FindTasks(ctx, dxtrack.TaskFilter{TargetID: id, Page: dxtrack.Page{Limit: 200}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	taskUnits, err := s.unitsByID(ctx, leadIDsOfTasks(tasks)...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Tasks = s.taskRows(tasks, taskUnits, p.Lang(), now)
	if data.Audit, err = s.Audit.FindAudit(ctx, "target", id); err != nil {
		s.fail(w, r, err)
		return
	}
	if data.CanAdmin, data.CanReport, data.CanOverride, err = s.itemRights(ctx, t.LeadUnitID); err != nil {
		s.fail(w, r, err)
		return
	}
	if data.Report == nil {
		v := url.Values{}
		if t.Current != nil {
			v.Set("current", p.Decimal(*t.Current, 6))
		}
		if t.Done {
			v.Set("done", "1")
		}
		v.Set("note", t.Note)
		data.Report = newForm(v)
	}
	if data.Override == nil {
		data.Override = overrideForm(t.Override)
	}
	s.render(w, r, status, "target_show", t.Code+" · "+t.Name(p.Lang()), data)
}

// targetWhy says in words why the derived status is what it is.
func targetWhy(p *locale.Printer, t *dxtrack.Target, st dxtrack.Status, progress float64, hasProgress bool) string {
	args := map[string]any{"Deadline": p.Date(t.Deadline), "Margin": p.Decimal(dxtrack.AtRiskMargin, 1)}
	if hasProgress {
		args["Progress"] = p.Decimal(progress, 1) + "%"
	}
	if t.Current != nil {
		args["Current"] = p.Decimal(*t.Current, 2)
	}
	if t.Value != nil {
		args["Value"] = p.Decimal(*t.Value, 2)
	}
	qual := t.Kind == dxtrack.TargetQualitative
	switch {
	case st == dxtrack.StatusCompleted && qual:
		return p.T("why.target.done", args)
	case st == dxtrack.StatusCompleted:
		return p.T("why.target.met", args)
	case st == dxtrack.StatusOverdue:
		return p.T("why.overdue", args)
	case st == dxtrack.StatusNotStarted:
		return p.T("why.target.not_reported", args)
	case qual && st == dxtrack.StatusAtRisk:
		return p.T("why.target.qualitative_at_risk", args)
	case qual:
		return p.T("why.target.qualitative_on_track", args)
	case st == dxtrack.StatusAtRisk:
		return p.T("why.at_risk", args)
	}
	return p.T("why.on_track", args)
}
