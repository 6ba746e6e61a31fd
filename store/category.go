package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/dxtrack/dxtrack"
)

type categoryService struct{ db *DB }

// NewCategoryService returns the service of pillars, foundations and
// priority sectors over db.
func NewCategoryService(db *DB) dxtrack.CategoryService { return &categoryService{db} }

const categorySelect = "SELECT c.id, c.kind, c.code, c.name_vi, c.name_en, c.sort FROM categories c"

func (db *DB) queryCategories(ctx context.Context, q queryer, query string, args ...any) ([]*dxtrack.Category, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*dxtrack.Category{}
	for rows.Next() {
		var c dxtrack.Category
		var kind string
		if err := rows.Scan(&c.ID, &kind, &c.Code, &c.NameVI, &c.NameEN, &c.Sort); err != nil {
			return nil, err
		}
		c.Kind = dxtrack.CategoryKind(kind)
		out = append(out, &c)
	}
	return out, rows.Err()
}

// categoryKindOrder lists pillars, then foundations, then sectors.
const categoryKindOrder = "CASE c.kind WHEN 'pillar' THEN 0 WHEN 'foundation' THEN 1 ELSE 2 END"

func (s *categoryService) FindCategories(ctx context.Context, kind dxtrack.CategoryKind) ([]*dxtrack.Category, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	w := &where{}
	if kind != "" {
		w.add("c.kind = " + w.arg(string(kind)))
	}
	cats, err := s.db.queryCategories(ctx, s.db.r, categorySelect+w.String()+" ORDER BY "+categoryKindOrder+", c.sort, c.id", w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: find categories: %w", err)
	}
	return cats, nil
}

func (db *DB) category(ctx context.Context, q queryer, id int64) (*dxtrack.Category, error) {
	cats, err := db.queryCategories(ctx, q, categorySelect+" WHERE c.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(cats) == 0 {
		return nil, errNotFound()
	}
	return cats[0], nil
}

func (s *categoryService) FindCategoryByID(ctx context.Context, id int64) (*dxtrack.Category, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	c, err := s.db.category(ctx, s.db.r, id)
	return c, wrap("find category", err)
}

// Categories are not owned by a unit: any admin may edit the lists.

func checkCategory(ctx context.Context, tx *sql.Tx, c *dxtrack.Category) error {
	var p dxtrack.Problems
	if err := c.Validate(); err != nil {
		p = dxtrack.ErrorFields(err)
	}
	if dup, err := exists(ctx, tx, "SELECT 1 FROM categories WHERE code = $1 AND id <> $2", c.Code, c.ID); err != nil {
		return err
	} else if dup {
		p.Add("code", "error.duplicate_code", map[string]any{"Code": c.Code})
	}
	return p.Err()
}

func (s *categoryService) CreateCategory(ctx context.Context, c *dxtrack.Category) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	c.ID = 0
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		if err := checkCategory(ctx, tx, c); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "INSERT INTO categories (kind, code, name_vi, name_en, sort) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			string(c.Kind), c.Code, c.NameVI, c.NameEN, c.Sort).Scan(&c.ID); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "category", c.ID, changes{{"created", "", c.Code}}, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("code", "error.duplicate_code", map[string]any{"Code": c.Code})
	}
	return wrap("create category", err)
}

func (s *categoryService) UpdateCategory(ctx context.Context, c *dxtrack.Category) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.category(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if err := checkCategory(ctx, tx, c); err != nil {
			return err
		}
		if c.Kind != old.Kind {
			// A pillar in use cannot become a sector under its items.
			if used, err := categoryUsed(ctx, tx, c.ID); err != nil {
				return err
			} else if used {
				return errInUse()
			}
		}
		var cs changes
		cs.diff("kind", string(old.Kind), string(c.Kind))
		cs.diff("code", old.Code, c.Code)
		cs.diff("name_vi", old.NameVI, c.NameVI)
		cs.diff("name_en", old.NameEN, c.NameEN)
		cs.diff("sort", strconv.Itoa(old.Sort), strconv.Itoa(c.Sort))
		if len(cs) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE categories SET kind = $1, code = $2, name_vi = $3, name_en = $4, sort = $5 WHERE id = $6",
			string(c.Kind), c.Code, c.NameVI, c.NameEN, c.Sort, c.ID); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "category", c.ID, cs, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("code", "error.duplicate_code", map[string]any{"Code": c.Code})
	}
	return wrap("update category", err)
}

func categoryUsed(ctx context.Context, q queryer, id int64) (bool, error) {
	return exists(ctx, q, `SELECT 1 FROM targets WHERE pillar_id = $1 OR sector_id = $1
		UNION ALL SELECT 1 FROM tasks WHERE pillar_id = $1 OR sector_id = $1`, id)
}

func (s *categoryService) DeleteCategory(ctx context.Context, id int64) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		c, err := s.db.category(ctx, tx, id)
		if err != nil {
			return err
		}
		if used, err := categoryUsed(ctx, tx, id); err != nil {
			return err
		} else if used {
			return errInUse()
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM categories WHERE id = $1", id); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "category", id, changes{{"deleted", c.Code, ""}}, "")
	})
	return wrap("delete category", err)
}
