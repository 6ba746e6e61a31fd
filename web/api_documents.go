package web

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
)

// apiDocument is a programme document as the API shows it.
type apiDocument struct {
	ID          int64                `json:"id"`
	Kind        dxtrack.DocumentKind `json:"kind" enum:"resolution,plan,decision,scheme"`
	Number      string               `json:"number" example:"09-NQ/TU"`
	TitleVI     string               `json:"title_vi"`
	TitleEN     string               `json:"title_en"`
	Issuer      string               `json:"issuer"`
	IssuedOn    string               `json:"issued_on" format:"date"`
	SpanFrom    int                  `json:"span_from"`
	SpanTo      int                  `json:"span_to"`
	VisionYear  int                  `json:"vision_year,omitempty"`
	ParentID    int64                `json:"parent_id,omitempty"`
	OwnerUnitID int64                `json:"owner_unit_id"`
	OwnerUnit   string               `json:"owner_unit" doc:"Code of the owner unit"`
	Summary     string               `json:"summary,omitempty"`
	UpdatedAt   time.Time            `json:"updated_at"`
	// Completion is given when one document is read.
	Completion *apiDocumentProgress `json:"completion,omitempty"`
}

// apiDocumentProgress is a document's completion of targets and tasks.
type apiDocumentProgress struct {
	Targets      apiCompletion        `json:"targets"`
	Tasks        apiCompletion        `json:"tasks"`
	TargetStatus dxtrack.StatusCounts `json:"target_status"`
	TaskStatus   dxtrack.StatusCounts `json:"task_status"`
	BudgetVND    int64                `json:"budget_vnd"`
}

func apiProgressOf(lang string, p *dxtrack.DocumentProgress) *apiDocumentProgress {
	return &apiDocumentProgress{
		Targets:      apiCompletionOf(lang, p.Targets),
		Tasks:        apiCompletionOf(lang, p.Tasks),
		TargetStatus: p.TargetStatus,
		TaskStatus:   p.TaskStatus,
		BudgetVND:    p.BudgetVND,
	}
}

func apiDocumentOf(d *dxtrack.Document, codes *apiUnitCodes) apiDocument {
	return apiDocument{
		ID: d.ID, Kind: d.Kind, Number: d.Number, TitleVI: d.TitleVI, TitleEN: d.TitleEN,
		Issuer: d.Issuer, IssuedOn: apiDay(d.IssuedOn), SpanFrom: d.SpanFrom, SpanTo: d.SpanTo,
		VisionYear: d.VisionYear, ParentID: d.ParentID, OwnerUnitID: d.OwnerUnitID,
		OwnerUnit: codes.code(d.OwnerUnitID), Summary: d.Summary, UpdatedAt: d.UpdatedAt,
	}
}

// apiDocumentInput is the body of document creation and update. On update
// a field left out keeps its value.
type apiDocumentInput struct {
	Kind       *string `json:"kind" enum:"resolution,plan,decision,scheme"`
	Number     *string `json:"number"`
	TitleVI    *string `json:"title_vi"`
	TitleEN    *string `json:"title_en"`
	Issuer     *string `json:"issuer"`
	IssuedOn   *string `json:"issued_on" doc:"YYYY-MM-DD"`
	SpanFrom   *int    `json:"span_from"`
	SpanTo     *int    `json:"span_to"`
	VisionYear *int    `json:"vision_year"`
	ParentID   *int64  `json:"parent_id" doc:"ID of the document it carries out; 0 for none"`
	OwnerUnit  *string `json:"owner_unit" doc:"Code of the unit the document binds"`
	Summary    *string `json:"summary"`
}

// apply writes the given fields onto d.
func (b *apiDocumentInput) apply(in *apiInput, d *dxtrack.Document) {
	apiSet(&d.Number, b.Number)
	apiSet(&d.TitleVI, b.TitleVI)
	apiSet(&d.TitleEN, b.TitleEN)
	apiSet(&d.Issuer, b.Issuer)
	apiSet(&d.SpanFrom, b.SpanFrom)
	apiSet(&d.SpanTo, b.SpanTo)
	apiSet(&d.VisionYear, b.VisionYear)
	apiSet(&d.ParentID, b.ParentID)
	apiSet(&d.Summary, b.Summary)
	if b.Kind != nil {
		d.Kind = dxtrack.DocumentKind(*b.Kind)
	}
	if b.IssuedOn != nil {
		d.IssuedOn = in.date("issued_on", b.IssuedOn)
	}
	if b.OwnerUnit != nil {
		d.OwnerUnitID = in.unit("owner_unit", *b.OwnerUnit)
	}
}

