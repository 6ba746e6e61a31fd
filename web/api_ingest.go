package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest"
	"github.com/dxtrack/dxtrack/locale"
)

// Ingester stores pushed batches: *ingest.Pipeline.
type Ingester interface {
	Push(ctx context.Context, src *dxtrack.DataSource, key string, records []dxtrack.Record) (*dxtrack.BatchResult, error)
}

// Limits of one pushed batch.
const (
	ingestMaxBytes   = 16 << 20
	ingestMaxRecords = 10_000
)

// ingestPath is where sources push their batches.
const ingestPath = apiPrefix + "/ingest/"

// ingestRoutes serves the push API, POST /api/v1/ingest/{source}, ahead
// of sessions, user authentication and the browser's cross-origin checks:
// a source authenticates with its own bearer token, which is no user's.
func (s *Server) ingestRoutes(next http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+ingestPath+"{source}", s.pushBatch)
	mux.HandleFunc(ingestPath, func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, ingestPath) {
			mux.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// ingestRefusal is the 422 answer to a batch refused whole: the API error
// shape naming each bad record as "records[i].field", and the batch
// result.
type ingestRefusal struct {
	apiError
	Result *dxtrack.BatchResult `json:"result"`
}

// pushBatch takes a batch of records: a JSON array or NDJSON, at most
// ingestMaxBytes and ingestMaxRecords, with an Idempotency-Key header. It
// answers 200 with the batch result once the batch is durable (also for a
// retry, with duplicate set), 422 when the source's policy refuses it
// whole, 401 for a bad token, 413 for a batch too large, 429 with
// Retry-After when the pipeline is busy.
func (s *Server) pushBatch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if s.Ingest == nil || s.Sources == nil {
		writeAPIError(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))
		return
	}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	src, err := s.Sources.SourceByToken(ctx, r.PathValue("source"), strings.TrimSpace(token))
	if dxtrack.ErrorCode(err) == dxtrack.EUNAUTHORIZED {
		// Not "sign in": a source has no user.
		writeAPIError(w, r, dxtrack.Errorf(dxtrack.EUNAUTHORIZED, "error.ingest_token", nil))
		return
	} else if err != nil {
		writeAPIError(w, r, err)
		return
	}
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if key == "" {
		// A request without its key is malformed (400), not a batch whose
		// records are wrong (422).
		e := apiProblem(context.WithValue(ctx, langKey{}, requestLang(r, nil)), s.Logger,
			dxtrack.Invalid("Idempotency-Key", "error.required", nil))
		e.Status = http.StatusBadRequest
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(e.Status)
		_ = json.NewEncoder(w).Encode(e)
		return
	}
	records, err := ingest.Decode(http.MaxBytesReader(w, r.Body, ingestMaxBytes), ingestMaxRecords)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeIngestError(w, r, http.StatusRequestEntityTooLarge, "too_large", "error.ingest_too_large",
			map[string]any{"Max": ingestMaxBytes >> 20})
		return
	case errors.Is(err, ingest.ErrTooLarge):
		writeIngestError(w, r, http.StatusRequestEntityTooLarge, "too_large", "error.ingest_too_many",
			map[string]any{"Max": ingestMaxRecords})
		return
	case err != nil:
		writeAPIError(w, r, err)
		return
	}
	res, err := s.Ingest.Push(ctx, src, key, records)
	switch {
	case err == nil:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(res)
	case errors.Is(err, ingest.ErrRefused):
		writeRefusal(w, r, res)
	case errors.Is(err, ingest.ErrBusy):
		w.Header().Set("Retry-After", "1")
		writeIngestError(w, r, http.StatusTooManyRequests, "busy", "error.ingest_busy", nil)
	case errors.Is(err, ingest.ErrTooLarge):
		writeIngestError(w, r, http.StatusRequestEntityTooLarge, "too_large", "error.ingest_too_many",
			map[string]any{"Max": ingestMaxRecords})
	case errors.Is(err, ingest.ErrClosed):
		w.Header().Set("Retry-After", "5")
		writeIngestError(w, r, http.StatusServiceUnavailable, "busy", "error.ingest_busy", nil)
	default:
		writeAPIError(w, r, err)
	}
}

// ingestPrinter is the printer of the request's language (the push API
// has no user: Accept-Language or ?lang=).
func ingestPrinter(r *http.Request) *locale.Printer {
	return locale.For(requestLang(r, nil))
}

// writeIngestError writes an error of the push API that has no domain
// code (a size limit, overload) in the API error shape.
func writeIngestError(w http.ResponseWriter, r *http.Request, status int, code, msgID string, args map[string]any) {
	e := &apiError{Status: status, Code: code, Message: ingestPrinter(r).T(msgID, args)}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(e)
}

// writeRefusal answers 422 to a batch refused whole.
func writeRefusal(w http.ResponseWriter, r *http.Request, res *dxtrack.BatchResult) {
	p := ingestPrinter(r)
	bad := map[int]bool{}
	for _, e := range res.Errors {
		bad[e.Index] = true
	}
	out := ingestRefusal{apiError: apiError{Status: http.StatusUnprocessableEntity, Code: dxtrack.EINVALID,
		Message: p.T("error.ingest_refused", map[string]any{"Count": len(bad)})}, Result: res}
	for _, e := range res.Errors {
		field := "records[" + strconv.Itoa(e.Index) + "]." + e.Field
		msg := e.Reason
		if e.MsgID != "" {
			msg = p.FieldError(dxtrack.FieldError{Field: e.Field, MsgID: e.MsgID, Args: e.Args})
		}
		out.Errors = append(out.Errors, apiFieldError{Field: field, Message: msg, MsgID: e.MsgID})
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusUnprocessableEntity)
	_ = json.NewEncoder(w).Encode(out)
}
