package web

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
	"github.com/dxtrack/dxtrack/locale"
)

// dashboardPage is the data of the dashboard: one unit, one indicator and
// one year in focus, the units one level down as rows.
type dashboardPage struct {
	Unit       *dxtrack.Unit
	Up         []*dxtrack.Unit // ancestors, for going back up
	Level      cube.Level
	Levels     []cube.Level
	Indicator  *dxtrack.Indicator
	Indicators []*dxtrack.Indicator
	Year       int
	Years      []int

	Figure, PrevFigure string // the unit's figure for the year and the year before

	Pillars     []*dxtrack.Category
	Score       []dxtrack.ScoreRow // units with a target, the focus unit first
	ScoreHidden int                // units without any target, left out
	ScoreTotals []dxtrack.ProgressCount

	Ranking    []rankRow
	Missing    int // rows without a figure
	WithFigure int

	NotReported []notReportedGroup

	HasMap    bool
	CanUpload bool
	GeoError  string
	GeoResult string
	Next      string // this page, to come back to after an upload

	Chart dashboardChart
}

// rankRow is a unit's place in the ranking and the sorted grid, with its
// figure in the page's language.
type rankRow struct {
	dxtrack.UnitRank
	Text string
}

// notReportedGroup is an active regime's latest closed period and the
// units below the focus unit that have not reported it.
type notReportedGroup struct {
	Regime *dxtrack.Regime
	Period string
	Units  []dxtrack.UnitCompleteness
	More   int // left out of Units to keep the list short
	Count  int // units that have not reported: Units and More
	Total  int // reporting units below the focus unit
}

const maxNotReportedShown = 30

// dashboardChart is the JSON island dashboard.js draws from; labels and
// figures come formatted in the page's language.
type dashboardChart struct {
	Indicator string `json:"indicator"`
	Measure   string `json:"measure"`
	Drill     string `json:"drill"` // the dashboard's URL without unit=; the JS appends a code
	NoData    string `json:"no_data"`

	Trend struct {
		Name       string     `json:"name"`
		TargetName string     `json:"target_name"`
		Labels     []string   `json:"labels"`
		Values     []*float64 `json:"values"`
		Texts      []string   `json:"texts"`
		Target     []*float64 `json:"target"`
		TargetText []string   `json:"target_texts"`
	} `json:"trend"`

	Ranking struct {
		Names  []string  `json:"names"`
		Codes  []string  `json:"codes"`
		Values []float64 `json:"values"`
		Texts  []string  `json:"texts"`
	} `json:"ranking"`

	Map struct {
		URL    string     `json:"url"`
		Codes  []string   `json:"codes"`
		Names  []string   `json:"names"`
		Values []*float64 `json:"values"`
		Texts  []string   `json:"texts"`
		Low    string     `json:"low"`
		High   string     `json:"high"`
		Better string     `json:"better"` // "up" or "down": which end is green
	} `json:"map"`
}

