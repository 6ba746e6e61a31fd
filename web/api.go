package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"golang.org/x/text/language"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// apiPrefix is where the JSON API lives.
const apiPrefix = "/api/v1"

// apiError is the body of every API error response, whether the error came
// from a service or from huma's own checks of the request.
type apiError struct {
	Status  int             `json:"status" doc:"HTTP status code"`
	Code    string          `json:"code" doc:"Error code: invalid, not_found, forbidden, unauthorized, conflict or internal"`
	Message string          `json:"message" doc:"What went wrong, in the request's language"`
	Errors  []apiFieldError `json:"errors,omitempty" doc:"The fields at fault, for invalid input"`
}

// apiFieldError names one field at fault and says what is wrong with it.
type apiFieldError struct {
	Field   string `json:"field" doc:"Name of the field in the request body or query"`
	Message string `json:"message" doc:"What is wrong with it, in the request's language"`
	MsgID   string `json:"msg_id" doc:"Message-catalogue ID, stable across languages"`
}

func (e *apiError) Error() string  { return e.Code + ": " + e.Message }
func (e *apiError) GetStatus() int { return e.Status }

// ContentType makes huma send errors as problem documents.
func (e *apiError) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

type apiLoggerKey struct{}

func init() {
	// huma builds its own errors (malformed JSON, values of the wrong type,
	// bad path or query parameters) through these hooks; replacing them
	// gives those errors the same shape and language as the services'.
	// They are process-wide, and dxtrack has a single huma API.
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		if status == 0 {
			// The example huma describes error responses with.
			return &apiError{}
		}
		return apiHumaError(context.Background(), status, msg, errs)
	}
	huma.NewErrorWithContext = func(hctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
		return apiHumaError(hctx.Context(), status, msg, errs)
	}
}

// routesAPI registers the JSON API under /api/v1/ with its OpenAPI
// description at /api/v1/openapi.json.
func (s *Server) routesAPI(mux *http.ServeMux) {
	config := huma.DefaultConfig("dxtrack API", "1.0.0")
	config.Info.Description = "Programme documents, targets, tasks, units and users of a province's digital-transformation tracker. " +
		"Sign in with the session cookie or send `Authorization: Bearer TOKEN` (POST /me/tokens issues one). " +
		"Dates are YYYY-MM-DD; unit references in request bodies are unit codes."
	config.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", apiSchemaName)
	// Fields left out of a request body keep their value (updates) or are
	// reported by the domain's validation (creation), which names them.
	config.FieldsOptionalByDefault = true
	config.DocsPath = "" // the stock docs page loads scripts from a CDN
	config.SchemasPath = ""
	config.CreateHooks = nil // no $schema links in bodies
	config.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer"},
		"cookie": {Type: "apiKey", In: "cookie", Name: s.Sessions.Cookie.Name},
	}
	config.Security = []map[string][]string{{"bearer": {}}, {"cookie": {}}}
	api := humago.NewWithPrefix(mux, apiPrefix, config)

	api.UseMiddleware(func(hctx huma.Context, next func(huma.Context)) {
		hctx = huma.WithValue(hctx, apiLoggerKey{}, s.Logger)
		// Everything here is for signed-in users; the services check the
		// rest, so this only answers early and uniformly.
		hctx.SetHeader("Cache-Control", "no-store")
		if dxtrack.UserFromContext(hctx.Context()) == nil {
			_ = huma.WriteErr(api, hctx, http.StatusUnauthorized, "")
			return
		}
		next(hctx)
	})

	s.apiOverview(api)
	s.apiDocuments(api)
	s.apiTargets(api)
	s.apiTasks(api)
	s.apiUnits(api)
	s.apiCategories(api)
	s.apiUsers(api)
	s.apiIndicators(api)
	s.apiRegimes(api)
	s.apiCalendar(api)
	s.apiReports(api)
	s.apiAnalytics(api)
	s.apiValues(api)
	s.apiIndices(api)

	s.routesDHIS2(mux)

	// Anything else under the prefix is an API 404, not a UI page.
	mux.HandleFunc(apiPrefix+"/", func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))
	})
}

