package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// targetFormPage is the data of the target form.
type targetFormPage struct {
	Form       *form
	T          *dxtrack.Target // nil when creating
	Doc        *dxtrack.Document
	Documents  []*dxtrack.Document
	Categories *categoryLists
}

// newTarget shows an empty target form for ?document=ID.
func (s *Server) newTarget(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	v := url.Values{}
	v.Set("kind", string(dxtrack.TargetQuantitative))
	v.Set("direction", string(dxtrack.DirectionUp))
	if doc := queryID(r, "document"); doc != 0 {
		v.Set("document", strconv.FormatInt(doc, 10))
	}
	s.renderTargetForm(w, r, http.StatusOK, newForm(v), nil)
}

// editTarget shows the form filled with a target.
func (s *Server) editTarget(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.Targets.FindTargetByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := url.Values{}
	v.Set("document", strconv.FormatInt(t.DocumentID, 10))
	v.Set("code", t.Code)
	v.Set("name_vi", t.NameVI)
	v.Set("name_en", t.NameEN)
	v.Set("kind", string(t.Kind))
	v.Set("measure", t.Measure)
	for name, f := range map[string]*float64{"baseline": t.Baseline, "value": t.Value, "current": t.Current} {
		if f != nil {
			v.Set(name, p.Decimal(*f, 6))
		}
	}
	v.Set("direction", string(t.Direction))
	if t.Done {
		v.Set("done", "1")
	}
	if t.Illustrative {
		v.Set("illustrative", "1")
	}
	v.Set("start_on", dxtrack.FormatDate(t.StartOn))
	v.Set("deadline", dxtrack.FormatDate(t.Deadline))
	v.Set("pillar", idValue(t.PillarID))
	v.Set("sector", idValue(t.SectorID))
	if units, err := s.unitsByID(ctx, t.LeadUnitID); err == nil && units[t.LeadUnitID] != nil {
		v.Set("lead_unit", units[t.LeadUnitID].Code)
	}
	v.Set("note", t.Note)
	s.renderTargetForm(w, r, http.StatusOK, newForm(v), t)
}

func idValue(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func (s *Server) renderTargetForm(w http.ResponseWriter, r *http.Request, status int, f *form, t *dxtrack.Target) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	data := targetFormPage{Form: f, T: t}
	var err error
	if data.Documents, err = s.allDocuments(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, d := range data.Documents {
		if strconv.FormatInt(d.ID, 10) == f.Get("document") {
			data.Doc = d
		}
	}
	if data.Categories, err = s.categoryLists(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	title := p.T("page.target_new.title", nil)
	if t != nil {
		title = p.T("page.target_edit.title", map[string]any{"Code": t.Code})
	}
	s.render(w, r, status, "target_form", title, data)
}
