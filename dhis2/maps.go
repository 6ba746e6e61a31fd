package dhis2

import (
	"strings"

	"github.com/dxtrack/dxtrack"
)

// ElementMap maps a DHIS2 data element to an indicator. Combo limits it to
// one category option combo (a disaggregation such as "female"); empty,
// it takes the values of the default combo only, so that the parts of a
// disaggregated element never land on one indicator by accident.
type ElementMap struct {
	ID          int64  `json:"id"`
	DataElement string `json:"data_element"` // UID or code, as the sender writes it
	Combo       string `json:"combo,omitempty"`
	IndicatorID int64  `json:"indicator_id"`
	Indicator   string `json:"indicator"` // the indicator's code, when read
}

// OrgUnitMap maps a DHIS2 organisation unit to a unit. Without one, a
// unit's own code (today's or a former one) works as the orgUnit.
type OrgUnitMap struct {
	ID      int64  `json:"id"`
	OrgUnit string `json:"org_unit"` // UID or code, as the sender writes it
	UnitID  int64  `json:"unit_id"`
	Unit    string `json:"unit"` // the unit's code, when read
}

// Validate checks an element map's own fields.
func (m *ElementMap) Validate() error {
	var p dxtrack.Problems
	m.DataElement, m.Combo = strings.TrimSpace(m.DataElement), strings.TrimSpace(m.Combo)
	if IsDefaultCombo(m.Combo) {
		m.Combo = ""
	}
	if m.DataElement == "" {
		p.Add("dhis2_element", "error.required", nil)
	} else if len(m.DataElement) > 64 {
		p.Add("dhis2_element", "error.dhis2_identifier", nil)
	}
	if len(m.Combo) > 64 {
		p.Add("dhis2_combo", "error.dhis2_identifier", nil)
	}
	if m.IndicatorID == 0 {
		p.Add("indicator", "error.required", nil)
	}
	return p.Err()
}

// Validate checks an organisation unit map's own fields.
func (m *OrgUnitMap) Validate() error {
	var p dxtrack.Problems
	m.OrgUnit = strings.TrimSpace(m.OrgUnit)
	if m.OrgUnit == "" {
		p.Add("dhis2_org_unit", "error.required", nil)
	} else if len(m.OrgUnit) > 64 {
		p.Add("dhis2_org_unit", "error.dhis2_identifier", nil)
	}
	if m.UnitID == 0 {
		p.Add("unit", "error.required", nil)
	}
	return p.Err()
}
