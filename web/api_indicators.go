package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
)

// apiIndicator is an indicator with its owner unit's and denominator's
// codes.
type apiIndicator struct {
	ID          int64             `json:"id"`
	Code        string            `json:"code"`
	NameVI      string            `json:"name_vi"`
	NameEN      string            `json:"name_en"`
	Measure     string            `json:"measure,omitempty"`
	Type        dxtrack.ValueType `json:"type" enum:"number,count,percent"`
	Decimals    int               `json:"decimals"`
	Min         *float64          `json:"min,omitempty"`
	Max         *float64          `json:"max,omitempty"`
	Direction   dxtrack.Direction `json:"direction" enum:"up,down"`
	OwnerUnit   string            `json:"owner_unit,omitempty" doc:"Code of the unit in charge"`
	PillarID    int64             `json:"pillar_id,omitempty" doc:"The pillar or foundation category"`
	UnitAgg     dxtrack.UnitAgg   `json:"unit_agg,omitempty" enum:"sum,avg,ratio,min,max,count,share" doc:"How values combine over units; empty: sum for counts, avg otherwise"`
	TimeAgg     dxtrack.TimeAgg   `json:"time_agg,omitempty" enum:"sum,last,avg" doc:"How values combine over periods; empty: sum for counts, last otherwise"`
	Denominator string            `json:"denominator,omitempty" doc:"Code of the indicator whose sum divides this one's (unit_agg ratio)"`
	Condition   dxtrack.RuleOp    `json:"condition,omitempty" enum:"<=,<,>=,>,=" doc:"What a unit's value must meet against threshold (unit_agg count, share)"`
	Threshold   float64           `json:"threshold,omitempty"`
	Source      dxtrack.Source    `json:"source,omitempty" enum:"manual,formula,machine" doc:"Where values come from; empty means manual"`
	Formula     string            `json:"formula,omitempty" doc:"How a formula indicator is computed from others"`
}

// apiIndicatorOf converts an indicator; the caller names the denominator,
// which only the indicator endpoints look up.
func apiIndicatorOf(in *dxtrack.Indicator, codes *apiUnitCodes) apiIndicator {
	return apiIndicator{ID: in.ID, Code: in.Code, NameVI: in.NameVI, NameEN: in.NameEN, Measure: in.Measure, Type: in.Type,
		Decimals: in.Decimals, Min: in.Min, Max: in.Max, Direction: in.Direction, OwnerUnit: codes.code(in.OwnerUnitID),
		PillarID: in.PillarID, UnitAgg: in.UnitAgg, TimeAgg: in.TimeAgg, Condition: in.Condition,
		Threshold: in.Threshold, Source: in.Source, Formula: in.Formula}
}

// apiIndicatorInput is the body of indicator creation and update; on
// update a field left out keeps its value.
type apiIndicatorInput struct {
	Code        *string  `json:"code"`
	NameVI      *string  `json:"name_vi"`
	NameEN      *string  `json:"name_en"`
	Measure     *string  `json:"measure"`
	Type        *string  `json:"type" enum:"number,count,percent"`
	Decimals    *int     `json:"decimals"`
	Min         *float64 `json:"min"`
	Max         *float64 `json:"max"`
	Direction   *string  `json:"direction" enum:"up,down"`
	OwnerUnit   *string  `json:"owner_unit" doc:"Code of the unit in charge"`
	PillarID    *int64   `json:"pillar_id" doc:"The pillar or foundation category; 0 for none"`
	UnitAgg     *string  `json:"unit_agg" enum:"sum,avg,ratio,min,max,count,share," doc:"Empty: sum for counts, avg otherwise"`
	TimeAgg     *string  `json:"time_agg" enum:"sum,last,avg," doc:"Empty: sum for counts, last otherwise"`
	Denominator *string  `json:"denominator" doc:"Code of the denominator indicator (unit_agg ratio); empty for none"`
	Condition   *string  `json:"condition" enum:"<=,<,>=,>,=," doc:"For unit_agg count and share"`
	Threshold   *float64 `json:"threshold" doc:"For unit_agg count and share"`
	Source      *string  `json:"source" enum:"manual,formula,machine," doc:"Empty means manual"`
	Formula     *string  `json:"formula" doc:"For source formula"`
}

