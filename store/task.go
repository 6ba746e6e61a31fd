package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
)

type taskService struct{ db *DB }

// NewTaskService returns the task service over db.
func NewTaskService(db *DB) dxtrack.TaskService { return &taskService{db} }

const taskSelect = `SELECT t.id, t.document_id, t.code, t.name_vi, t.name_en, t.grp, t.lead_unit_id, t.start_on,
	t.deadline, t.output, t.budget_vnd, t.progress, COALESCE(t.pillar_id, 0), COALESCE(t.sector_id, 0),
	t.illustrative, t.note, t.override_status, t.override_reason, t.override_by, t.override_by_name,
	t.override_at, t.updated_at
	FROM tasks t`

func scanTask(s interface{ Scan(...any) error }) (*dxtrack.Task, error) {
	var t dxtrack.Task
	var deadline, updated string
	var start sql.NullString
	var o overrideRow
	dest := []any{&t.ID, &t.DocumentID, &t.Code, &t.NameVI, &t.NameEN, &t.Group, &t.LeadUnitID, &start,
		&deadline, &t.Output, &t.BudgetVND, &t.Progress, &t.PillarID, &t.SectorID,
		&t.Illustrative, &t.Note}
	dest = append(dest, o.targets()...)
	dest = append(dest, &updated)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	t.StartOn, t.Deadline = parseNullDate(start), parseDate(deadline)
	t.Override = o.override()
	t.UpdatedAt = parseInstant(updated)
	t.CoUnitIDs, t.TargetIDs = []int64{}, []int64{}
	return &t, nil
}

// queryTasks loads tasks with their co-units and target links.
func (db *DB) queryTasks(ctx context.Context, q queryer, query string, args ...any) ([]*dxtrack.Task, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out := []*dxtrack.Task{}
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.attachTaskLinks(ctx, q, out)
}

