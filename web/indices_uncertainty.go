package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/dxtrack/dxtrack/composite"
	"github.com/dxtrack/dxtrack/locale"
)

// uncertaintyPage is the Monte Carlo over weights and normalisers: per
// unit, the nominal rank, the median rank and the 5–95 % interval.
type uncertaintyPage struct {
	V           *editionView
	Share       int // ± weight share, percent
	Shares      []int
	Draws       int
	DrawOptions []int
	Normalisers []normaliserChoice
	Rows        []uncertaintyRow
	Chart       uncertaintyChart
}

// normaliserChoice is a normaliser the draws may swap in.
type normaliserChoice struct {
	Kind    composite.RuleKind
	Checked bool
}

// uncertaintyRow is a unit's ranks over the draws.
type uncertaintyRow struct {
	Unit    composite.Unit
	Nominal int
	Median  string
	P5, P95 string
	Width   string
}

// uncertaintyChart is the JSON island indices.js draws the interval
// chart from: units best first, the 5–95 % band and the median.
type uncertaintyChart struct {
	Kind    string    `json:"kind"`
	Units   []string  `json:"units"`
	Low     []float64 `json:"low"`
	High    []float64 `json:"high"`
	Median  []float64 `json:"median"`
	Nominal []int     `json:"nominal"`
	Labels  struct {
		Interval string `json:"interval"`
		Median   string `json:"median"`
		Nominal  string `json:"nominal"`
		Rank     string `json:"rank"`
	} `json:"labels"`
}

// uncertaintyNormalisers are offered as alternatives for the draws.
var uncertaintyNormalisers = []composite.RuleKind{composite.RuleMinMax, composite.RuleZScore, composite.RuleRank}

// showUncertainty runs and shows the analysis
// (GET /indices/editions/{id}/uncertainty?share=&draws=&norm=).
func (s *Server) showUncertainty(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	v, ok := s.editionFor(w, r, true)
	if !ok {
		return
	}
	q := r.URL.Query()
	d := uncertaintyPage{V: v, Share: 20, Shares: []int{10, 20, 30, 50}, Draws: 500, DrawOptions: []int{200, 500, 1000, 2000}}
	if n, err := strconv.Atoi(q.Get("share")); err == nil && slices.Contains(d.Shares, n) {
		d.Share = n
	}
	if n, err := strconv.Atoi(q.Get("draws")); err == nil && slices.Contains(d.DrawOptions, n) {
		d.Draws = n
	}
	var kinds []composite.RuleKind
	for _, k := range uncertaintyNormalisers {
		on := slices.Contains(q["norm"], string(k))
		d.Normalisers = append(d.Normalisers, normaliserChoice{Kind: k, Checked: on})
		if on {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) > 0 {
		// The defined rules stay among the choices.
		kinds = append([]composite.RuleKind{""}, kinds...)
	}
	u, err := composite.Uncertainty(v.Index, v.Data, composite.MCOptions{Draws: d.Draws, WeightShare: float64(d.Share) / 100,
		Normalisers: kinds, Seed: 1})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Chart.Kind = "uncertainty"
	d.Chart.Labels.Interval = p.T("indices.unc.interval", nil)
	d.Chart.Labels.Median = p.T("indices.unc.median", nil)
	d.Chart.Labels.Nominal = p.T("indices.unc.nominal", nil)
	d.Chart.Labels.Rank = p.T("indices.col.rank", nil)
	// Best nominal rank first, as the ranking shows them.
	units := slices.Clone(u.Units)
	slices.SortStableFunc(units, func(a, b composite.RankInterval) int {
		if a.Nominal == 0 || b.Nominal == 0 {
			return b.Nominal - a.Nominal
		}
		return a.Nominal - b.Nominal
	})
	for _, ur := range units {
		row := uncertaintyRow{Unit: ur.Unit, Nominal: ur.Nominal, Median: p.Decimal(ur.Median, 1),
			P5: p.Decimal(ur.P5, 1), P95: p.Decimal(ur.P95, 1), Width: p.Decimal(ur.P95-ur.P5, 1)}
		d.Rows = append(d.Rows, row)
		d.Chart.Units = append(d.Chart.Units, ur.Unit.Name)
		d.Chart.Low = append(d.Chart.Low, ur.P5)
		d.Chart.High = append(d.Chart.High, ur.P95)
		d.Chart.Median = append(d.Chart.Median, ur.Median)
		d.Chart.Nominal = append(d.Chart.Nominal, ur.Nominal)
	}
	s.render(w, r, http.StatusOK, "indices_uncertainty", p.T("indices.unc.title", nil)+" · "+v.Edition.Name(p.Lang()), d)
}
