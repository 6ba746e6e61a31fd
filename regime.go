package dxtrack

import (
	"context"
	"slices"
	"strconv"
)

// Regime is a periodic reporting regime (chế độ báo cáo định kỳ) with the
// elements Decree 09/2019/NĐ-CP asks for: name, content, reporting units,
// receiving unit, frequency, data window, deadline, outline and data form.
type Regime struct {
	ID      int64     `json:"id"`
	Code    string    `json:"code"`
	NameVI  string    `json:"name_vi"`
	NameEN  string    `json:"name_en"`
	Content string    `json:"content"` // what the report covers
	Freq    Frequency `json:"freq"`
	// Reporting units: the current units of these types below ScopeUnitID,
	// plus the units listed.
	ScopeUnitID int64      `json:"scope_unit_id"`
	UnitTypes   []UnitType `json:"unit_types"`
	UnitIDs     []int64    `json:"unit_ids"`
	// OwnerUnitID receives the reports and approves them first (the
	// department that owns the regime); FinalUnitID approves last (the
	// province's DT office). 0 or the same unit means a single level.
	OwnerUnitID int64 `json:"owner_unit_id"`
	FinalUnitID int64 `json:"final_unit_id"`
	// SkipLevels lets a higher level approve before the lower ones have.
	SkipLevels   bool `json:"skip_levels"`
	DeadlineDays int  `json:"deadline_days"` // working days after the data window closes
	RemindDays   int  `json:"remind_days"`   // first reminder this many days before the deadline
	// OutlierShare warns when a value moves by more than this share of the
	// last period's value (0.5 = 50%); 0 turns the check off.
	OutlierShare   float64    `json:"outlier_share"`
	Outline        string     `json:"outline"` // đề cương báo cáo
	Items          []FormItem `json:"items"`
	Rules          []Rule     `json:"rules"`
	Sections       []Section  `json:"sections"`
	IncludeTargets bool       `json:"include_targets"` // the unit's targets are part of the form
	IncludeTasks   bool       `json:"include_tasks"`   // the unit's tasks are part of the form
	Active         bool       `json:"active"`
}

// FormItem is one indicator of a regime's data form.
type FormItem struct {
	IndicatorID int64  `json:"indicator_id"`
	Group       string `json:"group,omitempty"` // heading the item is listed under
	Required    bool   `json:"required"`
}

// RuleOp compares two operands of a cross-field rule.
type RuleOp string

// Rule operators.
const (
	OpLE RuleOp = "<="
	OpLT RuleOp = "<"
	OpGE RuleOp = ">="
	OpGT RuleOp = ">"
	OpEQ RuleOp = "="
)

// Holds reports whether a op b.
func (op RuleOp) Holds(a, b float64) bool {
	switch op {
	case OpLE:
		return a <= b
	case OpLT:
		return a < b
	case OpGE:
		return a >= b
	case OpGT:
		return a > b
	case OpEQ:
		return a == b
	}
	return false
}

// Rule is a cross-field check of a data form defined as data: "done ≤
// total" is {Left: "DONE", Op: "<=", Right: "TOTAL"}. An operand is an
// indicator code or a number. A blocking rule stops submission; the others
// warn.
type Rule struct {
	Left      string `json:"left"`
	Op        RuleOp `json:"op"`
	Right     string `json:"right"`
	Blocking  bool   `json:"blocking"`
	MessageVI string `json:"message_vi,omitempty"`
	MessageEN string `json:"message_en,omitempty"`
}

// Section is a free-text part of the report (tình hình, khó khăn, kiến nghị).
type Section struct {
	Code     string `json:"code"`
	TitleVI  string `json:"title_vi"`
	TitleEN  string `json:"title_en"`
	Required bool   `json:"required"`
}

// Name returns the name in the language, falling back to Vietnamese.
func (r *Regime) Name(lang string) string {
	if lang == "en" && r.NameEN != "" {
		return r.NameEN
	}
	return r.NameVI
}

