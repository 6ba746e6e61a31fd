package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack/mail"
)

func TestMailFlags(t *testing.T) {
	parse := func(args ...string) (mail.Config, bool, error) {
		t.Helper()
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		f := addMailFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return f.config()
	}
	if _, on, err := parse(); on || err != nil {
		t.Errorf("no host: on %v, %v; want reminders off", on, err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--smtp-host", "mail.example.vn"}, "--smtp-from"},
		{[]string{"--smtp-host", "mail.example.vn", "--smtp-from", "a@b.vn", "--smtp-port", "smtp"}, "--smtp-port"},
		{[]string{"--smtp-host", "mail.example.vn", "--smtp-from", "a@b.vn", "--smtp-port", "70000"}, "--smtp-port"},
		{[]string{"--smtp-host", "mail.example.vn", "--smtp-from", "a@b.vn", "--smtp-tls", "ssl"}, "--smtp-tls"},
		{[]string{"--smtp-host", "mail.example.vn", "--smtp-from", "a@b.vn", "--base-url", "dxtrack.example.vn"}, "--base-url"},
	} {
		if _, _, err := parse(tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want an error naming %s", tt.args, err, tt.want)
		}
	}

	// The environment gives the defaults; flags override them.
	t.Setenv("DXTRACK_SMTP_HOST", "mail.quangninh.gov.vn")
	t.Setenv("DXTRACK_SMTP_USER", "dxtrack")
	t.Setenv("DXTRACK_SMTP_PASSWORD", "bí mật")
	t.Setenv("DXTRACK_SMTP_FROM", "dxtrack <noreply@quangninh.gov.vn>")
	t.Setenv("DXTRACK_BASE_URL", "https://dxtrack.quangninh.gov.vn")
	cfg, on, err := parse("--smtp-tls", "tls", "--smtp-port", "465")
	want := mail.Config{Host: "mail.quangninh.gov.vn", Port: 465, Username: "dxtrack", Password: "bí mật", From: "dxtrack <noreply@quangninh.gov.vn>", TLS: "tls"}
	if err != nil || !on || cfg.Host != want.Host || cfg.Port != want.Port || cfg.Username != want.Username ||
		cfg.Password != want.Password || cfg.From != want.From || cfg.TLS != want.TLS {
		t.Errorf("from the environment: %+v, %v, %v; want %+v", cfg, on, err, want)
	}
	if cfg, _, _ := parse(); cfg.Port != 587 || cfg.TLS != "starttls" {
		t.Errorf("defaults: port %d, tls %q; want 587, starttls", cfg.Port, cfg.TLS)
	}
}

func TestStartReminders(t *testing.T) {
	ctx := context.Background()
	a, err := openApp(ctx, &config{db: filepath.Join(t.TempDir(), "r.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	var log bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&log, nil))

	startReminders(ctx, a, &mailFlags{}, mail.Config{}, false, logger)()
	if !strings.Contains(log.String(), "e-mail reminders are off") {
		t.Errorf("log = %q, want reminders off", log.String())
	}

	// On: the job runs at once (an empty store: nothing to send) and
	// stops with the returned function.
	log.Reset()
	stop := startReminders(ctx, a, &mailFlags{}, mail.Config{Host: "127.0.0.1", Port: 1, From: "a@b.vn", TLS: "none"}, true, logger)
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the reminder job did not stop")
	}
	if out := log.String(); !strings.Contains(out, "e-mail reminders on") || !strings.Contains(out, "no --base-url") {
		t.Errorf("log = %q", out)
	}
}
