package web

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/dhis2"
	"github.com/dxtrack/dxtrack/locale"
)

// DHIS2Service imports DHIS2 data value sets and keeps the code tables
// that map DHIS2's identifiers (store.DHIS2Service).
type DHIS2Service interface {
	ImportDataValues(ctx context.Context, set *dhis2.DataValueSet, o dhis2.Options) (*dhis2.ImportSummary, error)
	ElementMaps(ctx context.Context) ([]dhis2.ElementMap, error)
	OrgUnitMaps(ctx context.Context) ([]dhis2.OrgUnitMap, error)
	SaveElementMap(ctx context.Context, m *dhis2.ElementMap) error
	SaveOrgUnitMap(ctx context.Context, m *dhis2.OrgUnitMap) error
	DeleteElementMap(ctx context.Context, id int64) error
	DeleteOrgUnitMap(ctx context.Context, id int64) error
}

// maxDataValueSet bounds the body of a push.
const maxDataValueSet = 32 << 20

// routesDHIS2 registers DHIS2's import endpoint, at dxtrack's API prefix
// and where a tool configured with dxtrack as its DHIS2 server looks for
// it. It is outside huma: DHIS2 clients sign in with HTTP Basic, send CSV
// as well as JSON, and expect DHIS2's answers, not dxtrack's.
func (s *Server) routesDHIS2(mux *http.ServeMux) {
	mux.HandleFunc("POST "+apiPrefix+"/dataValueSets", s.importDataValueSet)
	mux.HandleFunc("POST /api/dataValueSets", s.importDataValueSet)
}

// importDataValueSet answers POST /api/v1/dataValueSets: a DHIS2 data
// value set in JSON (application/json) or CSV (application/csv, text/csv)
// is imported into the value store and answered with DHIS2's import
// summary. The caller signs in with HTTP Basic (username and password), a
// bearer token or the session. Query parameters: dryRun=true checks and
// counts without storing; importStrategy CREATE_AND_UPDATE (default),
// CREATE or UPDATE (DELETE is refused value by value).
func (s *Server) importDataValueSet(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	w.Header().Set("Cache-Control", "no-store")
	if dxtrack.UserFromContext(ctx) == nil {
		name, password, ok := r.BasicAuth()
		if !ok {
			s.dhis2Refuse(w, http.StatusUnauthorized, p.T("error.unauthorized", nil))
			return
		}
		u, err := s.Users.Authenticate(ctx, name, password)
		if err != nil {
			if code := dxtrack.ErrorCode(err); code != dxtrack.EUNAUTHORIZED && code != dxtrack.EINVALID && code != dxtrack.ENOTFOUND && code != dxtrack.EFORBIDDEN {
				s.Logger.Error("dhis2 sign-in", "err", err)
				s.dhis2Refuse(w, http.StatusInternalServerError, p.T("error.internal", nil))
				return
			}
			s.dhis2Refuse(w, http.StatusUnauthorized, p.T("dhis2.bad_credentials", nil))
			return
		}
		ctx = dxtrack.NewContextWithUser(ctx, u)
	}
	if s.DHIS2 == nil {
		s.dhis2Refuse(w, http.StatusNotFound, p.T("error.not_found", nil))
		return
	}
	q := r.URL.Query()
	o := dhis2.Options{ImportStrategy: q.Get("importStrategy")}
	if v := q.Get("dryRun"); v != "" {
		dry, err := strconv.ParseBool(v)
		if err != nil {
			s.dhis2Refuse(w, http.StatusBadRequest, p.T("dhis2.bad_param", map[string]any{"Field": "dryRun", "Value": v}))
			return
		}
		o.DryRun = dry
	}
	body := http.MaxBytesReader(w, r.Body, maxDataValueSet)
	var set *dhis2.DataValueSet
	var err error
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case mt == "application/csv" || mt == "text/csv":
		set, err = dhis2.ReadCSV(body)
	case mt == "" || mt == "application/json" || strings.HasSuffix(mt, "+json"):
		set, err = dhis2.ReadJSON(body)
	default:
		s.dhis2Refuse(w, http.StatusUnsupportedMediaType, p.T("dhis2.bad_media_type", map[string]any{"Value": mt}))
		return
	}
	if err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			s.dhis2Refuse(w, http.StatusRequestEntityTooLarge, p.T("dhis2.too_large", map[string]any{"Max": maxDataValueSet >> 20}))
			return
		}
		s.dhis2Refuse(w, http.StatusBadRequest, p.T("dhis2.bad_payload", map[string]any{"Value": err.Error()}))
		return
	}
	sum, err := s.DHIS2.ImportDataValues(ctx, set, o)
	if err != nil {
		status := errorStatus(err)
		if status == http.StatusInternalServerError {
			s.Logger.Error("dhis2 import", "err", err)
		}
		s.dhis2Refuse(w, status, p.Error(err))
		return
	}
	sum.Describe(p.T)
	msg := dhis2.Message(sum)
	if msg.HTTPStatusCode == http.StatusOK {
		msg.Message = p.T("dhis2.message_ok", nil)
	} else {
		msg.Message = p.T("dhis2.message_conflict", nil)
	}
	writeDHIS2(w, msg.HTTPStatusCode, msg)
}

// dhis2Refuse answers a request refused as a whole with DHIS2's web
// message.
func (s *Server) dhis2Refuse(w http.ResponseWriter, status int, message string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="dxtrack"`)
	}
	writeDHIS2(w, status, &dhis2.WebMessage{HTTPStatus: http.StatusText(status), HTTPStatusCode: status, Status: "ERROR",
		Message: message})
}

func writeDHIS2(w http.ResponseWriter, status int, m *dhis2.WebMessage) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(m)
}
