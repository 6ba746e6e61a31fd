package web

import (
	"time"

	"github.com/dxtrack/dxtrack"
)

// targetRow is a target as a list shows it: its status on the day and its
// lead unit's name.
type targetRow struct {
	*dxtrack.Target
	Status dxtrack.Status
	Lead   string
}

// taskRow is a task as a list shows it.
type taskRow struct {
	*dxtrack.Task
	Status dxtrack.Status
	Lead   string
}

func (s *Server) targetRows(targets []*dxtrack.Target, units map[int64]*dxtrack.Unit, lang string, now time.Time) []targetRow {
	rows := make([]targetRow, len(targets))
	for i, t := range targets {
		rows[i] = targetRow{Target: t, Status: t.Status(now)}
		if u := units[t.LeadUnitID]; u != nil {
			rows[i].Lead = u.Name(lang)
		}
	}
	return rows
}

func (s *Server) taskRows(tasks []*dxtrack.Task, units map[int64]*dxtrack.Unit, lang string, now time.Time) []taskRow {
	rows := make([]taskRow, len(tasks))
	for i, t := range tasks {
		rows[i] = taskRow{Task: t, Status: t.Status(now)}
		if u := units[t.LeadUnitID]; u != nil {
			rows[i].Lead = u.Name(lang)
		}
	}
	return rows
}

// leadIDsOfTargets lists the lead units of targets, for fetching names.
func leadIDsOfTargets(targets []*dxtrack.Target) []int64 {
	ids := make([]int64, 0, len(targets))
	for _, t := range targets {
		ids = append(ids, t.LeadUnitID)
	}
	return ids
}

func leadIDsOfTasks(tasks []*dxtrack.Task) []int64 {
	ids := make([]int64, 0, len(tasks))
	for _, t := range tasks {
		ids = append(ids, t.LeadUnitID)
	}
	return ids
}
