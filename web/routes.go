package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// routesUI registers the pages and form actions of the UI. Every page but
// the login, first-run, language and static routes needs a signed-in user;
// while the store has no user at all, every page leads to /setup.
func (s *Server) routesUI(mux *http.ServeMux) {
	mux.Handle("GET /static/", s.staticHandler())
	mux.HandleFunc("GET /lang", s.switchLang)

	public := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, s.setupGate(h)) }
	public("GET /login", s.showLogin)
	public("POST /login", s.login)
	public("POST /logout", s.logout)
	mux.HandleFunc("GET /setup", s.showSetup)
	mux.HandleFunc("POST /setup", s.setup)

	user := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, s.setupGate(s.needUser(h))) }
	user("GET /{$}", s.showOverview)

	user("GET /documents", s.listDocuments)
	user("GET /documents/new", s.newDocument)
	user("POST /documents", s.saveDocument)
	user("GET /documents/{id}", s.showDocument)
	user("GET /documents/{id}/edit", s.editDocument)
	user("POST /documents/{id}", s.saveDocument)
	user("GET /documents/{id}/delete", s.confirmDelete(documentDeletable))
	user("POST /documents/{id}/delete", s.deleteItem(documentDeletable))

	user("GET /targets", s.listTargets)
	user("GET /targets/new", s.newTarget)
	user("POST /targets", s.saveTarget)
	user("GET /targets/{id}", s.showTarget)
	user("GET /targets/{id}/edit", s.editTarget)
	user("POST /targets/{id}", s.saveTarget)
	user("POST /targets/{id}/report", s.reportTarget)
	user("POST /targets/{id}/override", s.overrideTarget)
	user("GET /targets/{id}/delete", s.confirmDelete(targetDeletable))
	user("POST /targets/{id}/delete", s.deleteItem(targetDeletable))

	user("GET /tasks", s.listTasks)
	user("GET /tasks/new", s.newTask)
	user("GET /tasks/target-choices", s.taskTargetChoices)
	user("POST /tasks", s.saveTask)
	user("GET /tasks/{id}", s.showTask)
	user("GET /tasks/{id}/edit", s.editTask)
	user("POST /tasks/{id}", s.saveTask)
	user("POST /tasks/{id}/report", s.reportTask)
	user("POST /tasks/{id}/override", s.overrideTask)
	user("GET /tasks/{id}/delete", s.confirmDelete(taskDeletable))
	user("POST /tasks/{id}/delete", s.deleteItem(taskDeletable))

	user("GET /units", s.listUnits)
	user("GET /units/options", s.unitOptions)
	user("GET /units/new", s.newUnit)
	user("POST /units/new", s.saveUnit)
	user("GET /units/{id}", s.showUnit)
	user("GET /units/{id}/children", s.unitChildren)
	user("GET /units/{id}/edit", s.editUnit)
	user("POST /units/{id}/edit", s.saveUnit)
	user("GET /units/{id}/merge", s.showMergeUnit)
	user("POST /units/{id}/merge", s.mergeUnit)
	user("GET /units/{id}/split", s.showSplitUnit)
	user("POST /units/{id}/split", s.splitUnit)

	user("GET /users", s.listUsers)
	user("GET /users/new", s.newUser)
	user("POST /users", s.saveUser)
	user("GET /users/{id}/edit", s.editUser)
	user("POST /users/{id}", s.saveUser)

	user("GET /account", s.showAccount)
	user("POST /account", s.saveAccount)
	user("POST /account/tokens", s.createToken)
	user("POST /account/tokens/{id}/revoke", s.revokeToken)

	user("GET /categories", s.listCategories)
	user("POST /categories", s.saveCategory)
	user("GET /categories/{id}/edit", s.editCategory)
	user("POST /categories/{id}", s.saveCategory)
	user("POST /categories/{id}/delete", s.deleteCategory)

	// Periodic reporting (W3).
	user("GET /indicators", s.listIndicators)
	user("GET /indicators/new", s.newIndicator)
	user("POST /indicators", s.saveIndicator)
	user("GET /indicators/{id}/edit", s.editIndicator)
	user("POST /indicators/{id}", s.saveIndicator)
	user("GET /calendar", s.showCalendar)
	user("POST /calendar", s.saveCalendarDay)
	user("POST /calendar/{date}/delete", s.deleteCalendarDay)
	user("GET /regimes", s.listRegimes)
	user("GET /regimes/new", s.newRegime)
	user("POST /regimes", s.saveRegime)
	user("GET /regimes/{id}", s.showRegime)
	user("GET /regimes/{id}/edit", s.editRegime)
	user("POST /regimes/{id}", s.saveRegime)
	user("GET /regimes/{id}/completeness", s.showCompleteness)
	user("GET /regimes/{id}/table", s.showTable)
	user("GET /regimes/{id}/table.xlsx", s.downloadTable)
	user("GET /reports", s.listReports)
	user("POST /reports/open", s.openReport)
	user("GET /reports/{id}", s.showReport)
	user("POST /reports/{id}/save", s.saveReport)
	user("POST /reports/{id}/submit", s.actReport(dxtrack.ActionSubmit))
	user("POST /reports/{id}/approve", s.actReport(dxtrack.ActionApprove))
	user("POST /reports/{id}/return", s.actReport(dxtrack.ActionReturn))
	user("POST /reports/{id}/unlock", s.actReport(dxtrack.ActionUnlock))
	user("GET /reports/{id}/xlsx", s.downloadReportForm)
	user("POST /reports/{id}/xlsx", s.uploadReportForm)
	user("POST /reports/{id}/tasks/{taskID}/evidence", s.uploadEvidence)
	user("GET /reports/{id}/evidence/{eid}", s.downloadEvidence)

	// DHIS2 code tables (machine data, issue 6).
	user("GET /dhis2", s.showDHIS2)
	user("POST /dhis2/elements", s.saveDHIS2Element)
	user("POST /dhis2/elements/{id}/delete", s.deleteDHIS2Element)
	user("POST /dhis2/org-units", s.saveDHIS2OrgUnit)
	user("POST /dhis2/org-units/{id}/delete", s.deleteDHIS2OrgUnit)

	// Analytics: values, indicator targets and the dashboard (A2).
	user("GET /values", s.showValues)
	user("POST /values", s.saveValue)
	user("POST /values/targets", s.saveIndicatorTarget)
	user("POST /values/targets/{id}/delete", s.deleteIndicatorTarget)
	user("GET /dashboard", s.showDashboard)
	user("GET /dashboard/boundaries.json", s.serveBoundaries)
	user("POST /dashboard/boundaries", s.uploadBoundaries)

	// Machine data: sources and their connectors (issue 6).
	user("GET /sources", s.listSources)
	user("GET /sources/new", s.newSource)
	user("POST /sources", s.saveSource)
	user("GET /sources/{code}", s.showSource)
	user("GET /sources/{code}/edit", s.editSource)
	user("POST /sources/{code}", s.saveSource)
	user("POST /sources/{code}/rotate", s.rotateSourceToken)
	user("POST /sources/{code}/revoke", s.revokeSourceToken)

	// Composite indices (issue 5).
	user("GET /indices", s.listIndices)
	user("POST /indices/import", s.importIndex)
	user("GET /indices/definitions/{id}", s.showDefinition)
	user("GET /indices/definitions/{id}/export", s.exportDefinition)
	user("POST /indices/definitions/{id}/editions", s.createIndicatorEdition)
	user("POST /indices/editions", s.createEdition)
	user("GET /indices/editions/{id}", s.showEdition)
	user("GET /indices/editions/{id}/xlsx", s.downloadEdition)
	user("POST /indices/editions/{id}/refresh", s.refreshEdition)
	user("POST /indices/editions/{id}/derive", s.deriveEdition)
	user("GET /indices/editions/{id}/units/{code}", s.showIndexUnit)
	user("GET /indices/editions/{id}/gap", s.showGap)
	user("GET /indices/editions/{id}/whatif", s.showWhatIf)
	user("POST /indices/editions/{id}/whatif", s.runWhatIf)
	user("GET /indices/editions/{id}/uncertainty", s.showUncertainty)
	user("GET /indices/editions/{id}/scores", s.showScores)
	user("POST /indices/editions/{id}/scores", s.actOnScore)
	user("GET /indices/evidence/{id}", s.downloadScoreEvidence)

	// Anything else is the UI's own 404 page.
	mux.Handle("/", s.setupGate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))
	})))
}

