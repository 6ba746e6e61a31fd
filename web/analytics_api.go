package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// apiAnalyticsUnit is a row of a roll-up.
type apiAnalyticsUnit struct {
	Code string           `json:"code" doc:"Unit code; empty for the whole country"`
	Name string           `json:"name" doc:"Name in the request's language"`
	Type dxtrack.UnitType `json:"type,omitempty"`
}

// apiAnalyticsIndicator is a column of a roll-up.
type apiAnalyticsIndicator struct {
	Code     string          `json:"code"`
	Name     string          `json:"name" doc:"Name in the request's language"`
	Measure  string          `json:"measure,omitempty"`
	Decimals int             `json:"decimals"`
	UnitAgg  dxtrack.UnitAgg `json:"unit_agg" doc:"How values combine over units"`
	TimeAgg  dxtrack.TimeAgg `json:"time_agg" doc:"How values combine over periods"`
	Formula  string          `json:"formula,omitempty"`
}

// apiSpan is the periods a figure covers.
type apiSpan struct {
	From  string `json:"from" doc:"First period key, e.g. 2026-01"`
	To    string `json:"to" doc:"Last period key"`
	Label string `json:"label" doc:"The span in words, in the request's language"`
}

// apiAnalytics is a roll-up: a figure per unit, indicator and span.
type apiAnalytics struct {
	Unit       *apiAnalyticsUnit       `json:"unit" doc:"The unit asked about; null for the whole country"`
	Level      string                  `json:"level"`
	From       string                  `json:"from"`
	To         string                  `json:"to"`
	ByPeriod   bool                    `json:"by_period"`
	Units      []apiAnalyticsUnit      `json:"units"`
	Indicators []apiAnalyticsIndicator `json:"indicators"`
	Spans      []apiSpan               `json:"spans"`
	Values     [][][]*float64          `json:"values" doc:"Figures indexed [unit][indicator][span]; null where there is no value"`
	Formatted  [][][]string            `json:"formatted,omitempty" doc:"With formatted=true: the figures as the language writes them, \"\" where missing"`
}

// analyticsInput is the query of GET /analytics.
type analyticsInput struct {
	Indicator string `query:"indicator" doc:"Indicator codes, comma-separated" example:"DVC_ONLINE_RATE,DVC_RECEIVED"`
	Unit      string `query:"unit" doc:"Unit code (or id:N); empty for the whole country"`
	Level     string `query:"level" doc:"Rows: self (default), children, local (communes, wards, special zones) or a unit type (province, department, commune, ...)"`
	From      string `query:"from" doc:"First period: 2026-01, 2026-Q1, 2026-6M, 2026-9M or 2026; default this January"`
	To        string `query:"to" doc:"Last period, of the same frequency; default from (or this month when from is empty)"`
	ByPeriod  bool   `query:"by_period" doc:"A figure per period instead of one over the range"`
	Formatted bool   `query:"formatted" doc:"Add the figures formatted in the request's language"`
	Format    string `query:"format" doc:"json (default) or csv"`
	Accept    string `header:"Accept"`
}

func (s *Server) apiAnalytics(api huma.API) {
	apiRegister(s, api, huma.Operation{
		OperationID: "analytics", Method: http.MethodGet, Path: "/analytics",
		Summary: "Roll-ups of indicators over units and periods",
		Description: "Figures of indicators at a unit or at the units below it, over a range of periods, honouring each indicator's " +
			"aggregation, formulas and the lineage of merged units; a saved value counts at once. With `format=csv` or " +
			"`Accept: text/csv` the answer is CSV (UTF-8, numbers with a dot): a header row and one line per unit, indicator and span.",
		Responses: map[string]*huma.Response{"200": {Description: "The figures", Content: map[string]*huma.MediaType{
			"application/json": {Schema: huma.SchemaFromType(api.OpenAPI().Components.Schemas, reflectTypeOf[apiAnalytics]())},
			"text/csv":         {Schema: &huma.Schema{Type: "string"}},
		}}},
	}, func(ctx context.Context, in *analyticsInput) (*apiFile, error) {
		format := strings.ToLower(strings.TrimSpace(in.Format))
		switch format {
		case "":
			if strings.Contains(in.Accept, "text/csv") {
				format = "csv"
			}
		case "json", "csv":
		default:
			return nil, dxtrack.Invalid("format", "error.unknown_value", map[string]any{"Value": in.Format})
		}
		req, err := s.parseAnalytics(ctx, analyticsParams{Indicator: in.Indicator, Unit: in.Unit, Level: in.Level,
			From: in.From, To: in.To, ByPeriod: in.ByPeriod})
		if err != nil {
			return nil, err
		}
		t, err := s.runAnalytics(ctx, req)
		if err != nil {
			return nil, err
		}
		lang := langFrom(ctx)
		out := apiAnalyticsOf(t, locale.For(lang), in.Formatted)
		if format == "csv" {
			return &apiFile{ContentType: "text/csv; charset=utf-8",
				ContentDisposition: `attachment; filename="analytics_` + out.From + "_" + out.To + `.csv"`, Body: analyticsCSV(out)}, nil
		}
		b, err := json.Marshal(out)
		if err != nil {
			return nil, err
		}
		return &apiFile{ContentType: "application/json", Body: b}, nil
	})
}

