package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// overviewPage is the data of the leaders' overview.
type overviewPage struct {
	O              *dxtrack.Overview
	Targets        dxtrack.Completion // all targets shown
	Tasks          dxtrack.Completion // all tasks shown
	Overdue        int
	Documents      []*dxtrack.Document // for the filter
	DocumentID     int64
	LeadNames      map[int64]string
	LeadTop        []dxtrack.GroupProgress // the most overdue lead units
	LeadRest       []dxtrack.GroupProgress // the others, folded away
	OverdueTargets []targetRow             // the first few; the list links to all
	OverdueTasks   []taskRow
	Chart          overviewChart
	Reporting      []reportingLine // periodic reports of the due periods
}

// maxOverdueShown and maxLeadShown keep the overview to a screenful or
// two; the lists and a fold give the rest.
const (
	maxOverdueShown = 10
	maxLeadShown    = 12
)

// overviewChart is the JSON island app.js draws the charts from. Labels
// are formatted here so that charts read "40,7%" like the tables.
type overviewChart struct {
	Targets string       `json:"targets"`
	Tasks   string       `json:"tasks"`
	Status  []chartSlice `json:"status"`
	Pillars chartBars    `json:"pillars"`
	Units   chartBars    `json:"units"`
}

type chartSlice struct {
	Key     string `json:"key"`
	Name    string `json:"name"`
	Targets int    `json:"targets"`
	Tasks   int    `json:"tasks"`
}

type chartBars struct {
	Names        []string  `json:"names"`
	Targets      []float64 `json:"targets"`
	Tasks        []float64 `json:"tasks"`
	TargetLabels []string  `json:"target_labels"`
	TaskLabels   []string  `json:"task_labels"`
}

func (s *Server) showOverview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	docID := queryID(r, "document")
	o, err := s.Overview.Overview(ctx, dxtrack.OverviewFilter{DocumentID: docID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	docs, err := s.allDocuments(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := overviewPage{
		O:          o,
		Targets:    o.TargetStatus.Completion(),
		Tasks:      o.TaskStatus.Completion(),
		Overdue:    len(o.OverdueTargets) + len(o.OverdueTasks),
		Documents:  docs,
		DocumentID: docID,
		LeadNames:  map[int64]string{},
	}
	for _, g := range o.LeadUnits {
		data.LeadNames[g.ID] = g.Name(p.Lang())
	}
	data.LeadTop = o.LeadUnits
	if len(o.LeadUnits) > maxLeadShown {
		data.LeadTop, data.LeadRest = o.LeadUnits[:maxLeadShown], o.LeadUnits[maxLeadShown:]
	}
	for _, t := range o.OverdueTargets[:min(len(o.OverdueTargets), maxOverdueShown)] {
		data.OverdueTargets = append(data.OverdueTargets, targetRow{Target: t, Status: dxtrack.StatusOverdue, Lead: data.LeadNames[t.LeadUnitID]})
	}
	for _, t := range o.OverdueTasks[:min(len(o.OverdueTasks), maxOverdueShown)] {
		data.OverdueTasks = append(data.OverdueTasks, taskRow{Task: t, Status: dxtrack.StatusOverdue, Lead: data.LeadNames[t.LeadUnitID]})
	}
	data.Chart = overviewChartOf(p, o)
	if data.Reporting, err = s.reportingSummary(ctx, p); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "overview", p.T("page.overview.title", nil), data)
}

func overviewChartOf(p *locale.Printer, o *dxtrack.Overview) overviewChart {
	c := overviewChart{Targets: p.T("overview.targets", nil), Tasks: p.T("overview.tasks", nil)}
	for _, st := range dxtrack.Statuses {
		c.Status = append(c.Status, chartSlice{
			Key: string(st), Name: p.T("status."+string(st), nil),
			Targets: o.TargetStatus[st], Tasks: o.TaskStatus[st],
		})
	}
	bars := func(groups []dxtrack.GroupProgress, limit int) chartBars {
		b := chartBars{Names: []string{}, Targets: []float64{}, Tasks: []float64{}, TargetLabels: []string{}, TaskLabels: []string{}}
		for i, g := range groups {
			if i == limit {
				break
			}
			name := g.Name(p.Lang())
			if name == "" {
				name = p.T("overview.none", nil)
			}
			b.Names = append(b.Names, name)
			b.Targets = append(b.Targets, g.Targets.Percent())
			b.Tasks = append(b.Tasks, g.Tasks.Percent())
			b.TargetLabels = append(b.TargetLabels, p.Completion(g.Targets))
			b.TaskLabels = append(b.TaskLabels, p.Completion(g.Tasks))
		}
		return b
	}
	c.Pillars = bars(o.Pillars, -1)
	c.Units = bars(o.LeadUnits, maxLeadShown)
	return c
}
