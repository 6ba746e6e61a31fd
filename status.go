package dxtrack

import (
	"strings"
	"time"
)

// Status is where a target or task stands.
type Status string

// Statuses, in display order.
const (
	StatusCompleted  Status = "completed"
	StatusOnTrack    Status = "on_track"
	StatusAtRisk     Status = "at_risk"
	StatusOverdue    Status = "overdue"
	StatusNotStarted Status = "not_started"
)

// Statuses lists the statuses in display order.
var Statuses = []Status{StatusCompleted, StatusOnTrack, StatusAtRisk, StatusOverdue, StatusNotStarted}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// AtRiskMargin is how many percentage points of progress an item may lag
// behind the share of its time that has passed before it is at risk.
const AtRiskMargin = 15.0

// Override is a status set by hand over the derived one. It needs a reason
// and is kept in the item's history.
type Override struct {
	Status Status    `json:"status"`
	Reason string    `json:"reason"`
	By     int64     `json:"by"`
	ByName string    `json:"by_name"`
	At     time.Time `json:"at"`
}

// Validate checks that the override names a status and gives a reason.
func (o *Override) Validate() error {
	var p Problems
	if !o.Status.Valid() {
		p.Add("override_status", "error.unknown_value", map[string]any{"Value": string(o.Status)})
	}
	if len([]rune(strings.TrimSpace(o.Reason))) < 5 {
		p.Add("override_reason", "error.reason_required", nil)
	}
	return p.Err()
}

// expectedProgress is the share of the window [start, deadline] that has
// passed on day now, in percent.
func expectedProgress(start, deadline, now time.Time) float64 {
	total := deadline.Sub(start)
	if total <= 0 || !now.After(start) {
		return 0
	}
	done := now.Sub(start)
	if done >= total {
		return 100
	}
	return 100 * float64(done) / float64(total)
}

// paceStatus compares progress with the time that has passed: the common
// tail of the target and task rules once completion and lateness are ruled
// out.
func paceStatus(progress float64, start, deadline, now time.Time) Status {
	if progress+AtRiskMargin < expectedProgress(start, deadline, now) {
		return StatusAtRisk
	}
	return StatusOnTrack
}
