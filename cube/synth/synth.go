// Package synth builds the synthetic national dataset of the analytics
// benchmark (issue #4): the real 34 provinces and 3,321 communes of
// 1 July 2025, about 25 departments per province, the 29 former provinces
// merged away that day (from gso.Mergers2025), 200 stored indicators with a
// mix of aggregations plus 10 formula indicators, and a value for every
// unit, stored indicator and month of 2025 (former provinces: January to
// June only) — about 10.1 million values. Values are a pure function of
// unit, indicator and month, so a dataset can be streamed twice (into the
// cube, then into SQL) without being held in memory.
package synth

import (
	"fmt"
	"iter"
	"math"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
	"github.com/dxtrack/dxtrack/gso"
)

// Year is the year of the values.
const Year = 2025

// Sizes of the dataset at scale 1.
const (
	DepartmentsPerProvince = 25
	StoredIndicators       = 200
	FormulaIndicators      = 10
	PillarIndicators       = 10
)

// Dataset is a synthetic national dataset.
type Dataset struct {
	Units      []*dxtrack.Unit
	Lineage    []dxtrack.Lineage
	Indicators []*dxtrack.Indicator // stored ones first, then formulas

	Provinces []int64 // the 34 current provinces
	Former    []int64 // former provinces, ended 2025-07-01
	Pillars   []int64 // the scorecard's indicators: percentages averaged over units
	Counts    []int64 // indicators summed over units and time
	Formulas  []int64
	// ProvinceOf maps every unit to the current province whose figures it
	// counts in: itself, its parent, or the successor of a former one.
	ProvinceOf map[int64]int64

	reporters []reporter
}

type reporter struct {
	id     int64
	months int // reports for months 1..months
}

// Kinds of stored indicator, by index modulo 10.
func kind(k int) int { return k % 10 }

// National builds the dataset. scale (0 < scale ≤ 1) keeps that share of
// each province's communes and departments (at least one of each), for
// quick runs.
func National(scale float64) (*Dataset, error) {
	if !(scale > 0 && scale <= 1) {
		return nil, fmt.Errorf("synth: scale %v not in (0, 1]", scale)
	}
	recs, err := gso.Units2025()
	if err != nil {
		return nil, err
	}
	mergers, err := gso.Mergers2025()
	if err != nil {
		return nil, err
	}
	d := &Dataset{ProvinceOf: map[int64]int64{}}
	from := dxtrack.MustDate("2008-08-01")
	var nextID int64
	add := func(code, name string, typ dxtrack.UnitType, parent int64) *dxtrack.Unit {
		nextID++
		u := &dxtrack.Unit{ID: nextID, Code: code, NameVI: name, Type: typ, ParentID: parent, ValidFrom: from}
		d.Units = append(d.Units, u)
		return u
	}
	byCode := map[string]*dxtrack.Unit{}
	for _, r := range recs {
		if r.Type == dxtrack.UnitProvince {
			u := add(r.Code, r.NameVI, r.Type, 0)
			u.ValidFrom = gso.Effective2025
			byCode[r.Code] = u
			d.Provinces = append(d.Provinces, u.ID)
			d.ProvinceOf[u.ID] = u.ID
		}
	}
	for _, m := range mergers {
		if m.Continues() {
			continue
		}
		succ := byCode[m.NewCode]
		if succ == nil {
			return nil, fmt.Errorf("synth: successor %s of %s not in the unit list", m.NewCode, m.OldCode)
		}
		u := add(m.OldCode, m.OldName, dxtrack.UnitProvince, 0)
		u.ValidTo = gso.Effective2025
		d.Lineage = append(d.Lineage, dxtrack.Lineage{FromID: u.ID, ToID: succ.ID, Kind: dxtrack.LineageMerge, On: gso.Effective2025})
		d.Former = append(d.Former, u.ID)
		d.ProvinceOf[u.ID] = succ.ID
		d.reporters = append(d.reporters, reporter{u.ID, 6})
	}
	for _, p := range d.Provinces {
		d.reporters = append(d.reporters, reporter{p, 12})
	}
	kept := map[string]int{} // communes kept per province
	seen := map[string]int{}
	for _, r := range recs {
		if r.Type == dxtrack.UnitProvince {
			continue
		}
		p := byCode[r.ParentCode]
		seen[r.ParentCode]++
		// Keep the first, then every commune that brings the count up to
		// the scale.
		if kept[r.ParentCode] > 0 && float64(kept[r.ParentCode]) >= scale*float64(seen[r.ParentCode]) {
			continue
		}
		kept[r.ParentCode]++
		u := add(r.Code, r.NameVI, r.Type, p.ID)
		u.ValidFrom = gso.Effective2025
		d.ProvinceOf[u.ID] = p.ID
		d.reporters = append(d.reporters, reporter{u.ID, 12})
	}
	depts := max(1, int(math.Round(scale*DepartmentsPerProvince)))
	for _, pid := range d.Provinces {
		p := d.Units[pid-1]
		for n := 1; n <= depts; n++ {
			u := add(fmt.Sprintf("%s.S%02d", p.Code, n), fmt.Sprintf("Sở %d, %s", n, p.NameVI), dxtrack.UnitDepartment, pid)
			u.ValidFrom = gso.Effective2025
			d.ProvinceOf[u.ID] = pid
			d.reporters = append(d.reporters, reporter{u.ID, 12})
		}
	}
	d.indicators()
	return d, nil
}

