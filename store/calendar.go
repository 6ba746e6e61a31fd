package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/dxtrack/dxtrack"
)

type calendarService struct{ db *DB }

// NewCalendarService returns the holiday calendar over db.
func NewCalendarService(db *DB) dxtrack.CalendarService { return &calendarService{db} }

// insertDefaultCalendar seeds a new store with the domain's holidays
// (Go migration 00005), so that the list is not repeated in SQL.
func insertDefaultCalendar(ctx context.Context, tx *sql.Tx) error {
	for _, d := range dxtrack.DefaultCalendarDays() {
		if _, err := tx.ExecContext(ctx, "INSERT INTO calendar_days (day, kind, name_vi, name_en) VALUES ($1, $2, $3, $4)",
			dxtrack.FormatDate(d.Date), string(d.Kind), d.NameVI, d.NameEN); err != nil {
			return err
		}
	}
	return nil
}

func deleteCalendar(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "DELETE FROM calendar_days")
	return err
}

// calendar loads the whole calendar: a few dozen days a year.
func (db *DB) calendar(ctx context.Context, q queryer) (*dxtrack.Calendar, error) {
	rows, err := q.QueryContext(ctx, "SELECT day, kind, name_vi, name_en FROM calendar_days ORDER BY day")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var days []dxtrack.CalendarDay
	for rows.Next() {
		var d dxtrack.CalendarDay
		var day, kind string
		if err := rows.Scan(&day, &kind, &d.NameVI, &d.NameEN); err != nil {
			return nil, err
		}
		d.Date, d.Kind = parseDate(day), dxtrack.DayKind(kind)
		days = append(days, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return dxtrack.NewCalendar(days), nil
}

func (s *calendarService) Calendar(ctx context.Context) (*dxtrack.Calendar, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	c, err := s.db.calendar(ctx, s.db.r)
	if err != nil {
		return nil, fmt.Errorf("store: calendar: %w", err)
	}
	return c, nil
}

// calendarID is the audit entity ID of a day: 20260214.
func calendarID(d time.Time) int64 {
	id, _ := strconv.ParseInt(d.Format("20060102"), 10, 64)
	return id
}

// SetCalendarDay is for any admin: the calendar is the country's, not a
// unit's.
func (s *calendarService) SetCalendarDay(ctx context.Context, d dxtrack.CalendarDay) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	d.Date = dxtrack.Day(d.Date)
	day := dxtrack.FormatDate(d.Date)
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		var oldKind, oldName string
		err := tx.QueryRowContext(ctx, "SELECT kind, name_vi FROM calendar_days WHERE day = $1", day).Scan(&oldKind, &oldName)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_days (day, kind, name_vi, name_en) VALUES ($1, $2, $3, $4)
			ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name_vi = excluded.name_vi, name_en = excluded.name_en`,
			day, string(d.Kind), d.NameVI, d.NameEN); err != nil {
			return err
		}
		var cs changes
		cs.diff("kind", oldKind, string(d.Kind))
		cs.diff("name_vi", oldName, d.NameVI)
		return s.db.writeAudit(ctx, tx, user, "calendar", calendarID(d.Date), cs, "")
	})
	return wrap("set calendar day", err)
}

func (s *calendarService) DeleteCalendarDay(ctx context.Context, date time.Time) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	day := dxtrack.FormatDate(dxtrack.Day(date))
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		var kind string
		err := tx.QueryRowContext(ctx, "SELECT kind FROM calendar_days WHERE day = $1", day).Scan(&kind)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound()
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM calendar_days WHERE day = $1", day); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "calendar", calendarID(date), changes{{"deleted", kind, ""}}, "")
	})
	return wrap("delete calendar day", err)
}
