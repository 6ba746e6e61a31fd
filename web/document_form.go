package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// documentFormPage is the data of the document form.
type documentFormPage struct {
	Form      *form
	Doc       *dxtrack.Document // nil when creating
	Kinds     []dxtrack.DocumentKind
	Documents []*dxtrack.Document // possible parents
}

// newDocument shows an empty document form, owned by the user's unit.
func (s *Server) newDocument(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	f := newForm(nil)
	f.Values.Set("kind", string(dxtrack.DocPlan))
	if u, err := s.Units.FindUnitByID(ctx, dxtrack.UserFromContext(ctx).UnitID); err == nil {
		f.Values.Set("owner_unit", u.Code)
	}
	if parent := queryID(r, "parent"); parent != 0 {
		f.Values.Set("parent_id", strconv.FormatInt(parent, 10))
	}
	s.renderDocumentForm(w, r, http.StatusOK, f, nil)
}

// editDocument shows the form filled with a document.
func (s *Server) editDocument(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Documents.FindDocumentByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := url.Values{}
	v.Set("kind", string(d.Kind))
	v.Set("number", d.Number)
	v.Set("title_vi", d.TitleVI)
	v.Set("title_en", d.TitleEN)
	v.Set("issuer", d.Issuer)
	v.Set("issued_on", dxtrack.FormatDate(d.IssuedOn))
	v.Set("span_from", yearValue(d.SpanFrom))
	v.Set("span_to", yearValue(d.SpanTo))
	v.Set("vision_year", yearValue(d.VisionYear))
	if d.ParentID != 0 {
		v.Set("parent_id", strconv.FormatInt(d.ParentID, 10))
	}
	if units, err := s.unitsByID(ctx, d.OwnerUnitID); err == nil && units[d.OwnerUnitID] != nil {
		v.Set("owner_unit", units[d.OwnerUnitID].Code)
	}
	v.Set("summary", d.Summary)
	s.renderDocumentForm(w, r, http.StatusOK, newForm(v), d)
}

func yearValue(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

func (s *Server) renderDocumentForm(w http.ResponseWriter, r *http.Request, status int, f *form, d *dxtrack.Document) {
	p := locale.For(langFrom(r.Context()))
	docs, err := s.allDocuments(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := p.T("page.document_new.title", nil)
	if d != nil {
		title = p.T("page.document_edit.title", map[string]any{"Number": d.Number})
		// A document cannot be its own parent.
		kept := docs[:0:0]
		for _, x := range docs {
			if x.ID != d.ID {
				kept = append(kept, x)
			}
		}
		docs = kept
	}
	s.render(w, r, status, "document_form", title, documentFormPage{Form: f, Doc: d, Kinds: dxtrack.DocumentKinds, Documents: docs})
}
