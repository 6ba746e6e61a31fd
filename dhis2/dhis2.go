// Package dhis2 speaks the part of DHIS2's web API that tools reporting to
// DHIS2 push with: data value sets in JSON and CSV (POST
// /api/dataValueSets), DHIS2's period notation, and the import summary
// DHIS2 answers with. dxtrack accepts those pushes unchanged, mapping
// DHIS2's data elements and organisation units to its indicators and
// units through code tables (ElementMap, OrgUnitMap).
package dhis2

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// DataValue is one value of a data value set, as DHIS2 writes it: every
// field is text, and identifiers are UIDs or codes.
type DataValue struct {
	DataElement          string `json:"dataElement"`
	Period               string `json:"period"`
	OrgUnit              string `json:"orgUnit"`
	CategoryOptionCombo  string `json:"categoryOptionCombo"`
	AttributeOptionCombo string `json:"attributeOptionCombo"`
	Value                string `json:"value"`
	StoredBy             string `json:"storedBy"`
	LastUpdated          string `json:"lastUpdated"`
	Comment              string `json:"comment"`
	FollowUp             bool   `json:"followup"`
	Deleted              bool   `json:"deleted"`
}

// DataValueSet is a push: values, with the set's period, organisation unit
// and attribute option combo applying to values that leave theirs out.
type DataValueSet struct {
	DataSet              string      `json:"dataSet"`
	CompleteDate         string      `json:"completeDate"`
	Period               string      `json:"period"`
	OrgUnit              string      `json:"orgUnit"`
	AttributeOptionCombo string      `json:"attributeOptionCombo"`
	DataValues           []DataValue `json:"dataValues"`
}

// jsonValue is a DataValue as senders really write it: numbers and
// booleans where DHIS2 writes text.
type jsonValue struct {
	DataElement          text `json:"dataElement"`
	Period               text `json:"period"`
	OrgUnit              text `json:"orgUnit"`
	CategoryOptionCombo  text `json:"categoryOptionCombo"`
	AttributeOptionCombo text `json:"attributeOptionCombo"`
	Value                text `json:"value"`
	StoredBy             text `json:"storedBy"`
	LastUpdated          text `json:"lastUpdated"`
	Comment              text `json:"comment"`
	FollowUp             text `json:"followup"`
	Deleted              text `json:"deleted"`
}

// text reads a JSON string, number, boolean or null as text.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		return errors.New("expected text, a number or a boolean")
	default:
		*t = text(b) // a number or true/false, as written
	}
	return nil
}

func truth(t text) bool {
	b, _ := strconv.ParseBool(strings.TrimSpace(string(t)))
	return b
}

// ReadJSON decodes a data value set in DHIS2's JSON form and applies the
// set's period, organisation unit and attribute option combo to the
// values that leave them out.
func ReadJSON(r io.Reader) (*DataValueSet, error) {
	var in struct {
		DataSet              text        `json:"dataSet"`
		CompleteDate         text        `json:"completeDate"`
		Period               text        `json:"period"`
		OrgUnit              text        `json:"orgUnit"`
		AttributeOptionCombo text        `json:"attributeOptionCombo"`
		DataValues           []jsonValue `json:"dataValues"`
	}
	dec := json.NewDecoder(r)
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("dhis2: not a data value set: %w", err)
	}
	set := &DataValueSet{DataSet: string(in.DataSet), CompleteDate: string(in.CompleteDate), Period: string(in.Period),
		OrgUnit: string(in.OrgUnit), AttributeOptionCombo: string(in.AttributeOptionCombo)}
	set.DataValues = make([]DataValue, len(in.DataValues))
	for i, v := range in.DataValues {
		set.DataValues[i] = DataValue{DataElement: string(v.DataElement), Period: string(v.Period), OrgUnit: string(v.OrgUnit),
			CategoryOptionCombo: string(v.CategoryOptionCombo), AttributeOptionCombo: string(v.AttributeOptionCombo),
			Value: string(v.Value), StoredBy: string(v.StoredBy), LastUpdated: string(v.LastUpdated), Comment: string(v.Comment),
			FollowUp: truth(v.FollowUp), Deleted: truth(v.Deleted)}
	}
	set.Normalize()
	return set, nil
}

// Normalize applies the set's fields to values that leave them out, and trims
// every identifier.
func (s *DataValueSet) Normalize() {
	for i := range s.DataValues {
		v := &s.DataValues[i]
		for _, f := range []struct{ field *string }{{&v.DataElement}, {&v.Period}, {&v.OrgUnit}, {&v.CategoryOptionCombo}, {&v.AttributeOptionCombo}} {
			*f.field = strings.TrimSpace(*f.field)
		}
		if v.Period == "" {
			v.Period = strings.TrimSpace(s.Period)
		}
		if v.OrgUnit == "" {
			v.OrgUnit = strings.TrimSpace(s.OrgUnit)
		}
		if v.AttributeOptionCombo == "" {
			v.AttributeOptionCombo = strings.TrimSpace(s.AttributeOptionCombo)
		}
	}
}

// csvColumns is DHIS2's column order of a data value set in CSV, which a
// file without a header row follows.
var csvColumns = []string{"dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "storedby",
	"lastupdated", "comment", "followup", "deleted"}

// csvAliases are other names senders give DHIS2's CSV columns.
var csvAliases = map[string]string{
	"de": "dataelement", "data_element": "dataelement", "pe": "period", "ou": "orgunit", "org_unit": "orgunit",
	"organisationunit": "orgunit", "co": "catoptcombo", "categoryoptioncombo": "catoptcombo",
	"ao": "attroptcombo", "attributeoptioncombo": "attroptcombo",
}

// ReadCSV decodes a data value set in DHIS2's CSV form: one value a row,
// in DHIS2's column order, with or without a header row (whose names are
// matched without regard to case, in any order). Index i of the set is
// the i-th data row.
func ReadCSV(r io.Reader) (*DataValueSet, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("dhis2: not a CSV data value set: %w", err)
	}
	cols := csvColumns
	if len(rows) > 0 && isHeader(rows[0]) {
		cols = make([]string, len(rows[0]))
		for i, name := range rows[0] {
			name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
			if a, ok := csvAliases[name]; ok {
				name = a
			}
			cols[i] = name
		}
		rows = rows[1:]
	}
	set := &DataValueSet{DataValues: make([]DataValue, 0, len(rows))}
	for _, row := range rows {
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue // a blank line
		}
		var v DataValue
		for i, cell := range row {
			if i >= len(cols) {
				break
			}
			switch cols[i] {
			case "dataelement":
				v.DataElement = cell
			case "period":
				v.Period = cell
			case "orgunit":
				v.OrgUnit = cell
			case "catoptcombo":
				v.CategoryOptionCombo = cell
			case "attroptcombo":
				v.AttributeOptionCombo = cell
			case "value":
				v.Value = cell
			case "storedby":
				v.StoredBy = cell
			case "lastupdated":
				v.LastUpdated = cell
			case "comment":
				v.Comment = cell
			case "followup":
				v.FollowUp = truth(text(cell))
			case "deleted":
				v.Deleted = truth(text(cell))
			}
		}
		set.DataValues = append(set.DataValues, v)
	}
	set.Normalize()
	return set, nil
}

// isHeader reports whether a first row names columns rather than holding
// a value: its first cell is a column name.
func isHeader(row []string) bool {
	if len(row) == 0 {
		return false
	}
	name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(row[0], "\ufeff")))
	if _, ok := csvAliases[name]; ok {
		return true
	}
	for _, c := range csvColumns {
		if name == c {
			return true
		}
	}
	return false
}

// DefaultCombo is the UID of DHIS2's default category option combo, which
// means "not disaggregated", as "default" or no combo does.
const DefaultCombo = "HllvX50cXC0"

// IsDefaultCombo reports whether a category or attribute option combo is
// DHIS2's default one (or none).
func IsDefaultCombo(c string) bool {
	c = strings.TrimSpace(c)
	return c == "" || c == DefaultCombo || strings.EqualFold(c, "default")
}
