package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// myReportRow is a period the user's unit reports for under a regime.
type myReportRow struct {
	Regime     *dxtrack.Regime
	Period     dxtrack.Period
	PeriodName string
	Deadline   time.Time
	Report     *dxtrack.Report // nil until opened
	Overdue    bool            // deadline passed, not submitted
}

// queueRow is a submitted report waiting for the user's level.
type queueRow struct {
	Report     *dxtrack.Report
	Regime     *dxtrack.Regime
	Unit       *dxtrack.Unit
	PeriodName string
}

// reportListPage is the data of "My reports".
type reportListPage struct {
	Unit     *dxtrack.Unit
	Mine     []myReportRow
	Queue    []queueRow
	Reviewer bool
}

// listReports is "My reports": for the user's unit, each regime it
// reports under with the due period's report (and an earlier one still
// missing); for reviewers and admins, the submitted reports waiting for
// their level.
func (s *Server) listReports(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	u := dxtrack.UserFromContext(ctx)
	now := s.Now()
	cal, err := s.Calendar.Calendar(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := reportListPage{Reviewer: u.Role == dxtrack.RoleAdmin || u.Role == dxtrack.RoleReviewer}
	units, err := s.unitsByID(ctx, u.UnitID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Unit = units[u.UnitID]
	active := true
	mine, err := s.Regimes.FindRegimes(ctx, dxtrack.RegimeFilter{UnitID: u.UnitID, Active: &active})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := dxtrack.Day(now)
	for _, rg := range mine {
		due := duePeriod(rg, cal, now)
		for _, pd := range []dxtrack.Period{due.Prev(), due} {
			row := myReportRow{Regime: rg, Period: pd, PeriodName: periodName(p, pd), Deadline: dxtrack.Deadline(cal, pd, rg.DeadlineDays)}
			reps, err := s.Reports.FindReports(ctx, dxtrack.ReportFilter{RegimeID: rg.ID, Period: &pd, UnitID: u.UnitID})
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if len(reps) > 0 {
				row.Report = reps[0]
			}
			submitted := row.Report != nil && !row.Report.SubmittedAt.IsZero()
			row.Overdue = !submitted && today.After(row.Deadline)
			// The period before the due one shows only while it is missing.
			if pd != due && (submitted || row.Report != nil && row.Report.Status == dxtrack.ReportApproved) {
				continue
			}
			data.Mine = append(data.Mine, row)
		}
	}
	if data.Reviewer {
		queue, err := s.Reports.FindReports(ctx, dxtrack.ReportFilter{Status: dxtrack.ReportSubmitted})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		regimes, err := s.regimesByID(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var unitIDs []int64
		for _, rep := range queue {
			rg := regimes[rep.RegimeID]
			if rg == nil {
				continue
			}
			var levelPaths [][]int64
			for _, lid := range rg.Levels() {
				lp, err := s.unitPath(ctx, lid)
				if err != nil {
					s.fail(w, r, err)
					return
				}
				levelPaths = append(levelPaths, lp)
			}
			// Waiting for this user: the level they speak for is the one due.
			if lv := reviewLevel(u, levelPaths); lv != rep.Level && !(lv > rep.Level && rg.SkipLevels) {
				continue
			}
			data.Queue = append(data.Queue, queueRow{Report: rep, Regime: rg, PeriodName: periodName(p, rep.Period)})
			unitIDs = append(unitIDs, rep.UnitID)
		}
		names, err := s.unitsByID(ctx, unitIDs...)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for i := range data.Queue {
			data.Queue[i].Unit = names[data.Queue[i].Report.UnitID]
		}
		slices.SortStableFunc(data.Queue, func(a, b queueRow) int { return a.Report.SubmittedAt.Compare(b.Report.SubmittedAt) })
	}
	s.render(w, r, http.StatusOK, "report_list", p.T("page.reports.title", nil), data)
}
