package synth_test

import (
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
	"github.com/dxtrack/dxtrack/cube/synth"
)

func TestNationalSize(t *testing.T) {
	d, err := synth.National(1)
	if err != nil {
		t.Fatal(err)
	}
	count := map[dxtrack.UnitType]int{}
	for _, u := range d.Units {
		if u.ValidTo.IsZero() {
			count[u.Type]++
		}
	}
	local := count[dxtrack.UnitCommune] + count[dxtrack.UnitWard] + count[dxtrack.UnitSpecialZone]
	if count[dxtrack.UnitProvince] != 34 || local != 3321 || count[dxtrack.UnitDepartment] != 850 || len(d.Former) != 29 {
		t.Errorf("units %v (local %d), former %d", count, local, len(d.Former))
	}
	if len(d.Indicators) != 210 || len(d.Formulas) != 10 || len(d.Pillars) != 10 {
		t.Errorf("%d indicators, %d formulas, %d pillars", len(d.Indicators), len(d.Formulas), len(d.Pillars))
	}
	if want := (34+3321+850)*200*12 + 29*200*6; d.Len() != want {
		t.Errorf("Len = %d, want %d", d.Len(), want)
	}
}

// TestShapesByHand loads a small dataset and recomputes the shapes that
// are plain sums by brute force over every value.
func TestShapesByHand(t *testing.T) {
	d, err := synth.National(0.03)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cube.New(d.Units, d.Lineage, d.Indicators)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Load(c); err != nil {
		t.Fatal(err)
	}
	n := 0
	for range d.Rows() {
		n++
	}
	if n != d.Len() || c.Len() != d.Len() {
		t.Fatalf("rows %d, cube %d, want %d", n, c.Len(), d.Len())
	}
	typ := map[int64]dxtrack.UnitType{}
	for _, u := range d.Units {
		typ[u.ID] = u.Type
	}
	shapes := d.Shapes()
	for i := range 3 {
		// One indicator at the provinces, and the formula 100*I001/I000.
		ind := d.Count(i)
		sum := map[int64]float64{}
		i000, i001 := map[int64]float64{}, map[int64]float64{}
		byMonth := map[[2]int64]float64{} // commune, month
		for v := range d.Rows() {
			p := d.ProvinceOf[v.UnitID]
			switch v.IndicatorID {
			case ind:
				sum[p] += v.Value
				if p == d.Province(i) && typ[v.UnitID].IsLocal() {
					byMonth[[2]int64{v.UnitID, int64(v.Period.N)}] += v.Value
				}
			}
			switch v.IndicatorID {
			case 1:
				i000[p] += v.Value
			case 2:
				i001[p] += v.Value
			}
		}
		r, err := c.Query(shapes[2].Query(i))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Units) != 34 {
			t.Fatalf("%d provinces", len(r.Units))
		}
		for row, u := range r.Units {
			if v, ok := r.Value(row, 0, 0); !ok || v != sum[u] {
				t.Errorf("indicator %d at province %d: %v, want %v", ind, u, v, sum[u])
			}
		}
		r, err = c.Query(shapes[3].Query(i))
		if err != nil {
			t.Fatal(err)
		}
		for row, u := range r.Units {
			if v, ok := r.Value(row, 0, 0); !ok || v != 100*i001[u]/i000[u] {
				t.Errorf("formula at province %d: %v, want %v", u, v, 100*i001[u]/i000[u])
			}
		}
		r, err = c.Query(shapes[0].Query(i))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Spans) != 12 || len(r.Units) == 0 {
			t.Fatalf("%d spans, %d communes", len(r.Spans), len(r.Units))
		}
		for row, u := range r.Units {
			for m := range 12 {
				if v, ok := r.Value(row, 0, m); !ok || v != byMonth[[2]int64{u, int64(m + 1)}] {
					t.Errorf("commune %d month %d: %v, want %v", u, m+1, v, byMonth[[2]int64{u, int64(m + 1)}])
				}
			}
		}
	}
	// Every figure is there but those of formulas over the year before,
	// of which there is no data: F02, F07 and F08 use prev().
	for _, s := range shapes {
		r, err := c.Query(s.Query(5))
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		for row := range r.Units {
			for k, id := range r.Indicators {
				for sp := range r.Spans {
					_, ok := r.Value(row, k, sp)
					if wantOK := id != d.Formulas[1] && id != d.Formulas[6] && id != d.Formulas[7]; ok != wantOK {
						t.Errorf("%s: unit %d indicator %d: ok %v", s.Name, r.Units[row], id, ok)
					}
				}
			}
		}
	}
}
