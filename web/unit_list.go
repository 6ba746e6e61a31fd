package web

import (
	"net/http"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// unitListPage is the data of the unit tree and of unit search results.
type unitListPage struct {
	Units   []*dxtrack.Unit
	Parents map[int64]*dxtrack.Unit // of search results, which come from all over the tree
	Query   string
	Ended   bool // ended units are shown too
	Pager   pager
	CanAdd  bool
}

// listUnits shows the root units of the tree, whose children open with
// htmx, or with ?q= the units whose code or name match, tone- and
// case-insensitively.
func (s *Server) listUnits(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	q := r.URL.Query()
	data := unitListPage{Query: q.Get("q"), Ended: q.Get("ended") == "1", CanAdd: dxtrack.UserFromContext(ctx).Role == dxtrack.RoleAdmin}
	f := dxtrack.UnitFilter{Query: data.Query, All: data.Ended}
	pg := pageOf(r)
	if data.Query == "" {
		root := int64(0)
		f.ParentID = &root
		f.Page = dxtrack.Page{Limit: 500}
	} else {
		f.Page = pg
	}
	units, total, err := s.Units.FindUnits(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Units = units
	data.Pager = newPager(r, f.Page, len(units), total)
	if data.Query != "" {
		ids := make([]int64, len(units))
		for i, u := range units {
			ids[i] = u.ParentID
		}
		if data.Parents, err = s.unitsByID(ctx, ids...); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "unit-results" {
		s.renderFragment(w, r, http.StatusOK, "unit_list", "unit_results", data)
		return
	}
	s.render(w, r, http.StatusOK, "unit_list", p.T("page.units.title", nil), data)
}

// unitChildren renders the children of a unit as a branch of the tree.
func (s *Server) unitChildren(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := unitListPage{Ended: r.URL.Query().Get("ended") == "1"}
	data.Units, _, err = s.Units.FindUnits(ctx, dxtrack.UnitFilter{ParentID: &id, All: data.Ended, Page: dxtrack.Page{Limit: 1000}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderFragment(w, r, http.StatusOK, "unit_list", "unit_branch", data)
}

// unitOptionsPage is the data of the suggestions for a unit-code input.
type unitOptionsPage struct {
	Units  []*dxtrack.Unit
	Prefix string // the codes typed before the one being completed
}

// unitOptions suggests units for a unit-code input as the user types
// (htmx fills the input's <datalist>): ?field=lead_unit&lead_unit=text.
// For a list of codes only the last one is completed.
func (s *Server) unitOptions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	typed := q.Get(q.Get("field"))
	prefix, text := "", strings.TrimSpace(typed)
	if i := strings.LastIndexAny(typed, ",;"); i >= 0 && q.Get("multi") == "1" {
		prefix, text = strings.TrimRight(typed[:i+1], " ")+" ", strings.TrimSpace(typed[i+1:])
	}
	f := dxtrack.UnitFilter{Query: text, Page: dxtrack.Page{Limit: 30}}
	if text == "" {
		// Nothing typed yet: the units under the user's own unit.
		under := dxtrack.UserFromContext(ctx).UnitID
		f.Under = &under
	}
	units, _, err := s.Units.FindUnits(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderFragment(w, r, http.StatusOK, "unit_list", "unit_options", unitOptionsPage{Units: units, Prefix: prefix})
}
