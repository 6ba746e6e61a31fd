// Package locale holds dxtrack's message catalogues (Vietnamese and English)
// and formats numbers, percentages, dates and money the way each language
// writes them: "40,7%" and "1.234.567" in Vietnamese, "40.7%" and
// "1,234,567" in English.
package locale

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sync"
	texttemplate "text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/dxtrack/dxtrack"
)

// Langs lists the supported interface languages, the default first.
var Langs = []string{"vi", "en"}

// Each language has its main catalogue (vi.toml) and may have one per
// area (composite.vi.toml, ingest.vi.toml), so areas grow without editing
// one shared file.
//
//go:embed *.toml
var catalogues embed.FS

var (
	bundle   *i18n.Bundle
	printers = map[string]*Printer{}
	loadOnce sync.Once
)

func load() {
	bundle = i18n.NewBundle(language.Vietnamese)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, l := range Langs {
		for _, name := range CatalogueFiles(l) {
			if _, err := bundle.LoadMessageFileFS(catalogues, name); err != nil {
				// The catalogues are embedded: a parse error is a build
				// defect that the package tests catch.
				panic(fmt.Sprintf("locale: %s: %v", name, err))
			}
		}
	}
	for _, l := range Langs {
		p := &Printer{lang: l, loc: i18n.NewLocalizer(bundle, l)}
		tag := language.Vietnamese
		if l == "en" {
			tag = language.English
		}
		p.num = message.NewPrinter(tag)
		p.funcs = texttemplate.FuncMap{
			"num":     func(v any) string { return p.Number(toInt64(v)) },
			"date":    p.dateArg,
			"decimal": func(v any) string { return p.Decimal(toFloat64(v), 2) },
		}
		printers[l] = p
	}
}

// CatalogueFiles names the embedded catalogue files of a language: its
// main one first, then the areas' in name order.
func CatalogueFiles(lang string) []string {
	names := []string{lang + ".toml"}
	areas, _ := fs.Glob(catalogues, "*."+lang+".toml")
	return append(names, areas...)
}

// Printer translates messages and formats figures for one language.
type Printer struct {
	lang  string
	loc   *i18n.Localizer
	num   *message.Printer
	funcs texttemplate.FuncMap
}

// For returns the printer of a language; anything but "en" gives Vietnamese.
func For(lang string) *Printer {
	loadOnce.Do(load)
	if p, ok := printers[lang]; ok {
		return p
	}
	return printers["vi"]
}

// Lang returns the printer's language code, "vi" or "en".
func (p *Printer) Lang() string { return p.lang }

// T returns the message id in the printer's language with args filled in.
// An argument "Count" selects the plural form. A message that names a
// field ({{.Field}}) but is given none says "the value" instead. A missing
// message yields its ID, so that a gap shows on the page; the package
// tests make sure there is none.
func (p *Printer) T(id string, args map[string]any) string {
	data := make(map[string]any, len(args)+1)
	data["Field"] = p.plain("field._")
	for k, v := range args {
		data[k] = v
	}
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data, Funcs: p.funcs}
	if c, ok := args["Count"]; ok {
		cfg.PluralCount = c
	}
	s, err := p.loc.Localize(cfg)
	if err != nil {
		return id
	}
	return s
}

// Has reports whether the catalogue of the printer's language has id.
func (p *Printer) Has(id string) bool {
	_, err := p.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: map[string]any{}, Funcs: p.funcs})
	var nf *i18n.MessageNotFoundErr
	return !errors.As(err, &nf)
}

// plain translates a message without arguments.
func (p *Printer) plain(id string) string {
	s, err := p.loc.Localize(&i18n.LocalizeConfig{MessageID: id})
	if err != nil {
		return id
	}
	return s
}

// rowField matches the fields of bulk inputs, "row 12: code".
var rowField = regexp.MustCompile(`^row (\d+): ?(.*)$`)

// FieldLabel names a form or API field in the language: "deadline" gives
// "Hạn hoàn thành". An unknown field keeps its own name.
func (p *Printer) FieldLabel(field string) string {
	if m := rowField.FindStringSubmatch(field); m != nil {
		label := p.T("field.row", map[string]any{"Row": m[1]})
		if m[2] != "" {
			label += ": " + p.FieldLabel(m[2])
		}
		return label
	}
	id := "field." + field
	if p.Has(id) {
		return p.plain(id)
	}
	return field
}

// FieldError renders a field error as a sentence that names the field in
// the language: "Hạn hoàn thành không được trước ngày ban hành văn bản
// (05/02/2022)".
func (p *Printer) FieldError(fe dxtrack.FieldError) string {
	args := make(map[string]any, len(fe.Args)+1)
	for k, v := range fe.Args {
		args[k] = v
	}
	args["Field"] = p.FieldLabel(fe.Field)
	return upperFirst(p.T(fe.MsgID, args))
}

// Error renders the user-facing message of an error: the catalogue message
// of an application error, the generic internal-error message otherwise.
// Details of a non-application error belong in the log, not here.
func (p *Printer) Error(err error) string {
	var e *dxtrack.Error
	if !errors.As(err, &e) || e.Code == dxtrack.EINTERNAL {
		return p.T("error.internal", nil)
	}
	if e.MsgID == "" {
		return p.T("error."+e.Code, e.Args)
	}
	return p.T(e.MsgID, e.Args)
}

// dateArg formats a date argument of a message, given as a time or as a
// string in dxtrack.DateLayout.
func (p *Printer) dateArg(v any) string {
	switch d := v.(type) {
	case time.Time:
		return p.Date(d)
	case string:
		if t, err := dxtrack.ParseDate(d); err == nil {
			return p.Date(t)
		}
		return d
	}
	return fmt.Sprint(v)
}

// upperFirst capitalises a sentence that begins with a field label.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func toInt64(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case int32:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

func toFloat64(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case float32:
		return float64(n)
	case int:
		return float64(n)
	case int64:
		return float64(n)
	}
	return 0
}
