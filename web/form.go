package web

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// form is an HTML form as the user filled it, with the messages to show
// beside each input and in a summary at the top.
type form struct {
	Values  url.Values
	Errors  map[string][]string // by input name
	Summary []summaryItem
}

// summaryItem is a message of the summary at the top of a form, linked to
// its input when it has one.
type summaryItem struct {
	Input string
	Msg   string
}

// newForm keeps a copy of the values, so that clearing a password from
// what is shown back leaves the request alone.
func newForm(values url.Values) *form {
	v := url.Values{}
	for k, vs := range values {
		v[k] = append([]string(nil), vs...)
	}
	return &form{Values: v, Errors: map[string][]string{}}
}

// Get returns the entered value of an input.
func (f *form) Get(name string) string { return f.Values.Get(name) }

// All returns every entered value of an input (checkboxes, multi-selects).
func (f *form) All(name string) []string { return f.Values[name] }

// Checked reports whether a checkbox was ticked, or a value among several
// was chosen when a value is given.
func (f *form) Checked(name string, value ...string) bool {
	if len(value) == 0 {
		v := f.Values.Get(name)
		return v != "" && v != "0" && v != "false"
	}
	return containsString(f.Values[name], value[0])
}

// Err returns the messages for an input.
func (f *form) Err(name string) []string { return f.Errors[name] }

// Invalid reports whether an input has a message.
func (f *form) Invalid(name string) bool { return len(f.Errors[name]) > 0 }

// HasErrors reports whether the form has any message.
func (f *form) HasErrors() bool { return len(f.Summary) > 0 }

// fieldInputs maps the field names used by the services to the inputs of
// the forms when they differ.
var fieldInputs = map[string]string{
	"pillar_id":     "pillar",
	"sector_id":     "sector",
	"lead_unit_id":  "lead_unit",
	"co_unit_ids":   "co_units",
	"target_ids":    "targets",
	"document_id":   "document",
	"unit_id":       "unit",
	"owner_unit_id": "owner_unit",
	"budget":        "budget_vnd",
}

// addError puts the messages of an EINVALID error beside the inputs they
// name (a field with no input of that name shows in the summary only) and
// reports whether err was such an error; aliases map further field names
// to inputs for one form.
func (f *form) addError(p *locale.Printer, err error, aliases map[string]string) bool {
	if dxtrack.ErrorCode(err) != dxtrack.EINVALID {
		return false
	}
	fields := dxtrack.ErrorFields(err)
	if len(fields) == 0 {
		f.Summary = append(f.Summary, summaryItem{Msg: p.Error(err)})
		return true
	}
	for _, fe := range fields {
		msg := p.FieldError(fe)
		in := fe.Field
		if a, ok := aliases[in]; ok {
			in = a
		} else if a, ok := fieldInputs[in]; ok {
			in = a
		}
		f.Errors[in] = append(f.Errors[in], msg)
		f.Summary = append(f.Summary, summaryItem{Input: in, Msg: msg})
	}
	return true
}

// parser reads typed values from a form, collecting a problem for each
// value that cannot be read; err keeps a failure that is not the user's.
type parser struct {
	values url.Values
	p      *locale.Printer
	probs  dxtrack.Problems
	err    error
}

func newParser(r *http.Request) *parser {
	return &parser{values: r.PostForm, p: locale.For(langFrom(r.Context()))}
}

// code reads a code, required.
func (ps *parser) code(name string) string {
	s := ps.str(name)
	if s == "" {
		ps.probs.Add(name, "error.required", nil)
	}
	return s
}

// str returns the trimmed value of an input.
func (ps *parser) str(name string) string { return strings.TrimSpace(ps.values.Get(name)) }

// bool reads a checkbox.
func (ps *parser) bool(name string) bool {
	v := ps.values.Get(name)
	return v != "" && v != "0" && v != "false"
}

// decimal reads an optional number in the interface language's way of
// writing it ("12,5" or "12.5"); empty gives nil.
func (ps *parser) decimal(name string) *float64 {
	s := ps.str(name)
	if s == "" {
		return nil
	}
	f, err := ps.p.ParseDecimal(s)
	if err != nil {
		ps.probs.Add(name, "error.not_a_number", nil)
		return nil
	}
	return &f
}

