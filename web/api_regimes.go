package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// apiRegime is a reporting regime, units and indicators named by code,
// with its due period.
type apiRegime struct {
	ID             int64             `json:"id"`
	Code           string            `json:"code"`
	NameVI         string            `json:"name_vi"`
	NameEN         string            `json:"name_en"`
	Content        string            `json:"content"`
	Freq           dxtrack.Frequency `json:"freq" enum:"month,quarter,6months,9months,year"`
	ScopeUnit      string            `json:"scope_unit,omitempty" doc:"Code of the unit whose subtree's units of unit_types report"`
	UnitTypes      []string          `json:"unit_types"`
	Units          []string          `json:"units" doc:"Codes of units listed one by one"`
	OwnerUnit      string            `json:"owner_unit" doc:"Code of the receiving unit, the first approval level"`
	FinalUnit      string            `json:"final_unit,omitempty" doc:"Code of the last approval level"`
	SkipLevels     bool              `json:"skip_levels"`
	DeadlineDays   int               `json:"deadline_days" doc:"Working days after the data window closes"`
	RemindDays     int               `json:"remind_days"`
	OutlierShare   float64           `json:"outlier_share" doc:"Warn when a value moves by more than this share of last period's (0.5 = 50%)"`
	Outline        string            `json:"outline"`
	Items          []apiFormItem     `json:"items"`
	Rules          []dxtrack.Rule    `json:"rules"`
	Sections       []dxtrack.Section `json:"sections"`
	IncludeTargets bool              `json:"include_targets"`
	IncludeTasks   bool              `json:"include_tasks"`
	Active         bool              `json:"active"`
	Due            apiPeriod         `json:"due" doc:"The period due now: the nearest deadline on or after today"`
}

// apiFormItem is an item of a regime's data form.
type apiFormItem struct {
	Indicator   string `json:"indicator" doc:"Indicator code"`
	IndicatorID int64  `json:"indicator_id,omitempty"`
	Group       string `json:"group,omitempty"`
	Required    bool   `json:"required"`
}

// apiPeriod is a period with its data window and deadline.
type apiPeriod struct {
	Key      string `json:"key" doc:"2026-03, 2026-Q1, 2026-6M, 2026-9M or 2026"`
	From     string `json:"from" format:"date"`
	To       string `json:"to" format:"date"`
	Deadline string `json:"deadline" format:"date"`
}

func apiPeriodOf(rg *dxtrack.Regime, cal *dxtrack.Calendar, p dxtrack.Period) apiPeriod {
	from, to := p.Window()
	return apiPeriod{Key: p.Key(), From: apiDay(from), To: apiDay(to), Deadline: apiDay(dxtrack.Deadline(cal, p, rg.DeadlineDays))}
}

func (s *Server) apiRegimeOf(ctx context.Context, rg *dxtrack.Regime, cal *dxtrack.Calendar, byID map[int64]*dxtrack.Indicator) (apiRegime, error) {
	codes := s.newUnitCodes(ctx)
	out := apiRegime{
		ID: rg.ID, Code: rg.Code, NameVI: rg.NameVI, NameEN: rg.NameEN, Content: rg.Content, Freq: rg.Freq,
		ScopeUnit: codes.code(rg.ScopeUnitID), UnitTypes: []string{}, Units: codes.list(rg.UnitIDs),
		OwnerUnit: codes.code(rg.OwnerUnitID), FinalUnit: codes.code(rg.FinalUnitID), SkipLevels: rg.SkipLevels,
		DeadlineDays: rg.DeadlineDays, RemindDays: rg.RemindDays, OutlierShare: rg.OutlierShare, Outline: rg.Outline,
		Items: []apiFormItem{}, Rules: rg.Rules, Sections: rg.Sections,
		IncludeTargets: rg.IncludeTargets, IncludeTasks: rg.IncludeTasks, Active: rg.Active,
		Due: apiPeriodOf(rg, cal, duePeriod(rg, cal, s.Now())),
	}
	for _, t := range rg.UnitTypes {
		out.UnitTypes = append(out.UnitTypes, string(t))
	}
	for _, it := range rg.Items {
		item := apiFormItem{IndicatorID: it.IndicatorID, Group: it.Group, Required: it.Required}
		if in := byID[it.IndicatorID]; in != nil {
			item.Indicator = in.Code
		}
		out.Items = append(out.Items, item)
	}
	if out.Rules == nil {
		out.Rules = []dxtrack.Rule{}
	}
	if out.Sections == nil {
		out.Sections = []dxtrack.Section{}
	}
	return out, codes.err
}

