package web

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
	"github.com/dxtrack/dxtrack/locale"
)

// scoresPage is the workflow of a unit's component scores: the score the
// inputs give, the self-assessment, the appraisal and the final score,
// with evidence, and the forms the user's role allows.
type scoresPage struct {
	V          *editionView
	Units      []composite.Unit // the units the user may act on, or all
	Unit       string
	Rows       []scoreRow
	CanSelf    bool
	CanAppr    bool
	Form       *form
	FormNode   string // the component the form's errors belong to
	AuditTrail []*dxtrack.AuditEntry
}

// scoreRow is a component of the unit.
type scoreRow struct {
	Node      *composite.Node
	Parent    *composite.Node
	Points    bool   // entered as points out of Node.MaxPoints
	Max       string // the maximum, when in points
	Computed  string
	Self      string
	Appraised string
	Final     string
	Stage     dxtrack.ScoreStage
	Notes     []string
	Score     *dxtrack.ComponentScore
}

// scale formats a leaf score as entered: points when the leaf has a
// maximum, else the 0–1 score.
func scale(p *locale.Printer, n *composite.Node, v *float64, decimals int) string {
	if v == nil {
		return "—"
	}
	if n.MaxPoints > 0 {
		return p.Decimal(*v*n.MaxPoints, 2)
	}
	return p.Fixed(*v, decimals)
}

// showScores shows the workflow screen (GET /indices/editions/{id}/scores?unit=).
func (s *Server) showScores(w http.ResponseWriter, r *http.Request) {
	s.renderScores(w, r, http.StatusOK, nil, "", nil)
}

