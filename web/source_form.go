package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// The source form edits the mapping's rules as numbered rows
// ("rules.2.indicator") with a row count ("rules_n"), like the regime
// form; the pull settings show when "mode" is "pull". The client secret is
// write-only: it is never sent back to the browser, and left empty on an
// edit it stays as it was.

const blankSourceRules = 2

// sourceFormPage is the data of the source form.
type sourceFormPage struct {
	Form       *form
	S          *dxtrack.DataSource // nil when creating
	Freqs      []dxtrack.Frequency
	Aggs       []dxtrack.MapAgg
	Policies   []dxtrack.BatchPolicy
	Pagings    []string
	Indicators []*dxtrack.Indicator
	Rules      []regimeFormRow
	HasSecret  bool
}

// newSource shows an empty source form (GET /sources/new), to admins.
func (s *Server) newSource(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	v := url.Values{}
	v.Set("policy", string(dxtrack.AllOrNothing))
	v.Set("freq", string(dxtrack.Monthly))
	v.Set("mode", "push")
	v.Set("format", "json")
	v.Set("every_min", "60")
	v.Set("rules_n", strconv.Itoa(blankSourceRules))
	s.renderSourceForm(w, r, http.StatusOK, newForm(v), nil)
}

// editSource shows the form filled with a source (GET /sources/{code}/edit).
func (s *Server) editSource(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	src, err := s.Sources.FindSource(ctx, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.unitsByID(ctx, src.OwnerUnitID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := url.Values{}
	v.Set("code", src.Code)
	v.Set("name", src.Name)
	if u := units[src.OwnerUnitID]; u != nil {
		v.Set("owner_unit", u.Code)
	}
	v.Set("policy", string(src.Policy))
	setCheck(v, "disabled", src.Disabled)
	m := src.Mapping
	v.Set("unit_field", m.UnitField)
	v.Set("time_field", m.TimeField)
	v.Set("freq", string(m.Freq))
	for i, ru := range m.Rules {
		k := "rules." + strconv.Itoa(i)
		v.Set(k+".indicator", ru.Indicator)
		v.Set(k+".agg", string(ru.Agg))
		v.Set(k+".expr", ru.Expr)
		v.Set(k+".where", ru.Where)
	}
	v.Set("rules_n", strconv.Itoa(len(m.Rules)+1))
	v.Set("mode", "push")
	v.Set("format", "json")
	v.Set("every_min", "60")
	if pl := src.Pull; pl != nil {
		v.Set("mode", "pull")
		v.Set("url", pl.URL)
		v.Set("format", pl.Format)
		v.Set("every_min", strconv.Itoa(int(pl.Every.Minutes())))
		v.Set("records_path", pl.RecordsPath)
		v.Set("paging", pl.Paging)
		v.Set("page_param", pl.PageParam)
		v.Set("size_param", pl.SizeParam)
		if pl.PageSize > 0 {
			v.Set("page_size", strconv.Itoa(pl.PageSize))
		}
		v.Set("next_path", pl.NextPath)
		v.Set("token_url", pl.TokenURL)
		v.Set("client_id", pl.ClientID)
		v.Set("scopes", strings.Join(pl.Scopes, " "))
	}
	s.renderSourceForm(w, r, http.StatusOK, newForm(v), src)
}

func (s *Server) renderSourceForm(w http.ResponseWriter, r *http.Request, status int, f *form, src *dxtrack.DataSource) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	f.Values.Del("client_secret") // write-only
	d := sourceFormPage{
		Form: f, S: src, Freqs: dxtrack.Frequencies,
		Aggs:      []dxtrack.MapAgg{dxtrack.MapCount, dxtrack.MapSum, dxtrack.MapShare, dxtrack.MapAvg},
		Policies:  []dxtrack.BatchPolicy{dxtrack.AllOrNothing, dxtrack.AcceptValid},
		Pagings:   []string{"", "page", "offset", "next"},
		HasSecret: src != nil && src.Pull != nil && src.Pull.ClientSecret != "",
	}
	var err error
	if d.Indicators, err = s.Indicators.FindIndicators(ctx, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	n := rowCount(f, "rules", blankSourceRules)
	for i := range n {
		k := "rules." + strconv.Itoa(i)
		d.Rules = append(d.Rules, regimeFormRow{Prefix: k, N: i + 1, Errors: f.Errors[k]})
	}
	title := p.T("sources.new", nil)
	if src != nil {
		title = p.T("sources.edit_title", map[string]any{"Name": src.Name})
	}
	s.render(w, r, status, "source_form", title, d)
}
