package web

import (
	"context"
	"math"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
)

// apiOverride is a status set by hand, with its reason.
type apiOverride struct {
	Status dxtrack.Status `json:"status"`
	Reason string         `json:"reason"`
	By     int64          `json:"by" doc:"ID of the user who set it"`
	ByName string         `json:"by_name"`
	At     time.Time      `json:"at"`
}

func apiOverrideOf(o *dxtrack.Override) *apiOverride {
	if o == nil {
		return nil
	}
	return &apiOverride{Status: o.Status, Reason: o.Reason, By: o.By, ByName: o.ByName, At: o.At}
}

// apiTarget is a target with its status and progress as of today.
type apiTarget struct {
	ID            int64              `json:"id"`
	DocumentID    int64              `json:"document_id"`
	Code          string             `json:"code"`
	NameVI        string             `json:"name_vi"`
	NameEN        string             `json:"name_en"`
	Kind          dxtrack.TargetKind `json:"kind" enum:"quantitative,qualitative"`
	Measure       string             `json:"measure,omitempty"`
	Baseline      *float64           `json:"baseline"`
	Value         *float64           `json:"value"`
	Current       *float64           `json:"current"`
	Direction     dxtrack.Direction  `json:"direction,omitempty"`
	Done          bool               `json:"done"`
	StartOn       string             `json:"start_on" format:"date"`
	Deadline      string             `json:"deadline" format:"date"`
	PillarID      int64              `json:"pillar_id,omitempty"`
	SectorID      int64              `json:"sector_id,omitempty"`
	LeadUnitID    int64              `json:"lead_unit_id"`
	LeadUnit      string             `json:"lead_unit" doc:"Code of the lead unit"`
	Illustrative  bool               `json:"illustrative" doc:"The name is made up where the sources give only counts"`
	Note          string             `json:"note,omitempty"`
	Override      *apiOverride       `json:"override,omitempty"`
	Status        dxtrack.Status     `json:"status" doc:"The override's status if any, else the derived one"`
	DerivedStatus dxtrack.Status     `json:"derived_status"`
	Progress      *float64           `json:"progress" doc:"Percent from baseline to value, 0–100; null when it cannot be said"`
	UpdatedAt     time.Time          `json:"updated_at"`
}

func apiTargetOf(t *dxtrack.Target, codes *apiUnitCodes, now time.Time) apiTarget {
	out := apiTarget{
		ID: t.ID, DocumentID: t.DocumentID, Code: t.Code, NameVI: t.NameVI, NameEN: t.NameEN,
		Kind: t.Kind, Measure: t.Measure, Baseline: t.Baseline, Value: t.Value, Current: t.Current,
		Direction: t.Direction, Done: t.Done, StartOn: apiDay(t.StartOn), Deadline: apiDay(t.Deadline),
		PillarID: t.PillarID, SectorID: t.SectorID, LeadUnitID: t.LeadUnitID, LeadUnit: codes.code(t.LeadUnitID),
		Illustrative: t.Illustrative, Note: t.Note, Override: apiOverrideOf(t.Override),
		Status: t.Status(now), DerivedStatus: t.DerivedStatus(now), UpdatedAt: t.UpdatedAt,
	}
	if p, ok := t.Progress(); ok {
		p = math.Round(p*10) / 10
		out.Progress = &p
	}
	return out
}

// apiTargetInput is the body of target creation and update. On update a
// field left out keeps its value.
type apiTargetInput struct {
	DocumentID   *int64   `json:"document_id"`
	Code         *string  `json:"code"`
	NameVI       *string  `json:"name_vi"`
	NameEN       *string  `json:"name_en"`
	Kind         *string  `json:"kind" enum:"quantitative,qualitative"`
	Measure      *string  `json:"measure"`
	Baseline     *float64 `json:"baseline"`
	Value        *float64 `json:"value"`
	Current      *float64 `json:"current"`
	Direction    *string  `json:"direction" enum:"up,down"`
	Done         *bool    `json:"done"`
	StartOn      *string  `json:"start_on" doc:"YYYY-MM-DD"`
	Deadline     *string  `json:"deadline" doc:"YYYY-MM-DD"`
	PillarID     *int64   `json:"pillar_id"`
	SectorID     *int64   `json:"sector_id"`
	LeadUnit     *string  `json:"lead_unit" doc:"Code of the lead unit" example:"22-SKHCN"`
	Illustrative *bool    `json:"illustrative"`
	Note         *string  `json:"note"`
}

