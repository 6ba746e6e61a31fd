package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/dxtrack/dxtrack/demo"
)

func runServe(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg config
	fs := newFlags("serve", &cfg)
	loadDemo := fs.Bool("demo", envBool("DXTRACK_DEMO"), "load the demo dataset when the store is empty (DXTRACK_DEMO)")
	secure := fs.Bool("secure-cookies", envBool("DXTRACK_SECURE_COOKIES"), "mark session cookies Secure; set when served over HTTPS (DXTRACK_SECURE_COOKIES)")
	verbose := fs.Bool("v", envBool("DXTRACK_VERBOSE"), "log every request (DXTRACK_VERBOSE)")
	mailFlags := addMailFlags(fs)
	anFlags := addAnalyticsFlags(fs)
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	mailCfg, mailOn, err := mailFlags.config()
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	a, err := openApp(ctx, &cfg)
	if err != nil {
		return err
	}
	defer a.db.Close()

	empty, err := a.db.Empty(ctx)
	if err != nil {
		return err
	}
	var logins []demo.Login
	if empty && *loadDemo {
		fmt.Fprintln(stdout, "Loading the demo dataset (Quảng Ninh, Hòa Bình, 3,321 communes)…")
		res, err := demo.Load(ctx, a.services)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		logins = res.Logins
	}

	stopReminders := startReminders(ctx, a, mailFlags, mailCfg, mailOn, logger)
	defer stopReminders()

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := a.server(*secure)
	srv.Logger = logger
	stopAnalytics, err := wireAnalytics(ctx, a, srv, cfg.db, anFlags, logger)
	if err != nil {
		return err
	}
	defer stopAnalytics()
	// The ingestion pipeline behind the push API, and the pull connectors.
	stopIngest := wireIngest(ctx, a, srv, logger, true)
	defer stopIngest()
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	url := "http://" + displayAddr(ln.Addr())
	if len(logins) > 0 {
		fmt.Fprintln(stdout, "Demo logins (username / password — role, unit):")
		for _, l := range logins {
			fmt.Fprintf(stdout, "  %-20s %-12s %s, %s\n", l.Username, l.Password, l.Role, l.UnitName)
		}
	} else if n, err := a.services.Users.CountUsers(ctx); err == nil && n == 0 {
		fmt.Fprintf(stdout, "No users yet: open %s/setup to create the first administrator (or run \"dxtrack user add\").\n", url)
	}
	// The address comes last so that scripts can wait for it.
	fmt.Fprintf(stdout, "dxtrack %s serving %s (store: %s %s)\n", versionString(), url, a.db.Engine(), redact(cfg.db))

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// displayAddr turns a listening address into one a browser can open.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
