package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// documentPage is the data of a document's page.
type documentPage struct {
	Doc        *dxtrack.Document
	Parent     *dxtrack.Document
	Children   []documentRow
	Progress   dxtrack.DocumentProgress // the document's own items
	Owner      *dxtrack.Unit
	Targets    []targetRow
	Tasks      []taskRow
	Categories *categoryLists
	CanAdmin   bool
}

// showDocument shows a document with its targets, tasks, child documents
// and completion.
func (s *Server) showDocument(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc, err := s.Documents.FindDocumentByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := documentPage{Doc: doc}
	o, err := s.Overview.Overview(ctx, dxtrack.OverviewFilter{DocumentID: id})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, dp := range o.Documents {
		if dp.Document.ID == id {
			data.Progress = dp
		} else if dp.Document.ParentID == id {
			data.Children = append(data.Children, documentRow{Document: dp.Document, Progress: dp})
		}
	}
	if doc.ParentID != 0 {
		if data.Parent, err = s.Documents.FindDocumentByID(ctx, doc.ParentID); err != nil && dxtrack.ErrorCode(err) != dxtrack.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
	}
	targets, _, err := s.Targets.FindTargets(ctx, dxtrack.TargetFilter{DocumentID: id, Page: dxtrack.Page{Limit: 1000}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tasks, _, err := s.Tasks.FindTasks(ctx, dxtrack.TaskFilter{DocumentID: id, Page: dxtrack.Page{Limit: 1000}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.unitsByID(ctx, append(append(leadIDsOfTargets(targets), leadIDsOfTasks(tasks)...), doc.OwnerUnitID)...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Owner = units[doc.OwnerUnitID]
	now := s.Now()
	data.Targets = s.targetRows(targets, units, p.Lang(), now)
	data.Tasks = s.taskRows(tasks, units, p.Lang(), now)
	if data.Categories, err = s.categoryLists(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	path, err := s.unitPath(ctx, doc.OwnerUnitID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.CanAdmin = dxtrack.UserFromContext(ctx).CanAdmin(path)
	s.render(w, r, http.StatusOK, "document_show", doc.Number+" · "+doc.Title(p.Lang()), data)
}