// apiSchemaName names the OpenAPI schemas after the Go types without
// their "api" prefix: apiTarget is "Target", apiList[apiTarget] "ListTarget".
func apiSchemaName(t reflect.Type, hint string) string {
	return strings.ReplaceAll(huma.DefaultSchemaNamer(t, hint), "Api", "")
}

// apiRegister registers an operation whose handler returns application
// errors, turning them into the API error shape.
func apiRegister[I, O any](s *Server, api huma.API, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	if op.Tags == nil {
		op.Tags = []string{strings.SplitN(strings.TrimPrefix(op.Path, "/"), "/", 2)[0]}
	}
	huma.Register(api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, apiProblem(ctx, s.Logger, err)
		}
		return out, nil
	})
}

// apiProblem turns an error into the API error shape in the request's
// language. Details of a non-application error go to the log only.
func apiProblem(ctx context.Context, logger *slog.Logger, err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	lang := langFrom(ctx)
	p := locale.For(lang)
	status := errorStatus(err)
	code := dxtrack.ErrorCode(err)
	if status == http.StatusInternalServerError {
		if logger == nil {
			logger = slog.Default()
		}
		logger.ErrorContext(ctx, "api", "err", err)
		return &apiError{Status: status, Code: dxtrack.EINTERNAL, Message: p.Error(err)}
	}
	e := &apiError{Status: status, Code: code, Message: p.Error(err)}
	for _, fe := range dxtrack.ErrorFields(err) {
		e.Errors = append(e.Errors, apiFieldError{Field: fe.Field, Message: p.FieldError(fe), MsgID: fe.MsgID})
	}
	return e
}

// writeAPIError writes err in the API error shape; the middleware calls it
// for a bad bearer token, before a handler runs.
func writeAPIError(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	if _, ok := ctx.Value(langKey{}).(string); !ok {
		ctx = context.WithValue(ctx, langKey{}, requestLang(r, nil))
	}
	e := apiProblem(ctx, nil, err)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(e)
}

// apiAcceptLanguage returns the first of "vi" and "en" an Accept-Language
// header prefers, or "".
func apiAcceptLanguage(header string) string {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return ""
	}
	for _, t := range tags {
		if b, _ := t.Base(); b.String() == "vi" || b.String() == "en" {
			return b.String()
		}
	}
	return ""
}

// apiHumaError builds the error for a request huma refused before any
// handler ran, translating huma's validation messages to catalogue IDs.
func apiHumaError(ctx context.Context, status int, msg string, errs []error) huma.StatusError {
	for _, err := range errs {
		var de *dxtrack.Error
		if errors.As(err, &de) {
			return apiProblem(ctx, nil, err)
		}
	}
	if status >= 500 {
		logger, _ := ctx.Value(apiLoggerKey{}).(*slog.Logger)
		if logger == nil {
			logger = slog.Default()
		}
		logger.ErrorContext(ctx, "api", "status", status, "msg", msg, "errs", errors.Join(errs...))
		return &apiError{Status: status, Code: dxtrack.EINTERNAL, Message: locale.For(langFrom(ctx)).T("error.internal", nil)}
	}
	code := dxtrack.EINVALID
	switch status {
	case http.StatusNotFound:
		code = dxtrack.ENOTFOUND
	case http.StatusUnauthorized:
		code = dxtrack.EUNAUTHORIZED
	case http.StatusForbidden:
		code = dxtrack.EFORBIDDEN
	case http.StatusConflict:
		code = dxtrack.ECONFLICT
	}
	p := locale.For(langFrom(ctx))
	e := &apiError{Status: status, Code: code, Message: p.T("error."+code, nil)}
	for _, err := range errs {
		var d *huma.ErrorDetail
		if err == nil {
			continue
		} else if !errors.As(err, &d) {
			d = &huma.ErrorDetail{Message: err.Error()}
		}
		fe := apiHumaField(d)
		e.Errors = append(e.Errors, apiFieldError{Field: fe.Field, Message: p.FieldError(fe), MsgID: fe.MsgID})
	}
	if len(e.Errors) == 0 && msg == "request body is required" {
		fe := dxtrack.FieldError{Field: "body", MsgID: "error.required"}
		e.Errors = append(e.Errors, apiFieldError{Field: fe.Field, Message: p.FieldError(fe), MsgID: fe.MsgID})
	}
	return e
}

