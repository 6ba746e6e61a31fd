package web

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
)

// apiTask is a task with its status as of today.
type apiTask struct {
	ID            int64          `json:"id"`
	DocumentID    int64          `json:"document_id"`
	Code          string         `json:"code"`
	NameVI        string         `json:"name_vi"`
	NameEN        string         `json:"name_en"`
	Group         string         `json:"group,omitempty"`
	LeadUnitID    int64          `json:"lead_unit_id"`
	LeadUnit      string         `json:"lead_unit" doc:"Code of the lead unit"`
	CoUnitIDs     []int64        `json:"co_unit_ids"`
	CoUnits       []string       `json:"co_units" doc:"Codes of the coordinating units"`
	StartOn       string         `json:"start_on" format:"date"`
	Deadline      string         `json:"deadline" format:"date"`
	Output        string         `json:"output,omitempty"`
	BudgetVND     int64          `json:"budget_vnd"`
	Progress      int            `json:"progress" doc:"Percent, 0–100"`
	TargetIDs     []int64        `json:"target_ids"`
	PillarID      int64          `json:"pillar_id,omitempty"`
	SectorID      int64          `json:"sector_id,omitempty"`
	Illustrative  bool           `json:"illustrative"`
	Note          string         `json:"note,omitempty"`
	Override      *apiOverride   `json:"override,omitempty"`
	Status        dxtrack.Status `json:"status" doc:"The override's status if any, else the derived one"`
	DerivedStatus dxtrack.Status `json:"derived_status"`
	UpdatedAt     time.Time      `json:"updated_at"`
}

func apiTaskOf(t *dxtrack.Task, codes *apiUnitCodes, now time.Time) apiTask {
	out := apiTask{
		ID: t.ID, DocumentID: t.DocumentID, Code: t.Code, NameVI: t.NameVI, NameEN: t.NameEN, Group: t.Group,
		LeadUnitID: t.LeadUnitID, LeadUnit: codes.code(t.LeadUnitID),
		CoUnitIDs: t.CoUnitIDs, CoUnits: codes.list(t.CoUnitIDs),
		StartOn: apiDay(t.StartOn), Deadline: apiDay(t.Deadline), Output: t.Output, BudgetVND: t.BudgetVND,
		Progress: t.Progress, TargetIDs: t.TargetIDs, PillarID: t.PillarID, SectorID: t.SectorID,
		Illustrative: t.Illustrative, Note: t.Note, Override: apiOverrideOf(t.Override),
		Status: t.Status(now), DerivedStatus: t.DerivedStatus(now), UpdatedAt: t.UpdatedAt,
	}
	if out.CoUnitIDs == nil {
		out.CoUnitIDs = []int64{}
	}
	if out.TargetIDs == nil {
		out.TargetIDs = []int64{}
	}
	return out
}

// apiTaskInput is the body of task creation and update. On update a field
// left out keeps its value.
type apiTaskInput struct {
	DocumentID   *int64   `json:"document_id"`
	Code         *string  `json:"code"`
	NameVI       *string  `json:"name_vi"`
	NameEN       *string  `json:"name_en"`
	Group        *string  `json:"group"`
	LeadUnit     *string  `json:"lead_unit" doc:"Code of the lead unit" example:"22-SKHCN"`
	CoUnits      []string `json:"co_units" doc:"Codes of the coordinating units"`
	StartOn      *string  `json:"start_on" doc:"YYYY-MM-DD"`
	Deadline     *string  `json:"deadline" doc:"YYYY-MM-DD"`
	Output       *string  `json:"output"`
	BudgetVND    *int64   `json:"budget_vnd"`
	Progress     *int     `json:"progress" doc:"Percent, 0–100"`
	TargetIDs    []int64  `json:"target_ids"`
	PillarID     *int64   `json:"pillar_id"`
	SectorID     *int64   `json:"sector_id"`
	Illustrative *bool    `json:"illustrative"`
	Note         *string  `json:"note"`
}

