package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
)

type documentService struct{ db *DB }

// NewDocumentService returns the programme-document service over db.
func NewDocumentService(db *DB) dxtrack.DocumentService { return &documentService{db} }

const documentSelect = `SELECT d.id, d.kind, d.number, d.title_vi, d.title_en, d.issuer, d.issued_on,
	d.span_from, d.span_to, d.vision_year, COALESCE(d.parent_id, 0), d.owner_unit_id, d.summary, d.updated_at
	FROM documents d`

func scanDocument(s interface{ Scan(...any) error }) (*dxtrack.Document, error) {
	var d dxtrack.Document
	var kind, issued, updated string
	err := s.Scan(&d.ID, &kind, &d.Number, &d.TitleVI, &d.TitleEN, &d.Issuer, &issued,
		&d.SpanFrom, &d.SpanTo, &d.VisionYear, &d.ParentID, &d.OwnerUnitID, &d.Summary, &updated)
	if err != nil {
		return nil, err
	}
	d.Kind = dxtrack.DocumentKind(kind)
	d.IssuedOn = parseDate(issued)
	d.UpdatedAt = parseInstant(updated)
	return &d, nil
}

func (db *DB) queryDocuments(ctx context.Context, q queryer, query string, args ...any) ([]*dxtrack.Document, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*dxtrack.Document{}
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// document returns a document by ID, or ENOTFOUND.
func (db *DB) document(ctx context.Context, q queryer, id int64) (*dxtrack.Document, error) {
	docs, err := db.queryDocuments(ctx, q, documentSelect+" WHERE d.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, errNotFound()
	}
	return docs[0], nil
}

func documentSearch(d *dxtrack.Document) string {
	return dxtrack.Fold(strings.Join([]string{d.Number, d.TitleVI, d.TitleEN, d.Issuer}, " "))
}

func (s *documentService) FindDocumentByID(ctx context.Context, id int64) (*dxtrack.Document, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	d, err := s.db.document(ctx, s.db.r, id)
	return d, wrap("find document", err)
}

func (s *documentService) FindDocuments(ctx context.Context, f dxtrack.DocumentFilter) ([]*dxtrack.Document, int, error) {
	if _, err := reader(ctx); err != nil {
		return nil, 0, err
	}
	w := &where{}
	if f.Kind != "" {
		w.add("d.kind = " + w.arg(string(f.Kind)))
	}
	if f.ParentID != nil {
		if *f.ParentID == 0 {
			w.add("d.parent_id IS NULL")
		} else {
			w.add("d.parent_id = " + w.arg(*f.ParentID))
		}
	}
	w.words("d.search", f.Query)
	var total int
	if err := s.db.r.QueryRowContext(ctx, "SELECT count(*) FROM documents d"+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: find documents: %w", err)
	}
	limit, offset := limits(f.Page)
	docs, err := s.db.queryDocuments(ctx, s.db.r, documentSelect+w.String()+
		fmt.Sprintf(" ORDER BY d.issued_on, d.id LIMIT %d OFFSET %d", limit, offset), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: find documents: %w", err)
	}
	return docs, total, nil
}

// checkDocument validates a document and its references; it returns the
// path of the owner unit for the permission check.
func (db *DB) checkDocument(ctx context.Context, tx *sql.Tx, d *dxtrack.Document) ([]int64, dxtrack.Problems, error) {
	var p dxtrack.Problems
	if err := d.Validate(); err != nil {
		p = dxtrack.ErrorFields(err)
	}
	path, ok, err := unitPath(ctx, tx, d.OwnerUnitID)
	if err != nil {
		return nil, nil, err
	}
	if d.OwnerUnitID != 0 && !ok {
		p.Add("owner_unit_id", "error.unknown_unit", nil)
	}
	if d.ParentID != 0 && d.ParentID != d.ID {
		// Walk up from the parent: meeting d itself would make a cycle.
		for id, steps := d.ParentID, 0; id != 0; steps++ {
			var parent sql.NullInt64
			err := tx.QueryRowContext(ctx, "SELECT parent_id FROM documents WHERE id = $1", id).Scan(&parent)
			if errors.Is(err, sql.ErrNoRows) {
				if id == d.ParentID {
					p.Add("parent_id", "error.unknown_document", nil)
				}
				break
			} else if err != nil {
				return nil, nil, err
			}
			if (d.ID != 0 && parent.Int64 == d.ID) || steps > 1000 {
				p.Add("parent_id", "error.self_parent", nil)
				break
			}
			id = parent.Int64
		}
	}
	if d.Number != "" {
		dup, err := exists(ctx, tx, "SELECT 1 FROM documents WHERE kind = $1 AND number = $2 AND id <> $3",
			string(d.Kind), d.Number, d.ID)
		if err != nil {
			return nil, nil, err
		}
		if dup {
			p.Add("number", "error.duplicate_code", map[string]any{"Code": d.Number})
		}
	}
	return path, p, nil
}

// mayAdmin tells whether the user could administer anything at all; other
// users are refused before their input is looked at.
func mayAdmin(u *dxtrack.User) error {
	return allow(u, u != nil && u.Role == dxtrack.RoleAdmin && !u.Disabled)
}

func (s *documentService) CreateDocument(ctx context.Context, d *dxtrack.Document) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	d.ID = 0
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		path, p, err := s.db.checkDocument(ctx, tx, d)
		if err != nil {
			return err
		}
		if path != nil && !user.CanAdmin(path) {
			return errForbidden()
		}
		if err := p.Err(); err != nil {
			return err
		}
		now := s.db.Now()
		err = tx.QueryRowContext(ctx, `INSERT INTO documents (kind, number, title_vi, title_en, issuer, issued_on,
			span_from, span_to, vision_year, parent_id, owner_unit_id, summary, search, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			string(d.Kind), d.Number, d.TitleVI, d.TitleEN, d.Issuer, dateArg(d.IssuedOn), d.SpanFrom, d.SpanTo,
			d.VisionYear, nullID(d.ParentID), d.OwnerUnitID, d.Summary, documentSearch(d), instant(now)).Scan(&d.ID)
		if err != nil {
			return err
		}
		d.UpdatedAt = parseInstant(instant(now))
		return s.db.writeAudit(ctx, tx, user, "document", d.ID, changes{{"created", "", d.Number}}, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("number", "error.duplicate_code", map[string]any{"Code": d.Number})
	}
	return wrap("create document", err)
}

func (s *documentService) UpdateDocument(ctx context.Context, d *dxtrack.Document) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.document(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		oldPath, _, err := unitPath(ctx, tx, old.OwnerUnitID)
		if err != nil {
			return err
		}
		if !user.CanAdmin(oldPath) {
			return errForbidden()
		}
		path, p, err := s.db.checkDocument(ctx, tx, d)
		if err != nil {
			return err
		}
		if path != nil && !user.CanAdmin(path) {
			return errForbidden()
		}
		if err := p.Err(); err != nil {
			return err
		}
		var cs changes
		cs.diff("kind", string(old.Kind), string(d.Kind))
		cs.diff("number", old.Number, d.Number)
		cs.diff("title_vi", old.TitleVI, d.TitleVI)
		cs.diff("title_en", old.TitleEN, d.TitleEN)
		cs.diff("issuer", old.Issuer, d.Issuer)
		cs.diff("issued_on", dxtrack.FormatDate(old.IssuedOn), dxtrack.FormatDate(d.IssuedOn))
		cs.diff("span_from", strconv.Itoa(old.SpanFrom), strconv.Itoa(d.SpanFrom))
		cs.diff("span_to", strconv.Itoa(old.SpanTo), strconv.Itoa(d.SpanTo))
		cs.diff("vision_year", strconv.Itoa(old.VisionYear), strconv.Itoa(d.VisionYear))
		cs.diff("parent_id", fmtID(old.ParentID), fmtID(d.ParentID))
		cs.diff("owner_unit_id", fmtID(old.OwnerUnitID), fmtID(d.OwnerUnitID))
		cs.diff("summary", old.Summary, d.Summary)
		if len(cs) == 0 {
			d.UpdatedAt = old.UpdatedAt
			return nil
		}
		now := s.db.Now()
		_, err = tx.ExecContext(ctx, `UPDATE documents SET kind = $1, number = $2, title_vi = $3, title_en = $4,
			issuer = $5, issued_on = $6, span_from = $7, span_to = $8, vision_year = $9, parent_id = $10,
			owner_unit_id = $11, summary = $12, search = $13, updated_at = $14 WHERE id = $15`,
			string(d.Kind), d.Number, d.TitleVI, d.TitleEN, d.Issuer, dateArg(d.IssuedOn), d.SpanFrom, d.SpanTo,
			d.VisionYear, nullID(d.ParentID), d.OwnerUnitID, d.Summary, documentSearch(d), instant(now), d.ID)
		if err != nil {
			return err
		}
		d.UpdatedAt = parseInstant(instant(now))
		return s.db.writeAudit(ctx, tx, user, "document", d.ID, cs, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("number", "error.duplicate_code", map[string]any{"Code": d.Number})
	}
	return wrap("update document", err)
}

func (s *documentService) DeleteDocument(ctx context.Context, id int64) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		d, err := s.db.document(ctx, tx, id)
		if err != nil {
			return err
		}
		path, _, err := unitPath(ctx, tx, d.OwnerUnitID)
		if err != nil {
			return err
		}
		if !user.CanAdmin(path) {
			return errForbidden()
		}
		used, err := exists(ctx, tx, `SELECT 1 FROM documents WHERE parent_id = $1
			UNION ALL SELECT 1 FROM targets WHERE document_id = $1
			UNION ALL SELECT 1 FROM tasks WHERE document_id = $1`, id)
		if err != nil {
			return err
		}
		if used {
			return errInUse()
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM documents WHERE id = $1", id); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "document", id, changes{{"deleted", d.Number, ""}}, "")
	})
	return wrap("delete document", err)
}
