package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
)

// apiValue is a stored value with its unit's and indicator's codes.
type apiValue struct {
	Unit       string             `json:"unit" doc:"Unit code"`
	Indicator  string             `json:"indicator" doc:"Indicator code"`
	Period     string             `json:"period" doc:"Period key: 2026-03, 2026-Q1, 2026-6M, 2026-9M or 2026"`
	Value      float64            `json:"value"`
	Provenance dxtrack.Provenance `json:"provenance" enum:"manual,machine,formula,corrected"`
	By         int64              `json:"by,omitempty" doc:"ID of the user who set it"`
	At         time.Time          `json:"at"`
}

// apiValueInput is one value to set.
type apiValueInput struct {
	Unit      string   `json:"unit" doc:"Unit code"`
	Indicator string   `json:"indicator" doc:"Indicator code"`
	Period    string   `json:"period" doc:"Period key: 2026-03, 2026-Q1, 2026-6M, 2026-9M or 2026"`
	Value     *float64 `json:"value"`
}

// apiValuesInput is the body of POST /values.
type apiValuesInput struct {
	Values []apiValueInput `json:"values" maxItems:"1000"`
	Reason string          `json:"reason" doc:"Why; required to correct a value that came from another system"`
}

func (s *Server) apiValues(api huma.API) {
	apiRegister(s, api, huma.Operation{
		OperationID: "list-values", Method: http.MethodGet, Path: "/values",
		Summary: "List stored values (as reported, not rolled up)",
	}, func(ctx context.Context, in *struct {
		Indicator string `query:"indicator" doc:"Indicator code"`
		Unit      string `query:"unit" doc:"Unit code (or id:N)"`
		From      string `query:"from" doc:"First period key, inclusive"`
		To        string `query:"to" doc:"Last period key, inclusive, of the same frequency"`
	}) (*apiBody[apiList[apiValue]], error) {
		var probs dxtrack.Problems
		var f dxtrack.ValueFilter
		var ind *dxtrack.Indicator
		if code := strings.TrimSpace(in.Indicator); code != "" {
			i, err := s.Indicators.FindIndicatorByCode(ctx, code)
			if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
				probs.Add("indicator", "error.no_indicator", map[string]any{"Code": code})
			} else if err != nil {
				return nil, err
			} else {
				ind, f.IndicatorID = i, i.ID
			}
		}
		unitID, err := s.apiUnitQuery(ctx, "unit", in.Unit)
		if dxtrack.ErrorCode(err) == dxtrack.EINVALID {
			probs = append(probs, dxtrack.ErrorFields(err)...)
		} else if err != nil {
			return nil, err
		}
		f.UnitID = unitID
		for _, b := range []struct {
			field, key string
			dst        **dxtrack.Period
		}{{"from", in.From, &f.From}, {"to", in.To, &f.To}} {
			if strings.TrimSpace(b.key) == "" {
				continue
			}
			p, err := dxtrack.ParsePeriod(b.key)
			if err != nil {
				probs.Add(b.field, "error.period", map[string]any{"Value": b.key})
				continue
			}
			*b.dst = &p
		}
		if f.From != nil && f.To != nil && f.From.Freq != f.To.Freq {
			probs.Add("to", "error.period_mixed", map[string]any{"Value": in.To})
		}
		if err := probs.Err(); err != nil {
			return nil, err
		}
		vs, err := s.Values.FindValues(ctx, f)
		if err != nil {
			return nil, err
		}
		return s.apiValueList(ctx, vs, ind)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "value-history", Method: http.MethodGet, Path: "/values/history",
		Summary:     "A value's history: every change, newest first",
		Description: "An entry per changed field (`value`, `provenance`) of each change, with who, when, old and new value and the reason of a correction. Empty when the value was never set.",
	}, func(ctx context.Context, in *struct {
		Unit      string `query:"unit" required:"true" doc:"Unit code (or id:N)"`
		Indicator string `query:"indicator" required:"true" doc:"Indicator code"`
		Period    string `query:"period" required:"true" doc:"Period key: 2026-03, 2026-Q1, 2026-6M, 2026-9M or 2026"`
	}) (*apiBody[apiAuditList], error) {
		var probs dxtrack.Problems
		unitID, err := s.apiUnitQuery(ctx, "unit", in.Unit)
		if dxtrack.ErrorCode(err) == dxtrack.EINVALID {
			probs = append(probs, dxtrack.ErrorFields(err)...)
		} else if err != nil {
			return nil, err
		} else if unitID == 0 {
			probs.Add("unit", "error.required", nil)
		}
		var indicatorID int64
		if code := strings.TrimSpace(in.Indicator); code == "" {
			probs.Add("indicator", "error.required", nil)
		} else if ind, err := s.Indicators.FindIndicatorByCode(ctx, code); dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			probs.Add("indicator", "error.no_indicator", map[string]any{"Code": code})
		} else if err != nil {
			return nil, err
		} else {
			indicatorID = ind.ID
		}
		pd, err := dxtrack.ParsePeriod(strings.TrimSpace(in.Period))
		if err != nil {
			probs.Add("period", "error.period", map[string]any{"Value": in.Period})
		}
		if err := probs.Err(); err != nil {
			return nil, err
		}
		entries, err := s.Values.ValueHistory(ctx, unitID, indicatorID, pd)
		if err != nil {
			return nil, err
		}
		if entries == nil {
			entries = []*dxtrack.AuditEntry{}
		}
		return apiOK(apiAuditList{Items: entries})
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "set-values", Method: http.MethodPost, Path: "/values",
		Summary:     "Set values (reporters of the unit, admins over it)",
		Description: "Sets every value or none. The values are manual; one that replaces a value from another system is a correction and needs `reason`. Roll-ups count them at once.",
	}, func(ctx context.Context, in *struct{ Body apiValuesInput }) (*apiBody[apiList[apiValue]], error) {
		var probs dxtrack.Problems
		if len(in.Body.Values) == 0 {
			probs.Add("values", "error.required", nil)
		}
		vs := make([]dxtrack.Value, 0, len(in.Body.Values))
		inds := map[string]*dxtrack.Indicator{}
		for i, b := range in.Body.Values {
			field := "values[" + strconv.Itoa(i) + "]."
			v := dxtrack.Value{Provenance: dxtrack.FromManual}
			id, err := s.unitIDByCode(ctx, field+"unit", b.Unit)
			switch {
			case dxtrack.ErrorCode(err) == dxtrack.EINVALID:
				probs = append(probs, dxtrack.ErrorFields(err)...)
			case err != nil:
				return nil, err
			case id == 0:
				probs.Add(field+"unit", "error.required", nil)
			}
			v.UnitID = id
			code := strings.TrimSpace(b.Indicator)
			if inds[code] == nil && code != "" {
				ind, err := s.Indicators.FindIndicatorByCode(ctx, code)
				if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
					probs.Add(field+"indicator", "error.no_indicator", map[string]any{"Code": code})
				} else if err != nil {
					return nil, err
				} else {
					inds[code] = ind
				}
			} else if code == "" {
				probs.Add(field+"indicator", "error.required", nil)
			}
			if ind := inds[code]; ind != nil {
				v.IndicatorID = ind.ID
			}
			if p, err := dxtrack.ParsePeriod(b.Period); err != nil {
				probs.Add(field+"period", "error.period", map[string]any{"Value": b.Period})
			} else {
				v.Period = p
			}
			if b.Value == nil {
				probs.Add(field+"value", "error.required", nil)
			} else {
				v.Value = *b.Value
			}
			vs = append(vs, v)
		}
		if err := probs.Err(); err != nil {
			return nil, err
		}
		if err := s.Values.SetValues(ctx, vs, in.Body.Reason); err != nil {
			return nil, err
		}
		// Read back what was stored: the store decides whether a value is
		// manual or a correction, and who set it when.
		var out []dxtrack.Value
		for _, v := range vs {
			p := v.Period
			got, err := s.Values.FindValues(ctx, dxtrack.ValueFilter{IndicatorID: v.IndicatorID, UnitID: v.UnitID, From: &p, To: &p})
			if err != nil {
				return nil, err
			}
			out = append(out, got...)
		}
		return s.apiValueList(ctx, out, nil)
	})
}

// apiValueList names the units and indicators of values by their codes.
func (s *Server) apiValueList(ctx context.Context, vs []dxtrack.Value, ind *dxtrack.Indicator) (*apiBody[apiList[apiValue]], error) {
	codes := s.newUnitCodes(ctx)
	indCodes := map[int64]string{}
	if ind != nil {
		indCodes[ind.ID] = ind.Code
	}
	out := apiList[apiValue]{Items: make([]apiValue, 0, len(vs)), Total: len(vs)}
	for _, v := range vs {
		code, ok := indCodes[v.IndicatorID]
		if !ok {
			in, err := s.Indicators.FindIndicatorByID(ctx, v.IndicatorID)
			if err != nil {
				return nil, err
			}
			code, indCodes[v.IndicatorID] = in.Code, in.Code
		}
		out.Items = append(out.Items, apiValue{Unit: codes.code(v.UnitID), Indicator: code, Period: v.Period.Key(),
			Value: v.Value, Provenance: v.Provenance, By: v.By, At: v.At})
	}
	if codes.err != nil {
		return nil, codes.err
	}
	return apiOK(out)
}
