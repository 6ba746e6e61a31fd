package demo_test

import (
	"fmt"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
	"github.com/dxtrack/dxtrack/store"
)

// TestIndices loads the demo with the index service: EGDI and DESI as
// imported tables, and Quảng Ninh's commune index for 2024 and 2025
// computed from the communes' reported values.
func TestIndices(t *testing.T) {
	e := openEnv(t)
	e.s.Values, e.s.IndicatorTargets = store.NewValueService(e.db), store.NewIndicatorTargetService(e.db)
	ix := store.NewIndexService(e.db)
	e.s.Indices = ix
	mustLoad(t, e)

	eds, err := ix.FindEditions(e.ctx, dxtrack.EditionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int{}
	for _, ed := range eds {
		tab, err := ix.EditionTable(e.ctx, ed.ID)
		if err != nil {
			t.Fatal(err)
		}
		rows[fmt.Sprintf("%s %d", ed.IndexCode, ed.Year)] = len(tab.Rows)
		if ed.IndexCode != "QN-CDS-XA" {
			continue
		}
		// Every commune of the cohort has every input: the demo's values
		// cover both years.
		for _, r := range tab.Rows {
			if len(tab.Numbers[r.Code]) != 5 || r.UnitID == 0 {
				t.Errorf("%d: commune %s has %d inputs (unit %d), want 5", ed.Year, r.Code, len(tab.Numbers[r.Code]), r.UnitID)
				break
			}
		}
		d, err := ix.FindIndexDefinition(e.ctx, ed.IndexCode, ed.IndexVersion)
		if err != nil {
			t.Fatal(err)
		}
		def, err := composite.Parse(d.Definition)
		if err != nil {
			t.Fatal(err)
		}
		data := &composite.Data{Numbers: tab.Numbers}
		for _, r := range tab.Rows {
			data.Units = append(data.Units, composite.Unit{Code: r.Code, Name: r.Name})
		}
		res, err := composite.Compute(def, data)
		if err != nil {
			t.Fatal(err)
		}
		for i, sc := range res.Scores[def.Root.Code] {
			if sc.Missing || sc.Imputed || sc.Value <= 0 || sc.Value > 1 {
				t.Errorf("%d: %s scores %+v", ed.Year, res.Units[i].Code, sc)
			}
		}
	}
	for key, want := range map[string]int{"EGDI 2022": 193, "DESI 2022": 27, "QN-CDS-XA 2024": 54, "QN-CDS-XA 2025": 54} {
		if rows[key] != want {
			t.Errorf("edition %s: %d rows, want %d (all: %v)", key, rows[key], want, rows)
		}
	}
}