// apiRegimeInput is the body of regime creation and update; on update a
// field left out keeps its value, a list given replaces the whole list.
type apiRegimeInput struct {
	Code           *string           `json:"code"`
	NameVI         *string           `json:"name_vi"`
	NameEN         *string           `json:"name_en"`
	Content        *string           `json:"content"`
	Freq           *string           `json:"freq" enum:"month,quarter,6months,9months,year"`
	ScopeUnit      *string           `json:"scope_unit" doc:"Unit code"`
	UnitTypes      []string          `json:"unit_types"`
	Units          []string          `json:"units" doc:"Unit codes"`
	OwnerUnit      *string           `json:"owner_unit" doc:"Unit code"`
	FinalUnit      *string           `json:"final_unit" doc:"Unit code"`
	SkipLevels     *bool             `json:"skip_levels"`
	DeadlineDays   *int              `json:"deadline_days"`
	RemindDays     *int              `json:"remind_days"`
	OutlierShare   *float64          `json:"outlier_share"`
	Outline        *string           `json:"outline"`
	Items          []apiFormItem     `json:"items" doc:"Each names its indicator by code"`
	Rules          []dxtrack.Rule    `json:"rules"`
	Sections       []dxtrack.Section `json:"sections"`
	IncludeTargets *bool             `json:"include_targets"`
	IncludeTasks   *bool             `json:"include_tasks"`
	Active         *bool             `json:"active"`
}

func (b *apiRegimeInput) apply(in *apiInput, rg *dxtrack.Regime, byCode map[string]*dxtrack.Indicator) {
	apiSet(&rg.Code, b.Code)
	apiSet(&rg.NameVI, b.NameVI)
	apiSet(&rg.NameEN, b.NameEN)
	apiSet(&rg.Content, b.Content)
	apiSet(&rg.SkipLevels, b.SkipLevels)
	apiSet(&rg.DeadlineDays, b.DeadlineDays)
	apiSet(&rg.RemindDays, b.RemindDays)
	apiSet(&rg.OutlierShare, b.OutlierShare)
	apiSet(&rg.Outline, b.Outline)
	apiSet(&rg.IncludeTargets, b.IncludeTargets)
	apiSet(&rg.IncludeTasks, b.IncludeTasks)
	apiSet(&rg.Active, b.Active)
	if b.Freq != nil {
		rg.Freq = dxtrack.Frequency(*b.Freq)
	}
	if b.ScopeUnit != nil {
		rg.ScopeUnitID = in.unit("scope_unit", *b.ScopeUnit)
	}
	if b.OwnerUnit != nil {
		rg.OwnerUnitID = in.unit("owner_unit", *b.OwnerUnit)
	}
	if b.FinalUnit != nil {
		rg.FinalUnitID = in.unit("final_unit", *b.FinalUnit)
	}
	if b.Units != nil {
		rg.UnitIDs = in.units("units", b.Units)
	}
	if b.UnitTypes != nil {
		rg.UnitTypes = []dxtrack.UnitType{}
		for _, t := range b.UnitTypes {
			rg.UnitTypes = append(rg.UnitTypes, dxtrack.UnitType(t))
		}
	}
	if b.Items != nil {
		rg.Items = []dxtrack.FormItem{}
		for i, it := range b.Items {
			id := it.IndicatorID
			if it.Indicator != "" {
				ind := byCode[it.Indicator]
				if ind == nil {
					in.problems.Add("items."+strconv.Itoa(i+1)+".indicator", "error.unknown_indicator", map[string]any{"Code": it.Indicator})
					continue
				}
				id = ind.ID
			}
			rg.Items = append(rg.Items, dxtrack.FormItem{IndicatorID: id, Group: it.Group, Required: it.Required})
		}
	}
	if b.Rules != nil {
		rg.Rules = b.Rules
	}
	if b.Sections != nil {
		rg.Sections = b.Sections
	}
}

// apiRegimeFields maps the domain's field names to the request body's.
var apiRegimeFields = map[string]string{"owner_unit_id": "owner_unit", "final_unit_id": "final_unit", "scope_unit_id": "scope_unit"}

