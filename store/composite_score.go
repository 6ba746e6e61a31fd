package store

import (
	"context"
	"database/sql"
	"errors"
	"path"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
)

// Component scores: a unit's reporter self-assesses its row, the
// reviewers and admins of the edition's owner unit appraise and finalise.
// Every step writes its audit row (entity "index_score") in the same
// transaction.

const scoreSelect = `SELECT id, edition_id, row_code, node, self_value, self_note, appraised, appraised_note, final_value,
	stage, updated_at, updated_by FROM index_scores`

func scanScore(s interface{ Scan(...any) error }) (*dxtrack.ComponentScore, error) {
	var c dxtrack.ComponentScore
	var self, appraised, final sql.NullFloat64
	var stage, at string
	if err := s.Scan(&c.ID, &c.EditionID, &c.Unit, &c.Node, &self, &c.SelfNote, &appraised, &c.AppraisedNote, &final,
		&stage, &at, &c.UpdatedBy); err != nil {
		return nil, err
	}
	c.Self, c.Appraised, c.Final = floatPtr(self), floatPtr(appraised), floatPtr(final)
	c.Stage, c.UpdatedAt = dxtrack.ScoreStage(stage), parseInstant(at)
	return &c, nil
}

func (s *indexService) FindScores(ctx context.Context, editionID int64) ([]*dxtrack.ComponentScore, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.r.QueryContext(ctx, scoreSelect+" WHERE edition_id = $1 ORDER BY row_code, node", editionID)
	if err != nil {
		return nil, wrap("find scores", err)
	}
	out := []*dxtrack.ComponentScore{}
	byID := map[int64]*dxtrack.ComponentScore{}
	for rows.Next() {
		c, err := scanScore(rows)
		if err != nil {
			rows.Close()
			return nil, wrap("find scores", err)
		}
		out = append(out, c)
		byID[c.ID] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("find scores", err)
	}
	ev, err := s.db.r.QueryContext(ctx, `SELECT v.id, v.score_id FROM index_evidence v JOIN index_scores c ON c.id = v.score_id
		WHERE c.edition_id = $1 ORDER BY v.id`, editionID)
	if err != nil {
		return nil, wrap("find scores", err)
	}
	defer ev.Close()
	for ev.Next() {
		var id, score int64
		if err := ev.Scan(&id, &score); err != nil {
			return nil, wrap("find scores", err)
		}
		if c := byID[score]; c != nil {
			c.Evidence = append(c.Evidence, id)
		}
	}
	return out, wrap("find scores", ev.Err())
}

// rights is what a user may do on an edition's scores.
type rights struct {
	appraise bool
	rows     map[string]bool // rows the user may self-assess
}

func (db *DB) scoreRights(ctx context.Context, q queryer, user *dxtrack.User, e *dxtrack.IndexEdition) (*rights, error) {
	r := &rights{rows: map[string]bool{}}
	if user.IsSystem() {
		r.appraise = true
	} else if e.OwnerUnitID != 0 {
		path, ok, err := unitPath(ctx, q, e.OwnerUnitID)
		if err != nil {
			return nil, err
		}
		r.appraise = ok && user.CanAppraise(path)
	} else {
		r.appraise = user.Role == dxtrack.RoleAdmin && !user.Disabled
	}
	rows, err := q.QueryContext(ctx, `SELECT r.code, u.path FROM index_rows r JOIN units u ON u.id = r.unit_id
		WHERE r.edition_id = $1`, e.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code, p string
		if err := rows.Scan(&code, &p); err != nil {
			return nil, err
		}
		if user.IsSystem() || user.CanSelfAssess(parsePath(p)) {
			r.rows[code] = true
		}
	}
	return r, rows.Err()
}

func (s *indexService) ScoreRights(ctx context.Context, editionID int64) (bool, []string, error) {
	user, err := reader(ctx)
	if err != nil {
		return false, nil, err
	}
	e, err := s.db.edition(ctx, s.db.r, editionID)
	if err != nil {
		return false, nil, err
	}
	r, err := s.db.scoreRights(ctx, s.db.r, user, e)
	if err != nil {
		return false, nil, wrap("score rights", err)
	}
	var out []string
	for code := range r.rows {
		out = append(out, code)
	}
	return r.appraise, out, nil
}

