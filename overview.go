package dxtrack

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// DocumentProgress is a document's completion of targets and of tasks.
type DocumentProgress struct {
	Document     *Document    `json:"document"`
	Targets      Completion   `json:"targets"`
	Tasks        Completion   `json:"tasks"`
	TargetStatus StatusCounts `json:"target_status"`
	TaskStatus   StatusCounts `json:"task_status"`
	BudgetVND    int64        `json:"budget_vnd"`
}

// GroupProgress is the completion of the targets and tasks of one group: a
// pillar or a lead unit. ID 0 gathers the items that have none.
type GroupProgress struct {
	ID      int64      `json:"id"`
	NameVI  string     `json:"name_vi"`
	NameEN  string     `json:"name_en"`
	Targets Completion `json:"targets"`
	Tasks   Completion `json:"tasks"`
	Overdue int        `json:"overdue"` // overdue targets and tasks
}

// Name returns the group's name in the language.
func (g *GroupProgress) Name(lang string) string {
	if lang == "en" && g.NameEN != "" {
		return g.NameEN
	}
	return g.NameVI
}

// All is the completion of targets and tasks together.
func (g *GroupProgress) All() Completion {
	return Completion{Done: g.Targets.Done + g.Tasks.Done, Total: g.Targets.Total + g.Tasks.Total}
}

// Overview is what a leader sees first: completion per document, per
// pillar and per lead unit, and what is overdue.
type Overview struct {
	AsOf           time.Time          `json:"as_of"`
	Documents      []DocumentProgress `json:"documents"`
	Pillars        []GroupProgress    `json:"pillars"`
	LeadUnits      []GroupProgress    `json:"lead_units"` // most overdue first
	OverdueTasks   []*Task            `json:"overdue_tasks"`
	OverdueTargets []*Target          `json:"overdue_targets"`
	TargetStatus   StatusCounts       `json:"target_status"`
	TaskStatus     StatusCounts       `json:"task_status"`
}

// OverviewFilter narrows the overview; zero fields do not filter.
type OverviewFilter struct {
	DocumentID int64 // this document and its child documents
}

// OverviewService computes the overview from the current data.
type OverviewService interface {
	Overview(ctx context.Context, f OverviewFilter) (*Overview, error)
}

// BuildOverview computes the overview on day now. Categories are the
// pillars and foundations to group by; units names the lead units.
func BuildOverview(docs []*Document, targets []*Target, tasks []*Task, categories []*Category, units map[int64]*Unit, now time.Time) *Overview {
	o := &Overview{AsOf: Day(now), TargetStatus: StatusCounts{}, TaskStatus: StatusCounts{}}
	byDoc := make(map[int64]*DocumentProgress, len(docs))
	for _, d := range docs {
		o.Documents = append(o.Documents, DocumentProgress{Document: d, TargetStatus: StatusCounts{}, TaskStatus: StatusCounts{}})
	}
	for i := range o.Documents {
		byDoc[o.Documents[i].Document.ID] = &o.Documents[i]
	}
	pillars := newGroups()
	for _, c := range categories {
		pillars.name(c.ID, c.NameVI, c.NameEN)
	}
	leads := newGroups()
	for id, u := range units {
		leads.name(id, u.NameVI, u.NameEN)
	}

	for _, t := range targets {
		s := t.Status(now)
		done, late := s == StatusCompleted, s == StatusOverdue
		o.TargetStatus[s]++
		if d := byDoc[t.DocumentID]; d != nil {
			d.Targets.Add(done)
			d.TargetStatus[s]++
		}
		for _, g := range []*GroupProgress{pillars.get(t.PillarID), leads.get(t.LeadUnitID)} {
			g.Targets.Add(done)
			if late {
				g.Overdue++
			}
		}
		if late {
			o.OverdueTargets = append(o.OverdueTargets, t)
		}
	}
	for _, t := range tasks {
		s := t.Status(now)
		done, late := s == StatusCompleted, s == StatusOverdue
		o.TaskStatus[s]++
		if d := byDoc[t.DocumentID]; d != nil {
			d.Tasks.Add(done)
			d.TaskStatus[s]++
			d.BudgetVND += t.BudgetVND
		}
		for _, g := range []*GroupProgress{pillars.get(t.PillarID), leads.get(t.LeadUnitID)} {
			g.Tasks.Add(done)
			if late {
				g.Overdue++
			}
		}
		if late {
			o.OverdueTasks = append(o.OverdueTasks, t)
		}
	}

	o.Pillars = pillars.list(func(a, b GroupProgress) int {
		return cmp.Compare(pillars.order[a.ID], pillars.order[b.ID])
	})
	o.LeadUnits = leads.list(func(a, b GroupProgress) int {
		return cmp.Or(cmp.Compare(b.Overdue, a.Overdue),
			cmp.Compare(a.All().Tenths(), b.All().Tenths()),
			cmp.Compare(a.NameVI, b.NameVI))
	})
	slices.SortStableFunc(o.OverdueTasks, func(a, b *Task) int {
		return cmp.Or(a.Deadline.Compare(b.Deadline), cmp.Compare(a.ID, b.ID))
	})
	slices.SortStableFunc(o.OverdueTargets, func(a, b *Target) int {
		return cmp.Or(a.Deadline.Compare(b.Deadline), cmp.Compare(a.ID, b.ID))
	})
	return o
}

// groups gathers GroupProgress by ID, remembering names and first-seen order.
type groups struct {
	names map[int64][2]string
	order map[int64]int
	byID  map[int64]*GroupProgress
}

func newGroups() *groups {
	return &groups{names: map[int64][2]string{}, order: map[int64]int{}, byID: map[int64]*GroupProgress{}}
}

func (g *groups) name(id int64, vi, en string) {
	g.names[id] = [2]string{vi, en}
	if _, ok := g.order[id]; !ok {
		g.order[id] = len(g.order)
	}
}

func (g *groups) get(id int64) *GroupProgress {
	p := g.byID[id]
	if p == nil {
		n := g.names[id]
		p = &GroupProgress{ID: id, NameVI: n[0], NameEN: n[1]}
		g.byID[id] = p
		if _, ok := g.order[id]; !ok {
			g.order[id] = len(g.order) + 1<<20 // unnamed groups last
		}
	}
	return p
}

func (g *groups) list(less func(a, b GroupProgress) int) []GroupProgress {
	out := make([]GroupProgress, 0, len(g.byID))
	for _, p := range g.byID {
		out = append(out, *p)
	}
	slices.SortFunc(out, less)
	return out
}
