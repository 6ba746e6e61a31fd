package dxtrack_test

import (
	"testing"

	"github.com/dxtrack/dxtrack"
)

func TestCompletionPercent(t *testing.T) {
	tests := []struct {
		name       string
		done, all  int
		wantTenths int
	}{
		{"KH59 2022 targets", 11, 27, 407},
		{"KH59 2022 tasks", 19, 51, 373},
		{"NQ09 targets", 16, 20, 800},
		{"NQ09 still on roadmap", 4, 20, 200},
		{"half rounds away from zero", 1, 16, 63}, // 6.25%
		{"exact half tenth", 1, 8, 125},
		{"none done", 0, 5, 0},
		{"all done", 7, 7, 1000},
		{"no items", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dxtrack.Completion{Done: tt.done, Total: tt.all}
			if got := c.Tenths(); got != tt.wantTenths {
				t.Errorf("Tenths() = %d, want %d", got, tt.wantTenths)
			}
			if got, want := c.Percent(), float64(tt.wantTenths)/10; got != want {
				t.Errorf("Percent() = %v, want %v", got, want)
			}
		})
	}
}

func TestTally(t *testing.T) {
	var st []dxtrack.Status
	for i := range 27 {
		s := dxtrack.StatusOverdue
		if i < 11 {
			s = dxtrack.StatusCompleted
		}
		st = append(st, s)
	}
	if got, want := dxtrack.Tally(st), (dxtrack.Completion{Done: 11, Total: 27}); got != want {
		t.Fatalf("Tally = %+v, want %+v", got, want)
	}
	sc := dxtrack.StatusCounts{dxtrack.StatusCompleted: 19, dxtrack.StatusOverdue: 30, dxtrack.StatusAtRisk: 2}
	if got, want := sc.Completion(), (dxtrack.Completion{Done: 19, Total: 51}); got != want {
		t.Fatalf("StatusCounts.Completion = %+v, want %+v", got, want)
	}
}
