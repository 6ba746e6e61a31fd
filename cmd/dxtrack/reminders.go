package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/dxtrack/dxtrack/mail"
	"github.com/dxtrack/dxtrack/store"
)

// reminderEvery is how often serve looks for reminders due.
const reminderEvery = 15 * time.Minute

// mailFlags are serve's SMTP settings for the e-mail reminders.
type mailFlags struct {
	host, port, user, password, from, tls, baseURL string
}

// addMailFlags declares the SMTP flags on fs, their defaults taken from
// DXTRACK_* environment variables.
func addMailFlags(fs *flag.FlagSet) *mailFlags {
	f := &mailFlags{}
	fs.StringVar(&f.host, "smtp-host", env("DXTRACK_SMTP_HOST", ""), "SMTP server for e-mail reminders; none: reminders off (DXTRACK_SMTP_HOST)")
	fs.StringVar(&f.port, "smtp-port", env("DXTRACK_SMTP_PORT", "587"), "SMTP port (DXTRACK_SMTP_PORT)")
	fs.StringVar(&f.user, "smtp-user", env("DXTRACK_SMTP_USER", ""), "SMTP user name; none: no authentication (DXTRACK_SMTP_USER)")
	fs.StringVar(&f.password, "smtp-password", env("DXTRACK_SMTP_PASSWORD", ""), "SMTP password; prefer the environment variable DXTRACK_SMTP_PASSWORD")
	fs.StringVar(&f.from, "smtp-from", env("DXTRACK_SMTP_FROM", ""), `sender address, e.g. "dxtrack <noreply@example.gov.vn>" (DXTRACK_SMTP_FROM)`)
	fs.StringVar(&f.tls, "smtp-tls", env("DXTRACK_SMTP_TLS", mail.TLSStartTLS), "SMTP encryption: starttls, tls or none (DXTRACK_SMTP_TLS)")
	fs.StringVar(&f.baseURL, "base-url", env("DXTRACK_BASE_URL", ""), "public address of the web UI, for links in e-mails, e.g. https://dxtrack.example.gov.vn (DXTRACK_BASE_URL)")
	return f
}

// config checks the flags and returns the SMTP configuration; ok is false
// when no host is set and reminders are off.
func (f *mailFlags) config() (cfg mail.Config, ok bool, err error) {
	if f.host == "" {
		return cfg, false, nil
	}
	port, err := strconv.Atoi(f.port)
	if err != nil || port < 1 || port > 65535 {
		return cfg, false, fmt.Errorf("--smtp-port: %q is not a port number", f.port)
	}
	switch f.tls {
	case mail.TLSNone, mail.TLSStartTLS, mail.TLSImplicit:
	default:
		return cfg, false, fmt.Errorf("--smtp-tls: %q is not starttls, tls or none", f.tls)
	}
	if f.from == "" {
		return cfg, false, fmt.Errorf("--smtp-from is required with --smtp-host")
	}
	if f.baseURL != "" {
		if u, err := url.Parse(f.baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, false, fmt.Errorf("--base-url: %q is not an http(s) address", f.baseURL)
		}
	}
	return mail.Config{Host: f.host, Port: port, Username: f.user, Password: f.password, From: f.from, TLS: f.tls}, true, nil
}

// startReminders runs the reminder job every reminderEvery in the
// background when SMTP is configured, and otherwise says once that
// reminders are off. The returned function stops the job and waits for
// it, so that the store can be closed after it.
func startReminders(ctx context.Context, a *app, f *mailFlags, cfg mail.Config, on bool, logger *slog.Logger) (stop func()) {
	if !on {
		logger.Info("e-mail reminders are off: no SMTP host (--smtp-host, DXTRACK_SMTP_HOST)")
		return func() {}
	}
	if f.baseURL == "" {
		logger.Warn("e-mail reminders carry no links: no --base-url (DXTRACK_BASE_URL)")
	}
	job := &mail.Job{
		Regimes: store.NewRegimeService(a.db),
		Reports: store.NewReportService(a.db),
		Store:   store.NewReminderStore(a.db),
		Sender:  mail.NewSender(cfg),
		BaseURL: f.baseURL,
		Lang:    "vi",
		Logger:  logger.With("job", "reminders"),
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { job.Run(ctx, reminderEvery) })
	logger.Info("e-mail reminders on", "smtp", fmt.Sprintf("%s:%d", cfg.Host, cfg.Port), "tls", cfg.TLS, "every", reminderEvery)
	return func() {
		cancel()
		wg.Wait()
	}
}
