package dxtrack

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"
)

// ReportStatus is where a report stands in review.
type ReportStatus string

// Report statuses: draft → submitted → approved, or returned → submitted.
const (
	ReportDraft     ReportStatus = "draft"
	ReportSubmitted ReportStatus = "submitted"
	ReportReturned  ReportStatus = "returned"
	ReportApproved  ReportStatus = "approved" // locked
)

// Report is one unit's report for one period under a regime.
type Report struct {
	ID       int64        `json:"id"`
	RegimeID int64        `json:"regime_id"`
	UnitID   int64        `json:"unit_id"`
	Period   Period       `json:"period"`
	Status   ReportStatus `json:"status"`
	// Level counts the review levels that approved the current submission.
	Level    int               `json:"level"`
	Values   []ReportValue     `json:"values"`
	Tasks    []TaskEntry       `json:"tasks"`
	Targets  []TargetEntry     `json:"targets"`
	Sections map[string]string `json:"sections"`
	Comment  string            `json:"comment,omitempty"` // the last return comment or unlock reason
	Deadline time.Time         `json:"deadline"`
	// SubmittedAt is the first submission; Late says it came after the deadline.
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	Late        bool      `json:"late"`
	ApprovedAt  time.Time `json:"approved_at,omitzero"`
	// Version grows with every save; a save that carries an older version
	// is refused, so two tabs cannot overwrite each other silently.
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy int64     `json:"updated_by"`
}

// ReportValue is the value of one indicator of the form.
type ReportValue struct {
	IndicatorID int64    `json:"indicator_id"`
	Value       *float64 `json:"value"`
	// Prefilled marks a value copied from the previous period that the
	// unit has not yet touched.
	Prefilled bool   `json:"prefilled"`
	Note      string `json:"note,omitempty"`
	// Reason is why the unit corrects a figure that came from another
	// system (ReportForm.Automatic). It travels with a save to the value
	// store's audit trail and is not kept with the report.
	Reason string `json:"reason,omitempty"`
}

// TaskEntry is the progress of one of the unit's tasks.
type TaskEntry struct {
	TaskID         int64  `json:"task_id"`
	Progress       *int   `json:"progress"`
	Narrative      string `json:"narrative,omitempty"`
	EvidenceNumber string `json:"evidence_number,omitempty"` // số văn bản
	EvidenceURL    string `json:"evidence_url,omitempty"`
	EvidenceFileID int64  `json:"evidence_file_id,omitempty"`
}

// TargetEntry is the figure of one of the unit's targets.
type TargetEntry struct {
	TargetID int64    `json:"target_id"`
	Current  *float64 `json:"current,omitempty"`
	Done     *bool    `json:"done,omitempty"`
	Note     string   `json:"note,omitempty"`
}

// Locked reports whether the report can no longer be edited.
func (r *Report) Locked() bool { return r.Status == ReportApproved }

// Editable reports whether the reporting unit may change the report.
func (r *Report) Editable() bool { return r.Status == ReportDraft || r.Status == ReportReturned }

// Value returns the value of an indicator, or nil.
func (r *Report) Value(indicatorID int64) *float64 {
	for _, v := range r.Values {
		if v.IndicatorID == indicatorID {
			return v.Value
		}
	}
	return nil
}

// Issue is a problem found in a report: blocking ones stop submission,
// the others warn. Field names the place: "value.CODE",
// "task.ID.progress", "section.CODE", "rule.N".
type Issue struct {
	Field    string         `json:"field"`
	MsgID    string         `json:"msg_id"`
	Args     map[string]any `json:"args,omitempty"`
	Blocking bool           `json:"blocking"`
}

// Blocking reports whether any issue blocks submission.
func Blocking(issues []Issue) bool {
	for _, i := range issues {
		if i.Blocking {
			return true
		}
	}
	return false
}

// History is what earlier periods reported for one indicator, oldest first.
type History map[int64][]float64

