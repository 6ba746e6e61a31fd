package gso

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/unicode/norm"
)

//go:embed data/vn_provinces_2025_merger.csv
var mergerCSV []byte

// Merger links one of the 63 provinces that existed until 30 June 2025 to
// the province of the 34 that succeeded it on 1 July 2025 (Resolution
// 202/2025/QH15). A province that was not merged links to itself. Several
// successors took the code of another former province: new 24 Bắc Ninh
// has the code of former Bắc Giang, so codes alone do not say which
// former provinces were merged away.
type Merger struct {
	OldCode string
	OldName string
	NewCode string
	NewName string
}

// Continues reports whether the successor carries the former province's
// code, so that in a unit list keyed by code it is the same unit.
func (m Merger) Continues() bool { return m.OldCode == m.NewCode }

// MergerColumns is the header of the merger list, in this order.
var MergerColumns = []string{"old_code", "old_name", "new_code", "new_name"}

// Mergers2025 returns the 63 former provinces with their successors, in
// order of the former code.
func Mergers2025() ([]Merger, error) {
	ms, err := ReadMergers(bytes.NewReader(mergerCSV))
	if err != nil {
		return nil, fmt.Errorf("data/vn_provinces_2025_merger.csv: %w", err)
	}
	return ms, nil
}

// ReadMergers reads a merger list: a header with MergerColumns, then one
// former unit per row. A former code may appear once; every field is
// required. The first problem is returned as a *ParseError.
func ReadMergers(r io.Reader) ([]Merger, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &ParseError{Line: 1, Reason: "empty file, expected a header row"}
	} else if err != nil {
		return nil, csvError(err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\uFEFF")
	}
	if len(header) != len(MergerColumns) {
		return nil, &ParseError{Line: 1, Reason: fmt.Sprintf("header has %d columns, expected %d: %s", len(header), len(MergerColumns), strings.Join(MergerColumns, ","))}
	}
	for i, want := range MergerColumns {
		if got := strings.TrimSpace(header[i]); !strings.EqualFold(got, want) {
			return nil, &ParseError{Line: 1, Column: want, Reason: fmt.Sprintf("header column %d is '%s', expected '%s'", i+1, got, want)}
		}
	}
	var out []Merger
	seen := map[string]int{}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		if len(row) != len(MergerColumns) {
			return nil, &ParseError{Line: line, Reason: fmt.Sprintf("%d columns, expected %d", len(row), len(MergerColumns))}
		}
		for i := range row {
			row[i] = norm.NFC.String(strings.TrimSpace(row[i]))
			if row[i] == "" {
				return nil, &ParseError{Line: line, Column: MergerColumns[i], Reason: "required"}
			}
		}
		m := Merger{OldCode: row[0], OldName: row[1], NewCode: row[2], NewName: row[3]}
		if first, ok := seen[m.OldCode]; ok {
			return nil, &ParseError{Line: line, Column: "old_code", Reason: fmt.Sprintf("duplicate code '%s', first on line %d", m.OldCode, first)}
		}
		seen[m.OldCode] = line
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, &ParseError{Line: 2, Reason: "no units after the header"}
	}
	return out, nil
}
