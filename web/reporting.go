package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// This file holds what the reporting pages (regimes, reports,
// completeness) share: which period is due, how periods and issues read.

// duePeriod is the period of a regime whose report is due next: the one
// with the nearest deadline on or after today, so that in the few days
// between a data window's cut-off and its deadline the closing period is
// still the one asked for.
func duePeriod(rg *dxtrack.Regime, cal *dxtrack.Calendar, now time.Time) dxtrack.Period {
	today := dxtrack.Day(now)
	p := dxtrack.PeriodOn(rg.Freq, today).Prev()
	for range 3 {
		if !dxtrack.Deadline(cal, p, rg.DeadlineDays).Before(today) {
			return p
		}
		p = p.Next()
	}
	return p
}

// closedPeriod is the latest period of a regime whose data window has
// closed: the one leaders look at, its reports due or already in.
func closedPeriod(rg *dxtrack.Regime, now time.Time) dxtrack.Period {
	return dxtrack.PeriodOn(rg.Freq, dxtrack.Day(now)).Prev()
}

// periodName names a period the way reports are titled: "tháng 10/2026",
// "quý 3/2026", "6 tháng đầu năm 2026".
func periodName(p *locale.Printer, pd dxtrack.Period) string {
	args := map[string]any{"Number": strconv.Itoa(pd.N), "Year": strconv.Itoa(pd.Year)}
	return p.T("period."+string(pd.Freq), args)
}

// periodOf reads ?period= for a regime, or gives the latest closed period.
func periodOf(r interface{ FormValue(string) string }, rg *dxtrack.Regime, now time.Time) (dxtrack.Period, error) {
	key := strings.TrimSpace(r.FormValue("period"))
	if key == "" {
		return closedPeriod(rg, now), nil
	}
	pd, err := dxtrack.ParsePeriod(key)
	if err != nil || pd.Freq != rg.Freq {
		return dxtrack.Period{}, dxtrack.Invalid("period", "error.bad_period", map[string]any{"Value": key})
	}
	return pd, nil
}

// periodChoices lists the periods a picker offers: this year's and last
// year's, newest first, up to the due one.
func periodChoices(rg *dxtrack.Regime, due dxtrack.Period) []dxtrack.Period {
	var out []dxtrack.Period
	for y := due.Year; y >= due.Year-1; y-- {
		ps := dxtrack.PeriodsOf(rg.Freq, y)
		for i := len(ps) - 1; i >= 0; i-- {
			if ps[i].Year > due.Year || ps[i].Year == due.Year && ps[i].N > due.N {
				continue
			}
			out = append(out, ps[i])
		}
	}
	return out
}

// issueText renders an issue found in a report; field names the value
// at fault ("" for "the value", when the message sits beside it).
func issueText(p *locale.Printer, is dxtrack.Issue, field string) string {
	args := make(map[string]any, len(is.Args)+1)
	for k, v := range is.Args {
		args[k] = v
	}
	if field == "" {
		field = p.T("field._", nil)
	}
	args["Field"] = field
	return upperFirst(p.T(is.MsgID, args))
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// regimeNames maps regime IDs to regimes for the lists that show them.
func (s *Server) regimesByID(ctx context.Context) (map[int64]*dxtrack.Regime, error) {
	rgs, err := s.Regimes.FindRegimes(ctx, dxtrack.RegimeFilter{})
	if err != nil {
		return nil, err
	}
	m := make(map[int64]*dxtrack.Regime, len(rgs))
	for _, rg := range rgs {
		m[rg.ID] = rg
	}
	return m, nil
}

// indicatorMaps returns every indicator by ID and by code, for validating
// and showing regimes.
func (s *Server) indicatorMaps(ctx context.Context) (map[int64]*dxtrack.Indicator, map[string]*dxtrack.Indicator, error) {
	all, err := s.Indicators.FindIndicators(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[int64]*dxtrack.Indicator, len(all))
	byCode := make(map[string]*dxtrack.Indicator, len(all))
	for _, in := range all {
		byID[in.ID], byCode[in.Code] = in, in
	}
	return byID, byCode, nil
}

// reportStatusText is a report's status as a badge reads it; "" is no
// report yet.
func reportStatusText(p *locale.Printer, st dxtrack.ReportStatus) string {
	if st == "" {
		return p.T("rstatus.none", nil)
	}
	return p.T("rstatus."+string(st), nil)
}

// formatValue writes a value for an input: every decimal it has, the
// language's decimal mark and no grouping, so that it reads back the same.
func formatValue(p *locale.Printer, v *float64) string {
	if v == nil {
		return ""
	}
	s := strconv.FormatFloat(*v, 'f', -1, 64)
	if p.Lang() == "vi" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// sortedKeys returns a map's keys in order, for stable output.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// reportTitle is "Báo cáo tháng 10/2026 · Xã A".
func reportTitle(p *locale.Printer, rg *dxtrack.Regime, pd dxtrack.Period, u *dxtrack.Unit) string {
	t := fmt.Sprintf("%s · %s", rg.Name(p.Lang()), periodName(p, pd))
	if u != nil {
		t += " · " + u.Name(p.Lang())
	}
	return t
}

// localeError is the message of an application error in the request's
// language.
func localeError(r *http.Request, err error) string {
	return locale.For(langFrom(r.Context())).Error(err)
}
