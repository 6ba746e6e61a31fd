package dxtrack

import (
	"context"
	"regexp"
	"time"
)

// UnitType is what kind of org unit a unit is.
type UnitType string

// Unit types. Districts exist only in data from before 1 July 2025.
const (
	UnitProvince    UnitType = "province"
	UnitDepartment  UnitType = "department"
	UnitDistrict    UnitType = "district"
	UnitCommune     UnitType = "commune"
	UnitWard        UnitType = "ward"
	UnitSpecialZone UnitType = "special_zone"
	UnitOther       UnitType = "other"
)

// UnitTypes lists the unit types in display order.
var UnitTypes = []UnitType{UnitProvince, UnitDepartment, UnitDistrict, UnitCommune, UnitWard, UnitSpecialZone, UnitOther}

// Valid reports whether t is a known unit type.
func (t UnitType) Valid() bool {
	for _, v := range UnitTypes {
		if t == v {
			return true
		}
	}
	return false
}

// IsLocal reports whether units of this type are local governments at
// commune level (xã, phường, đặc khu).
func (t UnitType) IsLocal() bool {
	return t == UnitCommune || t == UnitWard || t == UnitSpecialZone
}

// Unit is an org unit: the province, a department, a commune, ... Units form
// a tree through ParentID. A reorganisation never deletes a unit: it ends
// its validity and records lineage.
type Unit struct {
	ID         int64     `json:"id"`
	Code       string    `json:"code"`
	NameVI     string    `json:"name_vi"`
	NameEN     string    `json:"name_en"`
	FullName   string    `json:"full_name"`    // official name, "Tỉnh Quảng Ninh"
	Type       UnitType  `json:"type"`         // the kind of unit
	TypeNameVI string    `json:"type_name_vi"` // official type label, "Tỉnh", "Thành phố trực thuộc trung ương"
	TypeNameEN string    `json:"type_name_en"`
	ParentID   int64     `json:"parent_id,omitempty"` // 0 for a root
	ValidFrom  time.Time `json:"valid_from"`
	ValidTo    time.Time `json:"valid_to,omitzero"` // zero while the unit exists
	Head       string    `json:"head,omitempty"`    // the responsible officer
	Email      string    `json:"email,omitempty"`
	Children   int       `json:"children"` // number of current child units, filled by list queries
}

// Name returns the unit's name in the given language ("vi" or "en"),
// falling back to Vietnamese.
func (u *Unit) Name(lang string) string {
	if lang == "en" && u.NameEN != "" {
		return u.NameEN
	}
	return u.NameVI
}

// Current reports whether the unit exists on day d.
func (u *Unit) Current(d time.Time) bool {
	return !d.Before(u.ValidFrom) && (u.ValidTo.IsZero() || d.Before(u.ValidTo))
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$`)

// ValidCode reports whether s can be a code of a unit, target or task.
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// Validate checks the unit's own fields.
func (u *Unit) Validate() error {
	var p Problems
	if u.Code == "" {
		p.Add("code", "error.required", nil)
	} else if !ValidCode(u.Code) {
		p.Add("code", "error.code_format", nil)
	}
	if u.NameVI == "" {
		p.Add("name_vi", "error.required", nil)
	}
	if !u.Type.Valid() {
		p.Add("type", "error.unknown_value", map[string]any{"Value": string(u.Type)})
	}
	if !u.ValidTo.IsZero() && !u.ValidTo.After(u.ValidFrom) {
		p.Add("valid_to", "error.date_before", map[string]any{"Other": FormatDate(u.ValidFrom)})
	}
	return p.Err()
}

// UnitChange is one dated change of a unit's field, kept so that old names
// and types stay in history.
type UnitChange struct {
	UnitID int64     `json:"unit_id"`
	On     time.Time `json:"on"`
	Field  string    `json:"field"`
	Old    string    `json:"old"`
	New    string    `json:"new"`
	Source string    `json:"source"` // e.g. the imported file, or "user:NAME"
}

// LineageKind says how units were reorganised.
type LineageKind string

// Lineage kinds.
const (
	LineageMerge LineageKind = "merge" // From was merged into To
	LineageSplit LineageKind = "split" // To was split off From
)

// Lineage links a former unit to its successor.
type Lineage struct {
	FromID int64       `json:"from_id"`
	ToID   int64       `json:"to_id"`
	Kind   LineageKind `json:"kind"`
	On     time.Time   `json:"on"`
	Note   string      `json:"note,omitempty"`
}

// UnitRecord is one row of an administrative-unit list to import.
type UnitRecord struct {
	Code       string
	NameVI     string
	NameEN     string
	FullName   string
	Type       UnitType
	TypeNameVI string
	TypeNameEN string
	ParentCode string
}

// UnitImport summarises an import of administrative units.
type UnitImport struct {
	Created   int          `json:"created"`
	Updated   int          `json:"updated"`
	Ended     int          `json:"ended"`
	Unchanged int          `json:"unchanged"`
	Changes   []UnitChange `json:"changes"`
}

// UnitFilter selects units. Zero fields do not filter.
type UnitFilter struct {
	ParentID *int64
	Under    *int64     // the subtree below this unit, itself excluded
	Types    []UnitType // any of these
	Query    string     // tone- and case-insensitive words in code or names
	AsOf     time.Time  // units valid on this day; zero means today
	All      bool       // include ended units too
	Page
}

// UnitUpdate holds the fields of a unit that can change; nil means unchanged.
type UnitUpdate struct {
	NameVI     *string
	NameEN     *string
	FullName   *string
	Type       *UnitType
	TypeNameVI *string
	TypeNameEN *string
	ParentID   *int64
	Head       *string
	Email      *string
}

// UnitService manages org units.
type UnitService interface {
	// FindUnitByID returns ENOTFOUND if the unit does not exist.
	FindUnitByID(ctx context.Context, id int64) (*Unit, error)
	// FindUnitByCode returns ENOTFOUND if no unit has the code.
	FindUnitByCode(ctx context.Context, code string) (*Unit, error)
	// FindUnits returns matching units ordered by type and name, and the
	// count of all matches before paging.
	FindUnits(ctx context.Context, f UnitFilter) ([]*Unit, int, error)
	// UnitAncestors returns the unit's ancestors from the root down,
	// the unit itself last.
	UnitAncestors(ctx context.Context, id int64) ([]*Unit, error)
	// CreateUnit adds a unit. Admin only, within the admin's subtree.
	CreateUnit(ctx context.Context, u *Unit) error
	// UpdateUnit changes a unit, recording each changed field as a
	// UnitChange dated on. Admin only.
	UpdateUnit(ctx context.Context, id int64, upd UnitUpdate, on time.Time) (*Unit, error)
	// ImportUnits creates or updates units from an administrative list as
	// of the effective date: new codes are created, changed fields are
	// recorded as dated changes, units of the list's types missing from
	// it are ended. One transaction: on any error nothing is written.
	ImportUnits(ctx context.Context, recs []UnitRecord, effective time.Time, source string) (*UnitImport, error)
	// MergeUnits ends the from units on the day and records them as
	// merged into the successor.
	MergeUnits(ctx context.Context, from []int64, into int64, on time.Time) error
	// SplitUnit records that the new units were split off from a unit on
	// the day; the old unit ends if end is true.
	SplitUnit(ctx context.Context, from int64, into []int64, on time.Time, end bool) error
	// UnitHistory returns the unit's dated changes and its lineage links
	// in both directions, oldest first.
	UnitHistory(ctx context.Context, id int64) ([]UnitChange, []Lineage, error)
}
