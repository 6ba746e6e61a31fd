package web

import (
	"context"

	"github.com/dxtrack/dxtrack"
)

// unitsByID fetches the units the ids name, for showing their names; an
// id that no longer resolves is left out.
func (s *Server) unitsByID(ctx context.Context, ids ...int64) (map[int64]*dxtrack.Unit, error) {
	m := make(map[int64]*dxtrack.Unit, len(ids))
	for _, id := range ids {
		if id == 0 || m[id] != nil {
			continue
		}
		u, err := s.Units.FindUnitByID(ctx, id)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		m[id] = u
	}
	return m, nil
}

// unitPath returns the IDs from the root down to the unit, the path the
// permission rules of dxtrack.User take.
func (s *Server) unitPath(ctx context.Context, id int64) ([]int64, error) {
	if id == 0 {
		return nil, nil
	}
	units, err := s.Units.UnitAncestors(ctx, id)
	if err != nil {
		return nil, err
	}
	path := make([]int64, len(units))
	for i, u := range units {
		path[i] = u.ID
	}
	return path, nil
}

// categoryLists holds the pillars (with foundations) and sectors a form
// or filter offers, and every category by ID for showing names.
type categoryLists struct {
	Pillars []*dxtrack.Category
	Sectors []*dxtrack.Category
	ByID    map[int64]*dxtrack.Category
}

func (s *Server) categoryLists(ctx context.Context) (*categoryLists, error) {
	all, err := s.Categories.FindCategories(ctx, "")
	if err != nil {
		return nil, err
	}
	c := &categoryLists{ByID: make(map[int64]*dxtrack.Category, len(all))}
	for _, cat := range all {
		c.ByID[cat.ID] = cat
		switch cat.Kind {
		case dxtrack.CategoryPillar, dxtrack.CategoryFoundation:
			c.Pillars = append(c.Pillars, cat)
		case dxtrack.CategorySector:
			c.Sectors = append(c.Sectors, cat)
		}
	}
	return c, nil
}

// allDocuments lists documents for choosing one in a form or filter.
func (s *Server) allDocuments(ctx context.Context) ([]*dxtrack.Document, error) {
	docs, _, err := s.Documents.FindDocuments(ctx, dxtrack.DocumentFilter{Page: dxtrack.Page{Limit: 1000}})
	return docs, err
}
