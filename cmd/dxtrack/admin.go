package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/demo"
	"github.com/dxtrack/dxtrack/gso"
	"github.com/dxtrack/dxtrack/locale"
)

func runMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg config
	if _, err := parseArgs(newFlags("migrate", &cfg), args); err != nil {
		return err
	}
	a, err := openApp(ctx, &cfg) // Open migrates.
	if err != nil {
		return err
	}
	defer a.db.Close()
	fmt.Fprintf(stdout, "%s store %s is up to date\n", a.db.Engine(), redact(cfg.db))
	return nil
}

func runDemo(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg config
	if _, err := parseArgs(newFlags("demo", &cfg), args); err != nil {
		return err
	}
	a, err := openApp(ctx, &cfg)
	if err != nil {
		return err
	}
	defer a.db.Close()
	res, err := demo.Load(ctx, a.services)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Demo dataset loaded. Logins (username / password — role, unit):")
	for _, l := range res.Logins {
		fmt.Fprintf(stdout, "  %-20s %-12s %s, %s\n", l.Username, l.Password, l.Role, l.UnitName)
	}
	return nil
}

// yearMonth finds "YYYY-MM" in a file name such as vn_admin_units_2025-07.csv.
var yearMonth = regexp.MustCompile(`(\d{4})-(\d{2})`)

// effectiveFor picks the effective date of an import: the flag, else the
// known date of a shipped list, else the first day of the month in the
// file name, else today.
func effectiveFor(flagValue, file string, now time.Time) (time.Time, string, error) {
	if flagValue != "" {
		d, err := dxtrack.ParseDate(flagValue)
		if err != nil {
			return time.Time{}, "", fmt.Errorf("--effective: %q is not a date (YYYY-MM-DD)", flagValue)
		}
		return d, "from --effective", nil
	}
	switch filepath.Base(file) {
	case "vn_admin_units_2025-07.csv":
		return gso.Effective2025, "the date of the July 2025 reorganisation", nil
	case "vn_admin_units_2026-04.csv":
		return gso.Effective2026, "the date of the 2026 list", nil
	}
	if m := yearMonth.FindStringSubmatch(filepath.Base(file)); m != nil {
		if d, err := dxtrack.ParseDate(m[1] + "-" + m[2] + "-01"); err == nil {
			return d, "from the file name", nil
		}
	}
	return dxtrack.Day(now), "today", nil
}

func runUnitsImport(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg config
	fs := newFlags("units import", &cfg)
	eff := fs.String("effective", "", "date the list takes effect, YYYY-MM-DD (default: from the file)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: dxtrack units import FILE [--effective YYYY-MM-DD]")
	}
	file := pos[0]
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	recs, err := gso.ReadUnits(f)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	a, err := openApp(ctx, &cfg)
	if err != nil {
		return err
	}
	defer a.db.Close()
	effective, why, err := effectiveFor(*eff, file, a.db.Now())
	if err != nil {
		return err
	}
	sys := dxtrack.NewContextWithUser(ctx, dxtrack.SystemUser)
	res, err := a.services.Units.ImportUnits(sys, recs, effective, filepath.Base(file))
	if err != nil {
		return describe(err)
	}
	provinces, communes := 0, 0
	for _, r := range recs {
		if r.Type == dxtrack.UnitProvince {
			provinces++
		} else if r.Type.IsLocal() {
			communes++
		}
	}
	fmt.Fprintf(stdout, "%s: %d provinces, %d communes, effective %s (%s)\n", filepath.Base(file), provinces, communes, dxtrack.FormatDate(effective), why)
	fmt.Fprintf(stdout, "created %d, updated %d, ended %d, unchanged %d\n", res.Created, res.Updated, res.Ended, res.Unchanged)
	for i, c := range res.Changes {
		if i == 20 {
			fmt.Fprintf(stdout, "  … and %d more changes\n", len(res.Changes)-i)
			break
		}
		fmt.Fprintf(stdout, "  unit %d %s: %q → %q\n", c.UnitID, c.Field, c.Old, c.New)
	}
	return nil
}

func runUnitsMergers(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg config
	fs := newFlags("units mergers", &cfg)
	eff := fs.String("effective", dxtrack.FormatDate(gso.Effective2025), "date of the mergers, YYYY-MM-DD")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	effective, err := dxtrack.ParseDate(*eff)
	if err != nil {
		return fmt.Errorf("--effective: %q is not a date (YYYY-MM-DD)", *eff)
	}
	var ms []gso.Merger
	source := "gso/data/vn_provinces_2025_merger.csv (embedded)"
	switch len(pos) {
	case 0:
		ms, err = gso.Mergers2025()
	case 1:
		source = pos[0]
		var f *os.File
		if f, err = os.Open(pos[0]); err == nil {
			ms, err = gso.ReadMergers(f)
			f.Close()
		}
	default:
		return fmt.Errorf("usage: dxtrack units mergers [FILE] [--effective YYYY-MM-DD]")
	}
	if err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}
	a, sys, err := openAsSystem(ctx, &cfg)
	if err != nil {
		return err
	}
	defer a.db.Close()
	res, err := gso.ApplyMergers(sys, a.services.Units, ms, effective)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "%s: %d former provinces created, %d mergers recorded on %s, %d unchanged\n",
		source, res.Created, res.Merged, dxtrack.FormatDate(effective), res.Skipped)
	return nil
}

func runUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	var cfg config
	fs := newFlags("user add", &cfg)
	username := fs.String("username", "", "login name (required)")
	name := fs.String("name", "", "full name (default: the username)")
	email := fs.String("email", "", "e-mail address")
	role := fs.String("role", string(dxtrack.RoleAdmin), "admin, leader, reviewer or reporter")
	unit := fs.String("unit", "", "code of the unit whose subtree the user works in (required)")
	lang := fs.String("lang", "vi", "interface language: vi or en")
	password := fs.String("password", os.Getenv("DXTRACK_PASSWORD"), "password (DXTRACK_PASSWORD; read from standard input when empty)")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if *password == "" {
		fmt.Fprint(stdout, "Password: ")
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("no password given")
		}
		*password = strings.TrimRight(line, "\r\n")
	}
	a, sys, err := openAsSystem(ctx, &cfg)
	if err != nil {
		return err
	}
	defer a.db.Close()
	u := &dxtrack.User{Username: *username, Name: *name, Email: *email, Role: dxtrack.Role(*role), Lang: *lang}
	if u.Name == "" {
		u.Name = u.Username
	}
	if *unit == "" {
		return fmt.Errorf("--unit: required (the code of a unit, e.g. 22 for Quảng Ninh)")
	}
	unitRec, err := a.services.Units.FindUnitByCode(sys, *unit)
	if err != nil {
		return fmt.Errorf("--unit: no unit has code %q", *unit)
	}
	u.UnitID = unitRec.ID
	if err := a.services.Users.CreateUser(sys, u, *password); err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "user %s (%s, %s) created\n", u.Username, u.Role, unitRec.NameVI)
	return nil
}

// describe turns an application error into a line per field, in English,
// for the terminal.
func describe(err error) error {
	fields := dxtrack.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString("refused, nothing was saved:")
	for _, f := range fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, cliMessage(f))
	}
	return fmt.Errorf("%s", b.String())
}

// cliMessage renders a field error in English from the catalogue.
func cliMessage(f dxtrack.FieldError) string {
	return locale.For("en").T(f.MsgID, f.Args)
}
