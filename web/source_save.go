package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// saveSource creates (POST /sources) or updates (POST /sources/{code}) a
// source. A new source's token is shown once, on the page that answers the
// form. The "add" button shows the form again with one more rule row.
func (s *Server) saveSource(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	var existing *dxtrack.DataSource
	if code := r.PathValue("code"); code != "" {
		var err error
		if existing, err = s.Sources.FindSource(ctx, code); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	f := newForm(r.PostForm)
	if r.PostForm.Get("add") == "rules" {
		f.Values.Set("rules_n", strconv.Itoa(rowCount(f, "rules", 0)+1))
		s.renderSourceForm(w, r, http.StatusOK, f, existing)
		return
	}
	ps := newParser(r)
	src := &dxtrack.DataSource{
		Name:     ps.str("name"),
		Policy:   dxtrack.BatchPolicy(ps.str("policy")),
		Disabled: ps.bool("disabled"),
		Mapping: dxtrack.Mapping{
			UnitField: ps.str("unit_field"),
			TimeField: ps.str("time_field"),
			Freq:      dxtrack.Frequency(ps.str("freq")),
			Rules:     []dxtrack.MapRule{},
		},
	}
	if existing != nil {
		src.ID, src.Code, src.TokenHint, src.CreatedAt = existing.ID, existing.Code, existing.TokenHint, existing.CreatedAt
	} else {
		src.Code = ps.code("code")
	}
	if src.Name == "" {
		ps.probs.Add("name", "error.required", nil)
	}
	if ps.str("owner_unit") == "" {
		ps.probs.Add("owner_unit", "error.required", nil)
	}
	src.OwnerUnitID = ps.unit(ctx, s, "owner_unit")
	if !slices.Contains([]dxtrack.BatchPolicy{dxtrack.AllOrNothing, dxtrack.AcceptValid}, src.Policy) {
		ps.probs.Add("policy", "error.unknown_value", map[string]any{"Value": string(src.Policy)})
	}
	if src.Mapping.UnitField == "" {
		ps.probs.Add("unit_field", "error.required", nil)
	}
	if src.Mapping.TimeField == "" {
		ps.probs.Add("time_field", "error.required", nil)
	}
	ruleRows := readSourceRules(ps, f, src)
	if ps.str("mode") == "pull" {
		src.Pull = readPull(ps, existing)
	}
	if ps.err != nil {
		s.fail(w, r, ps.err)
		return
	}
	if len(ps.probs) > 0 {
		addSourceError(f, p, ps.probs.Err(), ruleRows)
		s.renderSourceForm(w, r, http.StatusUnprocessableEntity, f, existing)
		return
	}
	var token string
	var err error
	if existing == nil {
		token, err = s.Sources.CreateSource(ctx, src)
	} else {
		err = s.Sources.UpdateSource(ctx, src)
	}
	if err != nil {
		if addSourceError(f, p, err, ruleRows) {
			s.renderSourceForm(w, r, http.StatusUnprocessableEntity, f, existing)
			return
		}
		s.fail(w, r, err)
		return
	}
	if token != "" && src.Pull == nil { // a pulled source pushes nothing: no token to copy
		saved, err := s.Sources.FindSource(ctx, src.Code)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.renderSource(w, r, http.StatusCreated, saved, token, "")
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/sources/"+url.PathEscape(src.Code), http.StatusSeeOther)
}

// readSourceRules reads the rule rows, skipping empty and removed ones; it
// returns the form row of each rule kept.
func readSourceRules(ps *parser, f *form, src *dxtrack.DataSource) []int {
	var rows []int
	for i := range rowCount(f, "rules", 0) {
		k := "rules." + strconv.Itoa(i)
		ru := dxtrack.MapRule{
			Indicator: ps.str(k + ".indicator"),
			Agg:       dxtrack.MapAgg(ps.str(k + ".agg")),
			Expr:      ps.str(k + ".expr"),
			Where:     ps.str(k + ".where"),
		}
		if ps.bool(k+".remove") || ru.Indicator == "" && ru.Expr == "" && ru.Where == "" {
			continue
		}
		n := len(src.Mapping.Rules) + 1 // the domain numbers rules from 1
		switch {
		case ru.Indicator == "":
			ps.probs.Add("rules."+strconv.Itoa(n), "error.sources_rule_indicator", nil)
		case (ru.Agg == dxtrack.MapSum || ru.Agg == dxtrack.MapAvg) && ru.Expr == "":
			ps.probs.Add("rules."+strconv.Itoa(n), "error.sources_rule_expr", nil)
		case ru.Agg == dxtrack.MapShare && ru.Where == "":
			ps.probs.Add("rules."+strconv.Itoa(n), "error.sources_rule_where", nil)
		case !slices.Contains([]dxtrack.MapAgg{dxtrack.MapCount, dxtrack.MapSum, dxtrack.MapShare, dxtrack.MapAvg}, ru.Agg):
			ps.probs.Add("rules."+strconv.Itoa(n), "error.unknown_value", map[string]any{"Value": string(ru.Agg)})
		}
		src.Mapping.Rules = append(src.Mapping.Rules, ru)
		rows = append(rows, i)
	}
	if len(src.Mapping.Rules) == 0 {
		ps.probs.Add("rules", "error.sources_no_rules", nil)
	}
	return rows
}

// readPull reads the connector settings; an empty client secret keeps the
// one stored.
func readPull(ps *parser, existing *dxtrack.DataSource) *dxtrack.Pull {
	pl := &dxtrack.Pull{
		URL:          ps.str("url"),
		Format:       ps.str("format"),
		RecordsPath:  ps.str("records_path"),
		Paging:       ps.str("paging"),
		PageParam:    ps.str("page_param"),
		SizeParam:    ps.str("size_param"),
		PageSize:     int(ps.integer("page_size")),
		NextPath:     ps.str("next_path"),
		TokenURL:     ps.str("token_url"),
		ClientID:     ps.str("client_id"),
		ClientSecret: ps.values.Get("client_secret"),
		Scopes:       strings.Fields(ps.str("scopes")),
	}
	if pl.ClientSecret == "" && existing != nil && existing.Pull != nil && existing.Pull.TokenURL == pl.TokenURL {
		pl.ClientSecret = existing.Pull.ClientSecret
	}
	if pl.URL == "" {
		ps.probs.Add("url", "error.required", nil)
	} else if !httpURL(pl.URL) {
		ps.probs.Add("url", "error.sources_bad_url", nil)
	}
	if pl.Format != "json" && pl.Format != "csv" {
		ps.probs.Add("format", "error.unknown_value", map[string]any{"Value": pl.Format})
	}
	every := ps.integer("every_min")
	if every < 1 {
		ps.probs.Add("every_min", "error.sources_every", nil)
	}
	pl.Every = time.Duration(every) * time.Minute
	if !slices.Contains([]string{"", "page", "offset", "next"}, pl.Paging) {
		ps.probs.Add("paging", "error.unknown_value", map[string]any{"Value": pl.Paging})
	}
	if pl.PageSize < 0 {
		ps.probs.Add("page_size", "error.negative", nil)
	}
	if pl.Paging == "next" && pl.NextPath == "" {
		ps.probs.Add("next_path", "error.required", nil)
	}
	if pl.TokenURL != "" {
		if !httpURL(pl.TokenURL) {
			ps.probs.Add("token_url", "error.sources_bad_url", nil)
		}
		if pl.ClientID == "" {
			ps.probs.Add("client_id", "error.required", nil)
		}
		if pl.ClientSecret == "" {
			ps.probs.Add("client_secret", "error.required", nil)
		}
	}
	return pl
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// ruleField matches a rule's field: "rules.N" (from 1, the form's own
// checks) or "mapping.rules[N]..." (from 0, the store's).
var ruleField = regexp.MustCompile(`^(?:mapping\.)?rules(?:\.(\d+)|\[(\d+)\])`)

// ruleColumns are the messages naming a rule's inputs.
var ruleColumns = map[string]string{"indicator": "sources.indicator_col", "agg": "sources.agg", "expr": "sources.expr", "where": "sources.where"}

// addSourceError puts the messages of an EINVALID error beside the
// form's inputs: "mapping.unit_field" beside "unit_field", "pull.url"
// beside "url", and a rule's field ("rules.N" from 1 among the rules
// kept, or the store's "mapping.rules[N].indicator" from 0) on the row it
// came from, labelled with the row's number. It reports whether err was
// such an error.
func addSourceError(f *form, p *locale.Printer, err error, ruleRows []int) bool {
	if dxtrack.ErrorCode(err) != dxtrack.EINVALID {
		return false
	}
	fields := dxtrack.ErrorFields(err)
	if len(fields) == 0 {
		return f.addError(p, err, nil)
	}
	for _, fe := range fields {
		if m := ruleField.FindStringSubmatch(fe.Field); m != nil {
			n, _ := strconv.Atoi(m[1])
			if m[2] != "" {
				n, _ = strconv.Atoi(m[2])
				n++
			}
			in := "rules"
			label := p.T("sources.rule_n", map[string]any{"Row": n})
			if n >= 1 && n <= len(ruleRows) {
				in = "rules." + strconv.Itoa(ruleRows[n-1])
				label = p.T("sources.rule_n", map[string]any{"Row": ruleRows[n-1] + 1})
			}
			rest := strings.TrimPrefix(strings.TrimPrefix(fe.Field, m[0]), ".")
			if col, ok := ruleColumns[rest]; ok {
				label += " · " + p.T(col, nil)
			}
			args := map[string]any{}
			for k, v := range fe.Args {
				args[k] = v
			}
			args["Field"] = label
			msg := p.T(fe.MsgID, args)
			f.Errors[in] = append(f.Errors[in], msg)
			f.Summary = append(f.Summary, summaryItem{Input: in, Msg: msg})
			continue
		}
		name := strings.TrimPrefix(strings.TrimPrefix(fe.Field, "mapping."), "pull.")
		switch name {
		case "owner_unit_id":
			name = "owner_unit"
		case "every":
			name = "every_min"
		}
		fe.Field = name
		label, ok := sourceLabels[name]
		if !ok {
			f.addError(p, dxtrack.Problems{fe}.Err(), nil)
			continue
		}
		args := map[string]any{}
		for k, v := range fe.Args {
			args[k] = v
		}
		args["Field"] = p.T(label, nil)
		msg := p.T(fe.MsgID, args)
		f.Errors[name] = append(f.Errors[name], msg)
		f.Summary = append(f.Summary, summaryItem{Input: name, Msg: msg})
	}
	return true
}

// sourceLabels name the form's inputs in messages, where the shared
// field labels would say something else ("name" is a person's there).
var sourceLabels = map[string]string{
	"name": "sources.name", "owner_unit": "sources.owner", "policy": "sources.policy",
	"unit_field": "sources.unit_field", "time_field": "sources.time_field",
	"url": "sources.url", "format": "sources.format", "every_min": "sources.every_min",
	"records_path": "sources.records_path", "paging": "sources.paging", "page_param": "sources.page_param",
	"size_param": "sources.size_param", "page_size": "sources.page_size", "next_path": "sources.next_path",
	"token_url": "sources.token_url", "client_id": "sources.client_id", "client_secret": "sources.client_secret",
}