// indicators makes the 200 stored indicators, ten of each kind in every
// block of ten, and the formulas.
func (d *Dataset) indicators() {
	for k := range StoredIndicators {
		ind := &dxtrack.Indicator{
			ID: int64(k + 1), Code: fmt.Sprintf("I%03d", k), NameVI: fmt.Sprintf("Chỉ tiêu %d", k),
			Direction: dxtrack.DirectionUp, Source: dxtrack.SourceManual,
		}
		switch kind(k) {
		case 0, 1, 2, 3: // counts: sum over units and time
			ind.Type = dxtrack.ValueCount
			d.Counts = append(d.Counts, ind.ID)
		case 4: // online share of the count four before: ratio of sums
			ind.Type, ind.UnitAgg, ind.TimeAgg, ind.DenominatorID = dxtrack.ValueCount, dxtrack.AggRatio, dxtrack.TimeSum, int64(k-4+1)
		case 5, 6: // percentages: mean over units, last over time
			ind.Type = dxtrack.ValuePercent
			if kind(k) == 5 && len(d.Pillars) < PillarIndicators {
				d.Pillars = append(d.Pillars, ind.ID)
			}
		case 7: // extremes
			ind.Type, ind.UnitAgg, ind.TimeAgg = dxtrack.ValueNumber, dxtrack.AggMin, dxtrack.TimeLast
			if k%20 >= 10 {
				ind.UnitAgg, ind.TimeAgg = dxtrack.AggMax, dxtrack.TimeSum
			}
		case 8: // units meeting 50 %: count or share
			ind.Type, ind.UnitAgg, ind.TimeAgg, ind.Condition, ind.Threshold = dxtrack.ValuePercent, dxtrack.AggCount, dxtrack.TimeLast, dxtrack.OpGE, 50
			if k%20 >= 10 {
				ind.UnitAgg = dxtrack.AggShare
			}
		case 9: // averages over units and time
			ind.Type, ind.UnitAgg, ind.TimeAgg = dxtrack.ValueNumber, dxtrack.AggAvg, dxtrack.TimeAvg
		}
		d.Indicators = append(d.Indicators, ind)
	}
	for n, f := range []string{
		"100 * I001 / I000",
		"I000 - prev(I000)",
		"round(avg(I005, I006, I015), 1)",
		"if(I005 >= 50, 1, 0)",
		"sum(I000, I010, I020) / 3",
		"max(I005, I016) - min(I005, I016)",
		"100 * (I000 - prev(I000)) / prev(I000)",
		"F01 - prev(F01)",
		"I009 * 2 + I019",
		"round(100 * I011 / (I010 + I011), 2)",
	} {
		id := int64(StoredIndicators + n + 1)
		d.Indicators = append(d.Indicators, &dxtrack.Indicator{
			ID: id, Code: fmt.Sprintf("F%02d", n+1), NameVI: fmt.Sprintf("Công thức %d", n+1),
			Type: dxtrack.ValueNumber, Direction: dxtrack.DirectionUp, Source: dxtrack.SourceFormula, Formula: f,
		})
		d.Formulas = append(d.Formulas, id)
	}
}

