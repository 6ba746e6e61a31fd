package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
)

// apiIndicator is an indicator with its owner unit's code.
type apiIndicator struct {
	ID        int64             `json:"id"`
	Code      string            `json:"code"`
	NameVI    string            `json:"name_vi"`
	NameEN    string            `json:"name_en"`
	Measure   string            `json:"measure,omitempty"`
	Type      dxtrack.ValueType `json:"type" enum:"number,count,percent"`
	Decimals  int               `json:"decimals"`
	Min       *float64          `json:"min,omitempty"`
	Max       *float64          `json:"max,omitempty"`
	Direction dxtrack.Direction `json:"direction" enum:"up,down"`
	OwnerUnit string            `json:"owner_unit,omitempty" doc:"Code of the unit in charge"`
}

func apiIndicatorOf(in *dxtrack.Indicator, codes *apiUnitCodes) apiIndicator {
	return apiIndicator{ID: in.ID, Code: in.Code, NameVI: in.NameVI, NameEN: in.NameEN, Measure: in.Measure, Type: in.Type,
		Decimals: in.Decimals, Min: in.Min, Max: in.Max, Direction: in.Direction, OwnerUnit: codes.code(in.OwnerUnitID)}
}

// apiIndicatorInput is the body of indicator creation and update; on
// update a field left out keeps its value.
type apiIndicatorInput struct {
	Code      *string  `json:"code"`
	NameVI    *string  `json:"name_vi"`
	NameEN    *string  `json:"name_en"`
	Measure   *string  `json:"measure"`
	Type      *string  `json:"type" enum:"number,count,percent"`
	Decimals  *int     `json:"decimals"`
	Min       *float64 `json:"min"`
	Max       *float64 `json:"max"`
	Direction *string  `json:"direction" enum:"up,down"`
	OwnerUnit *string  `json:"owner_unit" doc:"Code of the unit in charge"`
}

func (b *apiIndicatorInput) apply(in *apiInput, i *dxtrack.Indicator) {
	apiSet(&i.Code, b.Code)
	apiSet(&i.NameVI, b.NameVI)
	apiSet(&i.NameEN, b.NameEN)
	apiSet(&i.Measure, b.Measure)
	apiSet(&i.Decimals, b.Decimals)
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
		out := apiList[apiIndicator]{Items: make([]apiIndicator, 0, len(list)), Total: len(list)}
		for _, i := range list {
			out.Items = append(out.Items, apiIndicatorOf(i, codes))
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
		return apiOK(apiIndicatorOf(i, s.newUnitCodes(ctx)))
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
			return nil, apiRenameFields(err, map[string]string{"owner_unit_id": "owner_unit"})
		}
		return apiOK(apiIndicatorOf(i, s.newUnitCodes(ctx)))
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
			return nil, apiRenameFields(err, map[string]string{"owner_unit_id": "owner_unit"})
		}
		return apiOK(apiIndicatorOf(i, s.newUnitCodes(ctx)))
	})
}