// attachTaskLinks fills CoUnitIDs and TargetIDs from the join tables, a
// chunk of tasks per query.
func (db *DB) attachTaskLinks(ctx context.Context, q queryer, tasks []*dxtrack.Task) error {
	byID := make(map[int64]*dxtrack.Task, len(tasks))
	for _, t := range tasks {
		byID[t.ID] = t
	}
	for chunk := range slices.Chunk(tasks, 500) {
		ids := make([]any, len(chunk))
		for i, t := range chunk {
			ids[i] = t.ID
		}
		w := &where{}
		in := w.in(ids)
		for _, link := range []struct {
			query string
			add   func(t *dxtrack.Task, id int64)
		}{
			{"SELECT task_id, unit_id FROM task_units WHERE task_id IN " + in + " ORDER BY task_id, unit_id",
				func(t *dxtrack.Task, id int64) { t.CoUnitIDs = append(t.CoUnitIDs, id) }},
			{"SELECT task_id, target_id FROM task_targets WHERE task_id IN " + in + " ORDER BY task_id, target_id",
				func(t *dxtrack.Task, id int64) { t.TargetIDs = append(t.TargetIDs, id) }},
		} {
			rows, err := q.QueryContext(ctx, link.query, w.args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var taskID, id int64
				if err := rows.Scan(&taskID, &id); err != nil {
					rows.Close()
					return err
				}
				link.add(byID[taskID], id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (db *DB) task(ctx context.Context, q queryer, id int64, lock bool) (*dxtrack.Task, error) {
	query := taskSelect + " WHERE t.id = $1"
	if lock {
		query += db.forUpdate()
	}
	ts, err := db.queryTasks(ctx, q, query, id)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, errNotFound()
	}
	return ts[0], nil
}

func taskSearch(t *dxtrack.Task) string {
	return dxtrack.Fold(strings.Join([]string{t.Code, t.NameVI, t.NameEN, t.Group}, " "))
}

func (s *taskService) FindTaskByID(ctx context.Context, id int64) (*dxtrack.Task, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	t, err := s.db.task(ctx, s.db.r, id, false)
	return t, wrap("find task", err)
}

func taskWhere(f dxtrack.TaskFilter) *where {
	w := &where{}
	if f.DocumentID != 0 {
		w.add("t.document_id = " + w.arg(f.DocumentID))
	}
	if f.PillarID != 0 {
		w.add("t.pillar_id = " + w.arg(f.PillarID))
	}
	if f.LeadUnitID != 0 {
		w.add("t.lead_unit_id = " + w.arg(f.LeadUnitID))
	}
	if f.UnitID != 0 {
		ph := w.arg(f.UnitID)
		w.add("(t.lead_unit_id = " + ph + " OR EXISTS (SELECT 1 FROM task_units tu WHERE tu.task_id = t.id AND tu.unit_id = " + ph + "))")
	}
	if f.TargetID != 0 {
		w.add("EXISTS (SELECT 1 FROM task_targets tt WHERE tt.task_id = t.id AND tt.target_id = " + w.arg(f.TargetID) + ")")
	}
	if f.Group != "" {
		w.add("t.grp = " + w.arg(f.Group))
	}
	w.words("t.search", f.Query)
	return w
}

const taskOrder = " ORDER BY t.document_id, t.sort_key, t.id"

func (s *taskService) FindTasks(ctx context.Context, f dxtrack.TaskFilter) ([]*dxtrack.Task, int, error) {
	if _, err := reader(ctx); err != nil {
		return nil, 0, err
	}
	return findItems(ctx, s.db, "tasks", taskSelect, taskOrder, taskWhere(f), f.Status, f.Page, s.db.queryTasks)
}

// checkTask validates a task with its references and returns the path of
// its lead unit (nil if unknown) and the problems found.
func (db *DB) checkTask(ctx context.Context, tx *sql.Tx, t *dxtrack.Task) ([]int64, dxtrack.Problems, error) {
	r := &refs{ctx: ctx, tx: tx}
	doc, err := r.document(db, t.DocumentID)
	if err != nil {
		return nil, nil, err
	}
	r.add(t.Validate(doc))
	path, err := r.unit("lead_unit", t.LeadUnitID)
	if err != nil {
		return nil, nil, err
	}
	for _, id := range t.CoUnitIDs {
		if ok, err := exists(ctx, tx, "SELECT 1 FROM units WHERE id = $1", id); err != nil {
			return nil, nil, err
		} else if !ok {
			r.p.Add("co_units", "error.unknown_unit", map[string]any{"Code": fmtID(id)})
			break
		}
	}
	for _, id := range t.TargetIDs {
		if ok, err := exists(ctx, tx, "SELECT 1 FROM targets WHERE id = $1", id); err != nil {
			return nil, nil, err
		} else if !ok {
			r.p.Add("targets", "error.unknown_target", map[string]any{"ID": id})
			break
		}
	}
	if err := r.category("pillar", t.PillarID, dxtrack.CategoryPillar, dxtrack.CategoryFoundation); err != nil {
		return nil, nil, err
	}
	if err := r.category("sector", t.SectorID, dxtrack.CategorySector); err != nil {
		return nil, nil, err
	}
	if err := r.duplicate("tasks", t.DocumentID, t.ID, t.Code); err != nil {
		return nil, nil, err
	}
	return path, r.p, nil
}

// normalizeTask trims the code and sorts the linked IDs, so that stored
// and compared lists agree.
func normalizeTask(t *dxtrack.Task) {
	t.Code = strings.TrimSpace(t.Code)
	t.CoUnitIDs = uniqueIDs(t.CoUnitIDs)
	t.TargetIDs = uniqueIDs(t.TargetIDs)
}

func (s *taskService) CreateTask(ctx context.Context, t *dxtrack.Task) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	t.ID = 0
	normalizeTask(t)
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		if err := s.db.taskAccess().checkAdmin(ctx, tx, user, t); err != nil {
			return err
		}
		now := instant(s.db.Now())
		args := []any{t.DocumentID, t.Code, sortKey(t.Code), t.NameVI, t.NameEN, t.Group, t.LeadUnitID,
			dateArg(t.StartOn), dateArg(t.Deadline), t.Output, t.BudgetVND, t.Progress, nullID(t.PillarID),
			nullID(t.SectorID), t.Illustrative, t.Note}
		args = append(args, overrideArgs(nil)...)
		args = append(args, taskSearch(t), now)
		err := tx.QueryRowContext(ctx, `INSERT INTO tasks (document_id, code, sort_key, name_vi, name_en, grp,
			lead_unit_id, start_on, deadline, output, budget_vnd, progress, pillar_id, sector_id, illustrative,
			note, override_status, override_reason, override_by, override_by_name, override_at, search, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
			$21, $22, $23) RETURNING id`, args...).Scan(&t.ID)
		if err != nil {
			return err
		}
		if err := saveTaskLinks(ctx, tx, t); err != nil {
			return err
		}
		t.Override, t.UpdatedAt = nil, parseInstant(now)
		return s.db.writeAudit(ctx, tx, user, "task", t.ID, changes{{"created", "", t.Code}}, "")
	})
	return s.db.taskAccess().writeErr("create", t.Code, err)
}

// saveTaskLinks replaces the task's rows in the join tables.
func saveTaskLinks(ctx context.Context, tx *sql.Tx, t *dxtrack.Task) error {
	for _, q := range []string{"DELETE FROM task_units WHERE task_id = $1", "DELETE FROM task_targets WHERE task_id = $1"} {
		if _, err := tx.ExecContext(ctx, q, t.ID); err != nil {
			return err
		}
	}
	for _, id := range t.CoUnitIDs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO task_units (task_id, unit_id) VALUES ($1, $2)", t.ID, id); err != nil {
			return err
		}
	}
	for _, id := range t.TargetIDs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO task_targets (task_id, target_id) VALUES ($1, $2)", t.ID, id); err != nil {
			return err
		}
	}
	return nil
}

