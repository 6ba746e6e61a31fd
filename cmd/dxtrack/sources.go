package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest"
	"github.com/dxtrack/dxtrack/ingest/pull"
	"github.com/dxtrack/dxtrack/store"
	"github.com/dxtrack/dxtrack/web"
)

// wireIngest starts the ingestion pipeline, gives it to the server's push
// endpoint and, when connectors is true, starts the pull connectors'
// scheduler over it; stop ends the scheduler, then closes the pipeline
// once the queued batches are stored.
func wireIngest(ctx context.Context, a *app, srv *web.Server, logger *slog.Logger, connectors bool) (stop func()) {
	p := ingest.New(a.db, ingest.Options{})
	p.Start(ctx)
	srv.Ingest = p
	stopSched := func() {}
	if connectors {
		s := &pull.Scheduler{Sources: store.NewDataSourceService(a.db), Pusher: p, Connectors: store.NewConnectors(a.db), Logger: logger}
		stopSched = s.Start(ctx)
	}
	return func() {
		stopSched()
		if err := p.Close(); err != nil {
			logger.Error("ingest: close", "err", err)
		}
	}
}

// sourceFile is a source as "dxtrack source add" reads it: the domain's
// JSON with the owner unit by code and the connector's client secret,
// which the domain's JSON leaves out.
type sourceFile struct {
	dxtrack.DataSource
	OwnerUnit    string `json:"owner_unit"`
	ClientSecret string `json:"client_secret"`
}

// runSource runs "dxtrack source add FILE | list | token CODE [--revoke]".
func runSource(ctx context.Context, args []string, stdout io.Writer) error {
	const usage = "usage: dxtrack source add FILE.json | dxtrack source list | dxtrack source token CODE [--revoke]"
	if len(args) == 0 {
		return errors.New(usage)
	}
	var cfg config
	fs := newFlags("source "+args[0], &cfg)
	revoke := fs.Bool("revoke", false, "revoke the token instead of issuing a new one (source token)")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	a, sys, err := openAsSystem(ctx, &cfg)
	if err != nil {
		return err
	}
	defer a.db.Close()
	sources := store.NewDataSourceService(a.db)
	switch {
	case args[0] == "list" && len(pos) == 0:
		srcs, err := sources.FindSources(sys)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "CODE\tNAME\tKIND\tTOKEN\tSTATE")
		for _, s := range srcs {
			kind, state, hint := "push", "enabled", "-"
			if s.Pull != nil {
				kind = "pull every " + s.Pull.Every.String()
			}
			if s.Disabled {
				state = "disabled"
			}
			if s.TokenHint != "" {
				hint = s.TokenHint + "…"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", s.Code, s.Name, kind, hint, state)
		}
		return w.Flush()
	case args[0] == "add" && len(pos) == 1:
		raw, err := os.ReadFile(pos[0])
		if err != nil {
			return err
		}
		var f sourceFile
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return fmt.Errorf("%s: %w", pos[0], err)
		}
		src := f.DataSource
		if f.OwnerUnit != "" {
			u, err := a.services.Units.FindUnitByCode(sys, f.OwnerUnit)
			if err != nil {
				return fmt.Errorf("owner_unit %q: %w", f.OwnerUnit, err)
			}
			src.OwnerUnitID = u.ID
		}
		if src.Pull != nil {
			src.Pull.ClientSecret = f.ClientSecret
		}
		token, err := sources.CreateSource(sys, &src)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "source %s created; push to /api/v1/ingest/%s with this token (shown once):\n%s\n", src.Code, src.Code, token)
		return nil
	case args[0] == "token" && len(pos) == 1:
		src, err := sources.FindSource(sys, pos[0])
		if err != nil {
			return fmt.Errorf("source %q: %w", pos[0], err)
		}
		if *revoke {
			if err := sources.RevokeToken(sys, src.ID); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "token of %s revoked: its pushes are refused\n", src.Code)
			return nil
		}
		token, err := sources.RotateToken(sys, src.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "new token of %s (shown once; the old one no longer works):\n%s\n", src.Code, token)
		return nil
	}
	return errors.New(usage)
}
