package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// apiReport is a unit's report for a period, indicators named by code.
type apiReport struct {
	ID          int64                 `json:"id"`
	RegimeID    int64                 `json:"regime_id"`
	Regime      string                `json:"regime" doc:"Regime code"`
	UnitID      int64                 `json:"unit_id"`
	Unit        string                `json:"unit" doc:"Unit code"`
	Period      string                `json:"period"`
	Status      dxtrack.ReportStatus  `json:"status"`
	Level       int                   `json:"level" doc:"Review levels that approved the current submission"`
	Values      []apiReportValue      `json:"values"`
	Tasks       []dxtrack.TaskEntry   `json:"tasks"`
	Targets     []dxtrack.TargetEntry `json:"targets"`
	Sections    map[string]string     `json:"sections"`
	Comment     string                `json:"comment,omitempty"`
	Deadline    string                `json:"deadline" format:"date"`
	SubmittedAt *time.Time            `json:"submitted_at,omitempty"`
	Late        bool                  `json:"late"`
	ApprovedAt  *time.Time            `json:"approved_at,omitempty"`
	Version     int                   `json:"version" doc:"Send it back with a save; a stale version is refused (409)"`
	UpdatedAt   time.Time             `json:"updated_at"`
}

// apiReportValue is an indicator's value in a report.
type apiReportValue struct {
	Indicator   string   `json:"indicator" doc:"Indicator code"`
	IndicatorID int64    `json:"indicator_id,omitempty"`
	Value       *float64 `json:"value"`
	Prefilled   bool     `json:"prefilled,omitempty" doc:"Copied from the previous period and not changed since"`
	Note        string   `json:"note,omitempty"`
}

// apiIssue is a problem found in a report.
type apiIssue struct {
	Field    string `json:"field" doc:"value.CODE, task.ID.progress, section.CODE or rule.N"`
	MsgID    string `json:"msg_id"`
	Message  string `json:"message"`
	Blocking bool   `json:"blocking" doc:"Blocking issues stop submission; the others warn"`
}

// apiReportForm is a report with what its form shows.
type apiReportForm struct {
	Report     apiReport          `json:"report"`
	Indicators []apiIndicator     `json:"indicators" doc:"The form's indicators, in order"`
	Tasks      []apiFormRef       `json:"tasks"`
	Targets    []apiFormRef       `json:"targets"`
	Previous   map[string]float64 `json:"previous" doc:"Last period's values by indicator code"`
	Issues     []apiIssue         `json:"issues"`
}

// apiFormRef names a task or target of a report form.
type apiFormRef struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
}

// apiReportSaved is the answer to a save: the report and the issues found.
type apiReportSaved struct {
	Report apiReport  `json:"report"`
	Issues []apiIssue `json:"issues"`
}

// apiReportInput is the body of a save. Values, tasks and targets given
// replace those entries; those left out keep their value; sections given
// replace those sections.
type apiReportInput struct {
	Version  int                   `json:"version" required:"true"`
	Values   []apiReportValue      `json:"values"`
	Tasks    []dxtrack.TaskEntry   `json:"tasks"`
	Targets  []dxtrack.TargetEntry `json:"targets"`
	Sections map[string]string     `json:"sections"`
}

// apiReportNames resolves the codes a report's answer shows.
type apiReportNames struct {
	regimes    map[int64]*dxtrack.Regime
	indicators map[int64]*dxtrack.Indicator
	codes      *apiUnitCodes
}

func (s *Server) apiReportNames(ctx context.Context) (*apiReportNames, error) {
	rgs, err := s.regimesByID(ctx)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.indicatorMaps(ctx)
	if err != nil {
		return nil, err
	}
	return &apiReportNames{regimes: rgs, indicators: byID, codes: s.newUnitCodes(ctx)}, nil
}