// CheckReport validates a report against its regime: value types and
// ranges, task progress, cross-field rules, outliers against history and,
// when submitting, required values and sections.
func CheckReport(rg *Regime, indicators map[int64]*Indicator, r *Report, hist History, submitting bool) []Issue {
	var out []Issue
	add := func(field, msg string, args map[string]any, blocking bool) {
		out = append(out, Issue{Field: field, MsgID: msg, Args: args, Blocking: blocking})
	}
	byCode := map[string]*float64{}
	for _, it := range rg.Items {
		in := indicators[it.IndicatorID]
		if in == nil {
			continue
		}
		field := "value." + in.Code
		v := r.Value(in.ID)
		byCode[in.Code] = v
		if v == nil {
			if submitting && it.Required {
				add(field, "error.required", nil, true)
			}
			continue
		}
		if msg, args := in.CheckValue(*v); msg != "" {
			add(field, msg, args, true)
			continue
		}
		h := hist[in.ID]
		if len(h) == 0 {
			continue
		}
		last := h[len(h)-1]
		if rg.OutlierShare > 0 && last != 0 && math.Abs(*v-last) > rg.OutlierShare*math.Abs(last) {
			add(field, "warn.outlier_jump", map[string]any{"Last": last, "Share": math.Round(100 * math.Abs(*v-last) / math.Abs(last))}, false)
		} else if len(h) >= 3 {
			lo, hi := h[0], h[0]
			for _, x := range h {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
			if *v < lo || *v > hi {
				add(field, "warn.outlier_range", map[string]any{"Min": lo, "Max": hi}, false)
			}
		}
	}
	operand := func(s string) (float64, bool) {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f, true
		}
		if v := byCode[s]; v != nil {
			return *v, true
		}
		return 0, false
	}
	for i, ru := range rg.Rules {
		a, okA := operand(ru.Left)
		b, okB := operand(ru.Right)
		if okA && okB && !ru.Op.Holds(a, b) {
			msg := "warn.rule"
			if ru.Blocking {
				msg = "error.rule"
			}
			add("rule."+strconv.Itoa(i+1), msg, map[string]any{
				"Left": ru.Left, "Op": string(ru.Op), "Right": ru.Right, "MessageVI": ru.MessageVI, "MessageEN": ru.MessageEN,
			}, ru.Blocking)
		}
	}
	for _, te := range r.Tasks {
		if te.Progress != nil && (*te.Progress < 0 || *te.Progress > 100) {
			add("task."+strconv.FormatInt(te.TaskID, 10)+".progress", "error.percent_range", nil, true)
		}
	}
	if submitting {
		for _, s := range rg.Sections {
			if s.Required && strings.TrimSpace(r.Sections[s.Code]) == "" {
				add("section."+s.Code, "error.required", nil, true)
			}
		}
	}
	return out
}

// ReportAction is a step of the review workflow.
type ReportAction string

// Report actions.
const (
	ActionSubmit  ReportAction = "submit"
	ActionApprove ReportAction = "approve"
	ActionReturn  ReportAction = "return"
	ActionUnlock  ReportAction = "unlock"
)

// Apply performs a workflow step on the report at time now. level is the
// index in rg.Levels() of the unit the acting reviewer speaks for (-1 for
// the reporting unit). It refuses (ECONFLICT, or EINVALID for a missing
// comment) a step the report's state does not allow; permissions are the
// caller's to check.
func (r *Report) Apply(rg *Regime, action ReportAction, level int, comment string, now time.Time) error {
	levels := len(rg.Levels())
	comment = strings.TrimSpace(comment)
	switch action {
	case ActionSubmit:
		if !r.Editable() {
			return Errorf(ECONFLICT, "error.report_not_editable", nil)
		}
		if r.SubmittedAt.IsZero() {
			r.SubmittedAt = now
			r.Late = !r.Deadline.IsZero() && Day(now).After(r.Deadline)
		}
		r.Status, r.Level = ReportSubmitted, 0
	case ActionApprove:
		if r.Status != ReportSubmitted {
			return Errorf(ECONFLICT, "error.report_not_submitted", nil)
		}
		if level < r.Level || level >= levels {
			return Errorf(ECONFLICT, "error.report_level_done", nil)
		}
		if level > r.Level && !rg.SkipLevels {
			return Errorf(ECONFLICT, "error.report_lower_level", nil)
		}
		r.Level = level + 1
		if r.Level >= levels {
			r.Status, r.ApprovedAt = ReportApproved, now
		}
	case ActionReturn:
		if r.Status != ReportSubmitted {
			return Errorf(ECONFLICT, "error.report_not_submitted", nil)
		}
		if comment == "" {
			return Invalid("comment", "error.comment_required", nil)
		}
		r.Status, r.Level, r.Comment = ReportReturned, 0, comment
	case ActionUnlock:
		if r.Status != ReportApproved {
			return Errorf(ECONFLICT, "error.report_not_locked", nil)
		}
		if len([]rune(comment)) < 5 {
			return Invalid("comment", "error.reason_required", nil)
		}
		r.Status, r.Level, r.Comment, r.ApprovedAt = ReportReturned, 0, comment, time.Time{}
	default:
		return Errorf(EINVALID, "error.unknown_value", map[string]any{"Value": string(action)})
	}
	return nil
}

