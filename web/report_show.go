package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// issueLine is a message shown beside a value of a report.
type issueLine struct {
	Text     string
	Blocking bool
}

// msgBox is the place beside an input where its messages go; autosave
// replaces it by its ID.
type msgBox struct {
	ID        string
	Prefilled bool
	Lines     []issueLine
}

// valueRow is an indicator of the report form.
type valueRow struct {
	Indicator *dxtrack.Indicator
	Heading   string // the group heading, on the first row of a group
	Input     string
	Value     string
	Note      string
	Previous  *float64
	Required  bool
	Msgs      msgBox
	// Auto is the figure another system supplied (or the unit's
	// correction of it): the input is locked, and Correct holds the
	// correction's inputs, open when the user was correcting.
	Auto    *dxtrack.AutoValue
	Correct correctInput
}

// correctInput is the correction of a locked figure: the new figure and
// the reason, as posted.
type correctInput struct {
	ValueName, ReasonName string
	Value, Reason         string
	Open                  bool
}

// taskEntryRow is a task of the unit with the progress reported for it.
type taskEntryRow struct {
	Task           *dxtrack.Task
	Progress       string
	Narrative      string
	EvidenceNumber string
	EvidenceURL    string
	Evidence       *dxtrack.Evidence // the uploaded file, without its data
	Msgs           msgBox
}

// targetEntryRow is a target of the unit with the figure reported for it.
type targetEntryRow struct {
	Target  *dxtrack.Target
	Current string
	Done    string // "", "1" or "0"
	Note    string
	Msgs    msgBox
}

// sectionRow is a free-text section of the report.
type sectionRow struct {
	Section dxtrack.Section
	Input   string
	Text    string
	Msgs    msgBox
}

// reportPage is the data of a report's page.
type reportPage struct {
	F          *dxtrack.ReportForm
	R          *dxtrack.Report
	Lang       string
	PeriodName string
	From, To   time.Time
	Levels     []*dxtrack.Unit
	AwaitLevel *dxtrack.Unit // the level whose approval the report waits for
	Values     []valueRow
	Tasks      []taskEntryRow
	Targets    []targetEntryRow
	Sections   []sectionRow
	Rules      msgBox
	Blocking   []issueLine // blocking issues listed at the top
	Editable   bool
	CanReview  bool // may return the report
	CanApprove bool
	CanUnlock  bool
	AuditRows  []auditRow
	Notice     string // a conflict or a refused step
	Saved      string // "Đã lưu lúc 10:42"
	Act        *form  // the review forms with their errors
	Upload     []string
	OOB        bool // rendering the message boxes for autosave
}

// showReport shows a report's form: values, task progress, targets,
// sections, the review buttons the user may press, and the audit trail.
func (s *Server) showReport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data, err := s.reportPage(r.Context(), id, nil, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderReport(w, r, http.StatusOK, data)
}

func (s *Server) renderReport(w http.ResponseWriter, r *http.Request, status int, data *reportPage) {
	p := locale.For(langFrom(r.Context()))
	s.render(w, r, status, "report_show", reportTitle(p, data.F.Regime, data.F.Period, data.F.Unit), data)
}

