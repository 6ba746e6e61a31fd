package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// The regime form edits the rows of the data form, the rules and the
// sections as numbered inputs ("items.3.indicator"); each list carries its
// row count ("items_n"), a row is dropped by ticking its "remove" box, and
// an "add row" button posts the form back with one more empty row.

// Blank rows offered below the existing ones.
const (
	blankItems    = 2
	blankRules    = 1
	blankSections = 1
)

// regimeFormRow is one numbered row of a list in the regime form.
type regimeFormRow struct {
	Prefix string // "items.3"
	N      int    // shown number, from 1
	Errors []string
}

// regimeFormPage is the data of the regime form.
type regimeFormPage struct {
	Form       *form
	R          *dxtrack.Regime // nil when creating
	Freqs      []dxtrack.Frequency
	UnitTypes  []dxtrack.UnitType
	Ops        []dxtrack.RuleOp
	Indicators []*dxtrack.Indicator
	Items      []regimeFormRow
	Rules      []regimeFormRow
	Sections   []regimeFormRow
}

// newRegime shows an empty regime form.
func (s *Server) newRegime(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	v := url.Values{}
	v.Set("freq", string(dxtrack.Monthly))
	v.Set("deadline_days", "3")
	v.Set("remind_days", "3")
	v.Set("outlier_pct", "50")
	v.Set("active", "1")
	s.renderRegimeForm(w, r, http.StatusOK, newForm(v), nil)
}

// editRegime shows the form filled with a regime.
func (s *Server) editRegime(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rg, err := s.Regimes.FindRegimeByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.regimeValues(r, p, rg)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderRegimeForm(w, r, http.StatusOK, newForm(v), rg)
}

// regimeValues writes a regime as the form's inputs.
func (s *Server) regimeValues(r *http.Request, p *locale.Printer, rg *dxtrack.Regime) (url.Values, error) {
	units, err := s.unitsByID(r.Context(), append([]int64{rg.ScopeUnitID, rg.OwnerUnitID, rg.FinalUnitID}, rg.UnitIDs...)...)
	if err != nil {
		return nil, err
	}
	code := func(id int64) string {
		if u := units[id]; u != nil {
			return u.Code
		}
		return ""
	}
	v := url.Values{}
	v.Set("code", rg.Code)
	v.Set("name_vi", rg.NameVI)
	v.Set("name_en", rg.NameEN)
	v.Set("content", rg.Content)
	v.Set("freq", string(rg.Freq))
	v.Set("scope_unit", code(rg.ScopeUnitID))
	for _, t := range rg.UnitTypes {
		v.Add("unit_types", string(t))
	}
	var listed []string
	for _, id := range rg.UnitIDs {
		listed = append(listed, code(id))
	}
	v.Set("units", strings.Join(listed, ", "))
	v.Set("owner_unit", code(rg.OwnerUnitID))
	v.Set("final_unit", code(rg.FinalUnitID))
	setCheck(v, "skip_levels", rg.SkipLevels)
	v.Set("deadline_days", strconv.Itoa(rg.DeadlineDays))
	v.Set("remind_days", strconv.Itoa(rg.RemindDays))
	v.Set("outlier_pct", p.Decimal(rg.OutlierShare*100, 2))
	v.Set("outline", rg.Outline)
	setCheck(v, "include_targets", rg.IncludeTargets)
	setCheck(v, "include_tasks", rg.IncludeTasks)
	setCheck(v, "active", rg.Active)
	for i, it := range rg.Items {
		k := "items." + strconv.Itoa(i)
		v.Set(k+".indicator", strconv.FormatInt(it.IndicatorID, 10))
		v.Set(k+".group", it.Group)
		setCheck(v, k+".required", it.Required)
	}
	v.Set("items_n", strconv.Itoa(len(rg.Items)+blankItems))
	for i, ru := range rg.Rules {
		k := "rules." + strconv.Itoa(i)
		v.Set(k+".left", ru.Left)
		v.Set(k+".op", string(ru.Op))
		v.Set(k+".right", ru.Right)
		setCheck(v, k+".blocking", ru.Blocking)
		v.Set(k+".message_vi", ru.MessageVI)
		v.Set(k+".message_en", ru.MessageEN)
	}
	v.Set("rules_n", strconv.Itoa(len(rg.Rules)+blankRules))
	for i, sc := range rg.Sections {
		k := "sections." + strconv.Itoa(i)
		v.Set(k+".code", sc.Code)
		v.Set(k+".title_vi", sc.TitleVI)
		v.Set(k+".title_en", sc.TitleEN)
		setCheck(v, k+".required", sc.Required)
	}
	v.Set("sections_n", strconv.Itoa(len(rg.Sections)+blankSections))
	return v, nil
}

func setCheck(v url.Values, name string, on bool) {
	if on {
		v.Set(name, "1")
	}
}

// rowCount reads a list's row count from the form, with blank rows
// offered on a new form; it is bounded so that a crafted count cannot
// make the page huge.
func rowCount(f *form, name string, blank int) int {
	n, err := strconv.Atoi(f.Get(name + "_n"))
	if err != nil || n < 0 {
		n = blank
	}
	return min(n, 500)
}

func (s *Server) renderRegimeForm(w http.ResponseWriter, r *http.Request, status int, f *form, rg *dxtrack.Regime) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	data := regimeFormPage{
		Form: f, R: rg, Freqs: dxtrack.Frequencies, UnitTypes: dxtrack.UnitTypes,
		Ops: []dxtrack.RuleOp{dxtrack.OpLE, dxtrack.OpLT, dxtrack.OpEQ, dxtrack.OpGE, dxtrack.OpGT},
	}
	var err error
	if data.Indicators, err = s.Indicators.FindIndicators(ctx, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	rows := func(list string, blank int) []regimeFormRow {
		n := rowCount(f, list, blank)
		out := make([]regimeFormRow, n)
		for i := range out {
			out[i] = regimeFormRow{Prefix: list + "." + strconv.Itoa(i), N: i + 1, Errors: f.Errors[list+"."+strconv.Itoa(i+1)]}
		}
		return out
	}
	data.Items, data.Rules, data.Sections = rows("items", blankItems), rows("rules", blankRules), rows("sections", blankSections)
	title := p.T("page.regime_new.title", nil)
	if rg != nil {
		title = p.T("page.regime_edit.title", map[string]any{"Code": rg.Code})
	}
	s.render(w, r, status, "regime_form", title, data)
}