func (s *Server) renderScores(w http.ResponseWriter, r *http.Request, status int, f *form, node string, unitOverride *string) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	v, ok := s.editionFor(w, r, true)
	if !ok {
		return
	}
	appraise, selfRows, err := s.Indices.ScoreRights(ctx, v.Edition.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := scoresPage{V: v, Form: f, FormNode: node}
	if d.Form == nil {
		d.Form = newForm(nil)
	}
	for _, u := range v.Result.Units {
		if appraise || slices.Contains(selfRows, u.Code) {
			d.Units = append(d.Units, u)
		}
	}
	if !appraise && len(d.Units) == 0 {
		d.Units = v.Result.Units // read-only for leaders
	}
	d.Unit = r.URL.Query().Get("unit")
	if unitOverride != nil {
		d.Unit = *unitOverride
	}
	if !slices.ContainsFunc(d.Units, func(u composite.Unit) bool { return u.Code == d.Unit }) && len(d.Units) > 0 {
		d.Unit = d.Units[0].Code
	}
	d.CanAppr, d.CanSelf = appraise, slices.Contains(selfRows, d.Unit)
	k := v.Result.UnitIndex(d.Unit)
	byNode := map[string]*dxtrack.ComponentScore{}
	for _, c := range v.Scores {
		if c.Unit == d.Unit {
			byNode[c.Node] = c
		}
	}
	// The score the inputs alone give, before any override.
	plain := *v.Data
	plain.Overrides = nil
	base, err := composite.Compute(v.Index, &plain)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	parents := map[string]*composite.Node{}
	v.Index.Walk(func(n, parent *composite.Node, _ int) {
		if parent != nil {
			parents[n.Code] = parent
		}
	})
	for _, n := range v.Index.Leaves() {
		row := scoreRow{Node: n, Parent: parents[n.Code], Points: n.MaxPoints > 0, Stage: dxtrack.StageData,
			Self: "—", Appraised: "—", Final: "—", Computed: "—"}
		if row.Points {
			row.Max = p.Decimal(n.MaxPoints, 2)
		}
		if k >= 0 {
			if sc := base.Scores[n.Code][k]; !sc.Missing {
				val := sc.Value
				row.Computed = scale(p, n, &val, v.Index.Decimals)
			}
		}
		if c := byNode[n.Code]; c != nil {
			row.Score, row.Stage = c, c.Stage
			row.Self, row.Appraised = scale(p, n, c.Self, v.Index.Decimals), scale(p, n, c.Appraised, v.Index.Decimals)
			row.Final = scale(p, n, c.Final, v.Index.Decimals)
			for _, note := range []string{c.SelfNote, c.AppraisedNote} {
				if note != "" {
					row.Notes = append(row.Notes, note)
				}
			}
		}
		d.Rows = append(d.Rows, row)
	}
	// The unit's trail: every step on its component scores, newest first.
	if s.Audit != nil {
		for _, c := range byNode {
			es, err := s.Audit.FindAudit(ctx, "index_score", c.ID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			d.AuditTrail = append(d.AuditTrail, es...)
		}
		slices.SortFunc(d.AuditTrail, func(a, b *dxtrack.AuditEntry) int { return int(b.ID - a.ID) })
	}
	s.render(w, r, status, "indices_scores", p.T("indices.scores.title", nil)+" · "+v.Edition.Name(p.Lang()), d)
}

// actOnScore performs a workflow step (POST /indices/editions/{id}/scores):
// unit, node, action, value (points or score as shown), note, and an
// optional evidence file.
func (s *Server) actOnScore(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, dxtrack.MaxEvidenceSize+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		s.fail(w, r, dxtrack.Invalid("file", "error.file_too_large", map[string]any{"Max": dxtrack.MaxEvidenceSize >> 20}))
		return
	}
	unit, node := r.FormValue("unit"), r.FormValue("node")
	action := dxtrack.ScoreAction(r.FormValue("action"))
	values := r.PostForm
	if r.MultipartForm != nil {
		values = url.Values(r.MultipartForm.Value)
	}
	ps := &parser{values: values, p: p}
	val := ps.decimal("value")
	back := func(err error) {
		f := newForm(values)
		if !f.addError(p, err, nil) {
			s.fail(w, r, err)
			return
		}
		s.renderScores(w, r, http.StatusUnprocessableEntity, f, node, &unit)
	}
	if err := ps.probs.Err(); err != nil {
		back(err)
		return
	}
	def, err := s.Indices.FindEdition(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if val != nil {
		// Points are entered for leaves that carry them.
		d, err := s.Indices.FindIndexDefinition(ctx, def.IndexCode, def.IndexVersion)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ix, err := composite.Parse(d.Definition)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if n := ix.Node(node); n != nil && n.MaxPoints > 0 {
			if *val > n.MaxPoints {
				back(dxtrack.Invalid("value", "error.indices_over_max", map[string]any{"Max": n.MaxPoints}))
				return
			}
			x := *val / n.MaxPoints
			val = &x
		}
	}
	c, err := s.Indices.ActOnScore(ctx, id, unit, node, action, val, r.FormValue("note"))
	if err != nil {
		back(err)
		return
	}
	if file, head, ferr := r.FormFile("file"); ferr == nil {
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, dxtrack.MaxEvidenceSize+1))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(data) > 0 {
			ct := head.Header.Get("Content-Type")
			if _, _, err := mime.ParseMediaType(ct); err != nil || ct == "" {
				ct = "application/octet-stream"
			}
			ev := &dxtrack.IndexEvidence{Name: filepath.Base(head.Filename), ContentType: ct, Data: data}
			if err := s.Indices.AttachScoreEvidence(ctx, c.ID, ev); err != nil {
				back(err)
				return
			}
		}
	}
	s.flash(r, "indices.flash_score")
	http.Redirect(w, r, editionURL(id)+"/scores?unit="+url.QueryEscape(unit)+"#c-"+url.QueryEscape(node), http.StatusSeeOther)
}

// downloadScoreEvidence sends an evidence file (GET /indices/evidence/{id}).
func (s *Server) downloadScoreEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ev, err := s.Indices.FindScoreEvidence(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setSecurityHeaders(w.Header())
	w.Header().Set("Content-Type", ev.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(ev.Data)))
	_, _ = w.Write(ev.Data)
}
