package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
	"github.com/dxtrack/dxtrack/locale"
)

// indexUnitPage is a unit's standing in an edition: its main indices against
// the cohort's mean (the radar), strengths and weaknesses, and the change
// since the previous edition of the same cohort.
type indexUnitPage struct {
	V          *editionView
	Unit       composite.Unit
	Total      rankCell
	Cohort     int
	Standings  []standingRow
	Strengths  []standingRow
	Weaknesses []standingRow
	Changes    []changeRow
	Prev       int // the previous edition's year, 0 when none
	Chart      radarChart
}

// standingRow is a node's figure for the unit beside the cohort.
type standingRow struct {
	Node       *composite.Node
	Depth      int
	Value      string
	Rank       int
	Mean       string
	Median     string
	Percentile string
	Strength   bool
	Weakness   bool
	Stage      dxtrack.ScoreStage
	Imputed    bool
}

// changeRow is a node's change since the previous edition.
type changeRow struct {
	Node      *composite.Node
	Value     string
	Prev      string
	Delta     string
	Up, Down  bool
	Rank      int
	PrevRank  int
	RankDelta int // places gained (positive is up)
}

// radarChart is the JSON island indices.js draws the radar from.
type radarChart struct {
	Kind       string    `json:"kind"`
	Indicators []string  `json:"indicators"`
	Max        []float64 `json:"max"`
	Unit       string    `json:"unit"`
	Values     []float64 `json:"values"`
	Texts      []string  `json:"texts"`
	Mean       string    `json:"mean"`
	MeanValues []float64 `json:"mean_values"`
	MeanTexts  []string  `json:"mean_texts"`
}

// showIndexUnit shows a unit's page (GET /indices/editions/{id}/units/{code}).
func (s *Server) showIndexUnit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	v, ok := s.editionFor(w, r, false)
	if !ok {
		return
	}
	code := r.PathValue("code")
	k := v.Result.UnitIndex(code)
	if k < 0 {
		s.fail(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))
		return
	}
	d := indexUnitPage{V: v, Unit: v.Result.Units[k], Cohort: len(v.Result.Units)}
	root := v.Result.Scores[v.Index.Root.Code][k]
	d.Total = rankCell{Value: indexFigure(p, v.Index, root), Rank: root.Rank, Missing: root.Missing, Imputed: root.Imputed,
		Stage: v.Stage(v.Index.Root.Code, code)}

	profile := composite.Profile(v.Result, code)
	standing := func(st composite.Standing) (standingRow, bool) {
		n := v.Index.Node(st.Node)
		if n == nil {
			return standingRow{}, false
		}
		row := standingRow{Node: n, Depth: st.Depth, Rank: st.Rank, Strength: st.Strength, Weakness: st.Weakness,
			Stage: v.Stage(n.Code, code), Value: "—", Mean: p.Fixed(st.Mean, v.Index.Decimals),
			Median: p.Fixed(st.Median, v.Index.Decimals), Percentile: p.Decimal(st.Percentile, 0)}
		if !st.Missing {
			row.Value, row.Imputed = p.Fixed(st.Value, v.Index.Decimals), st.Imputed
		}
		return row, true
	}
	for _, st := range profile {
		if row, ok := standing(st); ok {
			d.Standings = append(d.Standings, row)
		}
	}
	for _, st := range profile.Strengths(maxStrengths) {
		if row, ok := standing(st); ok {
			d.Strengths = append(d.Strengths, row)
		}
	}
	for _, st := range profile.Weaknesses(maxStrengths) {
		if row, ok := standing(st); ok {
			d.Weaknesses = append(d.Weaknesses, row)
		}
	}

	// The radar: the main indices, the unit against the cohort's mean.
	d.Chart = radarChart{Kind: "radar", Unit: d.Unit.Name, Mean: p.T("indices.cohort_mean", nil)}
	means := map[string]composite.Standing{}
	for _, st := range profile {
		means[st.Node] = st
	}
	for _, n := range mainNodes(v.Index) {
		sc := v.Result.Scores[n.Code][k]
		d.Chart.Indicators = append(d.Chart.Indicators, nodeName(n, p.Lang()))
		mx := 1.0
		for _, x := range v.Result.Scores[n.Code] {
			if !x.Missing && x.Value > mx {
				mx = x.Value
			}
		}
		d.Chart.Max = append(d.Chart.Max, mx)
		d.Chart.Values = append(d.Chart.Values, composite.Round(sc.Value, v.Index.Decimals))
		d.Chart.Texts = append(d.Chart.Texts, indexFigure(p, v.Index, sc))
		m := means[n.Code].Mean
		d.Chart.MeanValues = append(d.Chart.MeanValues, composite.Round(m, v.Index.Decimals))
		d.Chart.MeanTexts = append(d.Chart.MeanTexts, p.Fixed(m, v.Index.Decimals))
	}

	// The change since the same cohort's previous edition.
	if !v.Derived() {
		others, err := s.Indices.FindEditions(ctx, dxtrack.EditionFilter{IndexCode: v.Edition.IndexCode})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var prev *dxtrack.IndexEdition
		for _, e := range others {
			if e.ID != v.Edition.ID && e.Year < v.Edition.Year && e.Cohort == v.Edition.Cohort && (prev == nil || e.Year > prev.Year) {
				prev = e
			}
		}
		if prev != nil {
			pv, err := s.loadEdition(ctx, prev.ID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			d.Prev = prev.Year
			for _, c := range composite.Compare(v.Result, pv.Result) {
				if c.Unit != code || !c.HasPrev {
					continue
				}
				n := v.Index.Node(c.Node)
				if n == nil || len(n.Children) == 0 {
					continue
				}
				d.Changes = append(d.Changes, changeRow{Node: n, Value: p.Fixed(c.Value, v.Index.Decimals),
					Prev: p.Fixed(c.Prev, v.Index.Decimals), Delta: p.Fixed(c.Delta, v.Index.Decimals),
					Up: c.Delta > 0, Down: c.Delta < 0, Rank: c.Rank, PrevRank: c.PrevRank, RankDelta: c.RankDelta})
			}
		}
	}
	s.render(w, r, http.StatusOK, "indices_unit", d.Unit.Name+" · "+v.Edition.Name(p.Lang()), d)
}

// maxStrengths keeps the lists of strengths and weaknesses short: the
// strongest and weakest few; the profile below has every node.
const maxStrengths = 6