// reportPage loads a report's form and lays it out; posted holds the
// inputs as the user sent them, shown instead of the stored values when a
// save failed, and issues the problems to show beside them (nil: those
// the domain finds in the stored report).
func (s *Server) reportPage(ctx context.Context, id int64, posted url.Values, issues []dxtrack.Issue) (*reportPage, error) {
	p := locale.For(langFrom(ctx))
	rf, err := s.Reports.Form(ctx, id)
	if err != nil {
		return nil, err
	}
	rep, rg := rf.Report, rf.Regime
	data := &reportPage{F: rf, R: rep, Lang: p.Lang(), PeriodName: periodName(p, rf.Period), Act: newForm(nil)}
	data.From, data.To = rf.Period.Window()
	if issues == nil {
		issues = dxtrack.CheckReport(rg, indicatorsByID(rf.Indicators), rep, previousHistory(rf.Previous), false)
	}
	placed := placeIssues(p, rf, issues)
	get := func(name, stored string) string {
		if posted != nil {
			return posted.Get(name)
		}
		return stored
	}
	group := ""
	for i, in := range rf.Indicators {
		row := valueRow{Indicator: in, Input: "v." + strconv.FormatInt(in.ID, 10), Previous: rf.Previous[in.ID]}
		if i < len(rg.Items) {
			row.Required = rg.Items[i].Required
			if g := rg.Items[i].Group; g != group {
				row.Heading, group = g, g
			}
		}
		var stored dxtrack.ReportValue
		for _, v := range rep.Values {
			if v.IndicatorID == in.ID {
				stored = v
			}
		}
		row.Value = get(row.Input, formatValue(p, stored.Value))
		row.Note = get("vn."+strconv.FormatInt(in.ID, 10), stored.Note)
		row.Msgs = msgBox{ID: "m-v-" + strconv.FormatInt(in.ID, 10), Prefilled: stored.Prefilled && stored.Value != nil, Lines: placed[valueKey(in.Code)]}
		if a := rf.Automatic[in.ID]; a != nil {
			// The locked input shows the stored figure, whatever was posted.
			x := a.Value.Value
			row.Auto, row.Value, row.Msgs.Prefilled = a, formatValue(p, &x), false
			id := strconv.FormatInt(in.ID, 10)
			row.Correct = correctInput{ValueName: "vc." + id, ReasonName: "vr." + id}
			if posted != nil {
				row.Correct.Value, row.Correct.Reason = posted.Get(row.Correct.ValueName), posted.Get(row.Correct.ReasonName)
			}
			// Open while the user is correcting, or when the save refused
			// the figure.
			row.Correct.Open = row.Correct.Value != "" || row.Correct.Reason != "" ||
				slices.ContainsFunc(row.Msgs.Lines, func(l issueLine) bool { return l.Blocking })
		}
		data.Values = append(data.Values, row)
	}
	for _, t := range rf.Tasks {
		key := strconv.FormatInt(t.ID, 10)
		var te dxtrack.TaskEntry
		for _, e := range rep.Tasks {
			if e.TaskID == t.ID {
				te = e
			}
		}
		progress := ""
		if te.Progress != nil {
			progress = strconv.Itoa(*te.Progress)
		}
		row := taskEntryRow{
			Task:           t,
			Progress:       get("tp."+key, progress),
			Narrative:      get("tn."+key, te.Narrative),
			EvidenceNumber: get("te."+key, te.EvidenceNumber),
			EvidenceURL:    get("tu."+key, te.EvidenceURL),
			Msgs:           msgBox{ID: "m-t-" + key, Lines: placed["task."+key]},
		}
		if te.EvidenceFileID != 0 {
			ev, err := s.Reports.FindEvidence(ctx, te.EvidenceFileID)
			if err == nil {
				row.Evidence = &dxtrack.Evidence{ID: ev.ID, ReportID: ev.ReportID, Name: ev.Name, Size: ev.Size, ContentType: ev.ContentType, CreatedAt: ev.CreatedAt}
			} else if dxtrack.ErrorCode(err) != dxtrack.ENOTFOUND {
				return nil, err
			}
		}
		data.Tasks = append(data.Tasks, row)
	}
	for _, t := range rf.Targets {
		key := strconv.FormatInt(t.ID, 10)
		var te dxtrack.TargetEntry
		for _, e := range rep.Targets {
			if e.TargetID == t.ID {
				te = e
			}
		}
		done := ""
		if te.Done != nil {
			done = "0"
			if *te.Done {
				done = "1"
			}
		}
		data.Targets = append(data.Targets, targetEntryRow{
			Target:  t,
			Current: get("gc."+key, formatValue(p, te.Current)),
			Done:    get("gd."+key, done),
			Note:    get("gn."+key, te.Note),
			Msgs:    msgBox{ID: "m-g-" + key, Lines: placed["target."+key]},
		})
	}
	for i, sc := range rg.Sections {
		data.Sections = append(data.Sections, sectionRow{
			Section: sc, Input: "s." + sc.Code, Text: get("s."+sc.Code, rep.Sections[sc.Code]),
			Msgs: msgBox{ID: "m-s-" + strconv.Itoa(i), Lines: placed["section."+sc.Code]},
		})
	}
	data.Rules = msgBox{ID: "m-rules", Lines: placed["rules"]}
	for _, is := range issues {
		if is.Blocking {
			data.Blocking = append(data.Blocking, issueLine{Text: issueText(p, is, issueField(p, rf, is.Field)), Blocking: true})
		}
	}

	u := dxtrack.UserFromContext(ctx)
	path, err := s.unitPath(ctx, rep.UnitID)
	if err != nil {
		return nil, err
	}
	data.Editable = rep.Editable() && u.CanReport(path)
	levels := rg.Levels()
	units, err := s.unitsByID(ctx, levels...)
	if err != nil {
		return nil, err
	}
	for _, id := range levels {
		data.Levels = append(data.Levels, units[id])
	}
	var levelPaths [][]int64
	for _, lid := range levels {
		lp, err := s.unitPath(ctx, lid)
		if err != nil {
			return nil, err
		}
		levelPaths = append(levelPaths, lp)
	}
	if rep.Status == dxtrack.ReportSubmitted && rep.Level < len(levels) {
		data.AwaitLevel = units[levels[rep.Level]]
		// As the service decides: a reviewer speaks for the highest level
		// in scope, returns at any level and approves at the one awaited.
		if lv := reviewLevel(u, levelPaths); lv >= 0 {
			data.CanReview = true
			data.CanApprove = lv == rep.Level || lv > rep.Level && rg.SkipLevels
		}
	}
	data.CanUnlock = rep.Status == dxtrack.ReportApproved && len(levelPaths) > 0 && u.CanAdmin(levelPaths[len(levelPaths)-1])
	audit, err := s.Audit.FindAudit(ctx, "report", id)
	if err != nil {
		return nil, err
	}
	data.AuditRows = reportAuditRows(p, rf, audit)
	return data, nil
}