// ReportFilter selects reports.
type ReportFilter struct {
	RegimeID int64
	Period   *Period
	UnitID   int64
	Status   ReportStatus
}

// Evidence is a file attached to a report as proof of a task's output.
type Evidence struct {
	ID          int64     `json:"id"`
	ReportID    int64     `json:"report_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	Data        []byte    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
}

// MaxEvidenceSize bounds an uploaded evidence file.
const MaxEvidenceSize = 20 << 20

// ReportService keeps reports. The reporting unit's reporters (and admins
// over it) edit and submit; reviewers and admins over a review level
// approve or return at that level; admins unlock. Every transition and
// every changed value is audited (entity "report").
type ReportService interface {
	// OpenReport returns the unit's report for the period, creating a
	// draft prefilled with the previous period's values if there is none.
	OpenReport(ctx context.Context, regimeID, unitID int64, p Period) (*Report, error)
	FindReportByID(ctx context.Context, id int64) (*Report, error)
	FindReports(ctx context.Context, f ReportFilter) ([]*Report, error)
	// SaveReport stores the editable content of a draft or returned
	// report (values, tasks, targets, sections) if r.Version is current
	// (ECONFLICT otherwise), and returns the issues CheckReport finds.
	// Values failing type or range are refused (EINVALID naming them) and
	// nothing is written.
	SaveReport(ctx context.Context, r *Report) (*Report, []Issue, error)
	// Act performs a workflow step; submitting with blocking issues is
	// refused with EINVALID and the issues as field errors.
	Act(ctx context.Context, id int64, action ReportAction, comment string) (*Report, error)
	// AttachEvidence stores a file for a task entry of an editable report.
	AttachEvidence(ctx context.Context, reportID, taskID int64, e *Evidence) error
	// FindEvidence returns an evidence file with its data.
	FindEvidence(ctx context.Context, id int64) (*Evidence, error)
	// Completeness says, per reporting unit, whether the period's report is
	// in on time, late or missing.
	Completeness(ctx context.Context, regimeID int64, p Period) (*Completeness, error)
	// Consolidated is the province's table of the period across units.
	Consolidated(ctx context.Context, regimeID int64, p Period) (*Consolidated, error)
	// Form returns a report with everything needed to show or export it.
	Form(ctx context.Context, reportID int64) (*ReportForm, error)
}

// ReportForm is everything needed to show, print or export one report:
// the regime, the unit, the period, the form's indicators in order, the
// unit's tasks and targets when the regime includes them, and the report.
type ReportForm struct {
	Regime     *Regime      `json:"regime"`
	Unit       *Unit        `json:"unit"`
	Period     Period       `json:"period"`
	Deadline   time.Time    `json:"deadline"`
	Indicators []*Indicator `json:"indicators"` // in the order of Regime.Items
	Tasks      []*Task      `json:"tasks"`
	Targets    []*Target    `json:"targets"`
	Report     *Report      `json:"report"`
	// Previous holds last period's values per indicator, for prefill and
	// outlier checks.
	Previous map[int64]*float64 `json:"previous"`
	// Automatic holds, per indicator, the value store's figure for the
	// unit and period when another system supplied it (provenance
	// machine) or the unit corrected such a figure (corrected): the form
	// shows it locked, and changing it is a correction with a reason.
	Automatic map[int64]*AutoValue `json:"automatic"`
}

// AutoValue is a figure of the value store that a report form shows
// locked, with the last change's author and audit reason: the system it
// came from for a machine value, why for a correction.
type AutoValue struct {
	Value
	ByName string `json:"by_name,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// ReminderStore is what the reminder job needs from the store.
type ReminderStore interface {
	// ClaimReminder records that the message with key is going out; it
	// returns false when it already went (or is going) out.
	ClaimReminder(ctx context.Context, key string, at time.Time) (bool, error)
	// ReleaseReminder forgets a claim whose sending failed, so that the
	// next run retries it.
	ReleaseReminder(ctx context.Context, key string) error
	// Contacts returns the e-mail addresses of the units' reporters and
	// heads.
	Contacts(ctx context.Context, unitIDs []int64) (map[int64]Contacts, error)
	// LeaderEmails returns the addresses of enabled leaders.
	LeaderEmails(ctx context.Context) ([]string, error)
}