var (
	apiRequiredProperty = regexp.MustCompile(`^expected required property (\S+) to be present`)
	apiOneOf            = regexp.MustCompile(`^expected value to be one of`)
)

// apiHumaField turns one of huma's validation details into a field error:
// "body.value" with "expected number" is field "value", error.not_a_number.
func apiHumaField(d *huma.ErrorDetail) dxtrack.FieldError {
	field := d.Location
	for _, loc := range []string{"body.", "query.", "path.", "header.", "cookie."} {
		field = strings.TrimPrefix(field, loc)
	}
	if field == "body" {
		field = ""
	}
	msgID := "error.invalid"
	var args map[string]any
	switch m := d.Message; {
	case m == "expected number" || m == "invalid float":
		msgID = "error.not_a_number"
	case m == "expected integer" || m == "invalid integer":
		msgID = "error.not_an_integer"
	case m == "expected string to be RFC 3339 date":
		msgID = "error.bad_date"
	case strings.HasPrefix(m, "expected number >= 0") || strings.HasPrefix(m, "expected number > 0"):
		msgID = "error.negative"
	case apiOneOf.MatchString(m):
		msgID = "error.unknown_value"
		args = map[string]any{"Value": d.Value}
	case strings.HasPrefix(m, "required ") && strings.HasSuffix(m, " parameter is missing"):
		msgID = "error.required"
	case apiRequiredProperty.MatchString(m):
		name := apiRequiredProperty.FindStringSubmatch(m)[1]
		if field != "" {
			name = field + "." + name
		}
		field, msgID = name, "error.required"
	}
	if field == "" {
		field = "body"
	}
	return dxtrack.FieldError{Field: field, MsgID: msgID, Args: args}
}

// apiRenameFields renames the fields of an invalid-input error to the
// names the API's request body uses, e.g. "owner_unit_id" to "owner_unit".
func apiRenameFields(err error, names map[string]string) error {
	var e *dxtrack.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]dxtrack.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		out.Fields[i] = f
	}
	return &out
}

// apiInput collects what is wrong with a request body while it is turned
// into domain values, so that every bad field is reported at once.
type apiInput struct {
	s        *Server
	ctx      context.Context
	problems dxtrack.Problems
	err      error // a failure other than bad input
}

// date reads an optional date field; "" and nil give the zero time.
func (in *apiInput) date(field string, v *string) time.Time {
	if v == nil || strings.TrimSpace(*v) == "" {
		return time.Time{}
	}
	t, err := dxtrack.ParseDate(strings.TrimSpace(*v))
	if err != nil {
		in.problems.Add(field, "error.bad_date", map[string]any{"Value": *v})
	}
	return t
}

// unit resolves a unit code of a request body; "" gives 0.
func (in *apiInput) unit(field, code string) int64 {
	id, err := in.s.unitIDByCode(in.ctx, field, code)
	in.add(err)
	return id
}

// units resolves a list of unit codes.
func (in *apiInput) units(field string, codes []string) []int64 {
	ids := make([]int64, 0, len(codes))
	for _, c := range codes {
		if id := in.unit(field, c); id != 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

func (in *apiInput) add(err error) {
	if err == nil {
		return
	}
	if fields := dxtrack.ErrorFields(err); len(fields) > 0 && dxtrack.ErrorCode(err) == dxtrack.EINVALID {
		in.problems = append(in.problems, fields...)
	} else if in.err == nil {
		in.err = err
	}
}

// Err returns the first failure, or the bad input, or nil.
func (in *apiInput) Err() error {
	if in.err != nil {
		return in.err
	}
	return in.problems.Err()
}

// apiNotFound is the error for a path that names nothing.
func apiNotFound() error { return dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil) }

// apiUnitRef resolves a unit named in a path or query: a unit code, or
// "id:N" for an ID. A bare number that is no unit's code is taken as an
// ID, since province codes ("22") and IDs share the same digits.
func (s *Server) apiUnitRef(ctx context.Context, ref string) (*dxtrack.Unit, error) {
	ref = strings.TrimSpace(ref)
	if n, ok := strings.CutPrefix(ref, "id:"); ok {
		id, err := strconv.ParseInt(n, 10, 64)
		if err != nil || id <= 0 {
			return nil, apiNotFound()
		}
		return s.Units.FindUnitByID(ctx, id)
	}
	u, err := s.Units.FindUnitByCode(ctx, ref)
	if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
		if id, perr := strconv.ParseInt(ref, 10, 64); perr == nil && id > 0 && !strings.HasPrefix(ref, "0") {
			return s.Units.FindUnitByID(ctx, id)
		}
	}
	return u, err
}

