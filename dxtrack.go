// Package dxtrack is the domain of a province's digital-transformation
// tracker: org units and their lineage, programme documents with their
// targets and tasks, users and roles, and the rules that compute completion
// and status. It does no I/O; the store, web and other packages implement
// and serve the interfaces declared here.
package dxtrack

import (
	"context"
	"time"
)

// DateLayout is the wire and storage form of a calendar date.
const DateLayout = "2006-01-02"

// ParseDate reads a calendar date in DateLayout. Dates carry no time of day
// and are kept at midnight UTC so that comparisons are plain.
func ParseDate(s string) (time.Time, error) {
	return time.Parse(DateLayout, s)
}

// MustDate is ParseDate for literals in code and tests.
func MustDate(s string) time.Time {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// Day truncates t to its calendar date (in t's location) at midnight UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// FormatDate is the inverse of ParseDate; the zero time formats as "".
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(DateLayout)
}

type contextKey int

const userContextKey contextKey = iota

// NewContextWithUser returns a context carrying the signed-in user; services
// check permissions against it.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userContextKey, u)
}

// UserFromContext returns the signed-in user, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userContextKey).(*User)
	return u
}

// Page limits a list query.
type Page struct {
	Offset int
	Limit  int // 0 means the service default
}
