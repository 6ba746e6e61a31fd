package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// Deleting a document, target or task takes two steps: the detail page
// links to a confirmation page (GET .../delete), whose form posts to the
// same path. No script is needed, so the CSP stays strict.

// deletePage is the data of a confirmation page.
type deletePage struct {
	Kind    string // "document", "target" or "task": message IDs and URLs
	ID      int64
	Label   string // the document's number or the item's code
	Name    string // its title in the interface language
	Back    string // the detail page
	Holds   *documentHoldings
	Refusal string // why deleting is refused; the page then offers no button
}

// documentHoldings counts what keeps a document from being deleted.
type documentHoldings struct {
	Targets, Tasks, Children int
}

// Any reports whether the document holds anything.
func (h *documentHoldings) Any() bool {
	return h != nil && h.Targets+h.Tasks+h.Children > 0
}

// deletable is one kind of item the UI can delete.
type deletable struct {
	kind string
	// load fills the page's label and name and returns the path of the
	// unit whose admins may delete the item, and the list to go back to.
	load func(ctx context.Context, s *Server, lang string, id int64, d *deletePage) (path []int64, list string, err error)
	del  func(ctx context.Context, s *Server, id int64) error
}

var (
	documentDeletable = &deletable{
		kind: "document",
		load: func(ctx context.Context, s *Server, lang string, id int64, d *deletePage) ([]int64, string, error) {
			doc, err := s.Documents.FindDocumentByID(ctx, id)
			if err != nil {
				return nil, "", err
			}
			d.Label, d.Name = doc.Number, doc.Title(lang)
			h := &documentHoldings{}
			limit1 := dxtrack.Page{Limit: 1}
			if _, h.Targets, err = s.Targets.FindTargets(ctx, dxtrack.TargetFilter{DocumentID: id, Page: limit1}); err != nil {
				return nil, "", err
			}
			if _, h.Tasks, err = s.Tasks.FindTasks(ctx, dxtrack.TaskFilter{DocumentID: id, Page: limit1}); err != nil {
				return nil, "", err
			}
			if _, h.Children, err = s.Documents.FindDocuments(ctx, dxtrack.DocumentFilter{ParentID: &id, Page: limit1}); err != nil {
				return nil, "", err
			}
			d.Holds = h
			path, err := s.unitPath(ctx, doc.OwnerUnitID)
			return path, "/documents", err
		},
		del: func(ctx context.Context, s *Server, id int64) error { return s.Documents.DeleteDocument(ctx, id) },
	}
	targetDeletable = &deletable{
		kind: "target",
		load: func(ctx context.Context, s *Server, lang string, id int64, d *deletePage) ([]int64, string, error) {
			t, err := s.Targets.FindTargetByID(ctx, id)
			if err != nil {
				return nil, "", err
			}
			d.Label, d.Name = t.Code, t.Name(lang)
			path, err := s.unitPath(ctx, t.LeadUnitID)
			return path, "/targets?document=" + strconv.FormatInt(t.DocumentID, 10), err
		},
		del: func(ctx context.Context, s *Server, id int64) error { return s.Targets.DeleteTarget(ctx, id) },
	}
	taskDeletable = &deletable{
		kind: "task",
		load: func(ctx context.Context, s *Server, lang string, id int64, d *deletePage) ([]int64, string, error) {
			t, err := s.Tasks.FindTaskByID(ctx, id)
			if err != nil {
				return nil, "", err
			}
			d.Label, d.Name = t.Code, t.Name(lang)
			path, err := s.unitPath(ctx, t.LeadUnitID)
			return path, "/tasks?document=" + strconv.FormatInt(t.DocumentID, 10), err
		},
		del: func(ctx context.Context, s *Server, id int64) error { return s.Tasks.DeleteTask(ctx, id) },
	}
)

// confirmDelete returns the handler of the confirmation page, shown only
// to an admin over the item.
func (s *Server) confirmDelete(k *deletable) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.adminOnly(w, r) {
			return
		}
		d, ok := s.loadDeletable(w, r, k)
		if !ok {
			return
		}
		if d.Holds.Any() {
			// Say at once what the service would answer.
			d.Refusal = locale.For(langFrom(r.Context())).T("error.in_use", nil)
		}
		s.renderDelete(w, r, http.StatusOK, d)
	}
}

// deleteItem returns the handler that deletes the item and goes back to
// its list; a refusal (a document still in use) is shown on the
// confirmation page.
func (s *Server) deleteItem(k *deletable) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		// Loading first finds the list to return to; the service checks
		// the permission again in the transaction that deletes.
		d, list, err := s.deletePageOf(r, k, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := k.del(ctx, s, id); err != nil {
			if dxtrack.ErrorCode(err) == dxtrack.ECONFLICT {
				d.Refusal = locale.For(langFrom(ctx)).Error(err)
				s.renderDelete(w, r, http.StatusConflict, d)
				return
			}
			s.fail(w, r, err)
			return
		}
		s.flash(r, "flash.deleted")
		http.Redirect(w, r, list, http.StatusSeeOther)
	}
}

// loadDeletable loads the confirmation page's data and refuses anyone but
// an admin over the item.
func (s *Server) loadDeletable(w http.ResponseWriter, r *http.Request, k *deletable) (*deletePage, bool) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	d, _, err := s.deletePageOf(r, k, id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return d, true
}

func (s *Server) deletePageOf(r *http.Request, k *deletable, id int64) (*deletePage, string, error) {
	ctx := r.Context()
	d := &deletePage{Kind: k.kind, ID: id, Back: "/" + k.kind + "s/" + strconv.FormatInt(id, 10)}
	path, list, err := k.load(ctx, s, langFrom(ctx), id, d)
	if err != nil {
		return nil, "", err
	}
	if !dxtrack.UserFromContext(ctx).CanAdmin(path) {
		return nil, "", dxtrack.Errorf(dxtrack.EFORBIDDEN, "error.forbidden", nil)
	}
	return d, list, nil
}

func (s *Server) renderDelete(w http.ResponseWriter, r *http.Request, status int, d *deletePage) {
	p := locale.For(langFrom(r.Context()))
	s.render(w, r, status, d.Kind+"_delete", p.T("page."+d.Kind+"_delete.title", map[string]any{"Code": d.Label}), d)
}
