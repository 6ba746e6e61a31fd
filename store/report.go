package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
)

type reportService struct{ db *DB }

// NewReportService returns the periodic-report service over db.
func NewReportService(db *DB) dxtrack.ReportService { return &reportService{db} }

// historyPeriods is how many earlier periods the outlier checks look at.
const historyPeriods = 12

const reportSelect = `SELECT r.id, r.regime_id, r.unit_id, r.freq, r.year, r.n, r.status, r.level, r.sections, r.comment,
	r.deadline, r.submitted_at, r.late, r.approved_at, r.version, r.updated_at, r.updated_by
	FROM reports r JOIN units u ON u.id = r.unit_id`

func scanReport(s interface{ Scan(...any) error }) (*dxtrack.Report, error) {
	var r dxtrack.Report
	var freq, status, sections, deadline, updated string
	var submitted, approved sql.NullString
	if err := s.Scan(&r.ID, &r.RegimeID, &r.UnitID, &freq, &r.Period.Year, &r.Period.N, &status, &r.Level, &sections,
		&r.Comment, &deadline, &submitted, &r.Late, &approved, &r.Version, &updated, &r.UpdatedBy); err != nil {
		return nil, err
	}
	r.Period.Freq, r.Status = dxtrack.Frequency(freq), dxtrack.ReportStatus(status)
	if err := json.Unmarshal([]byte(sections), &r.Sections); err != nil {
		return nil, fmt.Errorf("report %d sections: %w", r.ID, err)
	}
	if r.Sections == nil {
		r.Sections = map[string]string{}
	}
	r.Deadline = parseDate(deadline)
	r.SubmittedAt, r.ApprovedAt = parseNullInstant(submitted), parseNullInstant(approved)
	r.UpdatedAt = parseInstant(updated)
	r.Values, r.Tasks, r.Targets = []dxtrack.ReportValue{}, []dxtrack.TaskEntry{}, []dxtrack.TargetEntry{}
	return &r, nil
}

func nullInstant(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return instant(t)
}

func parseNullInstant(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	return parseInstant(s.String)
}

// queryReports loads reports, with their values and entries if content.
func (db *DB) queryReports(ctx context.Context, q queryer, content bool, query string, args ...any) ([]*dxtrack.Report, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out := []*dxtrack.Report{}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !content {
		return out, nil
	}
	return out, db.attachReportContent(ctx, q, out)
}