// integer reads a whole number, allowing digit grouping ("148.000.000");
// empty gives 0.
func (ps *parser) integer(name string) int64 {
	s := ps.str(name)
	if s == "" {
		return 0
	}
	f, err := ps.p.ParseDecimal(s)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		ps.probs.Add(name, "error.not_an_integer", nil)
		return 0
	}
	return int64(f)
}

// id reads a numeric identifier chosen in a select; empty gives 0.
func (ps *parser) id(name string) int64 {
	s := ps.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		ps.probs.Add(name, "error.unknown_value", map[string]any{"Value": s})
		return 0
	}
	return n
}

// date reads a date from a date input (2006-01-02) or typed the
// Vietnamese way (05/02/2022); empty gives the zero time.
func (ps *parser) date(name string) time.Time {
	s := ps.str(name)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{dxtrack.DateLayout, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	ps.probs.Add(name, "error.bad_date", nil)
	return time.Time{}
}

// unit resolves a unit code typed in the input; an unknown code is a
// problem of that input.
func (ps *parser) unit(ctx context.Context, s *Server, name string) int64 {
	id, err := s.unitIDByCode(ctx, name, ps.values.Get(name))
	ps.keep(err)
	return id
}

// units resolves a list of unit codes separated by commas, semicolons or
// spaces.
func (ps *parser) units(ctx context.Context, s *Server, name string) []int64 {
	ids := []int64{}
	for _, code := range splitCodes(ps.values.Get(name)) {
		id, err := s.unitIDByCode(ctx, name, code)
		if !ps.keep(err) {
			continue
		}
		if !containsInt64(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// keep records err: an EINVALID error's fields become problems, any other
// error is kept to be failed with. It reports whether err was nil.
func (ps *parser) keep(err error) bool {
	if err == nil {
		return true
	}
	if dxtrack.ErrorCode(err) == dxtrack.EINVALID {
		ps.probs = append(ps.probs, dxtrack.ErrorFields(err)...)
	} else if ps.err == nil {
		ps.err = err
	}
	return false
}

// merge adds the problems of a validation error for fields that have none
// yet, so that a form shows every fault at once.
func (ps *parser) merge(err error) {
	for _, fe := range dxtrack.ErrorFields(err) {
		seen := false
		for _, p := range ps.probs {
			if p.Field == fe.Field || fieldInputs[fe.Field] == p.Field {
				seen = true
				break
			}
		}
		if !seen {
			ps.probs = append(ps.probs, fe)
		}
	}
}

func splitCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
}

func containsInt64(list []int64, v int64) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// pathID reads the {id} of a route; a malformed one is not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil)
	}
	return id, nil
}

// queryID reads a numeric query parameter; anything else gives 0.
func queryID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// safeNext returns a local path to go to after a form, or fallback: only
// paths on this site, never "//host" or "/\host".
func safeNext(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return fallback
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return next
}

// pager is the paging of a list page.
type pager struct {
	Total, From, To int
	Prev, Next      string // URLs, "" at either end
}

const pageSize = 50

// pageOf reads ?page= (from 1).
func pageOf(r *http.Request) dxtrack.Page {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if n < 1 {
		n = 1
	}
	return dxtrack.Page{Offset: (n - 1) * pageSize, Limit: pageSize}
}

// newPager says which rows a list page shows and links the neighbours,
// keeping the other query parameters.
func newPager(r *http.Request, pg dxtrack.Page, shown, total int) pager {
	p := pager{Total: total}
	if shown > 0 {
		p.From, p.To = pg.Offset+1, pg.Offset+shown
	}
	link := func(n int) string {
		q := r.URL.Query()
		if n <= 1 {
			q.Del("page")
		} else {
			q.Set("page", strconv.Itoa(n))
		}
		if enc := q.Encode(); enc != "" {
			return r.URL.Path + "?" + enc
		}
		return r.URL.Path
	}
	cur := pg.Offset/pageSize + 1
	if cur > 1 {
		p.Prev = link(cur - 1)
	}
	if pg.Offset+shown < total {
		p.Next = link(cur + 1)
	}
	return p
}