// showDashboard shows the dashboard (GET /dashboard?unit=&indicator=&level=&year=).
func (s *Server) showDashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	user := dxtrack.UserFromContext(ctx)
	now := s.Now()
	q := r.URL.Query()
	if s.Analytics == nil {
		s.internalError(w, r, errNoAnalytics)
		return
	}

	d := dashboardPage{Levels: []cube.Level{cube.LevelChildren, cube.LevelLocal, cube.Level(dxtrack.UnitDepartment)}, Year: now.Year()}
	unit, err := s.dashboardUnit(ctx, user, q.Get("unit"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Unit = unit
	if anc, err := s.Units.UnitAncestors(ctx, unit.ID); err != nil {
		s.fail(w, r, err)
		return
	} else if len(anc) > 1 {
		d.Up = anc[:len(anc)-1]
	}
	d.Level = cube.LevelChildren
	if l := cube.Level(q.Get("level")); slices.Contains(d.Levels, l) {
		d.Level = l
	}
	for y := now.Year() + 1; y >= now.Year()-3; y-- {
		d.Years = append(d.Years, y)
	}
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y >= 2000 && y <= 2100 {
		d.Year = y
		if !slices.Contains(d.Years, y) {
			d.Years = append(d.Years, y)
			slices.SortFunc(d.Years, func(a, b int) int { return b - a })
		}
	}
	if d.Indicators, err = s.Indicators.FindIndicators(ctx, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	targets, err := s.IndicatorTargets.FindIndicatorTargets(ctx, 0, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Indicator = pickIndicator(d.Indicators, targets, q.Get("indicator"))
	if d.Indicator == nil {
		s.render(w, r, http.StatusOK, "dashboard", p.T("page.dashboard.title", nil), d)
		return
	}
	in := d.Indicator

	// The focus unit's figure this year and last.
	yearQuery := func(unitID int64, level cube.Level, year int) (*analyticsTable, error) {
		yp := dxtrack.Period{Freq: dxtrack.Yearly, Year: year, N: 1}
		return s.runAnalytics(ctx, &analyticsRequest{Indicators: []*dxtrack.Indicator{in}, Unit: unit, Level: level, From: yp, To: yp})
	}
	for i, year := range []int{d.Year, d.Year - 1} {
		t, err := yearQuery(unit.ID, cube.LevelSelf, year)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if v, ok := t.value(0, 0, 0); ok {
			if i == 0 {
				d.Figure = figure(p, in, v)
			} else {
				d.PrevFigure = figure(p, in, v)
			}
		}
	}

	// The rows one level down: ranking, grid and map.
	rows, err := yearQuery(unit.ID, d.Level, d.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var figures []dxtrack.UnitFigure
	for i, u := range rows.Units {
		if u == nil {
			continue
		}
		v, ok := rows.value(i, 0, 0)
		figures = append(figures, dxtrack.UnitFigure{Unit: u, Value: v, Has: ok})
	}
	for _, r := range dxtrack.RankUnits(figures, in.Direction) {
		rr := rankRow{UnitRank: r}
		if r.Has {
			rr.Text = figure(p, in, r.Value)
		} else {
			d.Missing++
		}
		d.Ranking = append(d.Ranking, rr)
	}
	d.WithFigure = len(d.Ranking) - d.Missing

	if err := s.dashboardScorecard(ctx, p, &d, rows.Units, targets); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.dashboardTrend(ctx, p, &d, targets); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.NotReported, err = s.notReported(ctx, p, unit); err != nil {
		s.fail(w, r, err)
		return
	}

	if s.Boundaries != nil {
		geo, err := s.Boundaries.Get()
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.HasMap = geo != nil
		d.CanUpload = user.Role == dxtrack.RoleAdmin && !user.Disabled
	}
	if d.CanUpload {
		d.GeoError = s.Sessions.PopString(ctx, geoErrorKey)
		d.GeoResult = s.Sessions.PopString(ctx, geoResultKey)
	}
	d.Next = r.URL.RequestURI()
	s.dashboardIsland(p, &d)
	s.render(w, r, http.StatusOK, "dashboard", p.T("page.dashboard.title", nil)+" · "+unit.Name(p.Lang()), d)
}

// dashboardUnit is the unit asked for, or the user's own, or the first
// root unit.
func (s *Server) dashboardUnit(ctx context.Context, user *dxtrack.User, code string) (*dxtrack.Unit, error) {
	if code = strings.TrimSpace(code); code != "" {
		return s.apiUnitRef(ctx, code)
	}
	if user != nil && user.UnitID != 0 {
		return s.Units.FindUnitByID(ctx, user.UnitID)
	}
	var none int64
	roots, _, err := s.Units.FindUnits(ctx, dxtrack.UnitFilter{ParentID: &none, Page: dxtrack.Page{Limit: 1}})
	if err != nil {
		return nil, err
	}
	if len(roots) == 0 {
		return nil, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil)
	}
	return roots[0], nil
}

// pickIndicator is the indicator asked for, else the first with targets,
// else the first.
func pickIndicator(all []*dxtrack.Indicator, targets []*dxtrack.IndicatorTarget, code string) *dxtrack.Indicator {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, in := range all {
		if in.Code == code {
			return in
		}
	}
	for _, in := range all {
		for _, t := range targets {
			if t.IndicatorID == in.ID {
				return in
			}
		}
	}
	if len(all) > 0 {
		return all[0]
	}
	return nil
}

// dashboardScorecard assesses, for the focus unit and each row unit, the
// running target of every indicator of each pillar.
func (s *Server) dashboardScorecard(ctx context.Context, p *locale.Printer, d *dashboardPage, units []*dxtrack.Unit, targets []*dxtrack.IndicatorTarget) error {
	pillars, err := s.Categories.FindCategories(ctx, dxtrack.CategoryPillar)
	if err != nil {
		return err
	}
	d.Pillars = pillars
	inds := map[int64]*dxtrack.Indicator{}
	for _, in := range d.Indicators {
		inds[in.ID] = in
	}
	type key struct{ ind, unit int64 }
	byKey := map[key][]*dxtrack.IndicatorTarget{}
	for _, t := range targets {
		byKey[key{t.IndicatorID, t.UnitID}] = append(byKey[key{t.IndicatorID, t.UnitID}], t)
	}
	rowUnits := []*dxtrack.Unit{d.Unit}
	for _, u := range units {
		if u != nil {
			rowUnits = append(rowUnits, u)
		}
	}
	inPillar := map[int64]bool{}
	for _, pl := range pillars {
		inPillar[pl.ID] = true
	}
	var scored []dxtrack.ScoredTarget
	for _, u := range rowUnits {
		for _, in := range d.Indicators {
			if !inPillar[in.PillarID] {
				continue
			}
			t := currentTarget(byKey[key{in.ID, u.ID}], d.Year)
			if t == nil {
				continue
			}
			a, err := s.assess(p, inds[t.IndicatorID], t)
			if err != nil {
				return err
			}
			scored = append(scored, dxtrack.ScoredTarget{UnitID: u.ID, PillarID: in.PillarID, Assessment: a.A})
		}
	}
	sc := dxtrack.BuildScorecard(rowUnits, pillars, scored)
	for _, row := range sc.Rows {
		if row.Any || row.Unit == d.Unit {
			d.Score = append(d.Score, row)
		} else {
			d.ScoreHidden++
		}
	}
	// Hidden rows have no target, so no cell of theirs counts.
	d.ScoreTotals = sc.Totals
	return nil
}

// dashboardTrend draws the indicator at the focus unit over the year and
// the one before, monthly (yearly, five years, for indicators summed over
// time, whose months are not comparable with a yearly target), with the
// target path from the baseline through the unit's targets.
func (s *Server) dashboardTrend(ctx context.Context, p *locale.Printer, d *dashboardPage, targets []*dxtrack.IndicatorTarget) error {
	in := d.Indicator
	from := dxtrack.Period{Freq: dxtrack.Monthly, Year: d.Year - 1, N: 1}
	to := dxtrack.Period{Freq: dxtrack.Monthly, Year: d.Year, N: 12}
	if in.EffectiveTimeAgg() == dxtrack.TimeSum {
		from, to = dxtrack.Period{Freq: dxtrack.Yearly, Year: d.Year - 4, N: 1}, dxtrack.Period{Freq: dxtrack.Yearly, Year: d.Year, N: 1}
	}
	t, err := s.runAnalytics(ctx, &analyticsRequest{Indicators: []*dxtrack.Indicator{in}, Unit: d.Unit,
		Level: cube.LevelSelf, From: from, To: to, ByPeriod: true})
	if err != nil {
		return err
	}
	var mine []*dxtrack.IndicatorTarget
	for _, tg := range targets {
		if tg.IndicatorID == in.ID && tg.UnitID == d.Unit.ID {
			mine = append(mine, tg)
		}
	}
	path := dxtrack.TargetPath(mine)
	c := &d.Chart
	c.Trend.Name = d.Unit.Name(p.Lang())
	c.Trend.TargetName = p.T("dashboard.target_path", nil)
	for k, sp := range t.Res.Spans {
		c.Trend.Labels = append(c.Trend.Labels, shortPeriod(sp.From))
		if v, ok := t.value(0, 0, k); ok {
			c.Trend.Values = append(c.Trend.Values, &v)
			c.Trend.Texts = append(c.Trend.Texts, figure(p, in, v))
		} else {
			c.Trend.Values = append(c.Trend.Values, nil)
			c.Trend.Texts = append(c.Trend.Texts, "")
		}
		_, last := periodEnd(sp.From)
		if v, ok := dxtrack.PathAt(path, last); ok {
			v = math.Round(v*1e6) / 1e6
			c.Trend.Target = append(c.Trend.Target, &v)
			c.Trend.TargetText = append(c.Trend.TargetText, figure(p, in, v))
		} else {
			c.Trend.Target = append(c.Trend.Target, nil)
			c.Trend.TargetText = append(c.Trend.TargetText, "")
		}
	}
	return nil
}

// shortPeriod labels a chart's axis: "10/2026", "2026".
func shortPeriod(pd dxtrack.Period) string {
	if pd.Freq == dxtrack.Monthly {
		return strconv.Itoa(pd.N) + "/" + strconv.Itoa(pd.Year)
	}
	return pd.Key()
}

// periodEnd is the last day of a monthly or yearly period.
func periodEnd(pd dxtrack.Period) (time.Time, time.Time) {
	if pd.Freq == dxtrack.Monthly {
		first := time.Date(pd.Year, time.Month(pd.N), 1, 0, 0, 0, 0, time.UTC)
		return first, first.AddDate(0, 1, -1)
	}
	return time.Date(pd.Year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(pd.Year, 12, 31, 0, 0, 0, 0, time.UTC)
}

// notReported lists, for each active regime, the units at or below the
// focus unit that have not reported its latest closed period.
func (s *Server) notReported(ctx context.Context, p *locale.Printer, unit *dxtrack.Unit) ([]notReportedGroup, error) {
	if s.Regimes == nil || s.Reports == nil {
		return nil, nil
	}
	active := true
	rgs, err := s.Regimes.FindRegimes(ctx, dxtrack.RegimeFilter{Active: &active})
	if err != nil || len(rgs) == 0 {
		return nil, err
	}
	below, err := s.subtree(ctx, unit)
	if err != nil {
		return nil, err
	}
	path := func(u *dxtrack.Unit) bool { return u != nil && below[u.ID] != nil }
	var out []notReportedGroup
	for _, rg := range rgs {
		pd := closedPeriod(rg, s.Now())
		c, err := s.Reports.Completeness(ctx, rg.ID, pd)
		if code := dxtrack.ErrorCode(err); code == dxtrack.EFORBIDDEN || code == dxtrack.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		g := notReportedGroup{Regime: rg, Period: periodName(p, pd)}
		for _, l := range c.Units {
			if !path(l.Unit) {
				continue
			}
			g.Total++
			if l.Timeliness != dxtrack.Missing && l.Timeliness != dxtrack.Pending {
				continue
			}
			if len(g.Units) < maxNotReportedShown {
				g.Units = append(g.Units, l)
			} else {
				g.More++
			}
		}
		g.Count = len(g.Units) + g.More
		if g.Total > 0 {
			out = append(out, g)
		}
	}
	return out, nil
}

// dashboardIsland fills the chart data from the page's figures.
func (s *Server) dashboardIsland(p *locale.Printer, d *dashboardPage) {
	c := &d.Chart
	in := d.Indicator
	c.Indicator = in.Code + " · " + in.Name(p.Lang())
	c.Measure = in.Measure
	c.NoData = p.T("progress.no_data", nil)
	q := url.Values{"indicator": {in.Code}, "year": {strconv.Itoa(d.Year)}, "level": {string(d.Level)}}
	c.Drill = "/dashboard?" + q.Encode() + "&unit="
	c.Ranking.Names, c.Ranking.Codes, c.Ranking.Values, c.Ranking.Texts = []string{}, []string{}, []float64{}, []string{}
	c.Map.Codes, c.Map.Names, c.Map.Values, c.Map.Texts = []string{}, []string{}, []*float64{}, []string{}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range d.Ranking {
		name := r.Unit.Name(p.Lang())
		if r.Has {
			c.Ranking.Names = append(c.Ranking.Names, name)
			c.Ranking.Codes = append(c.Ranking.Codes, r.Unit.Code)
			c.Ranking.Values = append(c.Ranking.Values, r.Value)
			c.Ranking.Texts = append(c.Ranking.Texts, r.Text)
			lo, hi = math.Min(lo, r.Value), math.Max(hi, r.Value)
		}
		c.Map.Codes = append(c.Map.Codes, r.Unit.Code)
		c.Map.Names = append(c.Map.Names, name)
		if r.Has {
			v := r.Value
			c.Map.Values = append(c.Map.Values, &v)
		} else {
			c.Map.Values = append(c.Map.Values, nil)
		}
		c.Map.Texts = append(c.Map.Texts, r.Text)
	}
	if d.HasMap {
		c.Map.URL = "/dashboard/boundaries.json"
	}
	if !math.IsInf(lo, 0) {
		c.Map.Low, c.Map.High = figure(p, in, lo), figure(p, in, hi)
	}
	c.Map.Better = string(in.Direction)
}
