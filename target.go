package dxtrack

import (
	"context"
	"math"
	"time"
)

// TargetKind says how a target is measured.
type TargetKind string

// Target kinds.
const (
	TargetQuantitative TargetKind = "quantitative" // a value against a target value
	TargetQualitative  TargetKind = "qualitative"  // done or not done
)

// Direction says which way a quantitative target improves.
type Direction string

// Directions.
const (
	DirectionUp   Direction = "up"   // higher is better
	DirectionDown Direction = "down" // lower is better
)

// Target is a target (mục tiêu, chỉ tiêu) of a programme document.
type Target struct {
	ID           int64      `json:"id"`
	DocumentID   int64      `json:"document_id"`
	Code         string     `json:"code"`
	NameVI       string     `json:"name_vi"`
	NameEN       string     `json:"name_en"`
	Kind         TargetKind `json:"kind"`
	Measure      string     `json:"measure,omitempty"`  // unit of measure: "%", "hồ sơ"
	Baseline     *float64   `json:"baseline,omitempty"` // value at StartOn
	Value        *float64   `json:"value,omitempty"`    // the target value
	Current      *float64   `json:"current,omitempty"`  // the latest reported value
	Direction    Direction  `json:"direction,omitempty"`
	Done         bool       `json:"done"` // qualitative targets
	StartOn      time.Time  `json:"start_on"`
	Deadline     time.Time  `json:"deadline"`
	PillarID     int64      `json:"pillar_id,omitempty"`
	SectorID     int64      `json:"sector_id,omitempty"`
	LeadUnitID   int64      `json:"lead_unit_id"`
	Illustrative bool       `json:"illustrative"` // name made up where the sources give only counts
	Note         string     `json:"note,omitempty"`
	Override     *Override  `json:"override,omitempty"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// Name returns the name in the language, falling back to Vietnamese.
func (t *Target) Name(lang string) string {
	if lang == "en" && t.NameEN != "" {
		return t.NameEN
	}
	return t.NameVI
}

// Met reports whether the target is reached: a qualitative target is done,
// a quantitative one has a current value at or beyond its target value.
func (t *Target) Met() bool {
	if t.Kind == TargetQualitative {
		return t.Done
	}
	if t.Current == nil || t.Value == nil {
		return false
	}
	if t.Direction == DirectionDown {
		return *t.Current <= *t.Value
	}
	return *t.Current >= *t.Value
}

// Progress returns how far a quantitative target has come from its
// baseline (zero if none) toward its value, in percent clamped to 0–100,
// and false when it cannot be said.
func (t *Target) Progress() (float64, bool) {
	if t.Kind != TargetQuantitative || t.Current == nil || t.Value == nil {
		return 0, false
	}
	if t.Met() {
		return 100, true
	}
	base := 0.0
	if t.Baseline != nil {
		base = *t.Baseline
	}
	span := *t.Value - base
	if span == 0 {
		return 0, false
	}
	p := 100 * (*t.Current - base) / span
	return math.Max(0, math.Min(100, p)), true
}

// DerivedStatus is the status the target's figures imply on day now:
// completed when met; overdue when its deadline has passed; not started
// when nothing has been reported; otherwise on track or at risk by
// comparing progress with the share of time gone.
func (t *Target) DerivedStatus(now time.Time) Status {
	now = Day(now)
	switch {
	case t.Met():
		return StatusCompleted
	case now.After(t.Deadline):
		return StatusOverdue
	case t.Kind == TargetQualitative:
		// Nothing to measure before it is done: only the last stretch of
		// its time puts it at risk.
		if expectedProgress(t.StartOn, t.Deadline, now) > 100-AtRiskMargin {
			return StatusAtRisk
		}
		return StatusOnTrack
	}
	p, ok := t.Progress()
	if !ok {
		return StatusNotStarted
	}
	return paceStatus(p, t.StartOn, t.Deadline, now)
}

// Status is the override's status if there is one, else the derived status.
func (t *Target) Status(now time.Time) Status {
	if t.Override != nil {
		return t.Override.Status
	}
	return t.DerivedStatus(now)
}

// Validate checks the target against its document.
func (t *Target) Validate(doc *Document) error {
	var p Problems
	if !ValidCode(t.Code) {
		p.Add("code", "error.code_format", nil)
	}
	if t.NameVI == "" {
		p.Add("name_vi", "error.required", nil)
	}
	switch t.Kind {
	case TargetQuantitative:
		if t.Value == nil {
			p.Add("value", "error.required", nil)
		}
		if t.Direction != DirectionUp && t.Direction != DirectionDown {
			p.Add("direction", "error.unknown_value", map[string]any{"Value": string(t.Direction)})
		}
		for field, v := range map[string]*float64{"baseline": t.Baseline, "value": t.Value, "current": t.Current} {
			if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
				p.Add(field, "error.number", nil)
			}
		}
	case TargetQualitative:
	default:
		p.Add("kind", "error.unknown_value", map[string]any{"Value": string(t.Kind)})
	}
	validateSchedule(&p, doc, t.StartOn, t.Deadline)
	if t.LeadUnitID == 0 {
		p.Add("lead_unit", "error.required", nil)
	}
	return p.Err()
}

// validateSchedule checks a start day and deadline against the document.
func validateSchedule(p *Problems, doc *Document, start, deadline time.Time) {
	if deadline.IsZero() {
		p.Add("deadline", "error.required", nil)
	} else if doc != nil && deadline.Before(doc.IssuedOn) {
		p.Add("deadline", "error.deadline_before_document", map[string]any{"Date": FormatDate(doc.IssuedOn)})
	} else if !start.IsZero() && deadline.Before(start) {
		p.Add("deadline", "error.date_before", map[string]any{"Other": FormatDate(start)})
	}
}

// TargetFilter selects targets. Zero fields do not filter.
type TargetFilter struct {
	DocumentID int64
	PillarID   int64
	SectorID   int64
	LeadUnitID int64
	Status     Status // derived or overridden, as of now
	Query      string
	Page
}

// TargetUpdate is what a reporter of the lead unit may change without
// being an admin; nil means unchanged.
type TargetUpdate struct {
	Current *float64
	Done    *bool
	Note    *string
}

// TargetService manages targets. Reading needs a signed-in user. Creating,
// deleting and full edits need an admin over the lead unit; the lead
// unit's reporter may apply a TargetUpdate; admins and reviewers over the
// lead unit may override the status. Every change is audited.
type TargetService interface {
	FindTargetByID(ctx context.Context, id int64) (*Target, error)
	FindTargets(ctx context.Context, f TargetFilter) ([]*Target, int, error)
	CreateTarget(ctx context.Context, t *Target) error
	// UpdateTarget replaces the editable fields of target t.ID.
	UpdateTarget(ctx context.Context, t *Target) error
	// ReportTarget applies a reporter's update.
	ReportTarget(ctx context.Context, id int64, upd TargetUpdate) (*Target, error)
	// SetTargetOverride sets (or, with nil, clears) a status override.
	SetTargetOverride(ctx context.Context, id int64, o *Override) (*Target, error)
	DeleteTarget(ctx context.Context, id int64) error
}
