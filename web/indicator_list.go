package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// indicatorListPage is the data of the indicator list.
type indicatorListPage struct {
	Query      string
	Indicators []indicatorRow
	CanAdmin   bool
}

// indicatorRow is an indicator with where its values come from and how
// they roll up, said briefly in the interface language.
type indicatorRow struct {
	*dxtrack.Indicator
	Source string
	Agg    string
}

// listIndicators lists the indicators reports carry, for admins who set
// up regimes; ?q= searches codes and names.
func (s *Server) listIndicators(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	q := r.URL.Query().Get("q")
	list, err := s.Indicators.FindIndicators(ctx, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A ratio names its denominator, which a search may have left out.
	all := list
	if q != "" {
		if all, err = s.Indicators.FindIndicators(ctx, ""); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	codes := make(map[int64]string, len(all))
	for _, in := range all {
		codes[in.ID] = in.Code
	}
	rows := make([]indicatorRow, 0, len(list))
	for _, in := range list {
		rows = append(rows, indicatorRow{Indicator: in,
			Source: p.T("indicator.source."+string(indicatorSource(in.Source)), nil),
			Agg:    indicatorAgg(p, in, codes[in.DenominatorID])})
	}
	s.render(w, r, http.StatusOK, "indicator_list", p.T("page.indicators.title", nil),
		indicatorListPage{Query: q, Indicators: rows, CanAdmin: true})
}

// indicatorAgg says how an indicator rolls up over units and then over
// periods, with the defaults its type implies: "Ratio of sums ÷ TONG ·
// Last value".
func indicatorAgg(p *locale.Printer, in *dxtrack.Indicator, denominator string) string {
	ua := in.EffectiveUnitAgg()
	s := p.T("indicator.unit_agg."+string(ua), nil)
	switch ua {
	case dxtrack.AggRatio:
		if denominator != "" {
			s += " ÷ " + denominator
		}
	case dxtrack.AggCount, dxtrack.AggShare:
		s += " (" + string(in.Condition) + " " + p.Decimal(in.Threshold, 6) + ")"
	}
	return s + " · " + p.T("indicator.time_agg."+string(in.EffectiveTimeAgg()), nil)
}