// attachReportContent fills the values (in form order), task entries and
// target entries (in code order) of reports.
func (db *DB) attachReportContent(ctx context.Context, q queryer, reports []*dxtrack.Report) error {
	byID := make(map[int64]*dxtrack.Report, len(reports))
	for _, r := range reports {
		byID[r.ID] = r
	}
	for chunk := range slices.Chunk(reports, 500) {
		ids := make([]any, len(chunk))
		for i, r := range chunk {
			ids[i] = r.ID
		}
		w := &where{}
		in := w.in(ids)
		rows, err := q.QueryContext(ctx, `SELECT v.report_id, v.indicator_id, v.value, v.prefilled, v.note
			FROM report_values v JOIN reports r ON r.id = v.report_id
			LEFT JOIN regime_items ri ON ri.regime_id = r.regime_id AND ri.indicator_id = v.indicator_id
			WHERE v.report_id IN `+in+` ORDER BY v.report_id, COALESCE(ri.position, 1000000), v.indicator_id`, w.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var v dxtrack.ReportValue
			var value sql.NullFloat64
			if err := rows.Scan(&id, &v.IndicatorID, &value, &v.Prefilled, &v.Note); err != nil {
				rows.Close()
				return err
			}
			v.Value = floatPtr(value)
			byID[id].Values = append(byID[id].Values, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = q.QueryContext(ctx, `SELECT e.report_id, e.task_id, e.progress, e.narrative, e.evidence_number,
			e.evidence_url, COALESCE(e.evidence_file_id, 0)
			FROM report_tasks e JOIN tasks t ON t.id = e.task_id
			WHERE e.report_id IN `+in+` ORDER BY e.report_id, t.document_id, t.sort_key, t.id`, w.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var e dxtrack.TaskEntry
			var progress sql.NullInt64
			if err := rows.Scan(&id, &e.TaskID, &progress, &e.Narrative, &e.EvidenceNumber, &e.EvidenceURL,
				&e.EvidenceFileID); err != nil {
				rows.Close()
				return err
			}
			if progress.Valid {
				p := int(progress.Int64)
				e.Progress = &p
			}
			byID[id].Tasks = append(byID[id].Tasks, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = q.QueryContext(ctx, `SELECT e.report_id, e.target_id, e.current_value, e.done, e.note
			FROM report_targets e JOIN targets t ON t.id = e.target_id
			WHERE e.report_id IN `+in+` ORDER BY e.report_id, t.document_id, t.sort_key, t.id`, w.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var e dxtrack.TargetEntry
			var current sql.NullFloat64
			var done sql.NullBool
			if err := rows.Scan(&id, &e.TargetID, &current, &done, &e.Note); err != nil {
				rows.Close()
				return err
			}
			e.Current = floatPtr(current)
			if done.Valid {
				d := done.Bool
				e.Done = &d
			}
			byID[id].Targets = append(byID[id].Targets, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// report returns a report with its content, or ENOTFOUND; lock asks
// PostgreSQL to lock its row for a read-modify-write.
func (db *DB) report(ctx context.Context, q queryer, id int64, lock bool) (*dxtrack.Report, error) {
	if lock {
		if ok, err := exists(ctx, q, "SELECT 1 FROM reports WHERE id = $1"+db.forUpdate(), id); err != nil {
			return nil, err
		} else if !ok {
			return nil, errNotFound()
		}
	}
	rs, err := db.queryReports(ctx, q, true, reportSelect+" WHERE r.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, errNotFound()
	}
	return rs[0], nil
}

// reportFor returns the unit's report of a period, or nil.
func (db *DB) reportFor(ctx context.Context, q queryer, regimeID, unitID int64, p dxtrack.Period) (*dxtrack.Report, error) {
	rs, err := db.queryReports(ctx, q, true, reportSelect+" WHERE r.regime_id = $1 AND r.unit_id = $2 AND r.period_key = $3",
		regimeID, unitID, p.Key())
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return rs[0], nil
}

// reportScope is what permissions on a report depend on: its regime, the
// path of its unit and the paths of the regime's review levels.
type reportScope struct {
	rg         *dxtrack.Regime
	unitPath   []int64
	levelPaths [][]int64
}

// unitPaths loads the paths of units by ID.
func unitPaths(ctx context.Context, q queryer, ids []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	ids = uniqueIDs(ids)
	if len(ids) == 0 {
		return out, nil
	}
	w := &where{}
	rows, err := q.QueryContext(ctx, "SELECT id, path FROM units WHERE id IN "+w.in(idArgs(ids)), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var path string
		if err := rows.Scan(&id, &path); err != nil {
			return nil, err
		}
		out[id] = parsePath(path)
	}
	return out, rows.Err()
}

// scope loads the paths a report's permissions need; ENOTFOUND if the
// unit does not exist.
func (db *DB) scope(ctx context.Context, q queryer, rg *dxtrack.Regime, unitID int64) (*reportScope, error) {
	levels := rg.Levels()
	paths, err := unitPaths(ctx, q, append([]int64{unitID}, levels...))
	if err != nil {
		return nil, err
	}
	return newScope(rg, unitID, paths)
}

func newScope(rg *dxtrack.Regime, unitID int64, paths map[int64][]int64) (*reportScope, error) {
	s := &reportScope{rg: rg, unitPath: paths[unitID]}
	if s.unitPath == nil {
		return nil, errNotFound()
	}
	for _, id := range rg.Levels() {
		s.levelPaths = append(s.levelPaths, paths[id])
	}
	return s, nil
}

// canRead: the unit's reporters, and the other roles when the unit or
// one of the regime's review levels is in their scope (the province's DT
// office reviews reports of units outside its own subtree).
func (s *reportScope) canRead(u *dxtrack.User) bool {
	switch {
	case u == nil || u.Disabled:
		return false
	case u.Role == dxtrack.RoleReporter:
		return u.CanReport(s.unitPath)
	case u.InScope(s.unitPath):
		return true
	}
	for _, p := range s.levelPaths {
		if u.InScope(p) {
			return true
		}
	}
	return false
}

// canEdit: the unit's reporters and the admins over it.
func (s *reportScope) canEdit(u *dxtrack.User) bool { return u.CanReport(s.unitPath) }

// level is the highest review level whose unit is in the scope of a
// reviewer or admin, or -1.
func (s *reportScope) level(u *dxtrack.User) int {
	if u == nil || u.Disabled || (u.Role != dxtrack.RoleReviewer && u.Role != dxtrack.RoleAdmin) {
		return -1
	}
	for i := len(s.levelPaths) - 1; i >= 0; i-- {
		if u.InScope(s.levelPaths[i]) {
			return i
		}
	}
	return -1
}

// canUnlock: admins over the final level.
func (s *reportScope) canUnlock(u *dxtrack.User) bool {
	return len(s.levelPaths) > 0 && u.CanAdmin(s.levelPaths[len(s.levelPaths)-1])
}

func errPeriod(p dxtrack.Period) error {
	return dxtrack.Invalid("period", "error.unknown_value", map[string]any{"Value": p.Key()})
}

func (s *reportService) OpenReport(ctx context.Context, regimeID, unitID int64, p dxtrack.Period) (*dxtrack.Report, error) {
	user, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	rg, err := s.db.regime(ctx, s.db.r, regimeID)
	if err != nil {
		return nil, wrap("open report", err)
	}
	if !p.Valid() || p.Freq != rg.Freq {
		return nil, errPeriod(p)
	}
	sc, err := s.db.scope(ctx, s.db.r, rg, unitID)
	if err != nil {
		return nil, wrap("open report", err)
	}
	if !sc.canRead(user) {
		return nil, errForbidden()
	}
	// Most opens find the report: only a missing one takes the writer.
	if r, err := s.db.reportFor(ctx, s.db.r, regimeID, unitID, p); err != nil || r != nil {
		return r, wrap("open report", err)
	}
	var out *dxtrack.Report
	err = s.db.write(ctx, func(tx *sql.Tx) error {
		if r, err := s.db.reportFor(ctx, tx, regimeID, unitID, p); err != nil || r != nil {
			out = r
			return err
		}
		r, err := s.db.newReport(ctx, tx, user, rg, unitID, p)
		out = r
		return err
	})
	if isUniqueViolation(err) {
		// Another request created it first.
		out, err = s.db.reportFor(ctx, s.db.r, regimeID, unitID, p)
	}
	if err != nil {
		return nil, wrap("open report", err)
	}
	return out, nil
}

// newReport creates the draft of a unit for a period, prefilled with the
// previous period's values and the current figures of the unit's tasks
// and targets.
func (db *DB) newReport(ctx context.Context, tx *sql.Tx, user *dxtrack.User, rg *dxtrack.Regime, unitID int64, p dxtrack.Period) (*dxtrack.Report, error) {
	unit, err := db.unitBy(ctx, tx, "u.id = $2", unitID)
	if err != nil {
		return nil, err
	}
	if !rg.Active || !reportsUnder(rg, unit, db.today()) {
		return nil, dxtrack.Invalid("unit", "error.not_reporting_unit", nil)
	}
	cal, err := db.calendar(ctx, tx)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	r := &dxtrack.Report{RegimeID: rg.ID, UnitID: unitID, Period: p, Status: dxtrack.ReportDraft,
		Sections: map[string]string{}, Deadline: dxtrack.Deadline(cal, p, rg.DeadlineDays), Version: 1,
		UpdatedAt: parseInstant(instant(now)), UpdatedBy: user.ID}
	prev, err := db.reportFor(ctx, tx, rg.ID, unitID, p.Prev())
	if err != nil {
		return nil, err
	}
	// Figures another system supplied for the period come first; the
	// previous period's values fill the rest.
	auto, err := db.automaticValues(ctx, tx, unitID, p)
	if err != nil {
		return nil, err
	}
	r.Values = make([]dxtrack.ReportValue, len(rg.Items))
	for i, it := range rg.Items {
		r.Values[i] = dxtrack.ReportValue{IndicatorID: it.IndicatorID}
		if a := auto[it.IndicatorID]; a != nil {
			x := a.Value.Value
			r.Values[i].Value = &x
		} else if prev != nil {
			if v := prev.Value(it.IndicatorID); v != nil {
				x := *v
				r.Values[i].Value, r.Values[i].Prefilled = &x, true
			}
		}
	}
	r.Tasks, r.Targets = []dxtrack.TaskEntry{}, []dxtrack.TargetEntry{}
	if rg.IncludeTasks {
		tasks, err := db.queryTasks(ctx, tx, taskSelect+" WHERE t.lead_unit_id = $1"+taskOrder, unitID)
		if err != nil {
			return nil, err
		}
		for _, t := range tasks {
			progress := t.Progress
			r.Tasks = append(r.Tasks, dxtrack.TaskEntry{TaskID: t.ID, Progress: &progress})
		}
	}
	if rg.IncludeTargets {
		targets, err := db.queryTargets(ctx, tx, targetSelect+" WHERE t.lead_unit_id = $1"+targetOrder, unitID)
		if err != nil {
			return nil, err
		}
		for _, t := range targets {
			done := t.Done
			r.Targets = append(r.Targets, dxtrack.TargetEntry{TargetID: t.ID, Current: t.Current, Done: &done})
		}
	}
	sections, err := json.Marshal(r.Sections)
	if err != nil {
		return nil, err
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO reports (regime_id, unit_id, period_key, freq, year, n, status,
		level, sections, comment, deadline, submitted_at, late, approved_at, version, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, '', $9, NULL, FALSE, NULL, $10, $11, $12) RETURNING id`,
		rg.ID, unitID, p.Key(), string(p.Freq), p.Year, p.N, string(r.Status), string(sections),
		dateArg(r.Deadline), r.Version, instant(now), user.ID).Scan(&r.ID); err != nil {
		return nil, err
	}
	if err := saveReportContent(ctx, tx, r); err != nil {
		return nil, err
	}
	if err := db.writeAudit(ctx, tx, user, "report", r.ID, changes{{"created", "", p.Key()}}, ""); err != nil {
		return nil, err
	}
	return db.report(ctx, tx, r.ID, false)
}

// saveReportContent replaces a report's values and entries.
func saveReportContent(ctx context.Context, tx *sql.Tx, r *dxtrack.Report) error {
	for _, q := range []string{"DELETE FROM report_values WHERE report_id = $1", "DELETE FROM report_tasks WHERE report_id = $1",
		"DELETE FROM report_targets WHERE report_id = $1"} {
		if _, err := tx.ExecContext(ctx, q, r.ID); err != nil {
			return err
		}
	}
	for _, v := range r.Values {
		if _, err := tx.ExecContext(ctx, "INSERT INTO report_values (report_id, indicator_id, value, prefilled, note) VALUES ($1, $2, $3, $4, $5)",
			r.ID, v.IndicatorID, nullFloat(v.Value), v.Prefilled, v.Note); err != nil {
			return err
		}
	}
	for _, e := range r.Tasks {
		var progress any
		if e.Progress != nil {
			progress = *e.Progress
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_tasks (report_id, task_id, progress, narrative, evidence_number,
			evidence_url, evidence_file_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			r.ID, e.TaskID, progress, e.Narrative, e.EvidenceNumber, e.EvidenceURL, nullID(e.EvidenceFileID)); err != nil {
			return err
		}
	}
	for _, e := range r.Targets {
		var done any
		if e.Done != nil {
			done = *e.Done
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO report_targets (report_id, target_id, current_value, done, note) VALUES ($1, $2, $3, $4, $5)",
			r.ID, e.TargetID, nullFloat(e.Current), done, e.Note); err != nil {
			return err
		}
	}
	return nil
}

// saveReportRow writes a report's own columns.
func (db *DB) saveReportRow(ctx context.Context, tx *sql.Tx, r *dxtrack.Report) error {
	sections, err := json.Marshal(r.Sections)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE reports SET status = $1, level = $2, sections = $3, comment = $4,
		submitted_at = $5, late = $6, approved_at = $7, version = $8, updated_at = $9, updated_by = $10 WHERE id = $11`,
		string(r.Status), r.Level, string(sections), r.Comment, nullInstant(r.SubmittedAt), r.Late,
		nullInstant(r.ApprovedAt), r.Version, instant(r.UpdatedAt), r.UpdatedBy, r.ID)
	return err
}

func (s *reportService) FindReportByID(ctx context.Context, id int64) (*dxtrack.Report, error) {
	user, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	r, _, err := s.db.readableReport(ctx, s.db.r, user, id)
	return r, wrap("find report", err)
}

// readableReport loads a report and its regime if the user may read it.
func (db *DB) readableReport(ctx context.Context, q queryer, user *dxtrack.User, id int64) (*dxtrack.Report, *reportScope, error) {
	r, err := db.report(ctx, q, id, false)
	if err != nil {
		return nil, nil, err
	}
	rg, err := db.regime(ctx, q, r.RegimeID)
	if err != nil {
		return nil, nil, err
	}
	sc, err := db.scope(ctx, q, rg, r.UnitID)
	if err != nil {
		return nil, nil, err
	}
	if !sc.canRead(user) {
		return nil, nil, errForbidden()
	}
	return r, sc, nil
}

// FindReports returns the reports the user may read, newest period first,
// then by regime and unit name.
func (s *reportService) FindReports(ctx context.Context, f dxtrack.ReportFilter) ([]*dxtrack.Report, error) {
	user, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	out, err := s.findReports(ctx, user, f)
	if err != nil {
		return nil, fmt.Errorf("store: find reports: %w", err)
	}
	return out, nil
}

func (s *reportService) findReports(ctx context.Context, user *dxtrack.User, f dxtrack.ReportFilter) ([]*dxtrack.Report, error) {
	db := s.db
	tx, err := db.r.BeginTx(ctx, db.snapshot())
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	w := &where{}
	if f.RegimeID != 0 {
		w.add("r.regime_id = " + w.arg(f.RegimeID))
	}
	if f.Period != nil {
		w.add("r.period_key = " + w.arg(f.Period.Key()))
		w.add("r.freq = " + w.arg(string(f.Period.Freq)))
	}
	if f.UnitID != 0 {
		w.add("r.unit_id = " + w.arg(f.UnitID))
	}
	if f.Status != "" {
		w.add("r.status = " + w.arg(string(f.Status)))
	}
	all, err := db.queryReports(ctx, tx, false, reportSelect+w.String()+
		" ORDER BY r.year DESC, r.n DESC, r.regime_id, u.sort_name, u.code", w.args...)
	if err != nil {
		return nil, err
	}
	regimes := map[int64]*dxtrack.Regime{}
	var unitIDs []int64
	for _, r := range all {
		if regimes[r.RegimeID] == nil {
			rg, err := db.regime(ctx, tx, r.RegimeID)
			if err != nil {
				return nil, err
			}
			regimes[r.RegimeID] = rg
			unitIDs = append(unitIDs, rg.Levels()...)
		}
		unitIDs = append(unitIDs, r.UnitID)
	}
	paths, err := unitPaths(ctx, tx, unitIDs)
	if err != nil {
		return nil, err
	}
	out := []*dxtrack.Report{}
	for _, r := range all {
		sc, err := newScope(regimes[r.RegimeID], r.UnitID, paths)
		if err != nil {
			return nil, err
		}
		if sc.canRead(user) {
			out = append(out, r)
		}
	}
	return out, db.attachReportContent(ctx, tx, out)
}

// formItems returns the indicators of a regime's form in item order.
func (db *DB) formItems(ctx context.Context, q queryer, rg *dxtrack.Regime) ([]*dxtrack.Indicator, map[int64]*dxtrack.Indicator, error) {
	ids := make([]int64, len(rg.Items))
	for i, it := range rg.Items {
		ids[i] = it.IndicatorID
	}
	byID, err := db.indicatorsByID(ctx, q, ids)
	if err != nil {
		return nil, nil, err
	}
	list := make([]*dxtrack.Indicator, 0, len(ids))
	for _, id := range ids {
		if in := byID[id]; in != nil {
			list = append(list, in)
		}
	}
	return list, byID, nil
}

// history returns what the unit reported in the submitted or approved
// reports of up to historyPeriods periods before r's, oldest first.
func (db *DB) history(ctx context.Context, q queryer, r *dxtrack.Report) (dxtrack.History, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id FROM reports r WHERE r.regime_id = $1 AND r.unit_id = $2
		AND r.freq = $3 AND r.status IN ('submitted', 'approved') AND (r.year < $4 OR (r.year = $4 AND r.n < $5))
		ORDER BY r.year DESC, r.n DESC LIMIT `+strconv.Itoa(historyPeriods),
		r.RegimeID, r.UnitID, string(r.Period.Freq), r.Period.Year, r.Period.N)
	if err != nil {
		return nil, err
	}
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	hist := dxtrack.History{}
	if len(ids) == 0 {
		return hist, nil
	}
	w := &where{}
	rows, err = q.QueryContext(ctx, `SELECT v.indicator_id, v.value FROM report_values v JOIN reports r ON r.id = v.report_id
		WHERE v.value IS NOT NULL AND v.report_id IN `+w.in(ids)+` ORDER BY r.year, r.n`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v float64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, err
		}
		hist[id] = append(hist[id], v)
	}
	return hist, rows.Err()
}

// allowedEntries are the tasks and targets a report may carry: those it
// already has and, when the regime includes them, those the unit leads.
func (db *DB) allowedEntries(ctx context.Context, q queryer, rg *dxtrack.Regime, old *dxtrack.Report) (tasks, targets map[int64]bool, err error) {
	tasks, targets = map[int64]bool{}, map[int64]bool{}
	for _, e := range old.Tasks {
		tasks[e.TaskID] = true
	}
	for _, e := range old.Targets {
		targets[e.TargetID] = true
	}
	for _, l := range []struct {
		on    bool
		query string
		set   map[int64]bool
	}{
		{rg.IncludeTasks, "SELECT id FROM tasks WHERE lead_unit_id = $1", tasks},
		{rg.IncludeTargets, "SELECT id FROM targets WHERE lead_unit_id = $1", targets},
	} {
		if !l.on {
			continue
		}
		rows, err := q.QueryContext(ctx, l.query, old.UnitID)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, nil, err
			}
			l.set[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	return tasks, targets, nil
}

func sameFloat(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// merge builds the report a save would store from the stored one and the
// submitted content, refusing values of the wrong type or range and
// entries the report cannot carry.
func (db *DB) merge(ctx context.Context, q queryer, rg *dxtrack.Regime, indicators map[int64]*dxtrack.Indicator,
	old, in *dxtrack.Report) (*dxtrack.Report, error) {
	var p dxtrack.Problems
	next := *old
	inValues := map[int64]dxtrack.ReportValue{}
	for _, v := range in.Values {
		if indicators[v.IndicatorID] == nil || !slices.ContainsFunc(rg.Items, func(it dxtrack.FormItem) bool { return it.IndicatorID == v.IndicatorID }) {
			p.Add("values", "error.unknown_indicator", map[string]any{"Code": fmtID(v.IndicatorID)})
			continue
		}
		inValues[v.IndicatorID] = v
	}
	oldValues := map[int64]dxtrack.ReportValue{}
	for _, v := range old.Values {
		oldValues[v.IndicatorID] = v
	}
	next.Values = []dxtrack.ReportValue{}
	for _, it := range rg.Items {
		ind := indicators[it.IndicatorID]
		if ind == nil {
			continue
		}
		v, ov := inValues[it.IndicatorID], oldValues[it.IndicatorID]
		v.IndicatorID = it.IndicatorID
		if v.Value != nil {
			x := *v.Value
			v.Value = &x
			if msg, args := ind.CheckValue(x); msg != "" {
				p.Add("value."+ind.Code, msg, args)
			}
		}
		// A prefilled value stays marked until the unit changes it.
		v.Prefilled = ov.Prefilled && sameFloat(ov.Value, v.Value) && ov.Note == v.Note
		next.Values = append(next.Values, v)
	}
	allowTasks, allowTargets, err := db.allowedEntries(ctx, q, rg, old)
	if err != nil {
		return nil, err
	}
	oldTasks := map[int64]dxtrack.TaskEntry{}
	for _, e := range old.Tasks {
		oldTasks[e.TaskID] = e
	}
	next.Tasks = []dxtrack.TaskEntry{}
	seen := map[int64]bool{}
	for _, e := range in.Tasks {
		field := "task." + strconv.FormatInt(e.TaskID, 10)
		if !allowTasks[e.TaskID] {
			p.Add(field, "error.not_in_report", nil)
			continue
		}
		if seen[e.TaskID] {
			continue
		}
		seen[e.TaskID] = true
		if e.Progress != nil {
			x := *e.Progress
			e.Progress = &x
			if x < 0 || x > 100 {
				p.Add(field+".progress", "error.percent_range", nil)
			}
		}
		// A form that does not carry the attached file keeps it.
		if e.EvidenceFileID == 0 {
			e.EvidenceFileID = oldTasks[e.TaskID].EvidenceFileID
		} else if e.EvidenceFileID != oldTasks[e.TaskID].EvidenceFileID {
			ok, err := exists(ctx, q, "SELECT 1 FROM evidence WHERE id = $1 AND report_id = $2 AND task_id = $3",
				e.EvidenceFileID, old.ID, e.TaskID)
			if err != nil {
				return nil, err
			}
			if !ok {
				p.Add(field+".evidence", "error.not_found", nil)
			}
		}
		next.Tasks = append(next.Tasks, e)
	}
	next.Targets = []dxtrack.TargetEntry{}
	clear(seen)
	for _, e := range in.Targets {
		field := "target." + strconv.FormatInt(e.TargetID, 10)
		if !allowTargets[e.TargetID] {
			p.Add(field, "error.not_in_report", nil)
			continue
		}
		if seen[e.TargetID] {
			continue
		}
		seen[e.TargetID] = true
		if e.Current != nil {
			x := *e.Current
			e.Current = &x
			if !finite(x) {
				p.Add(field+".current", "error.number", nil)
			}
		}
		if e.Done != nil {
			d := *e.Done
			e.Done = &d
		}
		next.Targets = append(next.Targets, e)
	}
	next.Sections = map[string]string{}
	for code, text := range in.Sections {
		if !slices.ContainsFunc(rg.Sections, func(s dxtrack.Section) bool { return s.Code == code }) {
			p.Add("section."+code, "error.unknown_value", map[string]any{"Value": code})
			continue
		}
		if text != "" {
			next.Sections[code] = text
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &next, nil
}

func fmtInt(i *int) string {
	if i == nil {
		return ""
	}
	return strconv.Itoa(*i)
}

func fmtBool(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

// contentChanges lists the changed values, entries and sections of a
// report, named as the issues name them.
func contentChanges(rg *dxtrack.Regime, indicators map[int64]*dxtrack.Indicator, old, next *dxtrack.Report) changes {
	var cs changes
	oldValues := map[int64]dxtrack.ReportValue{}
	for _, v := range old.Values {
		oldValues[v.IndicatorID] = v
	}
	for _, v := range next.Values {
		ov := oldValues[v.IndicatorID]
		field := "value." + indicators[v.IndicatorID].Code
		cs.diff(field, fmtFloat(ov.Value), fmtFloat(v.Value))
		cs.diff(field+".note", ov.Note, v.Note)
	}
	oldTasks := map[int64]dxtrack.TaskEntry{}
	for _, e := range old.Tasks {
		oldTasks[e.TaskID] = e
	}
	for _, e := range next.Tasks {
		oe := oldTasks[e.TaskID]
		field := "task." + strconv.FormatInt(e.TaskID, 10)
		cs.diff(field+".progress", fmtInt(oe.Progress), fmtInt(e.Progress))
		cs.diff(field+".narrative", oe.Narrative, e.Narrative)
		cs.diff(field+".evidence_number", oe.EvidenceNumber, e.EvidenceNumber)
		cs.diff(field+".evidence_url", oe.EvidenceURL, e.EvidenceURL)
		cs.diff(field+".evidence", fmtID(oe.EvidenceFileID), fmtID(e.EvidenceFileID))
		delete(oldTasks, e.TaskID)
	}
	for _, oe := range old.Tasks {
		if _, gone := oldTasks[oe.TaskID]; gone {
			cs = append(cs, change{"task." + strconv.FormatInt(oe.TaskID, 10), fmtInt(oe.Progress), ""})
		}
	}
	oldTargets := map[int64]dxtrack.TargetEntry{}
	for _, e := range old.Targets {
		oldTargets[e.TargetID] = e
	}
	for _, e := range next.Targets {
		oe := oldTargets[e.TargetID]
		field := "target." + strconv.FormatInt(e.TargetID, 10)
		cs.diff(field+".current", fmtFloat(oe.Current), fmtFloat(e.Current))
		cs.diff(field+".done", fmtBool(oe.Done), fmtBool(e.Done))
		cs.diff(field+".note", oe.Note, e.Note)
		delete(oldTargets, e.TargetID)
	}
	for _, oe := range old.Targets {
		if _, gone := oldTargets[oe.TargetID]; gone {
			cs = append(cs, change{"target." + strconv.FormatInt(oe.TargetID, 10), fmtFloat(oe.Current), ""})
		}
	}
	for _, sec := range rg.Sections {
		cs.diff("section."+sec.Code, old.Sections[sec.Code], next.Sections[sec.Code])
	}
	return cs
}

func errStale() error { return dxtrack.Errorf(dxtrack.ECONFLICT, "error.stale_report", nil) }

func errNotEditable() error {
	return dxtrack.Errorf(dxtrack.ECONFLICT, "error.report_not_editable", nil)
}

func (s *reportService) SaveReport(ctx context.Context, in *dxtrack.Report) (*dxtrack.Report, []dxtrack.Issue, error) {
	user, err := reader(ctx)
	if err != nil {
		return nil, nil, err
	}
	var out *dxtrack.Report
	var issues []dxtrack.Issue
	// A correction of a figure from another system goes into the value
	// store at once: the change feed tells the analytics after the commit.
	err = s.db.writeFeed(ctx, func(tx *sql.Tx, pub *published) error {
		old, err := s.db.report(ctx, tx, in.ID, true)
		if err != nil {
			return err
		}
		rg, err := s.db.regime(ctx, tx, old.RegimeID)
		if err != nil {
			return err
		}
		sc, err := s.db.scope(ctx, tx, rg, old.UnitID)
		if err != nil {
			return err
		}
		switch {
		case !sc.canEdit(user):
			return errForbidden()
		case !old.Editable():
			return errNotEditable()
		case in.Version != old.Version:
			return errStale()
		}
		_, indicators, err := s.db.formItems(ctx, tx, rg)
		if err != nil {
			return err
		}
		next, err := s.db.merge(ctx, tx, rg, indicators, old, in)
		if err != nil {
			return err
		}
		auto, err := s.db.automaticValues(ctx, tx, old.UnitID, old.Period)
		if err != nil {
			return err
		}
		corrections, err := keepAutomatic(next, indicators, auto)
		if err != nil {
			return err
		}
		if err := s.db.writeCorrections(ctx, tx, user, corrections, pub); err != nil {
			return err
		}
		hist, err := s.db.history(ctx, tx, next)
		if err != nil {
			return err
		}
		issues = dxtrack.CheckReport(rg, indicators, next, hist, false)
		cs := contentChanges(rg, indicators, old, next)
		if len(cs) == 0 {
			out = old
			return nil
		}
		next.Version = old.Version + 1
		next.UpdatedAt, next.UpdatedBy = s.db.Now(), user.ID
		if err := s.db.saveReportRow(ctx, tx, next); err != nil {
			return err
		}
		if err := saveReportContent(ctx, tx, next); err != nil {
			return err
		}
		// A corrected figure's row carries the correction's reason.
		reasons := map[string]string{}
		for _, c := range corrections {
			reasons[c.field] = c.reason
		}
		var plain changes
		for _, c := range cs {
			if reason, ok := reasons[c.field]; ok {
				if err := s.db.writeAudit(ctx, tx, user, "report", next.ID, changes{c}, reason); err != nil {
					return err
				}
				continue
			}
			plain = append(plain, c)
		}
		if err := s.db.writeAudit(ctx, tx, user, "report", next.ID, plain, ""); err != nil {
			return err
		}
		out, err = s.db.report(ctx, tx, next.ID, false)
		return err
	})
	if err != nil {
		return nil, nil, wrap("save report", err)
	}
	if issues == nil {
		issues = []dxtrack.Issue{}
	}
	return out, issues, nil
}

func (s *reportService) Act(ctx context.Context, id int64, action dxtrack.ReportAction, comment string) (*dxtrack.Report, error) {
	user, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	var out *dxtrack.Report
	// An approval writes the report's values into the value store: the
	// change feed tells the analytics after the commit.
	err = s.db.writeFeed(ctx, func(tx *sql.Tx, pub *published) error {
		r, err := s.db.report(ctx, tx, id, true)
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
		if !sc.canRead(user) {
			return errForbidden()
		}
		level := -1
		switch action {
		case dxtrack.ActionSubmit:
			if !sc.canEdit(user) {
				return errForbidden()
			}
			if r.Editable() {
				if err := s.db.checkSubmission(ctx, tx, rg, r); err != nil {
					return err
				}
			}
		case dxtrack.ActionApprove, dxtrack.ActionReturn:
			if level = sc.level(user); level < 0 {
				return errForbidden()
			}
		case dxtrack.ActionUnlock:
			if !sc.canUnlock(user) {
				return errForbidden()
			}
		}
		old := *r
		now := s.db.Now()
		if err := r.Apply(rg, action, level, comment, now); err != nil {
			return err
		}
		r.Version++
		r.UpdatedAt, r.UpdatedBy = now, user.ID
		if err := s.db.saveReportRow(ctx, tx, r); err != nil {
			return err
		}
		// Every step is a row, even an approval that leaves the status
		// "submitted" for the next level.
		cs := changes{{"status", string(old.Status), string(r.Status)}}
		cs.diff("level", strconv.Itoa(old.Level), strconv.Itoa(r.Level))
		if err := s.db.writeAudit(ctx, tx, user, "report", r.ID, cs, strings.TrimSpace(comment)); err != nil {
			return err
		}
		if r.Status == dxtrack.ReportApproved {
			if err := s.db.applyReport(ctx, tx, user, rg, r); err != nil {
				return err
			}
			if err := s.db.reportValues(ctx, tx, user, rg, r, pub); err != nil {
				return err
			}
		}
		out, err = s.db.report(ctx, tx, r.ID, false)
		return err
	})
	if err != nil {
		return nil, wrap("report "+string(action), err)
	}
	return out, nil
}

// checkSubmission refuses a submission with blocking issues, naming them
// as field errors.
func (db *DB) checkSubmission(ctx context.Context, tx *sql.Tx, rg *dxtrack.Regime, r *dxtrack.Report) error {
	_, indicators, err := db.formItems(ctx, tx, rg)
	if err != nil {
		return err
	}
	hist, err := db.history(ctx, tx, r)
	if err != nil {
		return err
	}
	var p dxtrack.Problems
	for _, is := range dxtrack.CheckReport(rg, indicators, r, hist, true) {
		if is.Blocking {
			p.Add(is.Field, is.MsgID, is.Args)
		}
	}
	return p.Err()
}

// applyReport carries an approved report's task progress and target
// figures to the tasks and targets it covers, with their audit rows, so
// that the province's figures follow the moment it is approved. Items the
// unit no longer leads are left alone.
func (db *DB) applyReport(ctx context.Context, tx *sql.Tx, user *dxtrack.User, rg *dxtrack.Regime, r *dxtrack.Report) error {
	reason := rg.Code + " " + r.Period.Key()
	for _, e := range r.Tasks {
		if e.Progress == nil {
			continue
		}
		old, err := db.task(ctx, tx, e.TaskID, true)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		if old.LeadUnitID != r.UnitID {
			continue
		}
		t := *old
		t.Progress = *e.Progress
		cs := taskChanges(old, &t)
		if len(cs) == 0 {
			continue
		}
		if err := db.saveTask(ctx, tx, old, &t); err != nil {
			return err
		}
		if err := db.writeAudit(ctx, tx, user, "task", t.ID, cs, reason); err != nil {
			return err
		}
	}
	for _, e := range r.Targets {
		if e.Current == nil && e.Done == nil {
			continue
		}
		old, err := db.target(ctx, tx, e.TargetID, true)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		if old.LeadUnitID != r.UnitID {
			continue
		}
		t := *old
		if e.Current != nil {
			v := *e.Current
			t.Current = &v
		}
		if e.Done != nil {
			t.Done = *e.Done
		}
		cs := targetChanges(old, &t)
		if len(cs) == 0 {
			continue
		}
		if err := db.saveTarget(ctx, tx, &t); err != nil {
			return err
		}
		if err := db.writeAudit(ctx, tx, user, "target", t.ID, cs, reason); err != nil {
			return err
		}
	}
	return nil
}

// periodRegime loads a regime and checks that p is one of its periods.
func (db *DB) periodRegime(ctx context.Context, q queryer, regimeID int64, p dxtrack.Period) (*dxtrack.Regime, error) {
	rg, err := db.regime(ctx, q, regimeID)
	if err != nil {
		return nil, err
	}
	if !p.Valid() || p.Freq != rg.Freq {
		return nil, errPeriod(p)
	}
	return rg, nil
}

// Completeness is for any signed-in user: it shows who reported, not
// what.
func (s *reportService) Completeness(ctx context.Context, regimeID int64, p dxtrack.Period) (*dxtrack.Completeness, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	c, err := s.completeness(ctx, regimeID, p)
	return c, wrap("completeness", err)
}

func (s *reportService) completeness(ctx context.Context, regimeID int64, p dxtrack.Period) (*dxtrack.Completeness, error) {
	var officers map[int64][]string
	var cal *dxtrack.Calendar
	d, err := s.db.readPeriod(ctx, regimeID, p, false, func(tx *sql.Tx, d *periodData) (err error) {
		if officers, err = s.db.officers(ctx, tx, d.units); err != nil {
			return err
		}
		cal, err = s.db.calendar(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	deadline := dxtrack.Deadline(cal, p, d.rg.DeadlineDays)
	return dxtrack.BuildCompleteness(d.rg, p, deadline, d.units, d.reports, officers, s.db.Now()), nil
}

// periodData is what a period's tables across units are built from.
type periodData struct {
	rg      *dxtrack.Regime
	units   []*dxtrack.Unit
	reports []*dxtrack.Report
}

// readPeriod reads a regime, its reporting units and the period's reports
// (with their values when asked) in one snapshot, and lets more read what
// else the caller needs from the same snapshot.
func (db *DB) readPeriod(ctx context.Context, regimeID int64, p dxtrack.Period, values bool, more func(*sql.Tx, *periodData) error) (*periodData, error) {
	tx, err := db.r.BeginTx(ctx, db.snapshot())
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	d := &periodData{}
	if d.rg, err = db.periodRegime(ctx, tx, regimeID, p); err != nil {
		return nil, err
	}
	if d.units, err = db.reportingUnits(ctx, tx, d.rg); err != nil {
		return nil, err
	}
	d.reports, err = db.queryReports(ctx, tx, values, reportSelect+" WHERE r.regime_id = $1 AND r.period_key = $2", d.rg.ID, p.Key())
	if err != nil {
		return nil, err
	}
	return d, more(tx, d)
}

// officers lists who answers for each unit's report: its head, then its
// enabled reporters by name, with their e-mail addresses.
func (db *DB) officers(ctx context.Context, q queryer, units []*dxtrack.Unit) (map[int64][]string, error) {
	out := map[int64][]string{}
	ids := make([]int64, len(units))
	for i, u := range units {
		ids[i] = u.ID
		if u.Head != "" {
			out[u.ID] = append(out[u.ID], u.Head)
		}
	}
	reporters, err := db.reporters(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	for _, u := range reporters {
		name := u.Name
		if u.Email != "" {
			name += " <" + u.Email + ">"
		}
		out[u.UnitID] = append(out[u.UnitID], name)
	}
	return out, nil
}

// reporters returns the enabled reporters of exactly these units.
func (db *DB) reporters(ctx context.Context, q queryer, unitIDs []int64) ([]*dxtrack.User, error) {
	var out []*dxtrack.User
	for chunk := range slices.Chunk(uniqueIDs(unitIDs), 500) {
		w := &where{}
		w.add("usr.unit_id IN " + w.in(idArgs(chunk)))
		w.add("usr.role = " + w.arg(string(dxtrack.RoleReporter)))
		w.add("usr.disabled = " + w.arg(false))
		users, err := db.queryUsers(ctx, q, userSelect+w.String()+" ORDER BY usr.name, usr.username", w.args...)
		if err != nil {
			return nil, err
		}
		out = append(out, users...)
	}
	return out, nil
}

// Consolidated is for any signed-in user, like the other figures of the
// province; drafts contribute nothing (BuildConsolidated).
func (s *reportService) Consolidated(ctx context.Context, regimeID int64, p dxtrack.Period) (*dxtrack.Consolidated, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	c, err := s.consolidated(ctx, regimeID, p)
	return c, wrap("consolidated", err)
}

func (s *reportService) consolidated(ctx context.Context, regimeID int64, p dxtrack.Period) (*dxtrack.Consolidated, error) {
	var indicators []*dxtrack.Indicator
	d, err := s.db.readPeriod(ctx, regimeID, p, true, func(tx *sql.Tx, d *periodData) (err error) {
		indicators, _, err = s.db.formItems(ctx, tx, d.rg)
		return err
	})
	if err != nil {
		return nil, err
	}
	return dxtrack.BuildConsolidated(d.rg, p, indicators, d.units, d.reports), nil
}

func (s *reportService) Form(ctx context.Context, reportID int64) (*dxtrack.ReportForm, error) {
	user, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	f, err := s.form(ctx, user, reportID)
	return f, wrap("report form", err)
}

func (s *reportService) form(ctx context.Context, user *dxtrack.User, reportID int64) (*dxtrack.ReportForm, error) {
	db := s.db
	tx, err := db.r.BeginTx(ctx, db.snapshot())
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, sc, err := db.readableReport(ctx, tx, user, reportID)
	if err != nil {
		return nil, err
	}
	rg := sc.rg
	unit, err := db.unitBy(ctx, tx, "u.id = $2", r.UnitID)
	if err != nil {
		return nil, err
	}
	indicators, _, err := db.formItems(ctx, tx, rg)
	if err != nil {
		return nil, err
	}
	f := &dxtrack.ReportForm{Regime: rg, Unit: &unit.Unit, Period: r.Period, Deadline: r.Deadline,
		Indicators: indicators, Tasks: []*dxtrack.Task{}, Targets: []*dxtrack.Target{}, Report: r,
		Previous: map[int64]*float64{}}
	auto, err := db.automaticValues(ctx, tx, r.UnitID, r.Period)
	if err != nil {
		return nil, err
	}
	f.Automatic = map[int64]*dxtrack.AutoValue{}
	for _, in := range indicators {
		if a := auto[in.ID]; a != nil {
			f.Automatic[in.ID] = a
		}
	}
	if rg.IncludeTasks {
		if f.Tasks, err = db.queryTasks(ctx, tx, taskSelect+" WHERE t.lead_unit_id = $1"+taskOrder, r.UnitID); err != nil {
			return nil, err
		}
	}
	if rg.IncludeTargets {
		if f.Targets, err = db.queryTargets(ctx, tx, targetSelect+" WHERE t.lead_unit_id = $1"+targetOrder, r.UnitID); err != nil {
			return nil, err
		}
	}
	prev, err := db.reportFor(ctx, tx, rg.ID, r.UnitID, r.Period.Prev())
	if err != nil {
		return nil, err
	}
	if prev != nil {
		for _, v := range prev.Values {
			if v.Value != nil {
				x := *v.Value
				f.Previous[v.IndicatorID] = &x
			}
		}
	}
	return f, nil
}
