package dxtrack

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. The HTTP layer maps each to a status.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EFORBIDDEN    = "forbidden"
	EUNAUTHORIZED = "unauthorized"
)

// FieldError names one field of an input and what is wrong with it. MsgID
// is a message-catalogue ID (see locale/); Args fill its template.
type FieldError struct {
	Field string         `json:"field"`
	MsgID string         `json:"msg_id"`
	Args  map[string]any `json:"args,omitempty"`
}

// Error is an application error: a code, a catalogue message for the user
// and, for invalid input, the fields at fault.
type Error struct {
	Code   string
	MsgID  string
	Args   map[string]any
	Fields []FieldError
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dxtrack: %s: %s", e.Code, e.MsgID)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.MsgID)
	}
	return b.String()
}

// Errorf returns an application error with a code and a catalogue message.
func Errorf(code, msgID string, args map[string]any) *Error {
	return &Error{Code: code, MsgID: msgID, Args: args}
}

// ErrorCode returns the code of an application error, or EINTERNAL for any
// other error, or "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorFields returns the field errors of an application error.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors during validation.
type Problems []FieldError

// Add records that field is wrong, with a catalogue message.
func (p *Problems) Add(field, msgID string, args map[string]any) {
	*p = append(*p, FieldError{Field: field, MsgID: msgID, Args: args})
}

// Err returns an EINVALID error holding the problems, or nil if there are none.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, MsgID: "error.invalid", Fields: p}
}

// Invalid returns an EINVALID error for a single field.
func Invalid(field, msgID string, args map[string]any) error {
	var p Problems
	p.Add(field, msgID, args)
	return p.Err()
}
