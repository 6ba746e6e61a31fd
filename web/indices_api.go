package web

import (
	"context"
	"net/http"
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
)

// The composite-index API: definitions (list, read, export, import),
// an edition's ranking, a gap plan and the rank uncertainty.

// apiIndex is a stored index definition, without its tree.
type apiIndex struct {
	ID       int64           `json:"id"`
	Code     string          `json:"code"`
	Version  string          `json:"version"`
	NameVI   string          `json:"name_vi"`
	NameEN   string          `json:"name_en"`
	Builtin  bool            `json:"builtin"`
	Editions []apiEditionRef `json:"editions"`
}

// apiEditionRef names an edition.
type apiEditionRef struct {
	ID     int64                 `json:"id"`
	Year   int                   `json:"year"`
	NameVI string                `json:"name_vi"`
	NameEN string                `json:"name_en"`
	Cohort string                `json:"cohort"`
	Source dxtrack.EditionSource `json:"source"`
}

// apiRanking is an edition's scores and ranks on every node.
type apiRanking struct {
	Edition apiEditionRef   `json:"edition"`
	Index   string          `json:"index"`
	Version string          `json:"version"`
	Node    string          `json:"node" doc:"The node ranked (the index's root unless asked)"`
	Rows    []apiRankingRow `json:"rows" doc:"Best first; units without a score last"`
}

// apiRankingRow is a unit's figure on the node.
type apiRankingRow struct {
	Unit    string             `json:"unit"`
	Name    string             `json:"name"`
	Value   *float64           `json:"value" doc:"Rounded to the index's published decimals; null when missing"`
	Rank    int                `json:"rank,omitempty"`
	Imputed bool               `json:"imputed,omitempty"`
	Stage   dxtrack.ScoreStage `json:"stage" doc:"data, self, appraised or final: the lowest stage of the component scores below"`
}

// apiIndexPlan is a gap-to-rank plan.
type apiIndexPlan struct {
	Unit        string             `json:"unit"`
	N           int                `json:"n"`
	Feasible    bool               `json:"feasible"`
	Exact       bool               `json:"exact" doc:"The proven cheapest plan (additive index), else a numeric greedy"`
	CurrentRank int                `json:"current_rank"`
	NewRank     int                `json:"new_rank"`
	Current     float64            `json:"current"`
	Needed      float64            `json:"needed"`
	Steps       []apiIndexPlanStep `json:"steps"`
	TotalCost   float64            `json:"total_cost"`
}

// apiIndexPlanStep raises one component's score.
type apiIndexPlanStep struct {
	Node   string  `json:"node"`
	Parent string  `json:"parent"`
	From   float64 `json:"from"`
	To     float64 `json:"to"`
	Points float64 `json:"points"`
	Cost   float64 `json:"cost"`
}

// apiRankInterval is a unit's rank over the Monte Carlo draws.
type apiRankInterval struct {
	Unit    string  `json:"unit"`
	Name    string  `json:"name"`
	Nominal int     `json:"nominal"`
	Median  float64 `json:"median"`
	P5      float64 `json:"p5"`
	P95     float64 `json:"p95"`
}

// apiIndexUncertainty is the Monte Carlo result.
type apiIndexUncertainty struct {
	Draws int               `json:"draws"`
	Units []apiRankInterval `json:"units"`
}

// apiExport is a definition document.
type apiExport struct {
	ContentType string `header:"Content-Type"`
	Body        []byte
}

func apiEditionRefOf(e *dxtrack.IndexEdition) apiEditionRef {
	return apiEditionRef{ID: e.ID, Year: e.Year, NameVI: e.NameVI, NameEN: e.NameEN, Cohort: e.Cohort, Source: e.Source}
}