func apiAnalyticsUnitOf(u *dxtrack.Unit, p *locale.Printer) apiAnalyticsUnit {
	if u == nil {
		return apiAnalyticsUnit{Name: p.T("analytics.country", nil)}
	}
	return apiAnalyticsUnit{Code: u.Code, Name: u.Name(p.Lang()), Type: u.Type}
}

func apiAnalyticsOf(t *analyticsTable, p *locale.Printer, formatted bool) apiAnalytics {
	out := apiAnalytics{Level: string(t.Level), From: t.From.Key(), To: t.To.Key(), ByPeriod: t.ByPeriod,
		Units: []apiAnalyticsUnit{}, Indicators: []apiAnalyticsIndicator{}, Spans: []apiSpan{}, Values: [][][]*float64{}}
	if t.Unit != nil {
		u := apiAnalyticsUnitOf(t.Unit, p)
		out.Unit = &u
	}
	for _, u := range t.Units {
		out.Units = append(out.Units, apiAnalyticsUnitOf(u, p))
	}
	for _, in := range t.Indicators {
		out.Indicators = append(out.Indicators, apiAnalyticsIndicator{Code: in.Code, Name: in.Name(p.Lang()), Measure: in.Measure,
			Decimals: in.Decimals, UnitAgg: in.EffectiveUnitAgg(), TimeAgg: in.EffectiveTimeAgg(), Formula: in.Formula})
	}
	for _, sp := range t.Res.Spans {
		out.Spans = append(out.Spans, apiSpan{From: sp.From.Key(), To: sp.To.Key(), Label: spanLabel(p, sp)})
	}
	if formatted {
		out.Formatted = [][][]string{}
	}
	for row := range t.Units {
		vs := make([][]*float64, len(t.Indicators))
		var fs [][]string
		if formatted {
			fs = make([][]string, len(t.Indicators))
		}
		for i, in := range t.Indicators {
			vs[i] = make([]*float64, len(t.Res.Spans))
			if formatted {
				fs[i] = make([]string, len(t.Res.Spans))
			}
			for k := range t.Res.Spans {
				if v, ok := t.value(row, i, k); ok {
					vs[i][k] = &v
					if formatted {
						fs[i][k] = figure(p, in, v)
					}
				}
			}
		}
		out.Values = append(out.Values, vs)
		if formatted {
			out.Formatted = append(out.Formatted, fs)
		}
	}
	return out
}

// analyticsCSV writes one line per unit, indicator and span; a missing
// figure is an empty cell.
func analyticsCSV(a apiAnalytics) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"unit", "unit_name", "indicator", "indicator_name", "from", "to", "value"})
	for row, u := range a.Units {
		for i, in := range a.Indicators {
			for k, sp := range a.Spans {
				v := ""
				if f := a.Values[row][i][k]; f != nil {
					v = strconv.FormatFloat(*f, 'f', -1, 64)
				}
				_ = w.Write([]string{u.Code, u.Name, in.Code, in.Name, sp.From, sp.To, v})
			}
		}
	}
	w.Flush()
	return buf.Bytes()
}