// hash mixes unit, indicator and month into 64 pseudo-random bits
// (SplitMix64), the same on every run.
func hash(u, k int64, m int) uint64 {
	z := uint64(u)*0x9E3779B97F4A7C15 ^ uint64(k)*0xBF58476D1CE4E5B9 ^ uint64(m)*0x94D049BB133111EB
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// value is the value of stored indicator k (0-based) for unit u and month m.
func value(u int64, k int, m int) float64 {
	h := hash(u, int64(k), m)
	switch kind(k) {
	case 0, 1, 2, 3:
		return float64(h % 2001)
	case 4:
		den := value(u, k-4, m)
		return math.Floor(den * float64(h%1001) / 1000)
	case 5, 6, 8:
		return float64(h%1001) / 10
	}
	return float64(int64(h%20001)-10000) / 100
}

// Len returns the number of values.
func (d *Dataset) Len() int {
	n := 0
	for _, r := range d.reporters {
		n += r.months * StoredIndicators
	}
	return n
}

// Columns yields the values one column at a time: every value of one
// indicator and month. The slice is reused between yields.
func (d *Dataset) Columns() iter.Seq[[]dxtrack.Value] {
	return func(yield func([]dxtrack.Value) bool) {
		buf := make([]dxtrack.Value, 0, len(d.reporters))
		for k := range StoredIndicators {
			for m := 1; m <= 12; m++ {
				buf = buf[:0]
				for _, r := range d.reporters {
					if m <= r.months {
						buf = append(buf, d.at(r.id, k, m))
					}
				}
				if !yield(buf) {
					return
				}
			}
		}
	}
}

// Rows yields the values ordered by unit, indicator and month.
func (d *Dataset) Rows() iter.Seq[dxtrack.Value] {
	return func(yield func(dxtrack.Value) bool) {
		for _, r := range d.sortedReporters() {
			for k := range StoredIndicators {
				for m := 1; m <= r.months; m++ {
					if !yield(d.at(r.id, k, m)) {
						return
					}
				}
			}
		}
	}
}

func (d *Dataset) sortedReporters() []reporter {
	rs := make([]reporter, len(d.Units))
	for _, r := range d.reporters {
		rs[r.id-1] = r
	}
	out := rs[:0]
	for _, r := range rs {
		if r.id != 0 {
			out = append(out, r)
		}
	}
	return out
}

func (d *Dataset) at(u int64, k int, m int) dxtrack.Value {
	return dxtrack.Value{
		UnitID: u, IndicatorID: int64(k + 1), Value: value(u, k, m),
		Period: dxtrack.Period{Freq: dxtrack.Monthly, Year: Year, N: m}, Provenance: dxtrack.FromManual,
	}
}

// Load stores the dataset in a cube, one column at a time.
func (d *Dataset) Load(c *cube.Cube) error {
	for col := range d.Columns() {
		if err := c.Load(col); err != nil {
			return err
		}
	}
	return nil
}

// Shape is one of the benchmark's query shapes. Query(i) gives the i'th
// query of the shape; successive i vary the province and indicator.
type Shape struct {
	Name        string
	Description string
	Query       func(i int) cube.Query
}

// Province is the province the i'th query of a shape is about.
func (d *Dataset) Province(i int) int64 { return d.Provinces[i%len(d.Provinces)] }

// Count is the count indicator the i'th query of a shape is about.
func (d *Dataset) Count(i int) int64 { return d.Counts[(i*7)%len(d.Counts)] }

// Month and YearPeriod are the periods of the shapes.
func Month(n int) dxtrack.Period { return dxtrack.Period{Freq: dxtrack.Monthly, Year: Year, N: n} }

// YearPeriod is the year of the values as a period.
var YearPeriod = dxtrack.Period{Freq: dxtrack.Yearly, Year: Year, N: 1}

// Shapes returns the five query shapes of issue #4.
func (d *Dataset) Shapes() []Shape {
	all := make([]int64, len(d.Indicators))
	for k, ind := range d.Indicators {
		all[k] = ind.ID
	}
	return []Shape{
		{"communes-by-month", "one indicator for all communes of a province, by month", func(i int) cube.Query {
			return cube.Query{Indicators: []int64{d.Count(i)}, UnitID: d.Province(i), Level: cube.LevelLocal, From: Month(1), To: Month(12), ByPeriod: true}
		}},
		{"province-all-indicators", "all indicators for one province, for the year", func(i int) cube.Query {
			return cube.Query{Indicators: all, UnitID: d.Province(i), Level: cube.LevelSelf, From: YearPeriod, To: YearPeriod}
		}},
		{"provinces-one-indicator", "one indicator rolled up to the 34 provinces, for the year", func(i int) cube.Query {
			return cube.Query{Indicators: []int64{d.Count(i)}, UnitID: 0, Level: cube.Level(dxtrack.UnitProvince), From: YearPeriod, To: YearPeriod}
		}},
		{"provinces-formula", "a formula indicator (100 * I001 / I000) at the 34 provinces, for the year", func(i int) cube.Query {
			return cube.Query{Indicators: []int64{d.Formulas[0]}, UnitID: 0, Level: cube.Level(dxtrack.UnitProvince), From: YearPeriod, To: YearPeriod}
		}},
		{"scorecard", "34 provinces × 10 pillar indicators, for the year", func(i int) cube.Query {
			return cube.Query{Indicators: d.Pillars, UnitID: 0, Level: cube.Level(dxtrack.UnitProvince), From: YearPeriod, To: YearPeriod}
		}},
	}
}