func (n *apiReportNames) report(r *dxtrack.Report) apiReport {
	out := apiReport{
		ID: r.ID, RegimeID: r.RegimeID, UnitID: r.UnitID, Unit: n.codes.code(r.UnitID), Period: r.Period.Key(),
		Status: r.Status, Level: r.Level, Values: []apiReportValue{}, Tasks: r.Tasks, Targets: r.Targets, Sections: r.Sections,
		Comment: r.Comment, Deadline: apiDay(r.Deadline), Late: r.Late, Version: r.Version, UpdatedAt: r.UpdatedAt,
	}
	if rg := n.regimes[r.RegimeID]; rg != nil {
		out.Regime = rg.Code
	}
	for _, v := range r.Values {
		av := apiReportValue{IndicatorID: v.IndicatorID, Value: v.Value, Prefilled: v.Prefilled, Note: v.Note}
		if in := n.indicators[v.IndicatorID]; in != nil {
			av.Indicator = in.Code
		}
		out.Values = append(out.Values, av)
	}
	if out.Tasks == nil {
		out.Tasks = []dxtrack.TaskEntry{}
	}
	if out.Targets == nil {
		out.Targets = []dxtrack.TargetEntry{}
	}
	if out.Sections == nil {
		out.Sections = map[string]string{}
	}
	if !r.SubmittedAt.IsZero() {
		t := r.SubmittedAt
		out.SubmittedAt = &t
	}
	if !r.ApprovedAt.IsZero() {
		t := r.ApprovedAt
		out.ApprovedAt = &t
	}
	return out
}

func apiIssuesOf(lang string, issues []dxtrack.Issue) []apiIssue {
	p := locale.For(lang)
	out := make([]apiIssue, 0, len(issues))
	for _, is := range issues {
		out = append(out, apiIssue{Field: is.Field, MsgID: is.MsgID, Message: issueText(p, is, ""), Blocking: is.Blocking})
	}
	return out
}

