// Command dxtrack runs the digital-transformation tracker: the web server
// and the administrative subcommands, over an embedded SQLite file or
// PostgreSQL.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

const usage = `dxtrack tracks a province's digital-transformation programme.

Usage:
  dxtrack [serve] [--demo]         serve the web UI and API (default)
  dxtrack migrate                  create or upgrade the database schema
  dxtrack demo                     load the demo dataset into an empty store
  dxtrack units import FILE        import an administrative-unit list (CSV)
  dxtrack units mergers [FILE]     record the former provinces merged on 1 July 2025
  dxtrack user add                 add a user account
  dxtrack source add|list|token    manage machine-data sources and their push tokens
  dxtrack bench analytics          benchmark the analytics engine against SQL
  dxtrack bench ingest             benchmark the ingestion API (events/s, roll-up freshness)
  dxtrack index import|export|table  composite-index definitions and input tables
  dxtrack version                  print the version

Common flags (and environment variables):
  --db    DXTRACK_DB    SQLite file path or postgres:// URL (default ./dxtrack.db)
  --addr  DXTRACK_ADDR  address to listen on (default :8080)

Run "dxtrack COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "dxtrack:", err)
		os.Exit(1)
	}
}

// run dispatches a command line; it is main without the process exit, so
// tests can call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, stdout)
	case "migrate":
		return runMigrate(ctx, args, stdout)
	case "demo":
		return runDemo(ctx, args, stdout)
	case "units":
		switch {
		case len(args) > 0 && args[0] == "import":
			return runUnitsImport(ctx, args[1:], stdout)
		case len(args) > 0 && args[0] == "mergers":
			return runUnitsMergers(ctx, args[1:], stdout)
		}
		return fmt.Errorf("usage: dxtrack units import FILE [--effective YYYY-MM-DD] | dxtrack units mergers [FILE]")
	case "user":
		if len(args) == 0 || args[0] != "add" {
			return fmt.Errorf("usage: dxtrack user add --username NAME --role ROLE --unit CODE")
		}
		return runUserAdd(ctx, args[1:], stdin, stdout)
	case "source":
		return runSource(ctx, args, stdout)
	case "bench":
		if len(args) > 0 && args[0] == "ingest" {
			return runBenchIngest(ctx, args[1:], stdout)
		}
		if len(args) > 0 && args[0] == "ingest-load" { // the load generator "bench ingest" starts
			return runBenchIngestLoad(ctx, args[1:], stdout)
		}
		return runBench(ctx, args, stdout)
	case "index":
		return runIndex(ctx, args, stdout)
	case "version":
		fmt.Fprintln(stdout, "dxtrack", versionString())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", ""
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
		if rev != "" {
			return "dev-" + rev[:min(12, len(rev))] + dirty
		}
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
	}
	return "dev"
}

// config holds the settings shared by the subcommands.
type config struct {
	db   string
	addr string
}

// newFlags returns a flag set with the common flags, their defaults taken
// from DXTRACK_* environment variables.
func newFlags(name string, c *config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&c.db, "db", env("DXTRACK_DB", "./dxtrack.db"), "SQLite file path or postgres:// URL (DXTRACK_DB)")
	fs.StringVar(&c.addr, "addr", env("DXTRACK_ADDR", ":8080"), "address to listen on (DXTRACK_ADDR)")
	return fs
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func envBool(key string) bool {
	switch strings.ToLower(os.Getenv(key)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// parseArgs parses flags that may come before or after positional
// arguments ("units import FILE --effective D").
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