// needUser sends a visitor who is not signed in to the login page, and
// back here afterwards.
func (s *Server) needUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if dxtrack.UserFromContext(r.Context()) == nil {
			s.redirectToLogin(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) redirectToLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		// A form cannot be re-posted after login: come back to the page
		// that holds it.
		next = r.URL.Path
		for _, action := range []string{"/report", "/override", "/delete", "/tokens", "/save", "/submit", "/approve", "/return", "/unlock", "/xlsx"} {
			next = strings.TrimSuffix(next, action)
		}
		if strings.HasPrefix(next, "/account/") {
			next = "/account" // a token's revoke button
		}
	}
	target := "/login"
	if next != "/" && next != "" {
		target += "?next=" + url.QueryEscape(next)
	}
	s.redirect(w, r, target)
}

// redirect answers a form post or a page request with 303 See Other; an
// htmx request is told to navigate instead of swapping the login page in.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// needsSetup reports whether the store has no user yet.
func (s *Server) needsSetup(r *http.Request) (bool, error) {
	if s.hasUsers.Load() {
		return false, nil
	}
	n, err := s.Users.CountUsers(r.Context())
	if err != nil {
		return false, err
	}
	if n > 0 {
		s.hasUsers.Store(true)
	}
	return n == 0, nil
}