func (s *Server) apiReports(api huma.API) {
	apiRegister(s, api, huma.Operation{
		OperationID: "list-reports", Method: http.MethodGet, Path: "/reports",
		Summary: "List reports the user may see",
	}, func(ctx context.Context, in *struct {
		Regime int64  `query:"regime" doc:"Only reports under this regime (ID)"`
		Period string `query:"period" doc:"Only reports of this period (2026-10, 2026-Q3 ...)"`
		Unit   string `query:"unit" doc:"Only reports of this unit (code, or id:N)"`
		Status string `query:"status" enum:"draft,submitted,returned,approved" doc:"Only reports in this state"`
	}) (*apiBody[apiList[apiReport]], error) {
		f := dxtrack.ReportFilter{RegimeID: in.Regime, Status: dxtrack.ReportStatus(in.Status)}
		if in.Period != "" {
			pd, err := dxtrack.ParsePeriod(in.Period)
			if err != nil {
				return nil, dxtrack.Invalid("period", "error.bad_period", map[string]any{"Value": in.Period})
			}
			f.Period = &pd
		}
		unit, err := s.apiUnitQuery(ctx, "unit", in.Unit)
		if err != nil {
			return nil, err
		}
		f.UnitID = unit
		reps, err := s.Reports.FindReports(ctx, f)
		if err != nil {
			return nil, err
		}
		names, err := s.apiReportNames(ctx)
		if err != nil {
			return nil, err
		}
		out := apiList[apiReport]{Items: make([]apiReport, 0, len(reps)), Total: len(reps)}
		for _, r := range reps {
			out.Items = append(out.Items, names.report(r))
		}
		if names.codes.err != nil {
			return nil, names.codes.err
		}
		return apiOK(out)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "open-report", Method: http.MethodPost, Path: "/reports/open",
		Summary: "Open a unit's report for a period, creating a draft prefilled from the previous period if there is none",
	}, func(ctx context.Context, in *struct {
		Body struct {
			Regime string `json:"regime" required:"true" doc:"Regime code, or its ID"`
			Unit   string `json:"unit" required:"true" doc:"Unit code"`
			Period string `json:"period" required:"true" doc:"2026-10, 2026-Q3, 2026-6M, 2026-9M or 2026"`
		}
	}) (*apiBody[apiReportForm], error) {
		rg, err := s.apiRegimeRef(ctx, in.Body.Regime)
		if err != nil {
			return nil, err
		}
		inp := &apiInput{s: s, ctx: ctx}
		unit := inp.unit("unit", in.Body.Unit)
		pd, perr := dxtrack.ParsePeriod(in.Body.Period)
		if perr != nil || pd.Freq != rg.Freq {
			inp.problems.Add("period", "error.bad_period", map[string]any{"Value": in.Body.Period})
		}
		if err := inp.Err(); err != nil {
			return nil, err
		}
		r, err := s.Reports.OpenReport(ctx, rg.ID, unit, pd)
		if err != nil {
			return nil, err
		}
		return s.apiReportFormOK(ctx, r.ID, nil)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "get-report", Method: http.MethodGet, Path: "/reports/{id}",
		Summary: "Read a report with its form",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiReportForm], error) {
		return s.apiReportFormOK(ctx, in.ID, nil)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "save-report", Method: http.MethodPut, Path: "/reports/{id}",
		Summary:     "Save a draft or returned report",
		Description: "Carry the version last read; a stale one is refused with 409. Values out of type or range are refused (422) and nothing is written; other issues come back as warnings.",
	}, func(ctx context.Context, in *apiIDBody[apiReportInput]) (*apiBody[apiReportSaved], error) {
		rf, err := s.Reports.Form(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		r := *rf.Report
		r.Version = in.Body.Version
		byCode := map[string]*dxtrack.Indicator{}
		for _, ind := range rf.Indicators {
			byCode[ind.Code] = ind
		}
		var p dxtrack.Problems
		if in.Body.Values != nil {
			vals := append([]dxtrack.ReportValue(nil), r.Values...)
			for i, v := range in.Body.Values {
				id := v.IndicatorID
				if v.Indicator != "" {
					ind := byCode[v.Indicator]
					if ind == nil {
						p.Add("values."+strconv.Itoa(i+1)+".indicator", "error.unknown_indicator", map[string]any{"Code": v.Indicator})
						continue
					}
					id = ind.ID
				}
				rv := dxtrack.ReportValue{IndicatorID: id, Value: v.Value, Note: strings.TrimSpace(v.Note)}
				replaced := false
				for k := range vals {
					if vals[k].IndicatorID == id {
						vals[k], replaced = rv, true
					}
				}
				if !replaced {
					vals = append(vals, rv)
				}
			}
			r.Values = vals
		}
		if in.Body.Tasks != nil {
			tasks := append([]dxtrack.TaskEntry(nil), r.Tasks...)
			for _, e := range in.Body.Tasks {
				replaced := false
				for k := range tasks {
					if tasks[k].TaskID == e.TaskID {
						tasks[k], replaced = e, true
					}
				}
				if !replaced {
					tasks = append(tasks, e)
				}
			}
			r.Tasks = tasks
		}
		if in.Body.Targets != nil {
			targets := append([]dxtrack.TargetEntry(nil), r.Targets...)
			for _, e := range in.Body.Targets {
				replaced := false
				for k := range targets {
					if targets[k].TargetID == e.TargetID {
						targets[k], replaced = e, true
					}
				}
				if !replaced {
					targets = append(targets, e)
				}
			}
			r.Targets = targets
		}
		if in.Body.Sections != nil {
			secs := map[string]string{}
			for k, v := range r.Sections {
				secs[k] = v
			}
			for k, v := range in.Body.Sections {
				secs[k] = v
			}
			r.Sections = secs
		}
		if err := p.Err(); err != nil {
			return nil, err
		}
		saved, issues, err := s.Reports.SaveReport(ctx, &r)
		if err != nil {
			return nil, err
		}
		names, err := s.apiReportNames(ctx)
		if err != nil {
			return nil, err
		}
		return apiOK(apiReportSaved{Report: names.report(saved), Issues: apiIssuesOf(langFrom(ctx), issues)})
	})

	for _, action := range []dxtrack.ReportAction{dxtrack.ActionSubmit, dxtrack.ActionApprove, dxtrack.ActionReturn, dxtrack.ActionUnlock} {
		summary := map[dxtrack.ReportAction]string{
			dxtrack.ActionSubmit:  "Submit a report (the unit's reporters); blocking issues refuse it (422)",
			dxtrack.ActionApprove: "Approve a submitted report at the reviewer's level",
			dxtrack.ActionReturn:  "Return a submitted report to the unit (comment required)",
			dxtrack.ActionUnlock:  "Unlock an approved report (admins, reason required)",
		}[action]
		apiRegister(s, api, huma.Operation{
			OperationID: string(action) + "-report", Method: http.MethodPost, Path: "/reports/{id}/" + string(action),
			Summary: summary, Tags: []string{"reports"},
		}, func(ctx context.Context, in *apiIDBody[struct {
			Comment string `json:"comment" doc:"A return's comment or an unlock's reason; optional otherwise"`
		}]) (*apiBody[apiReportForm], error) {
			if _, err := s.Reports.Act(ctx, in.ID, action, in.Body.Comment); err != nil {
				return nil, err
			}
			return s.apiReportFormOK(ctx, in.ID, nil)
		})
	}

	apiRegister(s, api, huma.Operation{
		OperationID: "report-audit", Method: http.MethodGet, Path: "/reports/{id}/audit",
		Summary: "A report's steps and changed values, newest first",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiAuditList], error) {
		if _, err := s.Reports.FindReportByID(ctx, in.ID); err != nil {
			return nil, err
		}
		return s.apiAudit(ctx, "report", in.ID)
	})
}

