// Package gso reads the list of Vietnam's administrative units in the layout
// of the General Statistics Office code list (danh mục đơn vị hành chính)
// and embeds the two lists dxtrack ships with: the units after the
// reorganisation of 1 July 2025 and the update effective 30 April 2026.
package gso

import (
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dxtrack/dxtrack"
	"golang.org/x/text/unicode/norm"
)

//go:embed data/vn_admin_units_2025-07.csv data/vn_admin_units_2026-04.csv
var files embed.FS

// Effective dates of the embedded lists.
var (
	// Effective2025 is when the two-tier local government of 34 provinces
	// and 3,321 communes took effect (QĐ 19/2025/QĐ-TTg).
	Effective2025 = dxtrack.MustDate("2025-07-01")
	// Effective2026 is when Resolution 30/2026/QH16 took effect: Đồng Nai
	// became a centrally-run city, some communes became wards and some
	// names were respelled.
	Effective2026 = dxtrack.MustDate("2026-04-30")
)

// Source names of the embedded lists, for UnitChange.Source.
const (
	Source2025 = "gso/data/vn_admin_units_2025-07.csv"
	Source2026 = "gso/data/vn_admin_units_2026-04.csv"
)

// Units2025 returns the units after the reorganisation of 1 July 2025.
func Units2025() ([]dxtrack.UnitRecord, error) { return embedded("data/vn_admin_units_2025-07.csv") }

// Units2026 returns the units effective 30 April 2026.
func Units2026() ([]dxtrack.UnitRecord, error) { return embedded("data/vn_admin_units_2026-04.csv") }

func embedded(name string) ([]dxtrack.UnitRecord, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("gso: %w", err)
	}
	recs, err := ReadUnits(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return recs, nil
}

// Columns is the header a list must have, in this order.
var Columns = []string{"code", "name", "full_name", "name_en", "level", "unit_type", "unit_type_en", "parent_code"}

const (
	colCode = iota
	colName
	colFullName
	colNameEN
	colLevel
	colUnitType
	colUnitTypeEN
	colParentCode
)

// Levels of the list.
const (
	LevelProvince = "province"
	LevelCommune  = "commune"
)

// communeTypes maps the English type labels of commune-level units to unit
// types. The GSO list calls a special zone "Special administrative region";
// "Special zone" is accepted as the name the law uses in English.
var communeTypes = map[string]dxtrack.UnitType{
	"commune":                       dxtrack.UnitCommune,
	"ward":                          dxtrack.UnitWard,
	"special administrative region": dxtrack.UnitSpecialZone,
	"special zone":                  dxtrack.UnitSpecialZone,
}

// ParseError says where a list is wrong: the line of the file (1 is the
// header), the column, and what is wrong.
type ParseError struct {
	Line   int
	Column string // "" when the error concerns the whole line
	Reason string
}

