package web

import (
	"slices"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// valueChange is one change of a value as the value page lists it: the
// audit entries one write left (the figure, and the provenance when it
// changed too), with the value's provenance after it.
type valueChange struct {
	At         time.Time
	By         string
	Old, New   string // in the page's language; "" when there was none
	Provenance dxtrack.Provenance
	Reason     string
	userID     int64
}

// valueChanges groups a value's audit trail (newest first, as the store
// gives it) into changes, newest first. The entries of one write share
// their instant, user and reason and name each field once.
func valueChanges(p *locale.Printer, es []*dxtrack.AuditEntry) []valueChange {
	var out []valueChange
	var prov dxtrack.Provenance
	var cur *valueChange
	var fields map[string]bool
	for _, e := range slices.Backward(es) { // oldest first, to carry the provenance on
		if cur == nil || !cur.At.Equal(e.At) || cur.userID != e.UserID || cur.By != e.UserName || cur.Reason != e.Reason || fields[e.Field] {
			out = append(out, valueChange{At: e.At, By: e.UserName, Reason: e.Reason, Provenance: prov, userID: e.UserID})
			cur, fields = &out[len(out)-1], map[string]bool{}
		}
		fields[e.Field] = true
		switch e.Field {
		case "value":
			cur.Old, cur.New = auditValue(p, e.Field, e.Old), auditValue(p, e.Field, e.New)
		case "provenance":
			prov = dxtrack.Provenance(e.New)
			cur.Provenance = prov
		}
	}
	slices.Reverse(out)
	return out
}