// setupGate sends every page to /setup while there is no user.
func (s *Server) setupGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if dxtrack.UserFromContext(r.Context()) == nil {
			need, err := s.needsSetup(r)
			if err != nil {
				s.internalError(w, r, err)
				return
			}
			if need {
				s.redirect(w, r, "/setup")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// errorPage is the data of the error page.
type errorPage struct {
	Status  int
	Message string
}

// fail answers a request that a service refused: 404 and 403 pages, the
// login page for a lost session, the message for a conflict or bad input
// outside a form, and "internal error" (logged) for anything else.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := dxtrack.ErrorCode(err)
	switch code {
	case dxtrack.EUNAUTHORIZED:
		s.redirectToLogin(w, r)
		return
	case dxtrack.EINTERNAL:
		s.internalError(w, r, err)
		return
	}
	p := locale.For(langFrom(r.Context()))
	status := errorStatus(err)
	s.render(w, r, status, "error", p.T("page.error."+code, nil), errorPage{Status: status, Message: p.Error(err)})
}

// internalError logs err and shows a page that tells nothing of it.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	p := locale.For(langFrom(r.Context()))
	s.render(w, r, http.StatusInternalServerError, "error", p.T("page.error.internal", nil),
		errorPage{Status: http.StatusInternalServerError, Message: p.T("error.internal", nil)})
}

// adminOnly refuses a form page to anyone but an admin, who alone may
// submit it; the services check the admin's scope when it is submitted.
func (s *Server) adminOnly(w http.ResponseWriter, r *http.Request) bool {
	if u := dxtrack.UserFromContext(r.Context()); u == nil || u.Role != dxtrack.RoleAdmin || u.Disabled {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EFORBIDDEN, "error.forbidden", nil))
		return false
	}
	return true
}
