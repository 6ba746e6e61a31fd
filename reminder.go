package dxtrack

import (
	"fmt"
	"time"
)

// ReminderKind says why a reminder goes out.
type ReminderKind string

// Reminder kinds.
const (
	RemindBefore  ReminderKind = "before"  // N days before the deadline
	RemindDue     ReminderKind = "due"     // on the deadline
	RemindOverdue ReminderKind = "overdue" // after it, copied to the unit's head
	RemindDigest  ReminderKind = "digest"  // weekly summary for leaders
)

// Reminder is one message to send. Key is unique per message so that a
// reminder is sent once however often the planner runs.
type Reminder struct {
	Key      string       `json:"key"`
	Kind     ReminderKind `json:"kind"`
	RegimeID int64        `json:"regime_id"`
	Period   Period       `json:"period"`
	UnitID   int64        `json:"unit_id,omitempty"`
	Deadline time.Time    `json:"deadline"`
	To       []string     `json:"to"`
	Cc       []string     `json:"cc,omitempty"`
}

// OverdueEvery is how often an overdue report is reminded again.
const OverdueEvery = 7

// Contacts are the addresses of a unit: its reporters and its head.
type Contacts struct {
	Reporters []string
	Head      string
}

// PlanReminders lists the reminders due on day now for the units of a
// completeness table that have not submitted: once within RemindDays
// before the deadline, once on the deadline, and the day after it and every OverdueEvery
// days after that, with the unit's head in copy. Units without an address
// are skipped.
func PlanReminders(c *Completeness, contacts map[int64]Contacts, now time.Time) []Reminder {
	today := Day(now)
	var out []Reminder
	for _, line := range c.Units {
		if line.Timeliness != Pending && line.Timeliness != Missing {
			continue
		}
		ct := contacts[line.Unit.ID]
		days := int(c.Deadline.Sub(today).Hours() / 24) // days left; negative when late
		var kind ReminderKind
		var cc []string
		switch {
		case days > 0 && days <= c.Regime.RemindDays:
			kind = RemindBefore
		case days == 0:
			kind = RemindDue
		case days < 0 && (-days-1)%OverdueEvery == 0:
			kind = RemindOverdue
			if ct.Head != "" {
				cc = []string{ct.Head}
			}
		default:
			continue
		}
		to := ct.Reporters
		if len(to) == 0 && ct.Head != "" {
			to, cc = []string{ct.Head}, nil
		}
		if len(to) == 0 {
			continue
		}
		// The first two kinds go out once each; overdue ones once per round.
		key := fmt.Sprintf("%s/%d/%s/%d", kind, c.Regime.ID, c.Period.Key(), line.Unit.ID)
		if kind == RemindOverdue {
			key += "/" + FormatDate(today)
		}
		out = append(out, Reminder{
			Key:  key,
			Kind: kind, RegimeID: c.Regime.ID, Period: c.Period, UnitID: line.Unit.ID,
			Deadline: c.Deadline, To: to, Cc: cc,
		})
	}
	return out
}

// DigestDay is the weekday the leaders' digest goes out.
const DigestDay = time.Monday

// DigestKey is the idempotency key of the week's digest to an address.
func DigestKey(to string, now time.Time) string {
	y, w := Day(now).ISOWeek()
	return fmt.Sprintf("%s/%d-W%02d/%s", RemindDigest, y, w, to)
}
