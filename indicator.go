package dxtrack

import (
	"context"
	"math"
)

// ValueType is what kind of figure an indicator takes.
type ValueType string

// Value types.
const (
	ValueNumber  ValueType = "number"  // any number, within Min/Max if set
	ValueCount   ValueType = "count"   // a non-negative whole number
	ValuePercent ValueType = "percent" // a number from 0 to 100
)

// Valid reports whether t is a known value type.
func (t ValueType) Valid() bool { return t == ValueNumber || t == ValueCount || t == ValuePercent }

// Indicator is a figure units report each period: "number of online
// dossiers received", "share of dossiers processed online".
type Indicator struct {
	ID          int64     `json:"id"`
	Code        string    `json:"code"`
	NameVI      string    `json:"name_vi"`
	NameEN      string    `json:"name_en"`
	Measure     string    `json:"measure,omitempty"` // unit of measure: "hồ sơ", "%"
	Type        ValueType `json:"type"`
	Decimals    int       `json:"decimals"`
	Min         *float64  `json:"min,omitempty"`
	Max         *float64  `json:"max,omitempty"`
	Direction   Direction `json:"direction"`
	OwnerUnitID int64     `json:"owner_unit_id,omitempty"`
	PillarID    int64     `json:"pillar_id,omitempty"` // the pillar its scorecard column is

	// How values combine over units and over time (issue #4 analytics).
	UnitAgg UnitAgg `json:"unit_agg,omitempty"` // "" means sum for counts, avg otherwise
	TimeAgg TimeAgg `json:"time_agg,omitempty"` // "" means sum for counts, last otherwise
	// DenominatorID names the indicator whose sum divides this one's sum
	// for UnitAgg ratio.
	DenominatorID int64 `json:"denominator_id,omitempty"`
	// Condition and Threshold select the units UnitAgg count/share counts.
	Condition RuleOp  `json:"condition,omitempty"`
	Threshold float64 `json:"threshold,omitempty"`
	Source    Source  `json:"source,omitempty"` // "" means manual
	// Formula computes a formula indicator from others (Source formula).
	Formula string `json:"formula,omitempty"`
}

// UnitAgg is how an indicator's values combine over units.
type UnitAgg string

// Unit aggregations.
const (
	AggSum   UnitAgg = "sum"
	AggAvg   UnitAgg = "avg"
	AggRatio UnitAgg = "ratio" // sum of values / sum of the denominator's values
	AggMin   UnitAgg = "min"
	AggMax   UnitAgg = "max"
	AggCount UnitAgg = "count" // units whose value meets the condition
	AggShare UnitAgg = "share" // percent of reporting units that meet it
)

// TimeAgg is how an indicator's values combine over periods.
type TimeAgg string

// Time aggregations.
const (
	TimeSum  TimeAgg = "sum"
	TimeLast TimeAgg = "last"
	TimeAvg  TimeAgg = "avg"
)

// Source says where an indicator's values come from.
type Source string

// Sources.
const (
	SourceManual  Source = "manual"
	SourceFormula Source = "formula"
	SourceMachine Source = "machine"
)

// EffectiveUnitAgg returns the unit aggregation, defaulting by type.
func (i *Indicator) EffectiveUnitAgg() UnitAgg {
	if i.UnitAgg != "" {
		return i.UnitAgg
	}
	if i.Type == ValueCount {
		return AggSum
	}
	return AggAvg
}

// EffectiveTimeAgg returns the time aggregation, defaulting by type.
func (i *Indicator) EffectiveTimeAgg() TimeAgg {
	if i.TimeAgg != "" {
		return i.TimeAgg
	}
	if i.Type == ValueCount {
		return TimeSum
	}
	return TimeLast
}

// Name returns the name in the language, falling back to Vietnamese.
func (i *Indicator) Name(lang string) string {
	if lang == "en" && i.NameEN != "" {
		return i.NameEN
	}
	return i.NameVI
}

// Validate checks the indicator's own fields.
func (i *Indicator) Validate() error {
	var p Problems
	if !ValidCode(i.Code) {
		p.Add("code", "error.code_format", nil)
	}
	if i.NameVI == "" {
		p.Add("name_vi", "error.required", nil)
	}
	if !i.Type.Valid() {
		p.Add("type", "error.unknown_value", map[string]any{"Value": string(i.Type)})
	}
	if i.Decimals < 0 || i.Decimals > 6 {
		p.Add("decimals", "error.decimals", nil)
	}
	if i.Min != nil && i.Max != nil && *i.Min > *i.Max {
		p.Add("max", "error.min_max", nil)
	}
	if i.Direction != DirectionUp && i.Direction != DirectionDown {
		p.Add("direction", "error.unknown_value", map[string]any{"Value": string(i.Direction)})
	}
	return p.Err()
}

// CheckValue tells whether v is acceptable for the indicator: its type and
// range. The message ID names the rule broken, "" when v is fine.
func (i *Indicator) CheckValue(v float64) (msgID string, args map[string]any) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "error.number", nil
	case i.Type == ValuePercent && (v < 0 || v > 100):
		return "error.percent_range", nil
	case i.Type == ValueCount && (v < 0 || v != math.Trunc(v)):
		return "error.count", nil
	case i.Min != nil && v < *i.Min:
		return "error.below_min", map[string]any{"Min": *i.Min}
	case i.Max != nil && v > *i.Max:
		return "error.above_max", map[string]any{"Max": *i.Max}
	}
	return "", nil
}

// IndicatorService manages indicators. Writing is for admins.
type IndicatorService interface {
	FindIndicatorByID(ctx context.Context, id int64) (*Indicator, error)
	FindIndicatorByCode(ctx context.Context, code string) (*Indicator, error)
	// FindIndicators returns all indicators ordered by code; query
	// matches folded code and names.
	FindIndicators(ctx context.Context, query string) ([]*Indicator, error)
	CreateIndicator(ctx context.Context, i *Indicator) error
	UpdateIndicator(ctx context.Context, i *Indicator) error
}