// Levels returns the units that approve a report, lowest first.
func (r *Regime) Levels() []int64 {
	var out []int64
	for _, id := range []int64{r.OwnerUnitID, r.FinalUnitID} {
		if id != 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Validate checks the regime against its indicators (by code).
func (r *Regime) Validate(indicators map[string]*Indicator) error {
	var p Problems
	if !ValidCode(r.Code) {
		p.Add("code", "error.code_format", nil)
	}
	if r.NameVI == "" {
		p.Add("name_vi", "error.required", nil)
	}
	if !r.Freq.Valid() {
		p.Add("freq", "error.unknown_value", map[string]any{"Value": string(r.Freq)})
	}
	if r.ScopeUnitID == 0 && len(r.UnitIDs) == 0 {
		p.Add("units", "error.required", nil)
	}
	for _, t := range r.UnitTypes {
		if !t.Valid() {
			p.Add("unit_types", "error.unknown_value", map[string]any{"Value": string(t)})
		}
	}
	if r.OwnerUnitID == 0 {
		p.Add("owner_unit", "error.required", nil)
	}
	if r.DeadlineDays < 0 || r.DeadlineDays > 60 {
		p.Add("deadline_days", "error.range", map[string]any{"Min": 0, "Max": 60})
	}
	if r.RemindDays < 0 || r.RemindDays > 30 {
		p.Add("remind_days", "error.range", map[string]any{"Min": 0, "Max": 30})
	}
	if r.OutlierShare < 0 {
		p.Add("outlier_share", "error.negative", nil)
	}
	ids := map[int64]bool{}
	for _, in := range indicators {
		ids[in.ID] = true
	}
	seen := map[int64]bool{}
	for _, it := range r.Items {
		if !ids[it.IndicatorID] {
			p.Add("items", "error.unknown_indicator", map[string]any{"Code": strconv.FormatInt(it.IndicatorID, 10)})
		} else if seen[it.IndicatorID] {
			p.Add("items", "error.duplicate_item", nil)
		}
		seen[it.IndicatorID] = true
	}
	for i, ru := range r.Rules {
		field := "rules." + strconv.Itoa(i+1)
		for _, operand := range []string{ru.Left, ru.Right} {
			if _, err := strconv.ParseFloat(operand, 64); err == nil {
				continue
			}
			if in := indicators[operand]; in == nil || !seen[in.ID] {
				p.Add(field, "error.unknown_indicator", map[string]any{"Code": operand})
			}
		}
		if !slices.Contains([]RuleOp{OpLE, OpLT, OpGE, OpGT, OpEQ}, ru.Op) {
			p.Add(field, "error.unknown_value", map[string]any{"Value": string(ru.Op)})
		}
	}
	codes := map[string]bool{}
	for _, s := range r.Sections {
		if !ValidCode(s.Code) || codes[s.Code] {
			p.Add("sections", "error.code_format", nil)
		}
		codes[s.Code] = true
		if s.TitleVI == "" {
			p.Add("sections", "error.required", nil)
		}
	}
	return p.Err()
}

// RegimeFilter selects regimes.
type RegimeFilter struct {
	Freq   Frequency
	UnitID int64 // regimes this unit reports under
	Active *bool
	Query  string
}

// RegimeService manages regimes and the holiday calendar their deadlines
// count on. Writing is for admins over the owner unit.
type RegimeService interface {
	FindRegimeByID(ctx context.Context, id int64) (*Regime, error)
	FindRegimes(ctx context.Context, f RegimeFilter) ([]*Regime, error)
	CreateRegime(ctx context.Context, r *Regime) error
	UpdateRegime(ctx context.Context, r *Regime) error
	// ReportingUnits returns the current units that report under the regime.
	ReportingUnits(ctx context.Context, id int64) ([]*Unit, error)
}
