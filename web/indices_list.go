package web

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
	"github.com/dxtrack/dxtrack/locale"
)

// indicesPage lists the index definitions, builtin and custom, with their
// editions, and holds the import forms for admins.
type indicesPage struct {
	Definitions []*dxtrack.IndexDefinition
	Editions    map[int64][]*dxtrack.IndexEdition // by definition
	CanImport   bool
	Import      *form
	Problems    []nodeProblem // a refused definition's faults, by node
	Doc         string        // the refused document, to fix and resend
	Edition     *form
	Units       []*dxtrack.Unit // owner units the admin may choose
}

// nodeProblem is a fault of a definition, placed at its node.
type nodeProblem struct {
	Node  string // the path of codes from the root, "QN-XA/KTS"
	Field string // the node's field, "weight"
	Msg   string
}

// maxDefinitionSize bounds an uploaded definition or table.
const maxDefinitionSize = 8 << 20

func (s *Server) indicesList(r *http.Request, d *indicesPage) error {
	ctx := r.Context()
	defs, err := s.Indices.FindIndexDefinitions(ctx)
	if err != nil {
		return err
	}
	eds, err := s.Indices.FindEditions(ctx, dxtrack.EditionFilter{})
	if err != nil {
		return err
	}
	d.Definitions, d.Editions = defs, map[int64][]*dxtrack.IndexEdition{}
	for _, e := range eds {
		d.Editions[e.IndexID] = append(d.Editions[e.IndexID], e)
	}
	u := dxtrack.UserFromContext(ctx)
	d.CanImport = u != nil && u.Role == dxtrack.RoleAdmin && !u.Disabled
	if d.Import == nil {
		d.Import = newForm(nil)
	}
	if d.Edition == nil {
		d.Edition = newForm(nil)
	}
	if d.CanImport {
		if unit, err := s.Units.FindUnitByID(ctx, u.UnitID); err == nil {
			d.Units = []*dxtrack.Unit{unit}
		}
	}
	return nil
}

// listIndices shows the list (GET /indices).
func (s *Server) listIndices(w http.ResponseWriter, r *http.Request) {
	p := locale.For(langFrom(r.Context()))
	var d indicesPage
	if err := s.indicesList(r, &d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "indices_list", p.T("indices.page_title", nil), d)
}

// readUpload reads the file of a multipart form, or the text area named
// the same when no file is sent.
func readUpload(w http.ResponseWriter, r *http.Request, name string) (data []byte, fileName string, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDefinitionSize+1<<20)
	if err := r.ParseMultipartForm(maxDefinitionSize); err != nil && err != http.ErrNotMultipart {
		return nil, "", dxtrack.Invalid(name, "error.file_too_large", map[string]any{"Max": maxDefinitionSize >> 20})
	}
	if f, head, err := r.FormFile(name); err == nil {
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, maxDefinitionSize+1))
		if err != nil {
			return nil, "", err
		}
		if len(data) > maxDefinitionSize {
			return nil, "", dxtrack.Invalid(name, "error.file_too_large", map[string]any{"Max": maxDefinitionSize >> 20})
		}
		if len(data) > 0 {
			return data, filepath.Base(head.Filename), nil
		}
	}
	return []byte(r.FormValue(name + "_text")), "", nil
}

// importIndex imports a definition (POST /indices/import): a refused one
// is shown again with each fault at its node.
func (s *Server) importIndex(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	doc, _, err := readUpload(w, r, "definition")
	var def *dxtrack.IndexDefinition
	if err == nil {
		def, err = s.Indices.ImportIndexDefinition(ctx, doc)
	}
	if err != nil {
		if dxtrack.ErrorCode(err) != dxtrack.EINVALID {
			s.fail(w, r, err)
			return
		}
		d := indicesPage{Import: newForm(nil), Doc: string(doc)}
		d.Problems = nodeProblems(p, err)
		d.Import.addError(p, err, nil)
		if lerr := s.indicesList(r, &d); lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "indices_list", p.T("indices.page_title", nil), d)
		return
	}
	s.flash(r, "indices.flash_imported")
	http.Redirect(w, r, definitionURL(def), http.StatusSeeOther)
}

// nodeProblems places the faults of a refused definition at their nodes:
// the engine names fields "nodes.PATH.FIELD".
func nodeProblems(p *locale.Printer, err error) []nodeProblem {
	var out []nodeProblem
	for _, fe := range dxtrack.ErrorFields(err) {
		np := nodeProblem{Field: fe.Field}
		if rest, ok := strings.CutPrefix(fe.Field, "nodes."); ok {
			if i := strings.LastIndex(rest, "."); i >= 0 && !strings.Contains(rest[i:], "/") {
				np.Node, np.Field = rest[:i], rest[i+1:]
			} else {
				np.Node, np.Field = rest, ""
			}
			// "rule.steps[1].at_least": the field is after the node's path.
			if j := strings.Index(np.Node, ".rule"); j >= 0 {
				np.Node, np.Field = np.Node[:j], np.Node[j+1:]+"."+np.Field
			}
		}
		args := map[string]any{}
		for k, v := range fe.Args {
			args[k] = v
		}
		label := np.Field
		if label == "" {
			label = np.Node
		}
		args["Field"] = label
		np.Msg = p.T(fe.MsgID, args)
		out = append(out, np)
	}
	return out
}