// apiCompleteness is a regime's period across its reporting units.
type apiCompleteness struct {
	Regime    string                `json:"regime" doc:"Regime code"`
	Period    apiPeriod             `json:"period"`
	Counts    map[string]int        `json:"counts" doc:"Units per timeliness: on_time, late, missing, pending"`
	Submitted apiCompletion         `json:"submitted"`
	Timely    apiCompletion         `json:"timely"`
	Approved  apiCompletion         `json:"approved"`
	Units     []apiUnitCompleteness `json:"units"`
}

type apiUnitCompleteness struct {
	Unit        string               `json:"unit" doc:"Unit code"`
	UnitName    string               `json:"unit_name"`
	ReportID    int64                `json:"report_id,omitempty"`
	Status      dxtrack.ReportStatus `json:"status,omitempty"`
	Timeliness  dxtrack.Timeliness   `json:"timeliness"`
	SubmittedAt *time.Time           `json:"submitted_at,omitempty"`
	Officers    []string             `json:"officers"`
}

// apiConsolidated is the province's table of a period.
type apiConsolidated struct {
	Regime     string           `json:"regime"`
	Period     string           `json:"period"`
	Indicators []string         `json:"indicators" doc:"Indicator codes, the order of the values"`
	Rows       []apiConsolidRow `json:"rows"`
	Totals     []*float64       `json:"totals" doc:"Per indicator: the sum of counts, the mean of the others"`
	Reported   []apiCompletion  `json:"reported" doc:"Per indicator: units with a value"`
	Status     map[string]int   `json:"status"`
}

type apiConsolidRow struct {
	Unit     string               `json:"unit"`
	UnitName string               `json:"unit_name"`
	Status   dxtrack.ReportStatus `json:"status,omitempty"`
	Values   []*float64           `json:"values"`
}

// apiFile is a download: its bytes and how to name them.
type apiFile struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