func taskChanges(old, t *dxtrack.Task) changes {
	var cs changes
	cs.diff("code", old.Code, t.Code)
	cs.diff("name_vi", old.NameVI, t.NameVI)
	cs.diff("name_en", old.NameEN, t.NameEN)
	cs.diff("group", old.Group, t.Group)
	cs.diff("lead_unit_id", fmtID(old.LeadUnitID), fmtID(t.LeadUnitID))
	cs.diff("co_unit_ids", fmtIDs(old.CoUnitIDs), fmtIDs(t.CoUnitIDs))
	cs.diff("start_on", fmtDay(old.StartOn), fmtDay(t.StartOn))
	cs.diff("deadline", fmtDay(old.Deadline), fmtDay(t.Deadline))
	cs.diff("output", old.Output, t.Output)
	cs.diff("budget_vnd", strconv.FormatInt(old.BudgetVND, 10), strconv.FormatInt(t.BudgetVND, 10))
	cs.diff("progress", strconv.Itoa(old.Progress), strconv.Itoa(t.Progress))
	cs.diff("target_ids", fmtIDs(old.TargetIDs), fmtIDs(t.TargetIDs))
	cs.diff("pillar_id", fmtID(old.PillarID), fmtID(t.PillarID))
	cs.diff("sector_id", fmtID(old.SectorID), fmtID(t.SectorID))
	cs.diff("illustrative", strconv.FormatBool(old.Illustrative), strconv.FormatBool(t.Illustrative))
	cs.diff("note", old.Note, t.Note)
	return cs
}

