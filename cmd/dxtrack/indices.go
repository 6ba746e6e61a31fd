package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
)

// The index commands: import and export definitions, and feed a published
// index table (any index's inputs, unit × column) in as an edition.

const indexUsage = `usage:
  dxtrack index import FILE                       import a definition (JSON or YAML)
  dxtrack index export CODE [--version V] [--yaml] print a definition
  dxtrack index table CODE VERSION YEAR FILE      import an input table (CSV or xlsx) as an edition
      [--name NAME] [--name-en NAME] [--cohort TEXT] [--owner UNITCODE]`

func runIndex(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", indexUsage)
	}
	switch args[0] {
	case "import":
		return runIndexImport(ctx, args[1:], stdout)
	case "export":
		return runIndexExport(ctx, args[1:], stdout)
	case "table":
		return runIndexTable(ctx, args[1:], stdout)
	}
	return fmt.Errorf("%s", indexUsage)
}

func runIndexImport(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg config
	fs := newFlags("index import", &cfg)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%s", indexUsage)
	}
	doc, err := os.ReadFile(pos[0])
	if err != nil {
		return err
	}
	a, sys, err := openAsSystem(ctx, &cfg)
	if err != nil {
		return err
	}
	defer a.db.Close()
	d, err := a.services.Indices.ImportIndexDefinition(sys, doc)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Imported %s version %s: %s\n", d.Code, d.Version, d.NameVI)
	return nil
}

func runIndexExport(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg config
	fs := newFlags("index export", &cfg)
	ver := fs.String("version", "", "the version (default: the latest)")
	asYAML := fs.Bool("yaml", false, "print YAML instead of JSON")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%s", indexUsage)
	}
	a, sys, err := openAsSystem(ctx, &cfg)
	if err != nil {
		return err
	}
	defer a.db.Close()
	d, err := a.services.Indices.FindIndexDefinition(sys, pos[0], *ver)
	if err != nil {
		return fmt.Errorf("index %s %s: %w", pos[0], *ver, err)
	}
	ix, err := composite.Parse(d.Definition)
	if err != nil {
		return err
	}
	var out []byte
	if *asYAML {
		out, err = ix.YAML()
	} else {
		out, err = ix.JSON()
	}
	if err != nil {
		return err
	}
	if _, err := stdout.Write(out); err != nil {
		return err
	}
	if len(out) > 0 && out[len(out)-1] != '\n' {
		fmt.Fprintln(stdout)
	}
	return nil
}

func runIndexTable(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg config
	fs := newFlags("index table", &cfg)
	name := fs.String("name", "", "the edition's name (default: CODE YEAR)")
	nameEN := fs.String("name-en", "", "the edition's English name")
	cohort := fs.String("cohort", "", "the cohort of units, in words")
	owner := fs.String("owner", "", "code of the unit running the edition (its reviewers appraise scores)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 4 {
		return fmt.Errorf("%s", indexUsage)
	}
	year, err := strconv.Atoi(pos[2])
	if err != nil {
		return fmt.Errorf("year %q: not a number", pos[2])
	}
	data, err := os.ReadFile(pos[3])
	if err != nil {
		return err
	}
	a, sys, err := openAsSystem(ctx, &cfg)
	if err != nil {
		return err
	}
	defer a.db.Close()
	e := &dxtrack.IndexEdition{IndexCode: pos[0], IndexVersion: pos[1], Year: year, NameVI: *name, NameEN: *nameEN, Cohort: *cohort}
	if e.NameVI == "" {
		e.NameVI = fmt.Sprintf("%s %d", pos[0], year)
	}
	if *owner != "" {
		u, err := a.services.Units.FindUnitByCode(sys, *owner)
		if err != nil {
			return fmt.Errorf("owner %s: %w", *owner, err)
		}
		e.OwnerUnitID = u.ID
	}
	if err := a.services.Indices.ImportEdition(sys, e, filepath.Base(pos[3]), data); err != nil {
		return fmt.Errorf("%s: %w", pos[3], describe(err))
	}
	t, err := a.services.Indices.EditionTable(sys, e.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Edition %d: %s, %d units\n", e.ID, e.NameVI, len(t.Rows))
	return nil
}