func (s *Server) apiRegimes(api huma.API) {
	apiRegister(s, api, huma.Operation{
		OperationID: "list-regimes", Method: http.MethodGet, Path: "/regimes",
		Summary: "List reporting regimes",
	}, func(ctx context.Context, in *struct {
		Freq   string `query:"freq" enum:"month,quarter,6months,9months,year" doc:"Only regimes of this frequency"`
		Unit   string `query:"unit" doc:"Only regimes this unit reports under (code, or id:N)"`
		Active string `query:"active" enum:"true,false" doc:"Only active (true) or inactive (false) regimes"`
		Q      string `query:"q" doc:"Words in the code or name"`
	}) (*apiBody[apiList[apiRegime]], error) {
		unit, err := s.apiUnitQuery(ctx, "unit", in.Unit)
		if err != nil {
			return nil, err
		}
		f := dxtrack.RegimeFilter{Freq: dxtrack.Frequency(in.Freq), UnitID: unit, Query: in.Q}
		if in.Active != "" {
			a := in.Active == "true"
			f.Active = &a
		}
		rgs, err := s.Regimes.FindRegimes(ctx, f)
		if err != nil {
			return nil, err
		}
		cal, err := s.Calendar.Calendar(ctx)
		if err != nil {
			return nil, err
		}
		byID, _, err := s.indicatorMaps(ctx)
		if err != nil {
			return nil, err
		}
		out := apiList[apiRegime]{Items: make([]apiRegime, 0, len(rgs)), Total: len(rgs)}
		for _, rg := range rgs {
			a, err := s.apiRegimeOf(ctx, rg, cal, byID)
			if err != nil {
				return nil, err
			}
			out.Items = append(out.Items, a)
		}
		return apiOK(out)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "get-regime", Method: http.MethodGet, Path: "/regimes/{id}",
		Summary: "Read a reporting regime",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiRegime], error) {
		rg, err := s.Regimes.FindRegimeByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return s.apiRegimeOK(ctx, rg)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "create-regime", Method: http.MethodPost, Path: "/regimes",
		Summary: "Create a reporting regime (admins)", DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *struct{ Body apiRegimeInput }) (*apiBody[apiRegime], error) {
		_, byCode, err := s.indicatorMaps(ctx)
		if err != nil {
			return nil, err
		}
		inp := &apiInput{s: s, ctx: ctx}
		rg := &dxtrack.Regime{Active: true, UnitTypes: []dxtrack.UnitType{}, Items: []dxtrack.FormItem{}, Rules: []dxtrack.Rule{}, Sections: []dxtrack.Section{}}
		in.Body.apply(inp, rg, byCode)
		if err := inp.Err(); err != nil {
			return nil, err
		}
		if err := s.Regimes.CreateRegime(ctx, rg); err != nil {
			return nil, apiRenameFields(err, apiRegimeFields)
		}
		return s.apiRegimeOK(ctx, rg)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "update-regime", Method: http.MethodPut, Path: "/regimes/{id}",
		Summary: "Update a reporting regime (admins); fields left out keep their value",
	}, func(ctx context.Context, in *apiIDBody[apiRegimeInput]) (*apiBody[apiRegime], error) {
		rg, err := s.Regimes.FindRegimeByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		_, byCode, err := s.indicatorMaps(ctx)
		if err != nil {
			return nil, err
		}
		inp := &apiInput{s: s, ctx: ctx}
		in.Body.apply(inp, rg, byCode)
		if err := inp.Err(); err != nil {
			return nil, err
		}
		if err := s.Regimes.UpdateRegime(ctx, rg); err != nil {
			return nil, apiRenameFields(err, apiRegimeFields)
		}
		return s.apiRegimeOK(ctx, rg)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "regime-units", Method: http.MethodGet, Path: "/regimes/{id}/units",
		Summary: "The units that report under a regime today",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiList[apiUnitRef]], error) {
		units, err := s.Regimes.ReportingUnits(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		out := apiList[apiUnitRef]{Items: make([]apiUnitRef, 0, len(units)), Total: len(units)}
		for _, u := range units {
			out.Items = append(out.Items, apiUnitRef{ID: u.ID, Code: u.Code, NameVI: u.NameVI, NameEN: u.NameEN, Type: u.Type})
		}
		return apiOK(out)
	})

	type periodInput struct {
		ID     int64  `path:"id" doc:"The regime's ID"`
		Period string `query:"period" doc:"The period key (2026-10, 2026-Q3, 2026-6M, 2026-9M, 2026); the due one if left out"`
		Format string `query:"format" enum:"json,csv" doc:"json (default) or csv"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "regime-completeness", Method: http.MethodGet, Path: "/regimes/{id}/completeness",
		Summary: "Who reported a period on time, late or not at all",
	}, func(ctx context.Context, in *periodInput) (*apiBody[apiCompleteness], error) {
		rg, pd, cal, err := s.apiRegimePeriod(ctx, in.ID, in.Period)
		if err != nil {
			return nil, err
		}
		c, err := s.Reports.Completeness(ctx, rg.ID, pd)
		if err != nil {
			return nil, err
		}
		lang := langFrom(ctx)
		out := apiCompleteness{Regime: rg.Code, Period: apiPeriodOf(rg, cal, pd), Counts: map[string]int{},
			Submitted: apiCompletionOf(lang, c.Submitted), Timely: apiCompletionOf(lang, c.Timely), Approved: apiCompletionOf(lang, c.Approved),
			Units: []apiUnitCompleteness{}}
		for _, k := range []dxtrack.Timeliness{dxtrack.OnTime, dxtrack.Late, dxtrack.Missing, dxtrack.Pending} {
			out.Counts[string(k)] = c.Counts[k]
		}
		for _, l := range c.Units {
			line := apiUnitCompleteness{Unit: l.Unit.Code, UnitName: l.Unit.Name(lang), ReportID: l.ReportID, Status: l.Status, Timeliness: l.Timeliness, Officers: l.Officers}
			if !l.SubmittedAt.IsZero() {
				at := l.SubmittedAt
				line.SubmittedAt = &at
			}
			if line.Officers == nil {
				line.Officers = []string{}
			}
			out.Units = append(out.Units, line)
		}
		return apiOK(out)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "regime-consolidated", Method: http.MethodGet, Path: "/regimes/{id}/consolidated",
		Summary:     "The province's consolidated table of a period, as JSON or CSV",
		Description: "With `format=csv` the table comes as CSV (UTF-8, comma-separated, numbers with a dot), one row per unit and a total row.",
		Responses: map[string]*huma.Response{"200": {Description: "The table", Content: map[string]*huma.MediaType{
			"application/json": {Schema: huma.SchemaFromType(api.OpenAPI().Components.Schemas, reflectTypeOf[apiConsolidated]())},
			"text/csv":         {Schema: &huma.Schema{Type: "string"}},
		}}},
	}, func(ctx context.Context, in *periodInput) (*apiFile, error) {
		rg, pd, _, err := s.apiRegimePeriod(ctx, in.ID, in.Period)
		if err != nil {
			return nil, err
		}
		c, err := s.Reports.Consolidated(ctx, rg.ID, pd)
		if err != nil {
			return nil, err
		}
		out := apiConsolidatedOf(c, langFrom(ctx))
		if in.Format == "csv" {
			return &apiFile{ContentType: "text/csv; charset=utf-8",
				ContentDisposition: `attachment; filename="` + rg.Code + "_" + pd.Key() + `.csv"`, Body: consolidatedCSV(out, langFrom(ctx))}, nil
		}
		b, err := json.Marshal(out)
		if err != nil {
			return nil, err
		}
		return &apiFile{ContentType: "application/json", Body: b}, nil
	})
}

// apiUnitRef names a unit.
type apiUnitRef struct {
	ID     int64            `json:"id"`
	Code   string           `json:"code"`
	NameVI string           `json:"name_vi"`
	NameEN string           `json:"name_en,omitempty"`
	Type   dxtrack.UnitType `json:"type"`
}

func (s *Server) apiRegimeOK(ctx context.Context, rg *dxtrack.Regime) (*apiBody[apiRegime], error) {
	cal, err := s.Calendar.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.indicatorMaps(ctx)
	if err != nil {
		return nil, err
	}
	out, err := s.apiRegimeOf(ctx, rg, cal, byID)
	if err != nil {
		return nil, err
	}
	return apiOK(out)
}

// apiRegimePeriod reads a regime and a period key of it ("" for the due
// period).
func (s *Server) apiRegimePeriod(ctx context.Context, id int64, key string) (*dxtrack.Regime, dxtrack.Period, *dxtrack.Calendar, error) {
	rg, err := s.Regimes.FindRegimeByID(ctx, id)
	if err != nil {
		return nil, dxtrack.Period{}, nil, err
	}
	cal, err := s.Calendar.Calendar(ctx)
	if err != nil {
		return nil, dxtrack.Period{}, nil, err
	}
	pd, err := periodOf(formValues{"period": strings.TrimSpace(key)}, rg, s.Now())
	return rg, pd, cal, err
}

// formValues lets periodOf read a period given outside a request.
type formValues map[string]string

func (f formValues) FormValue(k string) string { return f[k] }

func apiConsolidatedOf(c *dxtrack.Consolidated, lang string) apiConsolidated {
	out := apiConsolidated{Regime: c.Regime.Code, Period: c.Period.Key(), Indicators: []string{}, Rows: []apiConsolidRow{},
		Totals: c.Totals, Reported: []apiCompletion{}, Status: map[string]int{}}
	for _, in := range c.Indicators {
		out.Indicators = append(out.Indicators, in.Code)
	}
	for _, r := range c.Rows {
		out.Rows = append(out.Rows, apiConsolidRow{Unit: r.Unit.Code, UnitName: r.Unit.Name(lang), Status: r.Status, Values: r.Values})
	}
	for _, r := range c.Reported {
		out.Reported = append(out.Reported, apiCompletionOf(lang, r))
	}
	for k, n := range c.Status {
		out.Status[string(k)] = n
	}
	if out.Totals == nil {
		out.Totals = []*float64{}
	}
	return out
}

// consolidatedCSV writes the table as CSV: numbers in the neutral form
// machines read, whatever the request's language.
func consolidatedCSV(c apiConsolidated, lang string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	_ = w.Write(append([]string{"unit", "unit_name", "status"}, c.Indicators...))
	for _, r := range c.Rows {
		rec := []string{r.Unit, r.UnitName, string(r.Status)}
		for _, v := range r.Values {
			rec = append(rec, num(v))
		}
		_ = w.Write(rec)
	}
	total := []string{"", locale.For(lang).T("table.total", nil), ""}
	for _, v := range c.Totals {
		total = append(total, num(v))
	}
	_ = w.Write(total)
	w.Flush()
	return buf.Bytes()
}

func reflectTypeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }
