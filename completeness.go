package dxtrack

import (
	"cmp"
	"slices"
	"time"
)

// Timeliness is how a unit's report for a period stands against its deadline.
type Timeliness string

// Timeliness values.
const (
	OnTime  Timeliness = "on_time" // submitted by the deadline
	Late    Timeliness = "late"    // submitted after the deadline
	Missing Timeliness = "missing" // not submitted, deadline passed
	Pending Timeliness = "pending" // not submitted, deadline still ahead
)

// UnitCompleteness is one reporting unit's line.
type UnitCompleteness struct {
	Unit        *Unit        `json:"unit"`
	ReportID    int64        `json:"report_id,omitempty"`
	Status      ReportStatus `json:"status,omitempty"` // "" when no report was opened
	Timeliness  Timeliness   `json:"timeliness"`
	SubmittedAt time.Time    `json:"submitted_at,omitzero"`
	Officers    []string     `json:"officers"` // who answers for the report: the unit's head and reporters
}

// Completeness is a regime's period across its reporting units.
type Completeness struct {
	Regime   *Regime            `json:"regime"`
	Period   Period             `json:"period"`
	Deadline time.Time          `json:"deadline"`
	Units    []UnitCompleteness `json:"units"`
	Counts   map[Timeliness]int `json:"counts"`
	// Submitted is reports in (on time or late) out of all units;
	// Timely is those on time; Approved those approved at the last level.
	Submitted Completion `json:"submitted"`
	Timely    Completion `json:"timely"`
	Approved  Completion `json:"approved"`
}

// NotReported lists the units whose report is missing or pending.
func (c *Completeness) NotReported() []UnitCompleteness {
	var out []UnitCompleteness
	for _, u := range c.Units {
		if u.Timeliness == Missing || u.Timeliness == Pending {
			out = append(out, u)
		}
	}
	return out
}

// BuildCompleteness computes the completeness of a period on day now from
// the reporting units, the reports opened for it and each unit's officers.
func BuildCompleteness(rg *Regime, p Period, deadline time.Time, units []*Unit, reports []*Report, officers map[int64][]string, now time.Time) *Completeness {
	c := &Completeness{Regime: rg, Period: p, Deadline: deadline, Counts: map[Timeliness]int{}}
	byUnit := make(map[int64]*Report, len(reports))
	for _, r := range reports {
		if r.RegimeID == rg.ID && r.Period == p {
			byUnit[r.UnitID] = r
		}
	}
	today := Day(now)
	for _, u := range units {
		line := UnitCompleteness{Unit: u, Officers: officers[u.ID], Timeliness: Pending}
		if today.After(deadline) {
			line.Timeliness = Missing
		}
		if r := byUnit[u.ID]; r != nil {
			line.ReportID, line.Status = r.ID, r.Status
			// A report returned after submission still counts as in, with
			// its first submission's timeliness.
			if !r.SubmittedAt.IsZero() {
				line.SubmittedAt = r.SubmittedAt
				line.Timeliness = OnTime
				if r.Late {
					line.Timeliness = Late
				}
			}
		}
		c.Counts[line.Timeliness]++
		in := line.Timeliness == OnTime || line.Timeliness == Late
		c.Submitted.Add(in)
		c.Timely.Add(line.Timeliness == OnTime)
		c.Approved.Add(line.Status == ReportApproved)
		c.Units = append(c.Units, line)
	}
	rank := map[Timeliness]int{Missing: 0, Pending: 1, Late: 2, OnTime: 3}
	slices.SortStableFunc(c.Units, func(a, b UnitCompleteness) int {
		return cmp.Or(cmp.Compare(rank[a.Timeliness], rank[b.Timeliness]), cmp.Compare(a.Unit.NameVI, b.Unit.NameVI))
	})
	return c
}

// Consolidated is the province's table for a regime and period: one row
// per reporting unit, one column per indicator of the form, and a total
// row.
type Consolidated struct {
	Regime     *Regime              `json:"regime"`
	Period     Period               `json:"period"`
	Indicators []*Indicator         `json:"indicators"`
	Rows       []ConsolidatedRow    `json:"rows"`
	Totals     []*float64           `json:"totals"` // per indicator: sum of counts, mean of others
	Reported   []Completion         `json:"reported"`
	Status     map[ReportStatus]int `json:"status"`
}

// ConsolidatedRow is one unit's line of the table.
type ConsolidatedRow struct {
	Unit   *Unit        `json:"unit"`
	Status ReportStatus `json:"status,omitempty"`
	Values []*float64   `json:"values"`
}

// BuildConsolidated lays out the reports of a period across units. Only
// submitted and approved reports contribute values: a draft is the unit's
// own business until it is submitted.
func BuildConsolidated(rg *Regime, p Period, indicators []*Indicator, units []*Unit, reports []*Report) *Consolidated {
	c := &Consolidated{Regime: rg, Period: p, Indicators: indicators, Status: map[ReportStatus]int{}}
	byUnit := map[int64]*Report{}
	for _, r := range reports {
		if r.RegimeID == rg.ID && r.Period == p {
			byUnit[r.UnitID] = r
		}
	}
	sums := make([]float64, len(indicators))
	c.Reported = make([]Completion, len(indicators))
	for _, u := range units {
		row := ConsolidatedRow{Unit: u, Values: make([]*float64, len(indicators))}
		r := byUnit[u.ID]
		if r != nil {
			row.Status = r.Status
			c.Status[r.Status]++
		}
		counted := r != nil && (r.Status == ReportSubmitted || r.Status == ReportApproved)
		for i, in := range indicators {
			var v *float64
			if counted {
				v = r.Value(in.ID)
			}
			row.Values[i] = v
			c.Reported[i].Add(v != nil)
			if v != nil {
				sums[i] += *v
			}
		}
		c.Rows = append(c.Rows, row)
	}
	c.Totals = make([]*float64, len(indicators))
	for i, in := range indicators {
		if n := c.Reported[i].Done; n > 0 {
			t := sums[i]
			if in.Type != ValueCount {
				t /= float64(n)
			}
			c.Totals[i] = &t
		}
	}
	return c
}
