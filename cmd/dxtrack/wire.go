package main

import (
	"context"
	"fmt"
	"net/url"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/demo"
	"github.com/dxtrack/dxtrack/ingest"
	"github.com/dxtrack/dxtrack/store"
	"github.com/dxtrack/dxtrack/web"
)

// app is the store and the services over it.
type app struct {
	db       *store.DB
	services demo.Services
}

// openApp opens the store named by cfg.db, running its migrations.
func openApp(ctx context.Context, cfg *config) (*app, error) {
	db, err := store.Open(ctx, cfg.db)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(cfg.db), err)
	}
	return withAnalyticsServices(&app{db: db, services: demo.Services{
		Units:      store.NewUnitService(db),
		Documents:  store.NewDocumentService(db),
		Categories: store.NewCategoryService(db),
		Targets:    store.NewTargetService(db),
		Tasks:      store.NewTaskService(db),
		Users:      store.NewUserService(db),
		Indicators: store.NewIndicatorService(db),
		Regimes:    store.NewRegimeService(db),
		Reports:    store.NewReportService(db),
		Indices:    store.NewIndexService(db),
		Sources:    store.NewDataSourceService(db),
		Ingest:     ingest.Pusher(db),
		Clock:      &db.Now,
	}}), nil
}

// openAsSystem opens the app for an administrative command, which acts as
// the system user.
func openAsSystem(ctx context.Context, cfg *config) (*app, context.Context, error) {
	a, err := openApp(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return a, dxtrack.NewContextWithUser(ctx, dxtrack.SystemUser), nil
}

// server wires the web server to the services.
func (a *app) server(secure bool) *web.Server {
	srv := web.NewServer(secure)
	srv.Units = a.services.Units
	srv.Documents = a.services.Documents
	srv.Categories = a.services.Categories
	srv.Targets = a.services.Targets
	srv.Tasks = a.services.Tasks
	srv.Users = a.services.Users
	srv.Indicators = a.services.Indicators
	srv.Regimes = a.services.Regimes
	srv.Reports = a.services.Reports
	srv.Indices = a.services.Indices
	srv.Calendar = store.NewCalendarService(a.db)
	srv.Audit = store.NewAuditService(a.db)
	srv.Overview = store.NewOverviewService(a.db)
	srv.DHIS2 = store.NewDHIS2Service(a.db)
	srv.Sources = store.NewDataSourceService(a.db)
	srv.SourceRuns = store.NewConnectors(a.db)
	srv.Sessions.Store = store.NewSessionStore(a.db)
	srv.Now = a.db.Now
	return srv
}

// redact hides a password in a database URL before it is printed.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}