func definitionURL(d *dxtrack.IndexDefinition) string {
	return "/indices/definitions/" + strconv.FormatInt(d.ID, 10)
}

// definitionPage shows a definition's tree, and to admins the form of an
// edition computed from the system's indicators.
type definitionPage struct {
	Def        *dxtrack.IndexDefinition
	Index      *composite.Index
	Rows       []treeRow
	Editions   []*dxtrack.IndexEdition
	CanRun     bool
	Inputs     []composite.Input
	Indicators []*dxtrack.Indicator
	Levels     []levelOption
	Form       *form
}

// editionLevels are the cohorts below the owner unit an indicator edition
// may rank.
var editionLevels = []string{"children", "local", string(dxtrack.UnitDepartment)}

// treeRow is a node of the tree as a table row, indented by depth.
type treeRow struct {
	Node   *composite.Node
	Depth  int
	View   bool   // a node of a view (a pillar computed beside the tree)
	Level  string // the node's level, named
	Weight string // weight or maximum points, formatted
	Rule   string // the leaf's rule, in words
}

func (s *Server) definitionByID(r *http.Request) (*dxtrack.IndexDefinition, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	defs, err := s.Indices.FindIndexDefinitions(r.Context())
	if err != nil {
		return nil, err
	}
	for _, d := range defs {
		if d.ID == id {
			return d, nil
		}
	}
	return nil, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil)
}

// showDefinition shows a definition (GET /indices/definitions/{id}).
func (s *Server) showDefinition(w http.ResponseWriter, r *http.Request) {
	s.renderDefinition(w, r, http.StatusOK, nil)
}

func (s *Server) renderDefinition(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	def, err := s.definitionByID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ix, err := composite.Parse(def.Definition)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := definitionPage{Def: def, Index: ix}
	if d.Editions, err = s.Indices.FindEditions(ctx, dxtrack.EditionFilter{IndexID: def.ID}); err != nil {
		s.fail(w, r, err)
		return
	}
	inView := false
	ix.Walk(func(n, parent *composite.Node, depth int) {
		if parent == nil && n != ix.Root {
			inView = true
		}
		tr := treeRow{Node: n, Depth: depth, View: inView}
		if n.Level != "" {
			tr.Level = levelLabel(p, n.Level)
		}
		switch {
		case n.MaxPoints > 0:
			tr.Weight = p.T("indices.points", map[string]any{"Value": p.Decimal(n.MaxPoints, 2)})
		case n.Weight > 0:
			tr.Weight = p.Decimal(n.Weight, 4)
		case parent != nil:
			tr.Weight = "0"
		}
		if n.Rule != nil {
			tr.Rule = ruleText(p, n.Rule)
		}
		d.Rows = append(d.Rows, tr)
	})
	if u := dxtrack.UserFromContext(ctx); u != nil && u.Role == dxtrack.RoleAdmin && !u.Disabled {
		d.CanRun, d.Inputs, d.Form = true, ix.Inputs(), f
		if d.Indicators, err = s.Indicators.FindIndicators(ctx, ""); err != nil {
			s.fail(w, r, err)
			return
		}
		for _, l := range editionLevels {
			d.Levels = append(d.Levels, levelOption{Value: l, Label: p.T("indices.cohort."+l, nil)})
		}
		if d.Form == nil {
			// Columns named after an indicator are mapped to it.
			d.Form = newForm(nil)
			codes := map[string]bool{}
			for _, in := range d.Indicators {
				codes[in.Code] = true
			}
			for _, in := range d.Inputs {
				if codes[in.Column] {
					d.Form.Values.Set("ind."+in.Column, in.Column)
				}
			}
			d.Form.Values.Set("level", "local")
		}
	}
	s.render(w, r, status, "indices_definition", def.Name(p.Lang()), d)
}