func (e *ParseError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("gso: line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("gso: line %d, column %s: %s", e.Line, e.Column, e.Reason)
}

// ReadUnits reads an administrative-unit list: a header row with Columns,
// then one unit per row. Provinces have no parent code; communes, wards
// and special zones name their province, which must be in the same list.
// Text is normalised to NFC so that names compare by their letters. The
// first problem found is returned as a *ParseError.
func ReadUnits(r io.Reader) ([]dxtrack.UnitRecord, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted below, to name the line in our words
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err == io.EOF {
		return nil, &ParseError{Line: 1, Reason: "empty file, expected a header row"}
	} else if err != nil {
		return nil, csvError(err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\uFEFF")
	}
	if err := checkHeader(header); err != nil {
		return nil, err
	}

	var (
		recs  []dxtrack.UnitRecord
		lines []int                 // the line of each record
		seen  = map[string]int{}    // code → line
		level = map[string]string{} // code → level
	)
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue // a blank line at the end
		}
		if len(row) != len(Columns) {
			return nil, &ParseError{Line: line, Reason: fmt.Sprintf("%d columns, expected %d", len(row), len(Columns))}
		}
		rec, lv, err := parseRow(row, line)
		if err != nil {
			return nil, err
		}
		if first, ok := seen[rec.Code]; ok {
			return nil, &ParseError{Line: line, Column: "code", Reason: fmt.Sprintf("duplicate code '%s', first on line %d", rec.Code, first)}
		}
		seen[rec.Code] = line
		level[rec.Code] = lv
		recs = append(recs, rec)
		lines = append(lines, line)
	}
	if len(recs) == 0 {
		return nil, &ParseError{Line: 2, Reason: "no units after the header"}
	}

	// Parents may come after their children, so they are checked once all
	// codes are known.
	for i, rec := range recs {
		if rec.ParentCode == "" {
			continue
		}
		lv, ok := level[rec.ParentCode]
		switch {
		case !ok:
			return nil, &ParseError{Line: lines[i], Column: "parent_code", Reason: fmt.Sprintf("unknown parent code '%s'", rec.ParentCode)}
		case lv != LevelProvince:
			return nil, &ParseError{Line: lines[i], Column: "parent_code", Reason: fmt.Sprintf("parent '%s' is not a province", rec.ParentCode)}
		}
	}
	return recs, nil
}

func checkHeader(header []string) error {
	if len(header) != len(Columns) {
		return &ParseError{Line: 1, Reason: fmt.Sprintf("header has %d columns, expected %d: %s", len(header), len(Columns), strings.Join(Columns, ","))}
	}
	for i, want := range Columns {
		if got := strings.TrimSpace(header[i]); !strings.EqualFold(got, want) {
			return &ParseError{Line: 1, Column: want, Reason: fmt.Sprintf("header column %d is '%s', expected '%s'", i+1, got, want)}
		}
	}
	return nil
}

// parseRow turns one row into a record and its level.
func parseRow(row []string, line int) (dxtrack.UnitRecord, string, error) {
	field := func(i int) string { return norm.NFC.String(strings.TrimSpace(row[i])) }
	fail := func(col int, format string, args ...any) (dxtrack.UnitRecord, string, error) {
		return dxtrack.UnitRecord{}, "", &ParseError{Line: line, Column: Columns[col], Reason: fmt.Sprintf(format, args...)}
	}

	for _, col := range []int{colCode, colName, colFullName, colLevel, colUnitType, colUnitTypeEN} {
		if field(col) == "" {
			return fail(col, "required")
		}
	}
	rec := dxtrack.UnitRecord{
		Code:       field(colCode),
		NameVI:     field(colName),
		NameEN:     field(colNameEN),
		FullName:   field(colFullName),
		TypeNameVI: field(colUnitType),
		TypeNameEN: field(colUnitTypeEN),
		ParentCode: field(colParentCode),
	}
	if !dxtrack.ValidCode(rec.Code) {
		return fail(colCode, "invalid code '%s'", rec.Code)
	}

	lv := strings.ToLower(field(colLevel))
	switch lv {
	case LevelProvince:
		rec.Type = dxtrack.UnitProvince
		if rec.ParentCode != "" {
			return fail(colParentCode, "a province has no parent, got '%s'", rec.ParentCode)
		}
	case LevelCommune:
		t, ok := communeTypes[strings.ToLower(rec.TypeNameEN)]
		if !ok {
			return fail(colUnitTypeEN, "unknown commune-level type '%s'", rec.TypeNameEN)
		}
		rec.Type = t
		if rec.ParentCode == "" {
			return fail(colParentCode, "required")
		}
	default:
		return fail(colLevel, "unknown level '%s'", field(colLevel))
	}
	return rec, lv, nil
}

// csvError restates an encoding/csv error as a ParseError.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{Line: pe.Line, Reason: pe.Err.Error()}
	}
	return fmt.Errorf("gso: %w", err)
}