// apiRegimeRef resolves a regime by code or ID.
func (s *Server) apiRegimeRef(ctx context.Context, ref string) (*dxtrack.Regime, error) {
	ref = strings.TrimSpace(ref)
	rgs, err := s.Regimes.FindRegimes(ctx, dxtrack.RegimeFilter{})
	if err != nil {
		return nil, err
	}
	for _, rg := range rgs {
		if rg.Code == ref {
			return rg, nil
		}
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		return s.Regimes.FindRegimeByID(ctx, id)
	}
	return nil, dxtrack.Invalid("regime", "error.unknown_regime", map[string]any{"Code": ref})
}

func (s *Server) apiReportFormOK(ctx context.Context, id int64, issues []dxtrack.Issue) (*apiBody[apiReportForm], error) {
	rf, err := s.Reports.Form(ctx, id)
	if err != nil {
		return nil, err
	}
	names, err := s.apiReportNames(ctx)
	if err != nil {
		return nil, err
	}
	if issues == nil {
		issues = dxtrack.CheckReport(rf.Regime, indicatorsByID(rf.Indicators), rf.Report, previousHistory(rf.Previous), false)
	}
	out := apiReportForm{Report: names.report(rf.Report), Indicators: []apiIndicator{}, Tasks: []apiFormRef{}, Targets: []apiFormRef{},
		Previous: map[string]float64{}, Issues: apiIssuesOf(langFrom(ctx), issues)}
	for _, in := range rf.Indicators {
		out.Indicators = append(out.Indicators, apiIndicatorOf(in, names.codes))
		if v := rf.Previous[in.ID]; v != nil {
			out.Previous[in.Code] = *v
		}
	}
	for _, t := range rf.Tasks {
		out.Tasks = append(out.Tasks, apiFormRef{ID: t.ID, Code: t.Code, NameVI: t.NameVI})
	}
	for _, t := range rf.Targets {
		out.Targets = append(out.Targets, apiFormRef{ID: t.ID, Code: t.Code, NameVI: t.NameVI})
	}
	if names.codes.err != nil {
		return nil, names.codes.err
	}
	return apiOK(out)
}