// apiSet replaces *dst with *v when v is given.
func apiSet[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// apiDocumentFields maps the domain's field names to the request body's.
var apiDocumentFields = map[string]string{"owner_unit_id": "owner_unit"}

func (s *Server) apiDocuments(api huma.API) {
	type listInput struct {
		Kind   string `query:"kind" enum:"resolution,plan,decision,scheme" doc:"Only documents of this kind"`
		Parent int64  `query:"parent" doc:"Only child documents of this document"`
		Q      string `query:"q" doc:"Words in the number or title, tone-insensitive"`
		Offset int    `query:"offset" minimum:"0" doc:"Items to skip"`
		Limit  int    `query:"limit" minimum:"0" doc:"Items to return; 0 gives the default"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "list-documents", Method: http.MethodGet, Path: "/documents",
		Summary: "List programme documents",
	}, func(ctx context.Context, in *listInput) (*apiBody[apiList[apiDocument]], error) {
		f := dxtrack.DocumentFilter{Kind: dxtrack.DocumentKind(in.Kind), Query: in.Q, Page: apiPage(in.Offset, in.Limit)}
		if in.Parent != 0 {
			f.ParentID = &in.Parent
		}
		docs, total, err := s.Documents.FindDocuments(ctx, f)
		if err != nil {
			return nil, err
		}
		codes := s.newUnitCodes(ctx)
		out := apiList[apiDocument]{Items: make([]apiDocument, 0, len(docs)), Total: total}
		for _, d := range docs {
			out.Items = append(out.Items, apiDocumentOf(d, codes))
		}
		if codes.err != nil {
			return nil, codes.err
		}
		return apiOK(out)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "get-document", Method: http.MethodGet, Path: "/documents/{id}",
		Summary: "Read a document with its completion",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiDocument], error) {
		d, err := s.apiDocument(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return apiOK(d)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "create-document", Method: http.MethodPost, Path: "/documents",
		Summary: "Create a document (admins over the owner unit)", DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *struct{ Body apiDocumentInput }) (*apiBody[apiDocument], error) {
		inp := &apiInput{s: s, ctx: ctx}
		d := &dxtrack.Document{}
		in.Body.apply(inp, d)
		if err := inp.Err(); err != nil {
			return nil, err
		}
		if err := s.Documents.CreateDocument(ctx, d); err != nil {
			return nil, apiRenameFields(err, apiDocumentFields)
		}
		return apiOK(apiDocumentOf(d, s.newUnitCodes(ctx)))
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "update-document", Method: http.MethodPut, Path: "/documents/{id}",
		Summary: "Update a document (admins); fields left out keep their value",
	}, func(ctx context.Context, in *apiIDBody[apiDocumentInput]) (*apiBody[apiDocument], error) {
		d, err := s.Documents.FindDocumentByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		inp := &apiInput{s: s, ctx: ctx}
		in.Body.apply(inp, d)
		if err := inp.Err(); err != nil {
			return nil, err
		}
		if err := s.Documents.UpdateDocument(ctx, d); err != nil {
			return nil, apiRenameFields(err, apiDocumentFields)
		}
		out, err := s.apiDocument(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return apiOK(out)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "delete-document", Method: http.MethodDelete, Path: "/documents/{id}",
		Summary: "Delete a document without targets, tasks or child documents (admins)", DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, in *apiID) (*struct{}, error) {
		return nil, s.Documents.DeleteDocument(ctx, in.ID)
	})
}

// apiDocument reads one document with its completion.
func (s *Server) apiDocument(ctx context.Context, id int64) (apiDocument, error) {
	d, err := s.Documents.FindDocumentByID(ctx, id)
	if err != nil {
		return apiDocument{}, err
	}
	codes := s.newUnitCodes(ctx)
	out := apiDocumentOf(d, codes)
	o, err := s.Overview.Overview(ctx, dxtrack.OverviewFilter{DocumentID: id})
	if err != nil {
		return apiDocument{}, err
	}
	for i := range o.Documents {
		if o.Documents[i].Document.ID == id {
			out.Completion = apiProgressOf(langFrom(ctx), &o.Documents[i])
		}
	}
	if out.Completion == nil {
		empty := dxtrack.DocumentProgress{Document: d, TargetStatus: dxtrack.StatusCounts{}, TaskStatus: dxtrack.StatusCounts{}}
		out.Completion = apiProgressOf(langFrom(ctx), &empty)
	}
	return out, codes.err
}

// apiOverviewBody is the overview a leader sees first.
type apiOverviewBody struct {
	AsOf           string                `json:"as_of" format:"date"`
	Documents      []apiOverviewDocument `json:"documents"`
	Pillars        []apiGroupProgress    `json:"pillars"`
	LeadUnits      []apiGroupProgress    `json:"lead_units" doc:"Most overdue first"`
	OverdueTasks   []apiTask             `json:"overdue_tasks"`
	OverdueTargets []apiTarget           `json:"overdue_targets"`
	TargetStatus   dxtrack.StatusCounts  `json:"target_status"`
	TaskStatus     dxtrack.StatusCounts  `json:"task_status"`
}

// apiOverviewDocument is one document's line of the overview.
type apiOverviewDocument struct {
	Document     apiDocument          `json:"document"`
	Targets      apiCompletion        `json:"targets"`
	Tasks        apiCompletion        `json:"tasks"`
	TargetStatus dxtrack.StatusCounts `json:"target_status"`
	TaskStatus   dxtrack.StatusCounts `json:"task_status"`
	BudgetVND    int64                `json:"budget_vnd"`
}

// apiGroupProgress is the completion of a pillar or a lead unit.
type apiGroupProgress struct {
	ID      int64         `json:"id" doc:"Category or unit ID; 0 gathers the items that have none"`
	Code    string        `json:"code,omitempty" doc:"Unit code, for lead units"`
	NameVI  string        `json:"name_vi"`
	NameEN  string        `json:"name_en"`
	Targets apiCompletion `json:"targets"`
	Tasks   apiCompletion `json:"tasks"`
	All     apiCompletion `json:"all" doc:"Targets and tasks together"`
	Overdue int           `json:"overdue" doc:"Overdue targets and tasks"`
}

func apiGroupOf(lang string, g *dxtrack.GroupProgress) apiGroupProgress {
	return apiGroupProgress{
		ID: g.ID, NameVI: g.NameVI, NameEN: g.NameEN,
		Targets: apiCompletionOf(lang, g.Targets), Tasks: apiCompletionOf(lang, g.Tasks),
		All: apiCompletionOf(lang, g.All()), Overdue: g.Overdue,
	}
}

func (s *Server) apiOverview(api huma.API) {
	type input struct {
		Document int64 `query:"document" doc:"Only this document and its child documents"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "get-overview", Method: http.MethodGet, Path: "/overview",
		Summary: "Completion per document, pillar and lead unit, and what is overdue",
	}, func(ctx context.Context, in *input) (*apiBody[apiOverviewBody], error) {
		o, err := s.Overview.Overview(ctx, dxtrack.OverviewFilter{DocumentID: in.Document})
		if err != nil {
			return nil, err
		}
		lang, now := langFrom(ctx), s.Now()
		codes := s.newUnitCodes(ctx)
		out := apiOverviewBody{
			AsOf:           apiDay(o.AsOf),
			Documents:      make([]apiOverviewDocument, 0, len(o.Documents)),
			Pillars:        make([]apiGroupProgress, 0, len(o.Pillars)),
			LeadUnits:      make([]apiGroupProgress, 0, len(o.LeadUnits)),
			OverdueTasks:   make([]apiTask, 0, len(o.OverdueTasks)),
			OverdueTargets: make([]apiTarget, 0, len(o.OverdueTargets)),
			TargetStatus:   o.TargetStatus,
			TaskStatus:     o.TaskStatus,
		}
		for i := range o.Documents {
			p := &o.Documents[i]
			g := apiProgressOf(lang, p)
			out.Documents = append(out.Documents, apiOverviewDocument{
				Document: apiDocumentOf(p.Document, codes), Targets: g.Targets, Tasks: g.Tasks,
				TargetStatus: g.TargetStatus, TaskStatus: g.TaskStatus, BudgetVND: g.BudgetVND,
			})
		}
		for i := range o.Pillars {
			out.Pillars = append(out.Pillars, apiGroupOf(lang, &o.Pillars[i]))
		}
		for i := range o.LeadUnits {
			g := apiGroupOf(lang, &o.LeadUnits[i])
			g.Code = codes.code(g.ID)
			out.LeadUnits = append(out.LeadUnits, g)
		}
		for _, t := range o.OverdueTasks {
			out.OverdueTasks = append(out.OverdueTasks, apiTaskOf(t, codes, now))
		}
		for _, t := range o.OverdueTargets {
			out.OverdueTargets = append(out.OverdueTargets, apiTargetOf(t, codes, now))
		}
		if codes.err != nil {
			return nil, codes.err
		}
		return apiOK(out)
	})
}
