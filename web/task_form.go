package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// taskFormPage is the data of the task form.
type taskFormPage struct {
	Form       *form
	T          *dxtrack.Task // nil when creating
	Doc        *dxtrack.Document
	Documents  []*dxtrack.Document
	Categories *categoryLists
	Targets    []*dxtrack.Target // of the document, to link
}

// newTask shows an empty task form for ?document=ID.
func (s *Server) newTask(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	v := url.Values{}
	v.Set("progress", "0")
	if doc := queryID(r, "document"); doc != 0 {
		v.Set("document", strconv.FormatInt(doc, 10))
	}
	if target := queryID(r, "target"); target != 0 {
		v.Set("targets", strconv.FormatInt(target, 10))
	}
	s.renderTaskForm(w, r, http.StatusOK, newForm(v), nil)
}

// editTask shows the form filled with a task.
func (s *Server) editTask(w http.ResponseWriter, r *http.Request) {
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
	t, err := s.Tasks.FindTaskByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := url.Values{}
	v.Set("document", strconv.FormatInt(t.DocumentID, 10))
	v.Set("code", t.Code)
	v.Set("name_vi", t.NameVI)
	v.Set("name_en", t.NameEN)
	v.Set("group", t.Group)
	units, err := s.unitsByID(ctx, append([]int64{t.LeadUnitID}, t.CoUnitIDs...)...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if u := units[t.LeadUnitID]; u != nil {
		v.Set("lead_unit", u.Code)
	}
	var co []string
	for _, id := range t.CoUnitIDs {
		if u := units[id]; u != nil {
			co = append(co, u.Code)
		}
	}
	v.Set("co_units", strings.Join(co, ", "))
	v.Set("start_on", dxtrack.FormatDate(t.StartOn))
	v.Set("deadline", dxtrack.FormatDate(t.Deadline))
	v.Set("output", t.Output)
	if t.BudgetVND != 0 {
		v.Set("budget_vnd", p.Number(t.BudgetVND))
	}
	v.Set("progress", strconv.Itoa(t.Progress))
	for _, id := range t.TargetIDs {
		v.Add("targets", strconv.FormatInt(id, 10))
	}
	v.Set("pillar", idValue(t.PillarID))
	v.Set("sector", idValue(t.SectorID))
	if t.Illustrative {
		v.Set("illustrative", "1")
	}
	v.Set("note", t.Note)
	s.renderTaskForm(w, r, http.StatusOK, newForm(v), t)
}

func (s *Server) renderTaskForm(w http.ResponseWriter, r *http.Request, status int, f *form, t *dxtrack.Task) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	data := taskFormPage{Form: f, T: t}
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
	if data.Doc != nil {
		if data.Targets, _, err = s.Targets.FindTargets(ctx, dxtrack.TargetFilter{DocumentID: data.Doc.ID, Page: dxtrack.Page{Limit: 1000}}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if data.Categories, err = s.categoryLists(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	title := p.T("page.task_new.title", nil)
	if t != nil {
		title = p.T("page.task_edit.title", map[string]any{"Code": t.Code})
	}
	s.render(w, r, status, "task_form", title, data)
}

// taskTargetChoices renders the checkboxes of a document's targets, for
// the task form when its document changes (htmx).
func (s *Server) taskTargetChoices(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	data := taskFormPage{Form: newForm(nil)}
	if doc := queryID(r, "document"); doc != 0 {
		var err error
		if data.Targets, _, err = s.Targets.FindTargets(ctx, dxtrack.TargetFilter{DocumentID: doc, Page: dxtrack.Page{Limit: 1000}}); err != nil {
			s.fail(w, r, err)
			return
		}
		data.Doc = &dxtrack.Document{ID: doc}
	}
	s.renderFragment(w, r, http.StatusOK, "task_form", "target_choices", data)
}
