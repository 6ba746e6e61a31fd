package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// reportInput turns the posted report form into the report to save:
// every value, task entry, target entry and section of the form, with the
// version the page was showing. A value that cannot be read is an issue
// on its field, and the report is not saved.
func reportInput(p *locale.Printer, rf *dxtrack.ReportForm, v url.Values) (*dxtrack.Report, []dxtrack.Issue) {
	cur := rf.Report
	r := *cur
	r.Values, r.Tasks, r.Targets = nil, nil, nil
	r.Sections = map[string]string{}
	var bad []dxtrack.Issue
	num := func(name, field string) *float64 {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return nil
		}
		f, err := p.ParseDecimal(s)
		if err != nil {
			bad = append(bad, dxtrack.Issue{Field: field, MsgID: "error.not_a_number", Blocking: true})
			return nil
		}
		return &f
	}
	if n, err := strconv.Atoi(v.Get("version")); err == nil {
		r.Version = n
	}
	for _, in := range rf.Indicators {
		id := strconv.FormatInt(in.ID, 10)
		rv := dxtrack.ReportValue{IndicatorID: in.ID, Value: num("v."+id, "value."+in.Code), Note: strings.TrimSpace(v.Get("vn." + id))}
		// A figure from another system is locked: a new figure comes in
		// the correction's input, with its reason.
		if rf.Automatic[in.ID] != nil {
			if strings.TrimSpace(v.Get("vc."+id)) != "" {
				rv.Value = num("vc."+id, "value."+in.Code)
			}
			rv.Reason = strings.TrimSpace(v.Get("vr." + id))
		}
		// A prefilled value stays marked as such until the unit changes it.
		for _, old := range cur.Values {
			if old.IndicatorID == in.ID && old.Prefilled && apiFloatEqual(old.Value, rv.Value) {
				rv.Prefilled = true
			}
		}
		r.Values = append(r.Values, rv)
	}
	for _, t := range rf.Tasks {
		id := strconv.FormatInt(t.ID, 10)
		te := dxtrack.TaskEntry{TaskID: t.ID, Narrative: strings.TrimSpace(v.Get("tn." + id)),
			EvidenceNumber: strings.TrimSpace(v.Get("te." + id)), EvidenceURL: strings.TrimSpace(v.Get("tu." + id))}
		if f := num("tp."+id, "task."+id+".progress"); f != nil {
			if *f != float64(int(*f)) {
				bad = append(bad, dxtrack.Issue{Field: "task." + id + ".progress", MsgID: "error.not_an_integer", Blocking: true})
			} else {
				n := int(*f)
				te.Progress = &n
			}
		}
		for _, old := range cur.Tasks {
			if old.TaskID == t.ID {
				te.EvidenceFileID = old.EvidenceFileID
			}
		}
		r.Tasks = append(r.Tasks, te)
	}
	for _, t := range rf.Targets {
		id := strconv.FormatInt(t.ID, 10)
		te := dxtrack.TargetEntry{TargetID: t.ID, Current: num("gc."+id, "target."+id+".current"), Note: strings.TrimSpace(v.Get("gn." + id))}
		switch v.Get("gd." + id) {
		case "1":
			te.Done = new(true)
		case "0":
			te.Done = new(false)
		}
		r.Targets = append(r.Targets, te)
	}
	for _, sc := range rf.Regime.Sections {
		if text := strings.TrimSpace(v.Get("s." + sc.Code)); text != "" {
			r.Sections[sc.Code] = text
		}
	}
	return &r, bad
}

// saveReport stores the report form: on every change by autosave (htmx),
// which gets back the time of the save, the new version and the messages
// beside each input; or by the "save draft" button, which comes back to
// the page.
func (s *Server) saveReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	saved, issues, err := s.storeReportForm(r, id)
	htmx := r.Header.Get("HX-Request") == "true"
	switch {
	case err == nil:
		if htmx {
			data, err := s.reportPage(ctx, id, nil, issues)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			data.OOB = true
			data.Saved = p.T("reports.saved_at", map[string]any{"At": clock(saved.UpdatedAt)})
			s.renderFragment(w, r, http.StatusOK, "report_show", "autosaved", data)
			return
		}
		s.flash(r, "reports.flash_saved")
		http.Redirect(w, r, "/reports/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	default:
		s.reportSaveFailed(w, r, id, issues, err, htmx)
	}
}

// storeReportForm reads the posted form and saves it; bad input comes
// back as the issues to show and an EINVALID error.
func (s *Server) storeReportForm(r *http.Request, id int64) (*dxtrack.Report, []dxtrack.Issue, error) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	rf, err := s.Reports.Form(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	rep, bad := reportInput(p, rf, r.PostForm)
	if len(bad) > 0 {
		return nil, bad, dxtrack.Errorf(dxtrack.EINVALID, "reports.not_saved", nil)
	}
	saved, issues, err := s.Reports.SaveReport(ctx, rep)
	if err != nil {
		return nil, issuesOf(err), err
	}
	return saved, issues, nil
}

// issuesOf turns the field errors of a refused save or submission into
// blocking issues to show beside their inputs.
func issuesOf(err error) []dxtrack.Issue {
	var out []dxtrack.Issue
	for _, fe := range dxtrack.ErrorFields(err) {
		out = append(out, dxtrack.Issue{Field: fe.Field, MsgID: fe.MsgID, Args: fe.Args, Blocking: true})
	}
	return out
}

// reportSaveFailed answers a save that was refused: a conflict (the
// report changed in another tab or was submitted), bad values, or the
// service's refusal.
func (s *Server) reportSaveFailed(w http.ResponseWriter, r *http.Request, id int64, issues []dxtrack.Issue, err error, htmx bool) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	code := dxtrack.ErrorCode(err)
	if code != dxtrack.EINVALID && code != dxtrack.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	var data *reportPage
	var derr error
	if code == dxtrack.ECONFLICT {
		// Show what is stored now: the user's input is stale.
		data, derr = s.reportPage(ctx, id, nil, nil)
		if data != nil {
			data.Notice = p.T("reports.conflict", nil)
		}
	} else {
		if issues == nil {
			issues = []dxtrack.Issue{}
		}
		data, derr = s.reportPage(ctx, id, r.PostForm, issues)
		if data != nil {
			data.Notice = p.Error(err)
			if len(dxtrack.ErrorFields(err)) > 0 || len(issues) > 0 {
				data.Notice = p.T("reports.not_saved", nil)
			}
		}
	}
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	if htmx {
		// htmx swaps only successful responses: the notice is content.
		data.OOB = true
		if code == dxtrack.ECONFLICT {
			data.Saved = ""
		}
		s.renderFragment(w, r, http.StatusOK, "report_show", "autosaved", data)
		return
	}
	s.renderReport(w, r, errorStatus(err), data)
}

// clock is the time of day in Vietnam, as "saved at 10:42" says it.
func clock(t time.Time) string {
	return t.In(time.FixedZone("ICT", 7*3600)).Format("15:04")
}
