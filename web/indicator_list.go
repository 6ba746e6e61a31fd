package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// indicatorListPage is the data of the indicator list.
type indicatorListPage struct {
	Query      string
	Indicators []*dxtrack.Indicator
	CanAdmin   bool
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
	s.render(w, r, http.StatusOK, "indicator_list", p.T("page.indicators.title", nil),
		indicatorListPage{Query: q, Indicators: list, CanAdmin: true})
}
