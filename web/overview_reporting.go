package web

import (
	"context"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// reportingLine is an active regime's due period on the overview:
// "Báo cáo tháng 10/2026: 48/54 đơn vị đã nộp".
type reportingLine struct {
	Regime    *dxtrack.Regime
	Period    dxtrack.Period
	Deadline  time.Time
	Line      string
	Submitted dxtrack.Completion
	Late      int
}

// reportingSummary computes the overview's reporting block: for each
// active regime the user may see, how many units filed the due period.
func (s *Server) reportingSummary(ctx context.Context, p *locale.Printer) ([]reportingLine, error) {
	if s.Regimes == nil || s.Reports == nil {
		return nil, nil // a server without reporting (older wiring)
	}
	active := true
	rgs, err := s.Regimes.FindRegimes(ctx, dxtrack.RegimeFilter{Active: &active})
	if err != nil {
		return nil, err
	}
	if len(rgs) == 0 {
		return nil, nil
	}
	var out []reportingLine
	for _, rg := range rgs {
		pd := closedPeriod(rg, s.Now())
		c, err := s.Reports.Completeness(ctx, rg.ID, pd)
		if code := dxtrack.ErrorCode(err); code == dxtrack.EFORBIDDEN || code == dxtrack.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, reportingLine{
			Regime: rg, Period: pd, Deadline: c.Deadline, Submitted: c.Submitted, Late: c.Counts[dxtrack.Late],
			Line: p.T("overview.reporting_line", map[string]any{
				"Value":  periodName(p, pd),
				"Number": p.Number(int64(c.Submitted.Done)) + "/" + p.Number(int64(c.Submitted.Total)),
			}),
		})
	}
	return out, nil
}
