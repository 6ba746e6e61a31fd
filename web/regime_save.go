package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// saveRegime creates (POST /regimes) or updates (POST /regimes/{id}) a
// regime. The "add" button (add=items|rules|sections) shows the form
// again with one more empty row of that list, saving nothing.
func (s *Server) saveRegime(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	var existing *dxtrack.Regime
	if r.PathValue("id") != "" {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if existing, err = s.Regimes.FindRegimeByID(ctx, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	f := newForm(r.PostForm)
	if add := r.PostForm.Get("add"); add == "items" || add == "rules" || add == "sections" {
		f.Values.Set(add+"_n", strconv.Itoa(rowCount(f, add, 0)+1))
		s.renderRegimeForm(w, r, http.StatusOK, f, existing)
		return
	}
	ps := newParser(r)
	rg := &dxtrack.Regime{
		Code:           ps.code("code"),
		NameVI:         ps.str("name_vi"),
		NameEN:         ps.str("name_en"),
		Content:        ps.str("content"),
		Freq:           dxtrack.Frequency(ps.str("freq")),
		SkipLevels:     ps.bool("skip_levels"),
		DeadlineDays:   int(ps.integer("deadline_days")),
		RemindDays:     int(ps.integer("remind_days")),
		Outline:        ps.str("outline"),
		IncludeTargets: ps.bool("include_targets"),
		IncludeTasks:   ps.bool("include_tasks"),
		Active:         ps.bool("active"),
		UnitTypes:      []dxtrack.UnitType{},
		Items:          []dxtrack.FormItem{},
		Rules:          []dxtrack.Rule{},
		Sections:       []dxtrack.Section{},
	}
	if pct := ps.decimal("outlier_pct"); pct != nil {
		if *pct < 0 {
			ps.probs.Add("outlier_pct", "error.negative", nil)
		}
		rg.OutlierShare = *pct / 100
	}
	for _, t := range r.PostForm["unit_types"] {
		rg.UnitTypes = append(rg.UnitTypes, dxtrack.UnitType(t))
	}
	rg.ScopeUnitID = ps.unit(ctx, s, "scope_unit")
	rg.UnitIDs = ps.units(ctx, s, "units")
	rg.OwnerUnitID = ps.unit(ctx, s, "owner_unit")
	rg.FinalUnitID = ps.unit(ctx, s, "final_unit")
	ruleRows := readRegimeRows(ps, f, rg)
	if existing != nil {
		rg.ID = existing.ID
	}
	if ps.err != nil {
		s.fail(w, r, ps.err)
		return
	}
	// Rules are checked against the indicators by code.
	_, byCode, err := s.indicatorMaps(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The domain numbers rules among those kept; the form among its rows.
	renameRules := func(err error) error {
		aliases := map[string]string{"freq": "freq", "units": "units", "outlier_share": "outlier_pct", "scope_unit_id": "scope_unit", "final_unit_id": "final_unit"}
		for k, row := range ruleRows {
			aliases["rules."+strconv.Itoa(k+1)] = "rules." + strconv.Itoa(row+1)
		}
		return apiRenameFields(err, aliases)
	}
	if len(ps.probs) > 0 {
		ps.merge(rg.Validate(byCode))
		f.addError(p, renameRules(ps.probs.Err()), nil)
		s.renderRegimeForm(w, r, http.StatusUnprocessableEntity, f, existing)
		return
	}
	if existing == nil {
		err = s.Regimes.CreateRegime(ctx, rg)
	} else {
		err = s.Regimes.UpdateRegime(ctx, rg)
	}
	if err != nil {
		if f.addError(p, renameRules(err), nil) {
			s.renderRegimeForm(w, r, http.StatusUnprocessableEntity, f, existing)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/regimes/"+strconv.FormatInt(rg.ID, 10), http.StatusSeeOther)
}

// readRegimeRows reads the numbered rows of items, rules and sections,
// skipping empty and removed ones; it returns the form row of each rule
// kept, so that the domain's "rules.N" can be shown on the right row.
func readRegimeRows(ps *parser, f *form, rg *dxtrack.Regime) []int {
	for i := range rowCount(f, "items", 0) {
		k := "items." + strconv.Itoa(i)
		if ps.bool(k+".remove") || ps.str(k+".indicator") == "" {
			continue
		}
		rg.Items = append(rg.Items, dxtrack.FormItem{IndicatorID: ps.id(k + ".indicator"), Group: ps.str(k + ".group"), Required: ps.bool(k + ".required")})
	}
	var ruleRows []int
	for i := range rowCount(f, "rules", 0) {
		k := "rules." + strconv.Itoa(i)
		if ps.bool(k+".remove") || ps.str(k+".left") == "" && ps.str(k+".right") == "" {
			continue
		}
		rg.Rules = append(rg.Rules, dxtrack.Rule{
			Left: ruleOperand(ps, k+".left"), Op: dxtrack.RuleOp(ps.str(k + ".op")), Right: ruleOperand(ps, k+".right"),
			Blocking: ps.bool(k + ".blocking"), MessageVI: ps.str(k + ".message_vi"), MessageEN: ps.str(k + ".message_en"),
		})
		ruleRows = append(ruleRows, i)
	}
	for i := range rowCount(f, "sections", 0) {
		k := "sections." + strconv.Itoa(i)
		if ps.bool(k+".remove") || ps.str(k+".code") == "" && ps.str(k+".title_vi") == "" {
			continue
		}
		rg.Sections = append(rg.Sections, dxtrack.Section{Code: ps.str(k + ".code"), TitleVI: ps.str(k + ".title_vi"),
			TitleEN: ps.str(k + ".title_en"), Required: ps.bool(k + ".required")})
	}
	return ruleRows
}

// ruleOperand reads an operand of a rule: an indicator code as typed, or a
// number in the language's writing, stored the neutral way ("0.5").
func ruleOperand(ps *parser, name string) string {
	s := ps.str(name)
	if f, err := ps.p.ParseDecimal(s); err == nil && s != "" && strings.ContainsAny(s[:1], "0123456789-+,.") {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return s
}