// auditRow is an entry of a report's audit trail, its field and values
// in words: "Trạng thái: Đã nộp → Đã duyệt", "DVC-TT: 12 → 14".
type auditRow struct {
	At                    time.Time
	User, Field, Old, New string
	Reason                string
	Step                  bool // a workflow step rather than a changed value
}

func reportAuditRows(p *locale.Printer, rf *dxtrack.ReportForm, entries []*dxtrack.AuditEntry) []auditRow {
	out := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		row := auditRow{At: e.At, User: e.UserName, Field: p.FieldLabel(e.Field), Old: auditValue(p, e.Field, e.Old), New: auditValue(p, e.Field, e.New), Reason: e.Reason}
		switch {
		case e.Field == "status":
			row.Step = true
			row.Field = p.T("field.status", nil)
			row.Old, row.New = reportStatusText(p, dxtrack.ReportStatus(e.Old)), reportStatusText(p, dxtrack.ReportStatus(e.New))
			if e.Old == "" {
				row.Old = "—"
			}
		case e.Field == "level":
			row.Step = true
			row.Field = p.T("reports.audit_level", nil)
		default:
			if name := issueField(p, rf, strings.TrimSuffix(e.Field, ".note")); name != "" {
				row.Field = name
				if strings.HasSuffix(e.Field, ".note") {
					row.Field += " (" + p.T("field.note", nil) + ")"
				}
			}
			if e.Old == "" {
				row.Old = "—"
			}
			if e.New == "" {
				row.New = "—"
			}
		}
		out = append(out, row)
	}
	return out
}

// indicatorsByID maps a form's indicators by ID, as CheckReport takes them.
func indicatorsByID(list []*dxtrack.Indicator) map[int64]*dxtrack.Indicator {
	m := make(map[int64]*dxtrack.Indicator, len(list))
	for _, in := range list {
		m[in.ID] = in
	}
	return m
}

// previousHistory is the history the page checks against when it has
// only the previous period's values; the store checks a save against the
// whole history.
func previousHistory(prev map[int64]*float64) dxtrack.History {
	h := dxtrack.History{}
	for id, v := range prev {
		if v != nil {
			h[id] = []float64{*v}
		}
	}
	return h
}

func valueKey(code string) string { return "value." + code }

// placeIssues sorts a report's issues into the boxes beside the inputs:
// "value.CODE", "task.ID", "target.ID", "section.CODE"; a rule's issue
// goes to the rules box and beside each indicator it names.
func placeIssues(p *locale.Printer, rf *dxtrack.ReportForm, issues []dxtrack.Issue) map[string][]issueLine {
	out := map[string][]issueLine{}
	codes := map[string]bool{}
	for _, in := range rf.Indicators {
		codes[in.Code] = true
	}
	for _, is := range issues {
		f := is.Field
		switch {
		case strings.HasPrefix(f, "rule."):
			out["rules"] = append(out["rules"], issueLine{Text: issueText(p, is, ""), Blocking: is.Blocking})
			for _, k := range []string{"Left", "Right"} {
				if c, _ := is.Args[k].(string); codes[c] {
					out[valueKey(c)] = append(out[valueKey(c)], issueLine{Text: issueText(p, is, ""), Blocking: is.Blocking})
				}
			}
			continue
		case strings.HasPrefix(f, "task."), strings.HasPrefix(f, "target."):
			parts := strings.SplitN(f, ".", 3)
			if len(parts) >= 2 {
				f = parts[0] + "." + parts[1]
			}
		}
		out[f] = append(out[f], issueLine{Text: issueText(p, is, ""), Blocking: is.Blocking})
	}
	return out
}

// issueField names the value an issue is about, for the list at the top.
func issueField(p *locale.Printer, rf *dxtrack.ReportForm, field string) string {
	if code, ok := strings.CutPrefix(field, "value."); ok {
		for _, in := range rf.Indicators {
			if in.Code == code {
				return in.Name(p.Lang())
			}
		}
	}
	if code, ok := strings.CutPrefix(field, "section."); ok {
		for _, sc := range rf.Regime.Sections {
			if sc.Code == code {
				if p.Lang() == "en" && sc.TitleEN != "" {
					return sc.TitleEN
				}
				return sc.TitleVI
			}
		}
	}
	if rest, ok := strings.CutPrefix(field, "task."); ok {
		id, _, _ := strings.Cut(rest, ".")
		for _, t := range rf.Tasks {
			if strconv.FormatInt(t.ID, 10) == id {
				return t.Code
			}
		}
	}
	return ""
}

// reviewLevel is the review level a user speaks for: the highest level
// whose unit is in a reviewer's or admin's scope, or -1.
func reviewLevel(u *dxtrack.User, levelPaths [][]int64) int {
	if u == nil || u.Disabled || u.Role != dxtrack.RoleReviewer && u.Role != dxtrack.RoleAdmin {
		return -1
	}
	for i := len(levelPaths) - 1; i >= 0; i-- {
		if u.InScope(levelPaths[i]) {
			return i
		}
	}
	return -1
}