func (b *apiIndicatorInput) apply(in *apiInput, i *dxtrack.Indicator) {
	apiSet(&i.Code, b.Code)
	apiSet(&i.NameVI, b.NameVI)
	apiSet(&i.NameEN, b.NameEN)
	apiSet(&i.Measure, b.Measure)
	apiSet(&i.Decimals, b.Decimals)
	apiSet(&i.PillarID, b.PillarID)
	apiSet(&i.Threshold, b.Threshold)
	apiSet(&i.Formula, b.Formula)
	if b.Type != nil {
		i.Type = dxtrack.ValueType(*b.Type)
	}
	if b.Direction != nil {
		i.Direction = dxtrack.Direction(*b.Direction)
	}
	if b.Min != nil {
		i.Min = b.Min
	}
	if b.Max != nil {
		i.Max = b.Max
	}
	if b.OwnerUnit != nil {
		i.OwnerUnitID = in.unit("owner_unit", *b.OwnerUnit)
	}
	if b.UnitAgg != nil {
		i.UnitAgg = dxtrack.UnitAgg(*b.UnitAgg)
	}
	if b.TimeAgg != nil {
		i.TimeAgg = dxtrack.TimeAgg(*b.TimeAgg)
	}
	if b.Condition != nil {
		i.Condition = dxtrack.RuleOp(*b.Condition)
	}
	if b.Source != nil {
		i.Source = dxtrack.Source(*b.Source)
	}
	if b.Denominator != nil {
		i.DenominatorID = in.indicator("denominator", *b.Denominator)
	}
}

// indicator resolves an indicator code of a request body; "" gives 0.
func (in *apiInput) indicator(field, code string) int64 {
	code = strings.TrimSpace(code)
	if code == "" {
		return 0
	}
	i, err := in.s.Indicators.FindIndicatorByCode(in.ctx, code)
	if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
		in.problems.Add(field, "error.no_indicator_code", map[string]any{"Code": code})
		return 0
	}
	if err != nil {
		in.add(err)
		return 0
	}
	return i.ID
}

// apiIndicatorFields maps the store's field names to the body's.
var apiIndicatorFields = map[string]string{"owner_unit_id": "owner_unit", "denominator_id": "denominator", "pillar": "pillar_id"}

// indicatorCodes maps indicator IDs to codes, for naming denominators.
func (s *Server) indicatorCodes(ctx context.Context) (map[int64]string, error) {
	all, err := s.Indicators.FindIndicators(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(all))
	for _, i := range all {
		out[i.ID] = i.Code
	}
	return out, nil
}

// apiIndicatorOne answers with one indicator, its denominator named.
func (s *Server) apiIndicatorOne(ctx context.Context, i *dxtrack.Indicator) (*apiBody[apiIndicator], error) {
	out := apiIndicatorOf(i, s.newUnitCodes(ctx))
	if i.DenominatorID != 0 {
		var err error
		if out.Denominator, err = s.indicatorCode(ctx, i.DenominatorID); err != nil {
			return nil, err
		}
	}
	return apiOK(out)
}

func (s *Server) apiIndicators(api huma.API) {
	apiRegister(s, api, huma.Operation{
		OperationID: "list-indicators", Method: http.MethodGet, Path: "/indicators",
		Summary: "List the indicators reports carry",
	}, func(ctx context.Context, in *struct {
		Q string `query:"q" doc:"Words in the code or name, tone-insensitive"`
	}) (*apiBody[apiList[apiIndicator]], error) {
		list, err := s.Indicators.FindIndicators(ctx, in.Q)
		if err != nil {
			return nil, err
		}
		codes := s.newUnitCodes(ctx)
		ins, err := s.indicatorCodes(ctx)
		if err != nil {
			return nil, err
		}
		out := apiList[apiIndicator]{Items: make([]apiIndicator, 0, len(list)), Total: len(list)}
		for _, i := range list {
			item := apiIndicatorOf(i, codes)
			item.Denominator = ins[i.DenominatorID]
			out.Items = append(out.Items, item)
		}
		if codes.err != nil {
			return nil, codes.err
		}
		return apiOK(out)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "get-indicator", Method: http.MethodGet, Path: "/indicators/{id}",
		Summary: "Read an indicator",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiIndicator], error) {
		i, err := s.Indicators.FindIndicatorByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return s.apiIndicatorOne(ctx, i)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "create-indicator", Method: http.MethodPost, Path: "/indicators",
		Summary: "Create an indicator (admins)", DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *struct{ Body apiIndicatorInput }) (*apiBody[apiIndicator], error) {
		inp := &apiInput{s: s, ctx: ctx}
		i := &dxtrack.Indicator{Type: dxtrack.ValueNumber, Direction: dxtrack.DirectionUp}
		in.Body.apply(inp, i)
		if err := inp.Err(); err != nil {
			return nil, err
		}
		if err := s.Indicators.CreateIndicator(ctx, i); err != nil {
			return nil, apiRenameFields(err, apiIndicatorFields)
		}
		return s.apiIndicatorOne(ctx, i)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "update-indicator", Method: http.MethodPut, Path: "/indicators/{id}",
		Summary: "Update an indicator (admins); fields left out keep their value",
	}, func(ctx context.Context, in *apiIDBody[apiIndicatorInput]) (*apiBody[apiIndicator], error) {
		i, err := s.Indicators.FindIndicatorByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		inp := &apiInput{s: s, ctx: ctx}
		in.Body.apply(inp, i)
		if err := inp.Err(); err != nil {
			return nil, err
		}
		if err := s.Indicators.UpdateIndicator(ctx, i); err != nil {
			return nil, apiRenameFields(err, apiIndicatorFields)
		}
		return s.apiIndicatorOne(ctx, i)
	})
}