func (b *apiTargetInput) apply(in *apiInput, t *dxtrack.Target) {
	apiSet(&t.DocumentID, b.DocumentID)
	apiSet(&t.Code, b.Code)
	apiSet(&t.NameVI, b.NameVI)
	apiSet(&t.NameEN, b.NameEN)
	apiSet(&t.Measure, b.Measure)
	apiSet(&t.Done, b.Done)
	apiSet(&t.PillarID, b.PillarID)
	apiSet(&t.SectorID, b.SectorID)
	apiSet(&t.Illustrative, b.Illustrative)
	apiSet(&t.Note, b.Note)
	if b.Kind != nil {
		t.Kind = dxtrack.TargetKind(*b.Kind)
	}
	if b.Direction != nil {
		t.Direction = dxtrack.Direction(*b.Direction)
	}
	if b.Baseline != nil {
		t.Baseline = b.Baseline
	}
	if b.Value != nil {
		t.Value = b.Value
	}
	if b.Current != nil {
		t.Current = b.Current
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
}

// apiTargetSetUp reports whether two versions of a target differ in more
// than what the lead unit's reporter may change (current value, done, note).
func apiTargetSetUp(a, b *dxtrack.Target) bool {
	return a.DocumentID != b.DocumentID || a.Code != b.Code || a.NameVI != b.NameVI || a.NameEN != b.NameEN ||
		a.Kind != b.Kind || a.Measure != b.Measure || !apiFloatEqual(a.Baseline, b.Baseline) ||
		!apiFloatEqual(a.Value, b.Value) || a.Direction != b.Direction || !a.StartOn.Equal(b.StartOn) ||
		!a.Deadline.Equal(b.Deadline) || a.PillarID != b.PillarID || a.SectorID != b.SectorID ||
		a.LeadUnitID != b.LeadUnitID || a.Illustrative != b.Illustrative
}

// apiTargetReport is what the lead unit's reporter reports of a target.
type apiTargetReport struct {
	Current *float64 `json:"current" doc:"The latest value (quantitative targets)"`
	Done    *bool    `json:"done" doc:"Whether it is reached (qualitative targets)"`
	Note    *string  `json:"note"`
}

// apiOverrideInput sets a status by hand.
type apiOverrideInput struct {
	Status string `json:"status" enum:"completed,on_track,at_risk,overdue,not_started"`
	Reason string `json:"reason" doc:"Why the derived status does not hold; at least 5 characters"`
}

// apiOverrideFields maps the domain's field names to the override body's.
var apiOverrideFields = map[string]string{"override_status": "status", "override_reason": "reason"}

// apiAuditList is an item's audit trail, newest first.
type apiAuditList struct {
	Items []*dxtrack.AuditEntry `json:"items"`
}

func (s *Server) apiTargets(api huma.API) {
	ops := apiItemOps[dxtrack.Target, apiTarget]{
		find: s.Targets.FindTargetByID, create: s.Targets.CreateTarget, update: s.Targets.UpdateTarget,
		setOverride: s.Targets.SetTargetOverride, setUp: apiTargetSetUp, ok: s.apiTargetOK,
	}
	type listInput struct {
		Document int64  `query:"document" doc:"Only targets of this document"`
		Pillar   int64  `query:"pillar" doc:"Only targets of this pillar (category ID)"`
		Sector   int64  `query:"sector" doc:"Only targets of this sector (category ID)"`
		LeadUnit string `query:"lead_unit" doc:"Only targets led by this unit (code, or id:N)"`
		Status   string `query:"status" enum:"completed,on_track,at_risk,overdue,not_started" doc:"Only targets with this status today"`
		Q        string `query:"q" doc:"Words in the code or name, tone-insensitive"`
		Offset   int    `query:"offset" minimum:"0" doc:"Items to skip"`
		Limit    int    `query:"limit" minimum:"0" doc:"Items to return; 0 gives the default"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "list-targets", Method: http.MethodGet, Path: "/targets",
		Summary: "List targets",
	}, func(ctx context.Context, in *listInput) (*apiBody[apiList[apiTarget]], error) {
		lead, err := s.apiUnitQuery(ctx, "lead_unit", in.LeadUnit)
		if err != nil {
			return nil, err
		}
		ts, total, err := s.Targets.FindTargets(ctx, dxtrack.TargetFilter{
			DocumentID: in.Document, PillarID: in.Pillar, SectorID: in.Sector, LeadUnitID: lead,
			Status: dxtrack.Status(in.Status), Query: in.Q, Page: apiPage(in.Offset, in.Limit),
		})
		if err != nil {
			return nil, err
		}
		codes, now := s.newUnitCodes(ctx), s.Now()
		out := apiList[apiTarget]{Items: make([]apiTarget, 0, len(ts)), Total: total}
		for _, t := range ts {
			out.Items = append(out.Items, apiTargetOf(t, codes, now))
		}
		if codes.err != nil {
			return nil, codes.err
		}
		return apiOK(out)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "get-target", Method: http.MethodGet, Path: "/targets/{id}",
		Summary: "Read a target with its status and progress",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiTarget], error) {
		return ops.get(ctx, in.ID)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "create-target", Method: http.MethodPost, Path: "/targets",
		Summary: "Create a target (admins over the lead unit)", DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *struct{ Body apiTargetInput }) (*apiBody[apiTarget], error) {
		return ops.post(ctx, s, in.Body.apply)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "update-target", Method: http.MethodPut, Path: "/targets/{id}",
		Summary: "Update a target; fields left out keep their value",
		Description: "A change of the current value, done or note alone is a report, open to the lead unit's reporter; " +
			"any other change needs an admin over the lead unit.",
	}, func(ctx context.Context, in *apiIDBody[apiTargetInput]) (*apiBody[apiTarget], error) {
		return ops.put(ctx, s, in.ID, in.Body.apply, func(ctx context.Context, id int64) (*dxtrack.Target, error) {
			return s.Targets.ReportTarget(ctx, id, dxtrack.TargetUpdate{Current: in.Body.Current, Done: in.Body.Done, Note: in.Body.Note})
		})
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "report-target", Method: http.MethodPost, Path: "/targets/{id}/report",
		Summary: "Report a target's figures (the lead unit's reporter, or admins)",
	}, func(ctx context.Context, in *apiIDBody[apiTargetReport]) (*apiBody[apiTarget], error) {
		return ops.report(ctx, in.ID, func(ctx context.Context, id int64) (*dxtrack.Target, error) {
			return s.Targets.ReportTarget(ctx, id, dxtrack.TargetUpdate{Current: in.Body.Current, Done: in.Body.Done, Note: in.Body.Note})
		})
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "override-target", Method: http.MethodPut, Path: "/targets/{id}/override",
		Summary: "Set a target's status by hand (admins and reviewers over the lead unit)",
	}, func(ctx context.Context, in *apiIDBody[apiOverrideInput]) (*apiBody[apiTarget], error) {
		return ops.override(ctx, in.ID, &in.Body)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "clear-target-override", Method: http.MethodDelete, Path: "/targets/{id}/override",
		Summary: "Clear a target's status override",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiTarget], error) {
		return ops.override(ctx, in.ID, nil)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "delete-target", Method: http.MethodDelete, Path: "/targets/{id}",
		Summary: "Delete a target (admins)", DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, in *apiID) (*struct{}, error) {
		return nil, s.Targets.DeleteTarget(ctx, in.ID)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "target-audit", Method: http.MethodGet, Path: "/targets/{id}/audit",
		Summary: "A target's changes, newest first",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiAuditList], error) {
		if _, err := s.Targets.FindTargetByID(ctx, in.ID); err != nil {
			return nil, err
		}
		return s.apiAudit(ctx, "target", in.ID)
	})
}

func (s *Server) apiTargetOK(ctx context.Context, t *dxtrack.Target) (*apiBody[apiTarget], error) {
	codes := s.newUnitCodes(ctx)
	out := apiTargetOf(t, codes, s.Now())
	if codes.err != nil {
		return nil, codes.err
	}
	return apiOK(out)
}

func (s *Server) apiAudit(ctx context.Context, entity string, id int64) (*apiBody[apiAuditList], error) {
	entries, err := s.Audit.FindAudit(ctx, entity, id)
	if err != nil {
		return nil, err
	}
	if entries == nil {
		entries = []*dxtrack.AuditEntry{}
	}
	return apiOK(apiAuditList{Items: entries})
}
