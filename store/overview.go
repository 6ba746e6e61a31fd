package store

import (
	"context"
	"fmt"

	"github.com/dxtrack/dxtrack"
)

type overviewService struct{ db *DB }

// NewOverviewService returns the overview service over db.
func NewOverviewService(db *DB) dxtrack.OverviewService { return &overviewService{db} }

// Overview loads the documents (one and its descendants, or all), their
// targets and tasks, the pillars and foundations and the lead units, and
// lets the domain compute the figures.
func (s *overviewService) Overview(ctx context.Context, f dxtrack.OverviewFilter) (*dxtrack.Overview, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	o, err := s.overview(ctx, f)
	return o, wrap("overview", err)
}

func (s *overviewService) overview(ctx context.Context, f dxtrack.OverviewFilter) (*dxtrack.Overview, error) {
	db := s.db
	// One read transaction, so that the figures agree with each other.
	tx, err := db.r.BeginTx(ctx, db.snapshot())
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	docs, err := db.queryDocuments(ctx, tx, documentSelect+" ORDER BY d.issued_on, d.id")
	if err != nil {
		return nil, err
	}
	if f.DocumentID != 0 {
		docs = subtree(docs, f.DocumentID)
		if len(docs) == 0 {
			return nil, errNotFound()
		}
	}
	// Only the chosen documents' items: all of them, or those of the
	// document IDs (a subtree is small enough for one IN list).
	w := &where{}
	if f.DocumentID != 0 {
		ids := make([]int64, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		w.add("t.document_id IN " + w.in(idArgs(ids)))
	}
	targets, err := db.queryTargets(ctx, tx, targetSelect+w.String()+targetOrder, w.args...)
	if err != nil {
		return nil, err
	}
	tasks, err := db.queryTasks(ctx, tx, taskSelect+w.String()+taskOrder, w.args...)
	if err != nil {
		return nil, err
	}
	lead := map[int64]bool{}
	for _, t := range tasks {
		lead[t.LeadUnitID] = true
	}
	for _, t := range targets {
		lead[t.LeadUnitID] = true
	}
	cats, err := db.queryCategories(ctx, tx, categorySelect+" WHERE c.kind IN ('pillar', 'foundation') ORDER BY "+categoryKindOrder+", c.sort, c.id")
	if err != nil {
		return nil, err
	}
	units := map[int64]*dxtrack.Unit{}
	ids := make([]int64, 0, len(lead))
	for id := range lead {
		ids = append(ids, id)
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		w := &where{}
		w.arg(dxtrack.FormatDate(db.today()))
		rows, err := db.queryUnits(ctx, tx, unitSelect+" WHERE u.id IN "+w.in(idArgs(chunk)), w.args...)
		if err != nil {
			return nil, fmt.Errorf("lead units: %w", err)
		}
		for _, r := range rows {
			units[r.ID] = &r.Unit
		}
	}
	return dxtrack.BuildOverview(docs, targets, tasks, cats, units, db.Now()), nil
}

// subtree returns the document with the ID and its descendants, in the
// order of docs.
func subtree(docs []*dxtrack.Document, id int64) []*dxtrack.Document {
	keep := map[int64]bool{id: true}
	for changed := true; changed; {
		changed = false
		for _, d := range docs {
			if !keep[d.ID] && keep[d.ParentID] && d.ParentID != 0 {
				keep[d.ID], changed = true, true
			}
		}
	}
	out := []*dxtrack.Document{}
	for _, d := range docs {
		if keep[d.ID] {
			out = append(out, d)
		}
	}
	return out
}