func (b *apiTaskInput) apply(in *apiInput, t *dxtrack.Task) {
	apiSet(&t.DocumentID, b.DocumentID)
	apiSet(&t.Code, b.Code)
	apiSet(&t.NameVI, b.NameVI)
	apiSet(&t.NameEN, b.NameEN)
	apiSet(&t.Group, b.Group)
	apiSet(&t.Output, b.Output)
	apiSet(&t.BudgetVND, b.BudgetVND)
	apiSet(&t.Progress, b.Progress)
	apiSet(&t.PillarID, b.PillarID)
	apiSet(&t.SectorID, b.SectorID)
	apiSet(&t.Illustrative, b.Illustrative)
	apiSet(&t.Note, b.Note)
	if b.TargetIDs != nil {
		t.TargetIDs = b.TargetIDs
	}
	if b.StartOn != nil {
		t.StartOn = in.date("start_on", b.StartOn)
	}
	if b.Deadline != nil {
		t.Deadline = in.date("deadline", b.Deadline)
	}
	if b.LeadUnit != nil {
		t.LeadUnitID = in.unit("lead_unit", *b.LeadUnit)
	}
	if b.CoUnits != nil {
		t.CoUnitIDs = in.units("co_units", b.CoUnits)
	}
}

// apiTaskReport is what the lead unit's reporter reports of a task.
type apiTaskReport struct {
	Progress *int    `json:"progress" doc:"Percent, 0–100"`
	Note     *string `json:"note"`
}

// apiTaskSetUp reports whether two versions of a task differ in more than
// what the lead unit's reporter may change (progress, note).
func apiTaskSetUp(a, b *dxtrack.Task) bool {
	return a.DocumentID != b.DocumentID || a.Code != b.Code || a.NameVI != b.NameVI || a.NameEN != b.NameEN ||
		a.Group != b.Group || a.LeadUnitID != b.LeadUnitID || !slices.Equal(a.CoUnitIDs, b.CoUnitIDs) ||
		!a.StartOn.Equal(b.StartOn) || !a.Deadline.Equal(b.Deadline) || a.Output != b.Output ||
		a.BudgetVND != b.BudgetVND || !slices.Equal(a.TargetIDs, b.TargetIDs) || a.PillarID != b.PillarID ||
		a.SectorID != b.SectorID || a.Illustrative != b.Illustrative
}