// saveTask writes all of a task's columns but its document, and its links
// if they changed.
func (db *DB) saveTask(ctx context.Context, tx *sql.Tx, old, t *dxtrack.Task) error {
	now := instant(db.Now())
	args := []any{t.Code, sortKey(t.Code), t.NameVI, t.NameEN, t.Group, t.LeadUnitID, dateArg(t.StartOn),
		dateArg(t.Deadline), t.Output, t.BudgetVND, t.Progress, nullID(t.PillarID), nullID(t.SectorID),
		t.Illustrative, t.Note}
	args = append(args, overrideArgs(t.Override)...)
	args = append(args, taskSearch(t), now, t.ID)
	_, err := tx.ExecContext(ctx, `UPDATE tasks SET code = $1, sort_key = $2, name_vi = $3, name_en = $4,
		grp = $5, lead_unit_id = $6, start_on = $7, deadline = $8, output = $9, budget_vnd = $10,
		progress = $11, pillar_id = $12, sector_id = $13, illustrative = $14, note = $15,
		override_status = $16, override_reason = $17, override_by = $18, override_by_name = $19,
		override_at = $20, search = $21, updated_at = $22 WHERE id = $23`, args...)
	if err != nil {
		return err
	}
	t.UpdatedAt = parseInstant(now)
	if !slices.Equal(old.CoUnitIDs, t.CoUnitIDs) || !slices.Equal(old.TargetIDs, t.TargetIDs) {
		return saveTaskLinks(ctx, tx, t)
	}
	return nil
}

func (s *taskService) UpdateTask(ctx context.Context, t *dxtrack.Task) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	normalizeTask(t)
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.taskAccess().loadFor(ctx, tx, t.ID, user.CanAdmin)
		if err != nil {
			return err
		}
		t.DocumentID, t.Override = old.DocumentID, old.Override
		if err := s.db.taskAccess().checkAdmin(ctx, tx, user, t); err != nil {
			return err
		}
		cs := taskChanges(old, t)
		if len(cs) == 0 {
			t.UpdatedAt = old.UpdatedAt
			return nil
		}
		if err := s.db.saveTask(ctx, tx, old, t); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "task", t.ID, cs, "")
	})
	return s.db.taskAccess().writeErr("update", t.Code, err)
}

func (s *taskService) ReportTask(ctx context.Context, id int64, upd dxtrack.TaskUpdate) (*dxtrack.Task, error) {
	user := dxtrack.UserFromContext(ctx)
	if user == nil {
		return nil, errUnauthorized()
	}
	var out *dxtrack.Task
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.taskAccess().loadFor(ctx, tx, id, user.CanReport)
		if err != nil {
			return err
		}
		if err := upd.Validate(); err != nil {
			return err
		}
		t := *old
		if upd.Progress != nil {
			t.Progress = *upd.Progress
		}
		if upd.Note != nil {
			t.Note = *upd.Note
		}
		out = &t
		cs := taskChanges(old, &t)
		if len(cs) == 0 {
			return nil
		}
		if err := s.db.saveTask(ctx, tx, old, &t); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "task", id, cs, "")
	})
	if err != nil {
		return nil, wrap("report task", err)
	}
	return out, nil
}

func (s *taskService) SetTaskOverride(ctx context.Context, id int64, o *dxtrack.Override) (*dxtrack.Task, error) {
	return s.db.taskAccess().setOverride(ctx, s.db, id, o)
}

func (s *taskService) DeleteTask(ctx context.Context, id int64) error {
	return s.db.taskAccess().delete(ctx, s.db, id)
}

func (db *DB) taskAccess() itemAccess[*dxtrack.Task] {
	return itemAccess[*dxtrack.Task]{
		kind:  "task",
		table: "tasks",
		load: func(ctx context.Context, tx *sql.Tx, id int64) (*dxtrack.Task, error) {
			return db.task(ctx, tx, id, true)
		},
		// Only the override changes: t as old skips rewriting its links.
		save:     func(ctx context.Context, tx *sql.Tx, t *dxtrack.Task) error { return db.saveTask(ctx, tx, t, t) },
		check:    db.checkTask,
		leadUnit: func(t *dxtrack.Task) int64 { return t.LeadUnitID },
		code:     func(t *dxtrack.Task) string { return t.Code },
		override: func(t *dxtrack.Task) **dxtrack.Override { return &t.Override },
	}
}