func (s *indexService) ActOnScore(ctx context.Context, editionID int64, unit, node string, action dxtrack.ScoreAction,
	value *float64, note string) (*dxtrack.ComponentScore, error) {
	user, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	e, err := s.db.edition(ctx, s.db.r, editionID)
	if err != nil {
		return nil, err
	}
	if e.Source == dxtrack.FromLineage {
		return nil, dxtrack.Invalid("edition", "error.indices_derived", nil)
	}
	d, err := s.db.definitionByID(ctx, s.db.r, e.IndexID)
	if err != nil {
		return nil, wrap("act on score", err)
	}
	ix, err := parseDefinition(d)
	if err != nil {
		return nil, err
	}
	if !isLeaf(ix.Node(node)) {
		return nil, dxtrack.Invalid("node", "error.indices_not_component", map[string]any{"Code": node})
	}
	var out *dxtrack.ComponentScore
	err = s.db.write(ctx, func(tx *sql.Tx) error {
		if ok, err := exists(ctx, tx, "SELECT 1 FROM index_rows WHERE edition_id = $1 AND code = $2", editionID, unit); err != nil {
			return err
		} else if !ok {
			return dxtrack.Invalid("unit", "error.not_found", nil)
		}
		r, err := s.db.scoreRights(ctx, tx, user, e)
		if err != nil {
			return err
		}
		switch action {
		case dxtrack.ActionSelfAssess:
			err = allow(user, r.rows[unit])
		default:
			err = allow(user, r.appraise)
		}
		if err != nil {
			return err
		}
		c, err := scanScore(tx.QueryRowContext(ctx, scoreSelect+" WHERE edition_id = $1 AND row_code = $2 AND node = $3"+
			s.db.forUpdate(), editionID, unit, node))
		if errors.Is(err, sql.ErrNoRows) {
			c = &dxtrack.ComponentScore{EditionID: editionID, Unit: unit, Node: node, Stage: dxtrack.StageData}
		} else if err != nil {
			return err
		}
		old := *c
		if err := c.Apply(action, value, note); err != nil {
			return err
		}
		now := s.db.Now()
		if c.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO index_scores (edition_id, row_code, node, self_value, self_note, appraised,
				appraised_note, final_value, stage, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
				RETURNING id`, editionID, unit, node, nullFloat(c.Self), c.SelfNote, nullFloat(c.Appraised), c.AppraisedNote,
				nullFloat(c.Final), string(c.Stage), instant(now), user.ID).Scan(&c.ID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE index_scores SET self_value = $1, self_note = $2, appraised = $3,
				appraised_note = $4, final_value = $5, stage = $6, updated_at = $7, updated_by = $8 WHERE id = $9`,
				nullFloat(c.Self), c.SelfNote, nullFloat(c.Appraised), c.AppraisedNote, nullFloat(c.Final), string(c.Stage),
				instant(now), user.ID, c.ID)
		}
		if err != nil {
			return err
		}
		c.UpdatedAt, c.UpdatedBy = parseInstant(instant(now)), user.ID
		var cs changes
		prefix := unit + "." + node + "."
		cs.diff(prefix+"self", fmtFloat(old.Self), fmtFloat(c.Self))
		cs.diff(prefix+"appraised", fmtFloat(old.Appraised), fmtFloat(c.Appraised))
		cs.diff(prefix+"final", fmtFloat(old.Final), fmtFloat(c.Final))
		cs.diff(prefix+"stage", string(old.Stage), string(c.Stage))
		out = c
		return s.db.writeAudit(ctx, tx, user, "index_score", c.ID, cs, strings.TrimSpace(note))
	})
	if err != nil {
		return nil, wrap("act on score", err)
	}
	return out, nil
}

func (s *indexService) AttachScoreEvidence(ctx context.Context, scoreID int64, ev *dxtrack.IndexEvidence) error {
	user, err := reader(ctx)
	if err != nil {
		return err
	}
	ev.Name = path.Base(strings.ReplaceAll(strings.TrimSpace(ev.Name), `\`, "/"))
	if len(ev.Data) > dxtrack.MaxEvidenceSize {
		return dxtrack.Invalid("file", "error.file_too_large", map[string]any{"Max": dxtrack.MaxEvidenceSize >> 20})
	}
	if ev.Name == "" || ev.Name == "." || ev.Name == "/" || len(ev.Data) == 0 {
		return dxtrack.Invalid("file", "error.required", nil)
	}
	err = s.db.write(ctx, func(tx *sql.Tx) error {
		c, err := scanScore(tx.QueryRowContext(ctx, scoreSelect+" WHERE id = $1", scoreID))
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound()
		} else if err != nil {
			return err
		}
		e, err := s.db.edition(ctx, tx, c.EditionID)
		if err != nil {
			return err
		}
		r, err := s.db.scoreRights(ctx, tx, user, e)
		if err != nil {
			return err
		}
		if err := allow(user, r.appraise || r.rows[c.Unit] && c.Stage == dxtrack.StageSelf); err != nil {
			return err
		}
		if c.Stage == dxtrack.StageFinal {
			return dxtrack.Errorf(dxtrack.ECONFLICT, "error.indices_score_locked", nil)
		}
		now := s.db.Now()
		ev.ScoreID, ev.Size, ev.CreatedAt = scoreID, int64(len(ev.Data)), parseInstant(instant(now))
		if err := tx.QueryRowContext(ctx, `INSERT INTO index_evidence (score_id, name, content_type, size, data, created_at,
			created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, scoreID, ev.Name, ev.ContentType, ev.Size, ev.Data,
			instant(now), user.ID).Scan(&ev.ID); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "index_score", scoreID,
			changes{{c.Unit + "." + c.Node + ".evidence", "", fmtID(ev.ID)}}, ev.Name)
	})
	return wrap("attach score evidence", err)
}

func (s *indexService) FindScoreEvidence(ctx context.Context, id int64) (*dxtrack.IndexEvidence, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	var ev dxtrack.IndexEvidence
	var at string
	err := s.db.r.QueryRowContext(ctx, `SELECT id, score_id, name, content_type, size, data, created_at FROM index_evidence
		WHERE id = $1`, id).Scan(&ev.ID, &ev.ScoreID, &ev.Name, &ev.ContentType, &ev.Size, &ev.Data, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	} else if err != nil {
		return nil, wrap("find score evidence", err)
	}
	ev.CreatedAt = parseInstant(at)
	return &ev, nil
}

// isLeaf reports whether a node is a scored component.
func isLeaf(n *composite.Node) bool { return n != nil && len(n.Children) == 0 && n.Rule != nil }