func (s *Server) apiIndices(api huma.API) {
	apiRegister(s, api, huma.Operation{
		OperationID: "list-indices", Method: http.MethodGet, Path: "/indices", Tags: []string{"indices"},
		Summary: "List index definitions (builtin and imported) with their editions",
	}, func(ctx context.Context, _ *struct{}) (*apiBody[[]apiIndex], error) {
		defs, err := s.Indices.FindIndexDefinitions(ctx)
		if err != nil {
			return nil, err
		}
		eds, err := s.Indices.FindEditions(ctx, dxtrack.EditionFilter{})
		if err != nil {
			return nil, err
		}
		out := []apiIndex{}
		for _, d := range defs {
			ai := apiIndex{ID: d.ID, Code: d.Code, Version: d.Version, NameVI: d.NameVI, NameEN: d.NameEN, Builtin: d.Builtin,
				Editions: []apiEditionRef{}}
			for _, e := range eds {
				if e.IndexID == d.ID {
					ai.Editions = append(ai.Editions, apiEditionRefOf(e))
				}
			}
			out = append(out, ai)
		}
		return apiOK(out)
	})

	type defInput struct {
		Code    string `path:"code"`
		Version string `path:"version"`
		Format  string `query:"format" enum:"json,yaml" doc:"json (the default) or yaml"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "get-index", Method: http.MethodGet, Path: "/indices/{code}/{version}", Tags: []string{"indices"},
		Summary: "Export a definition as JSON or YAML",
	}, func(ctx context.Context, in *defInput) (*apiExport, error) {
		d, err := s.Indices.FindIndexDefinition(ctx, in.Code, in.Version)
		if err != nil {
			return nil, err
		}
		ix, err := composite.Parse(d.Definition)
		if err != nil {
			return nil, err
		}
		if in.Format == "yaml" {
			b, err := ix.YAML()
			return &apiExport{ContentType: "application/yaml", Body: b}, err
		}
		b, err := ix.JSON()
		return &apiExport{ContentType: "application/json", Body: b}, err
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "import-index", Method: http.MethodPost, Path: "/indices", Tags: []string{"indices"},
		Summary:     "Import a definition (JSON or YAML body; admins)",
		Description: "Invalid definitions are refused with 422, each fault naming its node (nodes.PATH.FIELD).",
		RequestBody: &huma.RequestBody{Content: map[string]*huma.MediaType{
			"application/json": {}, "application/yaml": {}}},
		DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *struct{ RawBody []byte }) (*apiBody[apiIndex], error) {
		d, err := s.Indices.ImportIndexDefinition(ctx, in.RawBody)
		if err != nil {
			return nil, err
		}
		return apiOK(apiIndex{ID: d.ID, Code: d.Code, Version: d.Version, NameVI: d.NameVI, NameEN: d.NameEN, Editions: []apiEditionRef{}})
	})

	type rankingInput struct {
		ID   int64  `path:"id"`
		Node string `query:"node" doc:"A node code; the index's root by default"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "get-edition-ranking", Method: http.MethodGet, Path: "/indices/editions/{id}/ranking", Tags: []string{"indices"},
		Summary: "An edition's ranking on a node",
	}, func(ctx context.Context, in *rankingInput) (*apiBody[apiRanking], error) {
		v, err := s.loadEdition(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		node := v.Index.Root.Code
		if in.Node != "" {
			if v.Index.Node(in.Node) == nil {
				return nil, dxtrack.Invalid("node", "error.not_found", nil)
			}
			node = in.Node
		}
		out := apiRanking{Edition: apiEditionRefOf(v.Edition), Index: v.Def.Code, Version: v.Def.Version, Node: node}
		scores := v.Result.Scores[node]
		for i, u := range v.Result.Units {
			sc := scores[i]
			row := apiRankingRow{Unit: u.Code, Name: u.Name, Rank: sc.Rank, Imputed: sc.Imputed, Stage: v.Stage(node, u.Code)}
			if !sc.Missing {
				x := composite.Round(sc.Value, v.Index.Decimals)
				row.Value = &x
			}
			out.Rows = append(out.Rows, row)
		}
		slices.SortStableFunc(out.Rows, func(a, b apiRankingRow) int {
			switch {
			case (a.Value == nil) != (b.Value == nil):
				if a.Value == nil {
					return 1
				}
				return -1
			}
			return a.Rank - b.Rank
		})
		return apiOK(out)
	})

	type gapInput struct {
		ID   int64  `path:"id"`
		Unit string `query:"unit" required:"true"`
		N    int    `query:"n" default:"5" minimum:"1"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "get-edition-gap", Method: http.MethodGet, Path: "/indices/editions/{id}/gap", Tags: []string{"indices"},
		Summary: "The cheapest plan for a unit to reach rank N (every cost per point 1)",
	}, func(ctx context.Context, in *gapInput) (*apiBody[apiIndexPlan], error) {
		v, err := s.loadEdition(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		if v.Derived() {
			return nil, errDerived
		}
		plan, err := composite.GapToRank(v.Index, v.Data, in.Unit, in.N, nil)
		if err != nil {
			return nil, err
		}
		out := apiIndexPlan{Unit: plan.Unit, N: plan.N, Feasible: plan.Feasible, Exact: plan.Exact, CurrentRank: plan.CurrentRank,
			NewRank: plan.NewRank, Current: plan.Current, Needed: plan.Needed, TotalCost: plan.TotalCost, Steps: []apiIndexPlanStep{}}
		for _, st := range plan.Steps {
			out.Steps = append(out.Steps, apiIndexPlanStep{Node: st.Node, Parent: st.Parent, From: st.From, To: st.To,
				Points: st.Points, Cost: st.Cost})
		}
		return apiOK(out)
	})

	type mcInput struct {
		ID    int64   `path:"id"`
		Share float64 `query:"share" default:"0.2" minimum:"0" maximum:"0.9" doc:"± share of every weight"`
		Draws int     `query:"draws" default:"500" minimum:"10" maximum:"5000"`
		Norm  string  `query:"norm" doc:"Comma-separated alternative normalisers: minmax, zscore, rank, relative_best"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "get-edition-uncertainty", Method: http.MethodGet, Path: "/indices/editions/{id}/uncertainty", Tags: []string{"indices"},
		Summary: "Monte Carlo rank intervals: nominal and median rank, 5–95 % interval per unit",
	}, func(ctx context.Context, in *mcInput) (*apiBody[apiIndexUncertainty], error) {
		v, err := s.loadEdition(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		if v.Derived() {
			return nil, errDerived
		}
		var kinds []composite.RuleKind
		for _, k := range splitCodes(in.Norm) {
			kinds = append(kinds, composite.RuleKind(k))
		}
		if len(kinds) > 0 {
			kinds = append([]composite.RuleKind{""}, kinds...)
		}
		u, err := composite.Uncertainty(v.Index, v.Data, composite.MCOptions{Draws: in.Draws, WeightShare: in.Share,
			Normalisers: kinds, Seed: 1})
		if err != nil {
			return nil, err
		}
		out := apiIndexUncertainty{Draws: u.Draws, Units: []apiRankInterval{}}
		for _, r := range u.Units {
			out.Units = append(out.Units, apiRankInterval{Unit: r.Unit.Code, Name: r.Unit.Name, Nominal: r.Nominal,
				Median: r.Median, P5: r.P5, P95: r.P95})
		}
		return apiOK(out)
	})
}
