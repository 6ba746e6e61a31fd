// Package web serves dxtrack over HTTP: the server-rendered UI (Vietnamese
// by default, English on request) and the JSON API under /api/v1/, both
// over the same services and so the same permissions.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/dxtrack/dxtrack"
)

// Server holds the services the handlers call. The fields are set by
// cmd/dxtrack before Handler is called.
type Server struct {
	Units      dxtrack.UnitService
	Documents  dxtrack.DocumentService
	Categories dxtrack.CategoryService
	Targets    dxtrack.TargetService
	Tasks      dxtrack.TaskService
	Users      dxtrack.UserService
	Audit      dxtrack.AuditService
	Overview   dxtrack.OverviewService
	Indicators dxtrack.IndicatorService
	Regimes    dxtrack.RegimeService
	Calendar   dxtrack.CalendarService
	Reports    dxtrack.ReportService

	// Analytics (issue 4): the roll-up engine, the value store, targets
	// per indicator, unit and year, and the imported unit boundaries
	// (nil: no map).
	Analytics        Analytics
	Values           dxtrack.ValueService
	IndicatorTargets dxtrack.IndicatorTargetService
	Boundaries       *Boundaries

	// DHIS2 imports DHIS2 data value sets and keeps their code tables
	// (nil: no DHIS2 endpoint).
	DHIS2 DHIS2Service

	// Indices keeps composite indices, their editions and scores (issue 5).
	Indices dxtrack.IndexService

	// Machine data (issue 6): the sources and their connectors' run log.
	Sources    dxtrack.DataSourceService
	SourceRuns SourceRuns
	// Ingest takes pushed batches (nil: no push API); see api_ingest.go.
	Ingest Ingester

	// Sessions keeps the signed-in user's ID under sessionUserKey. Its
	// Store is set to the database by the caller.
	// Trajectory holds the thresholds of target assessments; zero means
	// dxtrack.DefaultTrajectoryRule.
	Trajectory dxtrack.TrajectoryRule

	Sessions *scs.SessionManager
	Logger   *slog.Logger
	Now      func() time.Time

	// hasUsers turns true once a user exists and then stays so (users are
	// disabled, never deleted): the UI stops asking the store whether the
	// first-run page is needed.
	hasUsers atomic.Bool
}

const sessionUserKey = "user_id"

// NewServer returns a server with a session manager whose cookies are
// HttpOnly, SameSite=Lax and, when secure is true, Secure.
func NewServer(secure bool) *Server {
	sm := scs.New()
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 2 * time.Hour
	sm.Cookie.Name = "dxtrack_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	return &Server{Sessions: sm, Logger: slog.Default(), Now: time.Now}
}

// Handler returns the whole application: UI routes (routesUI), API routes
// (routesAPI) and static files, behind recovery, logging, cross-origin
// (CSRF) protection, sessions and authentication.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routesUI(mux)
	s.routesAPI(mux)
	var h http.Handler = mux
	h = s.authenticate(h)
	h = s.Sessions.LoadAndSave(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = s.ingestRoutes(h) // the push API authenticates by source token, before users and sessions
	h = s.recoverPanics(h)
	h = s.logRequests(h)
	return h
}

// authenticate puts the user of a bearer token or of the session into the
// request context, and the interface language into it too. It refuses
// nothing: handlers and services decide what needs a user.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var user *dxtrack.User
		if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			u, err := s.Users.UserByToken(ctx, strings.TrimSpace(token))
			if err != nil {
				writeAPIError(w, r, err)
				return
			}
			user = u
		} else if id := s.Sessions.GetInt64(ctx, sessionUserKey); id != 0 {
			if u, err := s.Users.SessionUser(ctx, id); err == nil {
				user = u
			} else {
				// A disabled or removed user loses the session at once.
				s.Sessions.Remove(ctx, sessionUserKey)
			}
		}
		if user != nil {
			ctx = dxtrack.NewContextWithUser(ctx, user)
		}
		ctx = context.WithValue(ctx, langKey{}, requestLang(r, user))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type langKey struct{}

// requestLang picks the interface language: ?lang=, then the "lang"
// cookie, then (for the API only) Accept-Language, then the user's
// setting, then Vietnamese. Pages ignore Accept-Language so that they stay
// Vietnamese by default whatever the browser's language.
func requestLang(r *http.Request, u *dxtrack.User) string {
	for _, l := range []string{r.URL.Query().Get("lang"), cookieValue(r, "lang")} {
		if l == "vi" || l == "en" {
			return l
		}
	}
	if strings.HasPrefix(r.URL.Path, apiPrefix+"/") {
		if l := apiAcceptLanguage(r.Header.Get("Accept-Language")); l != "" {
			return l
		}
	}
	if u != nil && u.Lang == "en" {
		return "en"
	}
	return "vi"
}

func cookieValue(r *http.Request, name string) string {
	if c, err := r.Cookie(name); err == nil {
		return c.Value
	}
	return ""
}

// langFrom returns the interface language of the request.
func langFrom(ctx context.Context) string {
	if l, ok := ctx.Value(langKey{}).(string); ok {
		return l
	}
	return "vi"
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				s.Logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		s.Logger.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	})
}

// errorStatus maps an application error code to an HTTP status.
func errorStatus(err error) int {
	switch dxtrack.ErrorCode(err) {
	case dxtrack.EINVALID:
		return http.StatusUnprocessableEntity
	case dxtrack.ENOTFOUND:
		return http.StatusNotFound
	case dxtrack.EFORBIDDEN:
		return http.StatusForbidden
	case dxtrack.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case dxtrack.ECONFLICT:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// unitIDByCode resolves a unit code typed in a form or sent in an API body;
// "" resolves to 0 and an unknown code is an error on the field.
func (s *Server) unitIDByCode(ctx context.Context, field, code string) (int64, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return 0, nil
	}
	u, err := s.Units.FindUnitByCode(ctx, code)
	if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
		return 0, dxtrack.Invalid(field, "error.unknown_unit", map[string]any{"Code": code})
	} else if err != nil {
		return 0, err
	}
	return u.ID, nil
}
