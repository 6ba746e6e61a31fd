package dxtrack

import (
	"context"
	"time"
)

// Task is a task (nhiệm vụ) of a programme document.
type Task struct {
	ID           int64     `json:"id"`
	DocumentID   int64     `json:"document_id"`
	Code         string    `json:"code"`
	NameVI       string    `json:"name_vi"`
	NameEN       string    `json:"name_en"`
	Group        string    `json:"group,omitempty"` // the task group it belongs to
	LeadUnitID   int64     `json:"lead_unit_id"`
	CoUnitIDs    []int64   `json:"co_unit_ids"`
	StartOn      time.Time `json:"start_on"`
	Deadline     time.Time `json:"deadline"`
	Output       string    `json:"output,omitempty"` // expected output (sản phẩm đầu ra)
	BudgetVND    int64     `json:"budget_vnd"`
	Progress     int       `json:"progress"` // percent, 0–100
	TargetIDs    []int64   `json:"target_ids"`
	PillarID     int64     `json:"pillar_id,omitempty"`
	SectorID     int64     `json:"sector_id,omitempty"`
	Illustrative bool      `json:"illustrative"`
	Note         string    `json:"note,omitempty"`
	Override     *Override `json:"override,omitempty"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Name returns the name in the language, falling back to Vietnamese.
func (t *Task) Name(lang string) string {
	if lang == "en" && t.NameEN != "" {
		return t.NameEN
	}
	return t.NameVI
}

// DerivedStatus is the status the task's progress implies on day now:
// completed at 100%; overdue past its deadline; not started at 0%;
// otherwise on track or at risk by comparing progress with the share of
// time gone.
func (t *Task) DerivedStatus(now time.Time) Status {
	now = Day(now)
	switch {
	case t.Progress >= 100:
		return StatusCompleted
	case now.After(t.Deadline):
		return StatusOverdue
	case t.Progress <= 0:
		return StatusNotStarted
	}
	return paceStatus(float64(t.Progress), t.StartOn, t.Deadline, now)
}

// Status is the override's status if there is one, else the derived status.
func (t *Task) Status(now time.Time) Status {
	if t.Override != nil {
		return t.Override.Status
	}
	return t.DerivedStatus(now)
}

// Validate checks the task against its document.
func (t *Task) Validate(doc *Document) error {
	var p Problems
	if !ValidCode(t.Code) {
		p.Add("code", "error.code_format", nil)
	}
	if t.NameVI == "" {
		p.Add("name_vi", "error.required", nil)
	}
	if t.LeadUnitID == 0 {
		p.Add("lead_unit", "error.required", nil)
	}
	for _, id := range t.CoUnitIDs {
		if id == t.LeadUnitID {
			p.Add("co_units", "error.co_unit_is_lead", nil)
			break
		}
	}
	validateSchedule(&p, doc, t.StartOn, t.Deadline)
	if t.BudgetVND < 0 {
		p.Add("budget_vnd", "error.negative", nil)
	}
	validateProgress(&p, t.Progress)
	return p.Err()
}

func validateProgress(p *Problems, v int) {
	if v < 0 || v > 100 {
		p.Add("progress", "error.percent_range", nil)
	}
}

// TaskFilter selects tasks. Zero fields do not filter.
type TaskFilter struct {
	DocumentID int64
	PillarID   int64
	LeadUnitID int64
	UnitID     int64 // led or coordinated by this unit
	TargetID   int64
	Group      string
	Status     Status // derived or overridden, as of now
	Query      string
	Page
}

// TaskUpdate is what a reporter of the lead unit may change; nil means
// unchanged.
type TaskUpdate struct {
	Progress *int
	Note     *string
}

// Validate checks the update's values.
func (u *TaskUpdate) Validate() error {
	var p Problems
	if u.Progress != nil {
		validateProgress(&p, *u.Progress)
	}
	return p.Err()
}

// TaskService manages tasks, with the permissions of TargetService.
type TaskService interface {
	FindTaskByID(ctx context.Context, id int64) (*Task, error)
	FindTasks(ctx context.Context, f TaskFilter) ([]*Task, int, error)
	CreateTask(ctx context.Context, t *Task) error
	// UpdateTask replaces the editable fields of task t.ID.
	UpdateTask(ctx context.Context, t *Task) error
	// ReportTask applies a reporter's update.
	ReportTask(ctx context.Context, id int64, upd TaskUpdate) (*Task, error)
	// SetTaskOverride sets (or, with nil, clears) a status override.
	SetTaskOverride(ctx context.Context, id int64, o *Override) (*Task, error)
	DeleteTask(ctx context.Context, id int64) error
}
