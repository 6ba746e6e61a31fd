package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// unitPage is the data of a unit's page.
type unitPage struct {
	U         *dxtrack.Unit
	Ancestors []*dxtrack.Unit // from the root, the unit excluded
	Children  []*dxtrack.Unit
	Ended     bool
	Changes   []dxtrack.UnitChange
	Lineage   []lineageRow
	CanAdmin  bool
	Current   bool
}

// lineageRow is a lineage link seen from the unit: the other unit and
// whether it came before (a predecessor) or after.
type lineageRow struct {
	dxtrack.Lineage
	Other       *dxtrack.Unit
	Predecessor bool
}

// showUnit shows a unit, its place in the tree, its children and its
// history of dated changes and lineage.
func (s *Server) showUnit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.Units.FindUnitByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := unitPage{U: u, Ended: r.URL.Query().Get("ended") == "1", Current: u.Current(dxtrack.Day(s.Now()))}
	ancestors, err := s.Units.UnitAncestors(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	path := make([]int64, len(ancestors))
	for i, a := range ancestors {
		path[i] = a.ID
	}
	if len(ancestors) > 0 {
		data.Ancestors = ancestors[:len(ancestors)-1]
	}
	data.CanAdmin = dxtrack.UserFromContext(ctx).CanAdmin(path)
	if data.Children, _, err = s.Units.FindUnits(ctx, dxtrack.UnitFilter{ParentID: &id, All: data.Ended, Page: dxtrack.Page{Limit: 1000}}); err != nil {
		s.fail(w, r, err)
		return
	}
	changes, lineage, err := s.Units.UnitHistory(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Changes = changes
	var others []int64
	for _, l := range lineage {
		others = append(others, l.FromID, l.ToID)
	}
	units, err := s.unitsByID(ctx, others...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, l := range lineage {
		row := lineageRow{Lineage: l, Predecessor: l.ToID == id}
		if row.Predecessor {
			row.Other = units[l.FromID]
		} else {
			row.Other = units[l.ToID]
		}
		data.Lineage = append(data.Lineage, row)
	}
	s.render(w, r, http.StatusOK, "unit_show", u.Name(p.Lang()), data)
}
