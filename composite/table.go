package composite

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack"
)

// maxTable bounds the size of a table read.
const maxTable = 32 << 20

// ReadTable reads an input table from CSV or, when name ends in .xlsx,
// from the first sheet of a workbook. The header row is unit_code,
// unit_name, an optional group, then the input columns. A column whose
// filled cells are all numbers goes to Numbers, one without any number to
// Texts (categorical inputs); a column mixing both is refused cell by
// cell. Empty cells are missing values.
//
// Numbers: a point is the decimal separator ("12.5", also "1.234" =
// 1.234). A comma is read as the Vietnamese decimal comma when it cannot
// be a thousands separator: one comma, no point, and not exactly three
// digits after it ("40,7", "0,5", "1,2345"); "1,234", "1.234,5" and
// "1,234.5" are refused as ambiguous. Errors are dxtrack.Problems whose
// fields name the row and column ("row 12: OSI", rows counted as in a
// spreadsheet, the header being row 1); on any error nothing is returned.
func ReadTable(r io.Reader, name string) (*Data, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxTable+1))
	if err != nil {
		return nil, fmt.Errorf("composite: read table: %w", err)
	}
	if len(data) > maxTable {
		return nil, dxtrack.Invalid("file", "error.composite_table_format", nil)
	}
	var rows [][]string
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, dxtrack.Invalid("file", "error.composite_table_format", nil)
		}
		defer x.Close()
		sheets := x.GetSheetList()
		if len(sheets) == 0 {
			return nil, dxtrack.Invalid("file", "error.composite_table_empty", nil)
		}
		if rows, err = x.GetRows(sheets[0], excelize.Options{RawCellValue: true}); err != nil {
			return nil, dxtrack.Invalid("file", "error.composite_table_format", nil)
		}
	case ".csv", ".txt", "":
		data = bytes.TrimPrefix(data, []byte("\ufeff"))
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		if rows, err = cr.ReadAll(); err != nil {
			return nil, dxtrack.Invalid("file", "error.composite_syntax", map[string]any{"Value": err.Error()})
		}
	default:
		return nil, dxtrack.Invalid("file", "error.composite_table_format", nil)
	}
	return parseTable(rows)
}

func parseTable(rows [][]string) (*Data, error) {
	var p dxtrack.Problems
	// Drop trailing empty rows.
	for len(rows) > 0 && blank(rows[len(rows)-1]) {
		rows = rows[:len(rows)-1]
	}
	if len(rows) < 2 {
		p.Add("file", "error.composite_table_empty", nil)
		return nil, p.Err()
	}
	head := make([]string, len(rows[0]))
	for i, h := range rows[0] {
		head[i] = strings.TrimSpace(h)
	}
	for len(head) > 0 && head[len(head)-1] == "" {
		head = head[:len(head)-1]
	}
	first := 2
	if len(head) >= 3 && strings.EqualFold(head[2], "group") {
		first = 3
	}
	if len(head) <= first || !strings.EqualFold(head[0], "unit_code") || !strings.EqualFold(head[1], "unit_name") {
		p.Add("row 1: unit_code", "error.composite_table_header", nil)
		return nil, p.Err()
	}
	seen := map[string]bool{}
	for i, h := range head[first:] {
		if h == "" || seen[h] {
			name := h
			if name == "" {
				name, _ = excelize.ColumnNumberToName(first + i + 1)
			}
			p.Add("row 1: "+name, "error.composite_table_header", nil)
		}
		seen[h] = true
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	cell := func(r []string, i int) string {
		if i < len(r) {
			return strings.TrimSpace(r[i])
		}
		return ""
	}
	// A column is textual when none of its filled cells reads as a number.
	textual := make([]bool, len(head))
	for c := first; c < len(head); c++ {
		textual[c] = true
		filled := false
		for _, r := range rows[1:] {
			if s := cell(r, c); s != "" {
				filled = true
				if _, err := parseNumber(s); err == nil || err == errAmbiguous {
					textual[c] = false
					break
				}
			}
		}
		if !filled {
			textual[c] = false
		}
	}
	d := &Data{Numbers: map[string]map[string]float64{}}
	units := map[string]bool{}
	for i, r := range rows[1:] {
		if blank(r) {
			continue
		}
		row := "row " + strconv.Itoa(i+2) + ": "
		code, name := cell(r, 0), cell(r, 1)
		switch {
		case code == "":
			p.Add(row+head[0], "error.required", nil)
		case units[code]:
			p.Add(row+head[0], "error.composite_table_duplicate_unit", map[string]any{"Code": code})
		}
		units[code] = true
		u := Unit{Code: code, Name: name}
		if first == 3 {
			u.Group = cell(r, 2)
		}
		d.Units = append(d.Units, u)
		nums := map[string]float64{}
		for c := first; c < len(head); c++ {
			s := cell(r, c)
			if s == "" {
				continue
			}
			if textual[c] {
				if d.Texts == nil {
					d.Texts = map[string]map[string]string{}
				}
				if d.Texts[code] == nil {
					d.Texts[code] = map[string]string{}
				}
				d.Texts[code][head[c]] = s
				continue
			}
			v, err := parseNumber(s)
			switch {
			case err == errAmbiguous:
				p.Add(row+head[c], "error.composite_ambiguous_number", map[string]any{"Value": s})
			case err != nil:
				p.Add(row+head[c], "error.not_a_number", nil)
			default:
				nums[head[c]] = v
			}
		}
		d.Numbers[code] = nums
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return d, nil
}

func blank(r []string) bool {
	for _, s := range r {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

var errAmbiguous = fmt.Errorf("ambiguous number")

// parseNumber reads a number written with a decimal point, or with a
// decimal comma where no thousands separator can be meant.
func parseNumber(s string) (float64, error) {
	if strings.Contains(s, ",") {
		if strings.Count(s, ",") > 1 || strings.Contains(s, ".") {
			if _, err := strconv.ParseFloat(strings.NewReplacer(",", "", ".", "").Replace(s), 64); err == nil {
				return 0, errAmbiguous
			}
			return 0, strconv.ErrSyntax
		}
		after := s[strings.IndexByte(s, ',')+1:]
		if len(after) == 3 && isDigits(after) {
			if _, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); err == nil {
				return 0, errAmbiguous
			}
		}
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, strconv.ErrSyntax
	}
	// ParseFloat takes hex floats and underscores; a table should not.
	if strings.ContainsAny(s, "xXpP_") {
		return 0, strconv.ErrSyntax
	}
	return v, nil
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
