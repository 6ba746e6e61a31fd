package cube_test

import (
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
	"github.com/dxtrack/dxtrack/cube/synth"
)

// The benchmarks run on the synthetic national dataset, about 10 million
// values; DXTRACK_BENCH_SCALE=0.1 takes a tenth of the units for a quick
// run. The dataset is built once per process.
var national = sync.OnceValues(func() (*synth.Dataset, error) {
	scale := 1.0
	if s := os.Getenv("DXTRACK_BENCH_SCALE"); s != "" {
		var err error
		if scale, err = strconv.ParseFloat(s, 64); err != nil {
			return nil, err
		}
	}
	return synth.National(scale)
})

var loaded = sync.OnceValues(func() (*cube.Cube, error) {
	d, err := national()
	if err != nil {
		return nil, err
	}
	c, err := cube.New(d.Units, d.Lineage, d.Indicators)
	if err != nil {
		return nil, err
	}
	return c, d.Load(c)
})

func benchCube(b *testing.B) (*synth.Dataset, *cube.Cube) {
	b.Helper()
	d, err := national()
	if err != nil {
		b.Fatal(err)
	}
	c, err := loaded()
	if err != nil {
		b.Fatal(err)
	}
	return d, c
}

func BenchmarkQuery(b *testing.B) {
	d, c := benchCube(b)
	for _, s := range d.Shapes() {
		b.Run(s.Name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, err := c.Query(s.Query(i)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkSetVisible sets a commune's value and reads its province's
// roll-up: the time from a write to its visibility.
func BenchmarkSetVisible(b *testing.B) {
	d, c := benchCube(b)
	var commune int64
	for _, u := range d.Units {
		if u.Type.IsLocal() {
			commune = u.ID
			break
		}
	}
	province := d.ProvinceOf[commune]
	ind := d.Counts[0]
	p := synth.Month(6)
	i := 0
	for b.Loop() {
		v := float64(i % 1000)
		if err := c.Set(dxtrack.Value{UnitID: commune, IndicatorID: ind, Period: p, Value: v}); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Query(cube.Query{Indicators: []int64{ind}, UnitID: province, From: p, To: p}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkLoadColumn(b *testing.B) {
	d, c := benchCube(b)
	var col []dxtrack.Value
	for vs := range d.Columns() {
		col = append(col, vs...)
		break
	}
	for b.Loop() {
		if err := c.Load(col); err != nil {
			b.Fatal(err)
		}
	}
}
