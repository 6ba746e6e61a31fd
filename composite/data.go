package composite

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

// dataFiles are the published figures the built-in EGDI and DESI are
// checked against (see data/SOURCES.md).
//
//go:embed data/*.csv
var dataFiles embed.FS

// PublishedEGDI is a country's published EGDI 2022 figures.
type PublishedEGDI struct {
	Code    string  // ISO 3166-1 alpha-3, the unit code
	Country string  // as the UN writes it, trimmed
	EGDI    float64 // E-Government Index, 5 decimals
	Rank    int     // E-Government Rank
	EPI     float64 // E-Participation Index (not part of EGDI)
}

// EGDI2022 returns the UN E-Government Survey 2022 as input for
// Builtin("EGDI", "2022"): 193 units coded by ISO alpha-3 and named as the
// UN names them (trimmed), with numbers OSI, HCI and TII; and the
// published EGDI and rank per unit code.
func EGDI2022() (*Data, map[string]PublishedEGDI, error) {
	iso, err := readCSV("data/egdi_iso3.csv")
	if err != nil {
		return nil, nil, err
	}
	codes := map[string]string{}
	for _, r := range iso[1:] {
		codes[r[0]] = r[1]
	}
	rows, err := readCSV("data/egdi_2022_un.csv")
	if err != nil {
		return nil, nil, err
	}
	d := &Data{Numbers: map[string]map[string]float64{}}
	pub := map[string]PublishedEGDI{}
	for i, r := range rows[1:] {
		if len(r) < 8 {
			return nil, nil, fmt.Errorf("composite: egdi row %d: %d columns", i+2, len(r))
		}
		name := strings.TrimSpace(r[1])
		code := codes[name]
		if code == "" {
			return nil, nil, fmt.Errorf("composite: egdi row %d: no ISO code for %q", i+2, name)
		}
		var f [5]float64
		for k, col := range []int{3, 4, 5, 6, 7} {
			if f[k], err = strconv.ParseFloat(strings.TrimSpace(r[col]), 64); err != nil {
				return nil, nil, fmt.Errorf("composite: egdi row %d: %w", i+2, err)
			}
		}
		rank, err := strconv.Atoi(strings.TrimSpace(r[2]))
		if err != nil {
			return nil, nil, fmt.Errorf("composite: egdi row %d: %w", i+2, err)
		}
		d.Units = append(d.Units, Unit{Code: code, Name: name})
		d.Numbers[code] = map[string]float64{"OSI": f[2], "HCI": f[3], "TII": f[4]}
		pub[code] = PublishedEGDI{Code: code, Country: name, EGDI: f[0], Rank: rank, EPI: f[1]}
	}
	return d, pub, nil
}

// PublishedDESI is a country's published DESI scores for one edition, on
// the 0–1 scale.
type PublishedDESI struct {
	Total float64
	// Dimensions by node code of Builtin("DESI", "2022"): "1" human
	// capital, "2" connectivity, "3" integration of digital technology,
	// "4" digital public services.
	Dimensions map[string]float64
}

// desiNames are the English names of the DESI units.
var desiNames = map[string]string{
	"AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CY": "Cyprus", "CZ": "Czechia",
	"DE": "Germany", "DK": "Denmark", "EE": "Estonia", "EL": "Greece", "ES": "Spain",
	"FI": "Finland", "FR": "France", "HR": "Croatia", "HU": "Hungary", "IE": "Ireland",
	"IT": "Italy", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "MT": "Malta",
	"NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SE": "Sweden",
	"SI": "Slovenia", "SK": "Slovakia", "EU": "European Union",
}

// DESI2022 returns the DESI 2022 raw indicators as input for
// Builtin("DESI", "2022"): 28 units (the 27 member states by their
// Eurostat code, "EL" for Greece, and "EU"; the EU in group "aggregate",
// the states in group "member") with one number per indicator code
// ("1a1" … "4a5"); and the published 2022 scores per unit code.
func DESI2022() (*Data, map[string]PublishedDESI, error) {
	rows, err := readCSV("data/desi_2022_raw_indicators.csv")
	if err != nil {
		return nil, nil, err
	}
	head := rows[0]
	d := &Data{Numbers: map[string]map[string]float64{}}
	for i, r := range rows[1:] {
		code := strings.TrimSpace(r[1])
		nums := map[string]float64{}
		for k := 2; k < len(head) && k < len(r); k++ {
			s := strings.TrimSpace(r[k])
			if s == "" {
				continue // missing: the sub-dimension re-normalises
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, nil, fmt.Errorf("composite: desi row %d, %s: %w", i+2, head[k], err)
			}
			nums[head[k]] = v
		}
		group := "member"
		if code == "EU" {
			group = "aggregate"
		}
		d.Units = append(d.Units, Unit{Code: code, Name: desiNames[code], Group: group})
		d.Numbers[code] = nums
	}
	eds, err := DESIEditions()
	if err != nil {
		return nil, nil, err
	}
	return d, eds[2022], nil
}

// DESIEditions returns the published DESI total and dimension scores of
// the editions 2017–2022, edition → unit code → scores. The editions
// before 2022 used other indicators and re-computed series; they are for
// comparison, not for Builtin("DESI", "2022").
func DESIEditions() (map[int]map[string]PublishedDESI, error) {
	rows, err := readCSV("data/desi_2017_2022_scores.csv")
	if err != nil {
		return nil, err
	}
	out := map[int]map[string]PublishedDESI{}
	for i, r := range rows[1:] {
		if len(r) < 7 {
			return nil, fmt.Errorf("composite: desi scores row %d: %d columns", i+2, len(r))
		}
		ed, err := strconv.Atoi(r[0])
		if err != nil {
			return nil, fmt.Errorf("composite: desi scores row %d: %w", i+2, err)
		}
		var f [5]float64
		for k := range f {
			if f[k], err = strconv.ParseFloat(r[2+k], 64); err != nil {
				return nil, fmt.Errorf("composite: desi scores row %d: %w", i+2, err)
			}
		}
		if out[ed] == nil {
			out[ed] = map[string]PublishedDESI{}
		}
		out[ed][r[1]] = PublishedDESI{Total: f[0], Dimensions: map[string]float64{"1": f[1], "2": f[2], "3": f[3], "4": f[4]}}
	}
	return out, nil
}

func readCSV(name string) ([][]string, error) {
	b, err := dataFiles.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("composite: %w", err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("composite: %s: %w", name, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("composite: %s: no rows", name)
	}
	return rows, nil
}
