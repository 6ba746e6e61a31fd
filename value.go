package dxtrack

import (
	"context"
	"time"
)

// Provenance says how a value came to be.
type Provenance string

// Provenances.
const (
	FromManual    Provenance = "manual"    // typed by a unit, in a report or a form
	FromMachine   Provenance = "machine"   // pushed or pulled from another system
	FromFormula   Provenance = "formula"   // computed from other indicators
	FromCorrected Provenance = "corrected" // a manual correction of a machine value
)

// Value is one figure: an indicator for a unit and a period, with where it
// came from and who set it when. Values are kept at the grain of the
// period they were reported for.
type Value struct {
	UnitID      int64      `json:"unit_id"`
	IndicatorID int64      `json:"indicator_id"`
	Period      Period     `json:"period"`
	Value       float64    `json:"value"`
	Provenance  Provenance `json:"provenance"`
	By          int64      `json:"by,omitempty"`
	At          time.Time  `json:"at"`
}

// ValueFilter selects values; zero fields do not filter.
type ValueFilter struct {
	IndicatorID int64
	UnitID      int64
	From, To    *Period // inclusive, same frequency as the values
}

// ValueService keeps the value store. Writing needs the right to report
// for the unit (or an admin); every change is audited.
type ValueService interface {
	// SetValues writes values in one transaction; a correction of a
	// machine value needs a reason.
	SetValues(ctx context.Context, vs []Value, reason string) error
	FindValues(ctx context.Context, f ValueFilter) ([]Value, error)
	// ValueHistory is the audit trail of one value, newest first: an
	// entry per changed field ("value", "provenance") of each change,
	// with who, when and the reason. Empty when there is no such value.
	ValueHistory(ctx context.Context, unitID, indicatorID int64, p Period) ([]*AuditEntry, error)
}
