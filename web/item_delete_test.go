package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
)

func TestDeleteButtonsOnlyForAdmins(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pages := []struct{ show, del string }{
		{"/documents/" + fmtID(f.plan.ID), "/documents/" + fmtID(f.plan.ID) + "/delete"},
		{"/targets/" + fmtID(f.targetIDs[0]), "/targets/" + fmtID(f.targetIDs[0]) + "/delete"},
		{"/tasks/" + fmtID(f.taskA.ID), "/tasks/" + fmtID(f.taskA.ID) + "/delete"},
	}
	admin := f.login("admin")
	for _, p := range pages {
		_, body := admin.get(p.show)
		if !strings.Contains(body, `href="`+p.del+`"`) {
			t.Errorf("admin: %s has no delete button", p.show)
		}
	}
	for _, username := range []string{"leader", "reviewer", "reporter-a"} {
		c := f.login(username)
		for _, p := range pages {
			_, body := c.get(p.show)
			if strings.Contains(body, p.del) {
				t.Errorf("%s sees the delete button on %s", username, p.show)
			}
			res, body := c.get(p.del)
			wantStatus(t, res, body, http.StatusForbidden)
			res, body = c.post(p.del, nil)
			wantStatus(t, res, body, http.StatusForbidden)
		}
	}
	// Nothing was deleted by the refused posts.
	if _, err := f.tasks.FindTaskByID(f.sys, f.taskA.ID); err != nil {
		t.Errorf("task: %v", err)
	}
	if _, err := f.targets.FindTargetByID(f.sys, f.targetIDs[0]); err != nil {
		t.Errorf("target: %v", err)
	}
	res, body := admin.get("/tasks/999999/delete")
	wantStatus(t, res, body, http.StatusNotFound)
	res, body = admin.post("/documents/999999/delete", nil)
	wantStatus(t, res, body, http.StatusNotFound)
}

func TestDeleteTaskTargetDocument(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login("admin")
	plan := "/documents/" + fmtID(f.plan.ID)

	// A document holding targets and tasks: the page says why at once and
	// offers no button; a post anyway is refused with the service's word.
	res, body := admin.get(plan + "/delete")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Xoá văn bản 59/KH-UBND", "Văn bản còn 27 mục tiêu, 1 nhiệm vụ và 0 văn bản con.",
		"Không thể xoá vì mục này đang được sử dụng")
	if strings.Contains(body, `action="`+plan+`/delete"`) {
		t.Error("a document in use is offered for deletion")
	}
	res, body = admin.post(plan+"/delete", nil)
	wantStatus(t, res, body, http.StatusConflict)
	wantText(t, body, "Không thể xoá vì mục này đang được sử dụng")
	if _, err := f.documents.FindDocumentByID(f.sys, f.plan.ID); err != nil {
		t.Fatalf("refused deletion removed the document: %v", err)
	}

	// The task: confirm, delete, back to the document's tasks.
	task := "/tasks/" + fmtID(f.taskA.ID)
	res, body = admin.get(task + "/delete")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Xoá nhiệm vụ NV-A", "NV-A · Số hoá hồ sơ của xã Hòa Bình", "Không thể hoàn tác thao tác này.", "Xoá hẳn", "Huỷ")
	if !strings.Contains(body, `<form method="post" action="`+task+`/delete"`) {
		t.Fatal("no confirmation form")
	}
	res, body = admin.post(task+"/delete", nil)
	wantRedirect(t, res, body, "/tasks?document="+fmtID(f.plan.ID))
	_, body = admin.get(res.Header.Get("Location"))
	wantText(t, body, "Đã xoá.")
	noText(t, body, "NV-A")
	_, err := f.tasks.FindTaskByID(f.sys, f.taskA.ID)
	if dxtrack.ErrorCode(err) != dxtrack.ENOTFOUND {
		t.Errorf("deleted task: %v", err)
	}
	res, body = admin.get(task)
	wantStatus(t, res, body, http.StatusNotFound)

	// Targets go one by one; the document then holds nothing.
	for i, id := range f.targetIDs {
		res, body = admin.post("/targets/"+fmtID(id)+"/delete", nil)
		wantRedirect(t, res, body, "/targets?document="+fmtID(f.plan.ID))
		if i == 0 {
			_, body = admin.get(res.Header.Get("Location"))
			wantText(t, body, "Đã xoá.")
			noText(t, body, "MT-01")
		}
	}
	if got, _, _ := f.targets.FindTargets(f.sys, targetsOf(f.plan.ID)); len(got) != 0 {
		t.Fatalf("%d targets left", len(got))
	}
	res, body = admin.get(plan + "/delete")
	wantStatus(t, res, body, http.StatusOK)
	noText(t, body, "đang được sử dụng")
	res, body = admin.post(plan+"/delete", nil)
	wantRedirect(t, res, body, "/documents")
	_, body = admin.get("/documents")
	wantText(t, body, "Đã xoá.")
	noText(t, body, "59/KH-UBND")
	_, err = f.documents.FindDocumentByID(f.sys, f.plan.ID)
	if dxtrack.ErrorCode(err) != dxtrack.ENOTFOUND {
		t.Errorf("deleted document: %v", err)
	}
}

func TestDeleteChildDocumentRefusal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	parent := &dxtrack.Document{Kind: dxtrack.DocResolution, Number: "09-NQ/TU", TitleVI: "Nghị quyết về chuyển đổi số",
		IssuedOn: dxtrack.MustDate("2021-01-01"), SpanFrom: 2021, SpanTo: 2025, OwnerUnitID: f.province.ID}
	if err := f.documents.CreateDocument(f.sys, parent); err != nil {
		t.Fatal(err)
	}
	child := &dxtrack.Document{Kind: dxtrack.DocPlan, Number: "10/KH-UBND", TitleVI: "Kế hoạch thực hiện",
		IssuedOn: dxtrack.MustDate("2021-03-01"), SpanFrom: 2021, SpanTo: 2021, ParentID: parent.ID, OwnerUnitID: f.province.ID}
	if err := f.documents.CreateDocument(f.sys, child); err != nil {
		t.Fatal(err)
	}
	c := f.login("admin")
	c.get("/lang?to=en&next=/")
	res, body := c.post("/documents/"+fmtID(parent.ID)+"/delete", nil)
	wantStatus(t, res, body, http.StatusConflict)
	wantText(t, body, "Delete document 09-NQ/TU", "The document still holds targets: 0, tasks: 0, child documents: 1.")
	// The child itself holds nothing and goes.
	res, body = c.post("/documents/"+fmtID(child.ID)+"/delete", nil)
	wantRedirect(t, res, body, "/documents")
	res, body = c.post("/documents/"+fmtID(parent.ID)+"/delete", nil)
	wantRedirect(t, res, body, "/documents")
}