func (s *Server) apiTasks(api huma.API) {
	ops := apiItemOps[dxtrack.Task, apiTask]{
		find: s.Tasks.FindTaskByID, create: s.Tasks.CreateTask, update: s.Tasks.UpdateTask,
		setOverride: s.Tasks.SetTaskOverride, setUp: apiTaskSetUp, ok: s.apiTaskOK,
	}
	type listInput struct {
		Document int64  `query:"document" doc:"Only tasks of this document"`
		Pillar   int64  `query:"pillar" doc:"Only tasks of this pillar (category ID)"`
		LeadUnit string `query:"lead_unit" doc:"Only tasks led by this unit (code, or id:N)"`
		Unit     string `query:"unit" doc:"Only tasks led or coordinated by this unit (code, or id:N)"`
		Target   int64  `query:"target" doc:"Only tasks serving this target"`
		Group    string `query:"group" doc:"Only tasks of this task group"`
		Status   string `query:"status" enum:"completed,on_track,at_risk,overdue,not_started" doc:"Only tasks with this status today"`
		Q        string `query:"q" doc:"Words in the code or name, tone-insensitive"`
		Offset   int    `query:"offset" minimum:"0" doc:"Items to skip"`
		Limit    int    `query:"limit" minimum:"0" doc:"Items to return; 0 gives the default"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "list-tasks", Method: http.MethodGet, Path: "/tasks",
		Summary: "List tasks",
	}, func(ctx context.Context, in *listInput) (*apiBody[apiList[apiTask]], error) {
		lead, err := s.apiUnitQuery(ctx, "lead_unit", in.LeadUnit)
		if err != nil {
			return nil, err
		}
		unit, err := s.apiUnitQuery(ctx, "unit", in.Unit)
		if err != nil {
			return nil, err
		}
		ts, total, err := s.Tasks.FindTasks(ctx, dxtrack.TaskFilter{
			DocumentID: in.Document, PillarID: in.Pillar, LeadUnitID: lead, UnitID: unit, TargetID: in.Target,
			Group: in.Group, Status: dxtrack.Status(in.Status), Query: in.Q, Page: apiPage(in.Offset, in.Limit),
		})
		if err != nil {
			return nil, err
		}
		codes, now := s.newUnitCodes(ctx), s.Now()
		out := apiList[apiTask]{Items: make([]apiTask, 0, len(ts)), Total: total}
		for _, t := range ts {
			out.Items = append(out.Items, apiTaskOf(t, codes, now))
		}
		if codes.err != nil {
			return nil, codes.err
		}
		return apiOK(out)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "get-task", Method: http.MethodGet, Path: "/tasks/{id}",
		Summary: "Read a task with its status",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiTask], error) {
		return ops.get(ctx, in.ID)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "create-task", Method: http.MethodPost, Path: "/tasks",
		Summary: "Create a task (admins over the lead unit)", DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *struct{ Body apiTaskInput }) (*apiBody[apiTask], error) {
		return ops.post(ctx, s, in.Body.apply)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "update-task", Method: http.MethodPut, Path: "/tasks/{id}",
		Summary: "Update a task; fields left out keep their value",
		Description: "A change of progress or note alone is a report, open to the lead unit's reporter; " +
			"any other change needs an admin over the lead unit.",
	}, func(ctx context.Context, in *apiIDBody[apiTaskInput]) (*apiBody[apiTask], error) {
		return ops.put(ctx, s, in.ID, in.Body.apply, func(ctx context.Context, id int64) (*dxtrack.Task, error) {
			return s.Tasks.ReportTask(ctx, id, dxtrack.TaskUpdate{Progress: in.Body.Progress, Note: in.Body.Note})
		})
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "report-task", Method: http.MethodPost, Path: "/tasks/{id}/report",
		Summary: "Report a task's progress (the lead unit's reporter, or admins)",
	}, func(ctx context.Context, in *apiIDBody[apiTaskReport]) (*apiBody[apiTask], error) {
		return ops.report(ctx, in.ID, func(ctx context.Context, id int64) (*dxtrack.Task, error) {
			return s.Tasks.ReportTask(ctx, id, dxtrack.TaskUpdate{Progress: in.Body.Progress, Note: in.Body.Note})
		})
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "override-task", Method: http.MethodPut, Path: "/tasks/{id}/override",
		Summary: "Set a task's status by hand (admins and reviewers over the lead unit)",
	}, func(ctx context.Context, in *apiIDBody[apiOverrideInput]) (*apiBody[apiTask], error) {
		return ops.override(ctx, in.ID, &in.Body)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "clear-task-override", Method: http.MethodDelete, Path: "/tasks/{id}/override",
		Summary: "Clear a task's status override",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiTask], error) {
		return ops.override(ctx, in.ID, nil)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "delete-task", Method: http.MethodDelete, Path: "/tasks/{id}",
		Summary: "Delete a task (admins)", DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, in *apiID) (*struct{}, error) {
		return nil, s.Tasks.DeleteTask(ctx, in.ID)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "task-audit", Method: http.MethodGet, Path: "/tasks/{id}/audit",
		Summary: "A task's changes, newest first",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiAuditList], error) {
		if _, err := s.Tasks.FindTaskByID(ctx, in.ID); err != nil {
			return nil, err
		}
		return s.apiAudit(ctx, "task", in.ID)
	})
}

func (s *Server) apiTaskOK(ctx context.Context, t *dxtrack.Task) (*apiBody[apiTask], error) {
	codes := s.newUnitCodes(ctx)
	out := apiTaskOf(t, codes, s.Now())
	if codes.err != nil {
		return nil, codes.err
	}
	return apiOK(out)
}