// createIndicatorEdition creates an edition whose inputs are the
// indicators' figures of its year for the units below the admin's unit
// (POST /indices/definitions/{id}/editions).
func (s *Server) createIndicatorEdition(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	def, err := s.definitionByID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Invalid("form", "error.invalid", nil))
		return
	}
	ix, err := composite.Parse(def.Definition)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := dxtrack.UserFromContext(ctx)
	e := &dxtrack.IndexEdition{IndexID: def.ID, NameVI: r.PostFormValue("name_vi"), NameEN: r.PostFormValue("name_en"),
		Cohort: r.PostFormValue("cohort"), Source: dxtrack.FromIndicators, Level: r.PostFormValue("level"), OwnerUnitID: u.UnitID}
	e.Year, _ = strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	if !slices.Contains(editionLevels, e.Level) {
		e.Level = "local"
	}
	for _, in := range ix.Inputs() {
		if in.Text {
			continue
		}
		e.Inputs = append(e.Inputs, dxtrack.EditionInput{Column: in.Column, Indicator: strings.TrimSpace(r.PostFormValue("ind." + in.Column)),
			Agg: dxtrack.YearAgg(r.PostFormValue("agg." + in.Column))})
	}
	if err := s.Indices.CreateEdition(ctx, e, nil); err != nil {
		f := newForm(r.PostForm)
		// A column's fault is named by the column, beside its input.
		aliases := map[string]string{}
		if de, ok := err.(*dxtrack.Error); ok {
			fixed := *de
			fixed.Fields = nil
			for _, fe := range de.Fields {
				if col, ok := strings.CutPrefix(fe.Field, "inputs."); ok {
					fe.Field, aliases[col] = col, "ind."+col
				}
				fixed.Fields = append(fixed.Fields, fe)
			}
			err = &fixed
		}
		if !f.addError(p, err, aliases) {
			s.fail(w, r, err)
			return
		}
		s.renderDefinition(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	s.flash(r, "indices.flash_edition")
	http.Redirect(w, r, editionURL(e.ID), http.StatusSeeOther)
}

// ruleText says a leaf's rule in words: its kind and its parameters.
func ruleText(p *locale.Printer, r *composite.Rule) string {
	var b strings.Builder
	b.WriteString(p.T("indices.rule."+string(r.Kind), nil))
	if r.Input != "" {
		fmt.Fprintf(&b, " · %s", r.Input)
	}
	if r.Denominator != "" {
		fmt.Fprintf(&b, " / %s", r.Denominator)
	}
	if r.Min != nil && r.Max != nil {
		fmt.Fprintf(&b, " [%s; %s]", p.Decimal(*r.Min, 4), p.Decimal(*r.Max, 4))
	}
	if r.Target != 0 {
		fmt.Fprintf(&b, " → %s", p.Decimal(r.Target, 4))
	}
	for i, st := range r.Steps {
		if i == 0 {
			b.WriteString(" ·")
		}
		fmt.Fprintf(&b, " ≥%s: %s", p.Decimal(st.AtLeast, 4), p.Decimal(st.Score, 4))
	}
	for i, c := range r.Categories {
		if i == 0 {
			b.WriteString(" ·")
		}
		fmt.Fprintf(&b, " %s: %s", c.Value, p.Decimal(c.Score, 4))
	}
	if r.Direction < 0 {
		b.WriteString(" · " + p.T("indices.lower_better", nil))
	}
	return b.String()
}

// exportDefinition downloads a definition as JSON or YAML
// (GET /indices/definitions/{id}/export?format=yaml).
func (s *Server) exportDefinition(w http.ResponseWriter, r *http.Request) {
	def, err := s.definitionByID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ix, err := composite.Parse(def.Definition)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body []byte
	ext, ct := "json", "application/json"
	if r.URL.Query().Get("format") == "yaml" {
		body, err = ix.YAML()
		ext, ct = "yaml", "application/yaml"
	} else {
		body, err = ix.JSON()
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	name := fmt.Sprintf("%s-%s.%s", def.Code, def.Version, ext)
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(name, `"`, "")+`"`)
	_, _ = w.Write(body)
}

// createEdition imports an input table as a new edition
// (POST /indices/editions): all or nothing, a bad cell named by row and
// column beside the file input.
func (s *Server) createEdition(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	data, name, err := readUpload(w, r, "table")
	if err == nil {
		e := &dxtrack.IndexEdition{NameVI: r.FormValue("name_vi"), NameEN: r.FormValue("name_en"), Cohort: r.FormValue("cohort")}
		e.IndexID, _ = strconv.ParseInt(r.FormValue("index"), 10, 64)
		e.Year, _ = strconv.Atoi(strings.TrimSpace(r.FormValue("year")))
		if u := dxtrack.UserFromContext(ctx); u != nil && r.FormValue("owned") != "" {
			e.OwnerUnitID = u.UnitID
		}
		if name == "" {
			name = "table.csv"
		}
		if err = s.Indices.ImportEdition(ctx, e, name, data); err == nil {
			s.flash(r, "indices.flash_edition")
			http.Redirect(w, r, editionURL(e.ID), http.StatusSeeOther)
			return
		}
	}
	if dxtrack.ErrorCode(err) != dxtrack.EINVALID {
		s.fail(w, r, err)
		return
	}
	values := r.PostForm
	if r.MultipartForm != nil {
		values = r.MultipartForm.Value
	}
	d := indicesPage{Edition: newForm(values)}
	// Faults of the table's cells belong to the file input.
	aliases := map[string]string{}
	for _, fe := range dxtrack.ErrorFields(err) {
		if fe.Field != "name_vi" && fe.Field != "year" && fe.Field != "index" {
			aliases[fe.Field] = "table"
		}
	}
	d.Edition.addError(p, err, aliases)
	if lerr := s.indicesList(r, &d); lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "indices_list", p.T("indices.page_title", nil), d)
}

func editionURL(id int64) string { return "/indices/editions/" + strconv.FormatInt(id, 10) }
