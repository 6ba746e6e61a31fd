package store

import (
	"context"
	"database/sql"
	"errors"
	"path"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
)

// Evidence files live in the database beside the report they prove, so
// that a backup of the store is a backup of everything.

func (s *reportService) AttachEvidence(ctx context.Context, reportID, taskID int64, e *dxtrack.Evidence) error {
	user, err := reader(ctx)
	if err != nil {
		return err
	}
	// Checked before the transaction: a refused upload takes no lock.
	e.Name = path.Base(strings.ReplaceAll(strings.TrimSpace(e.Name), `\`, "/"))
	if len(e.Data) > dxtrack.MaxEvidenceSize {
		return dxtrack.Invalid("file", "error.file_too_large", map[string]any{"Max": dxtrack.MaxEvidenceSize >> 20})
	}
	if e.Name == "" || e.Name == "." || e.Name == "/" || len(e.Data) == 0 {
		return dxtrack.Invalid("file", "error.required", nil)
	}
	err = s.db.write(ctx, func(tx *sql.Tx) error {
		r, err := s.db.report(ctx, tx, reportID, true)
		if err != nil {
			return err
		}
		rg, err := s.db.regime(ctx, tx, r.RegimeID)
		if err != nil {
			return err
		}
		sc, err := s.db.scope(ctx, tx, rg, r.UnitID)
		if err != nil {
			return err
		}
		if !sc.canEdit(user) {
			return errForbidden()
		}
		if !r.Editable() {
			return errNotEditable()
		}
		tasks, _, err := s.db.allowedEntries(ctx, tx, rg, r)
		if err != nil {
			return err
		}
		if !tasks[taskID] {
			return dxtrack.Invalid("task", "error.not_in_report", nil)
		}
		now := s.db.Now()
		e.ReportID, e.Size, e.CreatedAt = reportID, int64(len(e.Data)), parseInstant(instant(now))
		if err := tx.QueryRowContext(ctx, `INSERT INTO evidence (report_id, task_id, name, content_type, size, data,
			created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			reportID, taskID, e.Name, e.ContentType, e.Size, e.Data, instant(now), user.ID).Scan(&e.ID); err != nil {
			return err
		}
		var old int64
		for _, te := range r.Tasks {
			if te.TaskID == taskID {
				old = te.EvidenceFileID
			}
		}
		// The file becomes the entry's evidence; the report's version stays,
		// so that the form being edited can still be saved (a save that
		// names no file keeps this one).
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_tasks (report_id, task_id, evidence_file_id) VALUES ($1, $2, $3)
			ON CONFLICT (report_id, task_id) DO UPDATE SET evidence_file_id = excluded.evidence_file_id`,
			reportID, taskID, e.ID); err != nil {
			return err
		}
		field := "task." + strconv.FormatInt(taskID, 10) + ".evidence"
		return s.db.writeAudit(ctx, tx, user, "report", reportID, changes{{field, fmtID(old), fmtID(e.ID)}}, e.Name)
	})
	return wrap("attach evidence", err)
}

func (s *reportService) FindEvidence(ctx context.Context, id int64) (*dxtrack.Evidence, error) {
	user, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	var e dxtrack.Evidence
	var created string
	err = s.db.r.QueryRowContext(ctx, `SELECT id, report_id, name, content_type, size, data, created_at FROM evidence
		WHERE id = $1`, id).Scan(&e.ID, &e.ReportID, &e.Name, &e.ContentType, &e.Size, &e.Data, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	} else if err != nil {
		return nil, wrap("find evidence", err)
	}
	e.CreatedAt = parseInstant(created)
	if _, _, err := s.db.readableReport(ctx, s.db.r, user, e.ReportID); err != nil {
		return nil, wrap("find evidence", err)
	}
	return &e, nil
}