// apiUnitQuery resolves a unit reference given in a query parameter; an
// unknown one is an error on that parameter.
func (s *Server) apiUnitQuery(ctx context.Context, field, ref string) (int64, error) {
	if strings.TrimSpace(ref) == "" {
		return 0, nil
	}
	u, err := s.apiUnitRef(ctx, ref)
	if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
		return 0, dxtrack.Invalid(field, "error.unknown_unit", map[string]any{"Code": ref})
	} else if err != nil {
		return 0, err
	}
	return u.ID, nil
}

// apiUnitCodes looks up unit codes for responses, each unit once per
// request.
type apiUnitCodes struct {
	s     *Server
	ctx   context.Context
	codes map[int64]string
	err   error
}

func (s *Server) newUnitCodes(ctx context.Context) *apiUnitCodes {
	return &apiUnitCodes{s: s, ctx: ctx, codes: map[int64]string{}}
}

// code returns the code of unit id, "" for 0.
func (c *apiUnitCodes) code(id int64) string {
	if id == 0 {
		return ""
	}
	if code, ok := c.codes[id]; ok {
		return code
	}
	u, err := c.s.Units.FindUnitByID(c.ctx, id)
	if err != nil {
		if c.err == nil && dxtrack.ErrorCode(err) != dxtrack.ENOTFOUND {
			c.err = err
		}
		return ""
	}
	c.codes[id] = u.Code
	return u.Code
}

func (c *apiUnitCodes) list(ids []int64) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, c.code(id))
	}
	return out
}

// apiBody is the output of an operation that answers with a body.
type apiBody[T any] struct {
	Body T
}

func apiOK[T any](v T) (*apiBody[T], error) { return &apiBody[T]{Body: v}, nil }

// apiList is a page of a list and the count of all matches.
type apiList[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total" doc:"Number of all matches before paging"`
}

// apiPage makes the page of a list query from its offset and limit
// parameters (declared in each input, since huma reads no parameters from
// unexported embedded structs).
func apiPage(offset, limit int) dxtrack.Page { return dxtrack.Page{Offset: offset, Limit: limit} }

// apiID is the input of an operation on one item by numeric ID.
type apiID struct {
	ID int64 `path:"id" doc:"The item's ID"`
}

// apiIDBody is the input of an operation on one item by ID with a body.
type apiIDBody[T any] struct {
	ID   int64 `path:"id" doc:"The item's ID"`
	Body T
}

// apiCompletion is a completion rate with the formula the UI shows.
type apiCompletion struct {
	Done    int     `json:"done"`
	Total   int     `json:"total"`
	Percent float64 `json:"percent" doc:"Rate in percent, one decimal"`
	Formula string  `json:"formula" doc:"The rate as the UI shows it, e.g. \"11/27 = 40,7%\" (vi) or \"11/27 = 40.7%\" (en); \"—\" when there is nothing to complete"`
}

func apiCompletionOf(lang string, c dxtrack.Completion) apiCompletion {
	return apiCompletion{Done: c.Done, Total: c.Total, Percent: c.Percent(), Formula: locale.For(lang).Completion(c)}
}

// apiDay formats a date for a response; the zero time gives "".
func apiDay(t time.Time) string { return dxtrack.FormatDate(t) }

// apiFloatEqual compares optional numbers.
func apiFloatEqual(a, b *float64) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}
