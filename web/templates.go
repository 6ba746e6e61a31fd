package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

//go:embed templates
var templateFS embed.FS

// views holds the parsed page templates, one set per language so that the
// function map (t, pct, num, date, ...) is bound to its printer.
type views struct {
	pages map[string]map[string]*template.Template // lang → page → template
}

var (
	viewsOnce   sync.Once
	parsedViews *views
	viewsErr    error
)

// loadViews parses the templates once: templates/layout/*.html are shared
// by every page of templates/pages/.
func loadViews() (*views, error) {
	viewsOnce.Do(func() {
		v := &views{pages: map[string]map[string]*template.Template{}}
		pages, err := fs.Glob(templateFS, "templates/pages/*.html")
		if err != nil {
			viewsErr = err
			return
		}
		for _, lang := range locale.Langs {
			base, err := template.New("").Funcs(funcMap(locale.For(lang))).ParseFS(templateFS, "templates/layout/*.html")
			if err != nil {
				viewsErr = err
				return
			}
			v.pages[lang] = map[string]*template.Template{}
			for _, p := range pages {
				t, err := template.Must(base.Clone()).ParseFS(templateFS, p)
				if err != nil {
					viewsErr = fmt.Errorf("%s: %w", p, err)
					return
				}
				v.pages[lang][strings.TrimSuffix(path.Base(p), ".html")] = t
			}
		}
		parsedViews = v
	})
	return parsedViews, viewsErr
}

// namer is anything with a name in each language.
type namer interface{ Name(lang string) string }

// funcMap is the small set of helpers templates may call; every figure
// they format was computed by the domain.
func funcMap(p *locale.Printer) template.FuncMap {
	lang := p.Lang()
	return template.FuncMap{
		// t translates a message; extra arguments are key, value pairs.
		"t": func(id string, kv ...any) string {
			if len(kv) == 0 {
				return p.T(id, nil)
			}
			args := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				args[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return p.T(id, args)
		},
		"pct":        p.Percent,
		"completion": p.Completion,
		"num": func(v any) string {
			switch n := v.(type) {
			case int:
				return p.Number(int64(n))
			case int64:
				return p.Number(n)
			}
			return fmt.Sprint(v)
		},
		// dec formats an optional or plain number with at most two
		// decimals, or as many as given; nil gives "—".
		"dec": func(v any, maxDecimals ...int) string {
			n := 2
			if len(maxDecimals) > 0 {
				n = maxDecimals[0]
			}
			switch f := v.(type) {
			case *float64:
				if f == nil {
					return "—"
				}
				return p.Decimal(*f, n)
			case float64:
				return p.Decimal(f, n)
			}
			return "—"
		},
		"auditValue": func(field, v string) string { return auditValue(p, field, v) },
		"date":       p.Date,
		"datetime":   p.DateTime,
		"vnd":        p.VND,
		"field":      p.FieldLabel,
		// name gives a unit's, target's, category's ... name in the
		// interface language; nil gives "".
		"name": func(v any) string { return nameOf(v, lang) },
		"title": func(d *dxtrack.Document) string {
			if d == nil {
				return ""
			}
			return d.Title(lang)
		},
		"status": func(s any) string { return p.T("status."+fmt.Sprint(s), nil) },
		// permille is a completion as the value of a <progress max=1000>,
		// the CSP-safe progress bar.
		"permille":  func(c dxtrack.Completion) int { return c.Tenths() },
		"isodate":   dxtrack.FormatDate,
		"lang":      func() string { return lang },
		"dict":      dict,
		"list":      func(v ...any) []any { return v },
		"add":       func(a, b int) int { return a + b },
		"contains":  func(list []string, s string) bool { return containsString(list, s) },
		"hasPrefix": strings.HasPrefix,
		"today":     func() time.Time { return dxtrack.Day(time.Now()) },
	}
}

// auditValue shows a value of the audit trail, stored in a neutral form,
// the way the language writes it: numbers, dates and yes/no.
func auditValue(p *locale.Printer, field, v string) string {
	if strings.HasSuffix(field, "_id") || strings.HasSuffix(field, "_ids") || field == "code" || field == "number" {
		return v // identifiers and codes are not quantities
	}
	switch v {
	case "true":
		return p.T("common.yes", nil)
	case "false":
		return p.T("common.no", nil)
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "eE") {
		return p.Decimal(f, 6)
	}
	if d, err := dxtrack.ParseDate(v); err == nil {
		return p.Date(d)
	}
	return v
}

// nameOf calls Name(lang) on v, or on a pointer to a copy of v when the
// method has a pointer receiver (a GroupProgress ranged over by value);
// nil and nameless values give "".
func nameOf(v any, lang string) string {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() == reflect.Pointer && rv.IsNil() {
		return ""
	}
	if n, ok := v.(namer); ok {
		return n.Name(lang)
	}
	pv := reflect.New(rv.Type())
	pv.Elem().Set(rv)
	if n, ok := pv.Interface().(namer); ok {
		return n.Name(lang)
	}
	return ""
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// dict builds a map from key, value pairs, for passing several values to a
// partial template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// page is what every page template receives: the frame (language, user,
// title, where we are) and the page's own data.
type page struct {
	Lang  string
	User  *dxtrack.User
	Title string
	Nav   string // the active menu entry
	URI   string // the request URI, for the language switch
	Flash string // a one-off message after a redirect
	Data  any
}

// contentSecurityPolicy allows only the server's own scripts, styles,
// fonts and images; charts read their data from JSON islands, so no inline
// script is needed.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
}

// render executes a page template inside the layout and writes it with
// the status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	s.renderTemplate(w, r, status, name, "layout", title, data)
}

// renderFragment executes one named template of a page file without the
// layout, for htmx requests.
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, status int, name, fragment string, data any) {
	s.renderTemplate(w, r, status, name, fragment, "", data)
}

func (s *Server) renderTemplate(w http.ResponseWriter, r *http.Request, status int, name, entry, title string, data any) {
	p := &page{
		Lang:  langFrom(r.Context()),
		User:  dxtrack.UserFromContext(r.Context()),
		Title: title,
		Nav:   navOf(name),
		URI:   r.URL.RequestURI(),
		Data:  data,
	}
	if entry == "layout" && p.User != nil {
		p.Flash = s.Sessions.PopString(r.Context(), flashKey)
	}
	var buf bytes.Buffer
	if err := execute(&buf, p.Lang, name, entry, p); err != nil {
		// No error page here: rendering it could fail the same way.
		s.Logger.Error("render", "page", name, "err", err)
		setSecurityHeaders(w.Header())
		http.Error(w, locale.For(p.Lang).T("error.internal", nil), http.StatusInternalServerError)
		return
	}
	setSecurityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w) // a write error means the client went away
}

func execute(buf *bytes.Buffer, lang, name, entry string, p *page) error {
	v, err := loadViews()
	if err != nil {
		return fmt.Errorf("web: templates: %w", err)
	}
	t := v.pages[lang][name]
	if t == nil {
		return fmt.Errorf("web: no template %q", name)
	}
	return t.ExecuteTemplate(buf, entry, p)
}

// navOf maps a page template to its menu entry: "target_show" → "target".
func navOf(name string) string {
	n, _, _ := strings.Cut(name, "_")
	return n
}

const flashKey = "flash"

// flash keeps a message ID to show on the next page.
func (s *Server) flash(r *http.Request, msgID string) {
	s.Sessions.Put(r.Context(), flashKey, msgID)
}
