package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// documentListPage is the data of the document list.
type documentListPage struct {
	Rows   []documentRow
	Query  string
	Kind   string
	Pager  pager
	CanAdd bool
	Kinds  []dxtrack.DocumentKind
}

type documentRow struct {
	*dxtrack.Document
	Progress dxtrack.DocumentProgress
}

// listDocuments lists programme documents with their completion.
func (s *Server) listDocuments(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	q := r.URL.Query()
	pg := pageOf(r)
	f := dxtrack.DocumentFilter{Kind: dxtrack.DocumentKind(q.Get("kind")), Query: q.Get("q"), Page: pg}
	if !f.Kind.Valid() {
		f.Kind = ""
	}
	docs, total, err := s.Documents.FindDocuments(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	o, err := s.Overview.Overview(ctx, dxtrack.OverviewFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	progress := map[int64]dxtrack.DocumentProgress{}
	for _, dp := range o.Documents {
		progress[dp.Document.ID] = dp
	}
	data := documentListPage{
		Query: f.Query, Kind: string(f.Kind), Kinds: dxtrack.DocumentKinds,
		Pager:  newPager(r, pg, len(docs), total),
		CanAdd: dxtrack.UserFromContext(ctx).Role == dxtrack.RoleAdmin,
	}
	for _, d := range docs {
		data.Rows = append(data.Rows, documentRow{Document: d, Progress: progress[d.ID]})
	}
	s.render(w, r, http.StatusOK, "document_list", p.T("page.documents.title", nil), data)
}
