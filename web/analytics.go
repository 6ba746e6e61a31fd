package web

import (
	"context"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
	"github.com/dxtrack/dxtrack/locale"
)

// Analytics answers roll-ups of the value store: *cube.Cube does, and
// cmd/dxtrack keeps one fresh from the store's change feed.
type Analytics interface {
	Query(q cube.Query) (*cube.Result, error)
}

// errNoAnalytics is the failure of a server wired without analytics.
var errNoAnalytics = errors.New("web: no analytics engine")

// analyticsRequest is a roll-up asked for in a query string or a page's
// filter, its codes resolved.
type analyticsRequest struct {
	Indicators []*dxtrack.Indicator
	Unit       *dxtrack.Unit // nil: the whole country
	Level      cube.Level
	From, To   dxtrack.Period
	ByPeriod   bool
}

// analyticsParams are the query parameters of a roll-up, as typed.
type analyticsParams struct {
	Indicator, Unit, Level, From, To string
	ByPeriod                         bool
}

// parseAnalytics resolves the parameters, naming every parameter at
// fault at once. from and to default to this year's January and the
// current month; to defaults to from when only from is given.
func (s *Server) parseAnalytics(ctx context.Context, in analyticsParams) (*analyticsRequest, error) {
	var probs dxtrack.Problems
	req := &analyticsRequest{ByPeriod: in.ByPeriod}
	codes := splitCodes(strings.ToUpper(in.Indicator))
	if len(codes) == 0 {
		probs.Add("indicator", "error.required", nil)
	}
	for _, code := range codes {
		ind, err := s.Indicators.FindIndicatorByCode(ctx, code)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			probs.Add("indicator", "error.no_indicator", map[string]any{"Code": code})
			continue
		} else if err != nil {
			return nil, err
		}
		req.Indicators = append(req.Indicators, ind)
	}
	if strings.TrimSpace(in.Unit) != "" {
		u, err := s.apiUnitRef(ctx, in.Unit)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			probs.Add("unit", "error.unknown_unit", map[string]any{"Code": in.Unit})
		} else if err != nil {
			return nil, err
		} else {
			req.Unit = u
		}
	}
	req.Level = cube.Level(strings.ToLower(strings.TrimSpace(in.Level)))
	switch req.Level {
	case "":
		req.Level = cube.LevelSelf
	case cube.LevelSelf, cube.LevelChildren, cube.LevelLocal:
	default:
		if !dxtrack.UnitType(req.Level).Valid() {
			probs.Add("level", "error.unknown_value", map[string]any{"Value": in.Level})
		}
	}
	now := s.Now()
	from, to := strings.TrimSpace(in.From), strings.TrimSpace(in.To)
	period := func(field, key string) dxtrack.Period {
		p, err := dxtrack.ParsePeriod(key)
		if err != nil {
			probs.Add(field, "error.period", map[string]any{"Value": key})
		}
		return p
	}
	switch {
	case from == "" && to == "":
		req.From = dxtrack.Period{Freq: dxtrack.Monthly, Year: now.Year(), N: 1}
		req.To = dxtrack.Period{Freq: dxtrack.Monthly, Year: now.Year(), N: int(now.Month())}
	case from == "":
		probs.Add("from", "error.required", nil)
	default:
		req.From = period("from", from)
		req.To = req.From
		if to != "" {
			req.To = period("to", to)
		}
	}
	if len(probs) == 0 && req.From.Freq != req.To.Freq {
		probs.Add("to", "error.period_mixed", map[string]any{"Value": to})
	}
	if len(probs) == 0 && (req.To.Year < req.From.Year || req.To.Year == req.From.Year && req.To.N < req.From.N) {
		probs.Add("to", "error.period_order", map[string]any{"Value": to})
	}
	return req, probs.Err()
}

// analyticsTable is a roll-up's answer with its rows' units.
type analyticsTable struct {
	*analyticsRequest
	Res   *cube.Result
	Units []*dxtrack.Unit // by row; nil for the country row
}

// runAnalytics asks the engine and looks up the rows' units.
func (s *Server) runAnalytics(ctx context.Context, req *analyticsRequest) (*analyticsTable, error) {
	if s.Analytics == nil {
		return nil, errNoAnalytics
	}
	q := cube.Query{Level: req.Level, From: req.From, To: req.To, ByPeriod: req.ByPeriod}
	for _, in := range req.Indicators {
		q.Indicators = append(q.Indicators, in.ID)
	}
	if req.Unit != nil {
		q.UnitID = req.Unit.ID
	}
	res, err := s.Analytics.Query(q)
	if err != nil {
		return nil, err
	}
	t := &analyticsTable{analyticsRequest: req, Res: res, Units: make([]*dxtrack.Unit, len(res.Units))}
	byID, err := s.subtreeUnits(ctx, req.Unit, res.Units)
	if err != nil {
		return nil, err
	}
	for i, id := range res.Units {
		t.Units[i] = byID[id]
	}
	return t, nil
}

// subtreeUnits returns the units ids name, all of them at or below root
// (nil: the country): one by one when they are few, else the subtree in
// one call.
func (s *Server) subtreeUnits(ctx context.Context, root *dxtrack.Unit, ids []int64) (map[int64]*dxtrack.Unit, error) {
	if len(ids) <= 8 {
		return s.unitsByID(ctx, ids...)
	}
	return s.subtree(ctx, root)
}

// subtree returns every unit, current or ended, at or below root (nil:
// every unit).
func (s *Server) subtree(ctx context.Context, root *dxtrack.Unit) (map[int64]*dxtrack.Unit, error) {
	f := dxtrack.UnitFilter{All: true, Page: dxtrack.Page{Limit: math.MaxInt32}}
	if root != nil {
		f.Under = &root.ID
	}
	list, _, err := s.Units.FindUnits(ctx, f)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]*dxtrack.Unit, len(list)+1)
	for _, u := range list {
		m[u.ID] = u
	}
	if root != nil {
		m[root.ID] = root
	}
	return m, nil
}

// value is the figure of a row, indicator and span.
func (t *analyticsTable) value(row, ind, span int) (float64, bool) {
	return t.Res.Value(row, ind, span)
}

// figure formats a figure with the indicator's decimals in the language.
func figure(p *locale.Printer, in *dxtrack.Indicator, v float64) string {
	return p.Decimal(v, max(in.Decimals, 0))
}

// spanLabel names a span: one period, or "from – to".
func spanLabel(p *locale.Printer, sp cube.Span) string {
	if sp.From == sp.To {
		return periodName(p, sp.From)
	}
	return periodName(p, sp.From) + " – " + periodName(p, sp.To)
}

// yearEnd is the instant a yearly figure stands for: the end of the
// year, or now while the year runs.
func yearEnd(year int, now time.Time) time.Time {
	end := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	if now.Before(end) {
		return dxtrack.Day(now)
	}
	return end
}
