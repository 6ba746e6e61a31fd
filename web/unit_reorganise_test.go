package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
)

func TestUnitReorganisationOnlyForAdmins(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	page := "/units/" + fmtID(f.communeA.ID)
	_, body := f.login("admin").get(page)
	wantText(t, body, "Sáp nhập vào…", "Chia tách…")
	for _, username := range []string{"leader", "reviewer", "reporter-a"} {
		c := f.login(username)
		_, body := c.get(page)
		noText(t, body, "Sáp nhập vào…", "Chia tách…")
		for _, action := range []string{"/merge", "/split"} {
			res, body := c.get(page + action)
			wantStatus(t, res, body, http.StatusForbidden)
			res, body = c.post(page+action, url.Values{"into": {"XB"}, "on": {"2022-12-31"}})
			wantStatus(t, res, body, http.StatusForbidden)
		}
	}
	_, lineage, err := f.units.UnitHistory(f.sys, f.communeA.ID)
	if err != nil || len(lineage) != 0 {
		t.Errorf("refused posts left lineage %+v, %v", lineage, err)
	}
}

func TestUnitMergeForm(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	other := f.mustUnit(&dxtrack.Unit{Code: "25", NameVI: "Phú Thọ", Type: dxtrack.UnitProvince, ValidFrom: dxtrack.MustDate("2020-01-01")})
	outside := f.mustUnit(&dxtrack.Unit{Code: "PT1", NameVI: "Xã Kim Bôi", Type: dxtrack.UnitCommune, ParentID: other.ID, ValidFrom: dxtrack.MustDate("2020-01-01")})
	admin := f.login("admin")
	merge := "/units/" + fmtID(f.communeA.ID) + "/merge"

	res, body := admin.get(merge)
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Sáp nhập Xã Hòa Bình", "Không dữ liệu nào bị xoá")

	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		input  string
		msg    string
	}{
		{"nothing", url.Values{}, http.StatusUnprocessableEntity, "into", "Đơn vị kế thừa là thông tin bắt buộc"},
		{"no date", url.Values{"into": {"XB"}}, http.StatusUnprocessableEntity, "on", "Ngày có hiệu lực của thay đổi là thông tin bắt buộc"},
		{"bad date", url.Values{"into": {"XB"}, "on": {"31/02/2022"}}, http.StatusUnprocessableEntity, "on", "phải là một ngày hợp lệ"},
		{"unknown code", url.Values{"into": {"XZ"}, "on": {"2022-12-31"}}, http.StatusUnprocessableEntity, "into", "không có đơn vị nào mang mã “XZ”"},
		{"itself", url.Values{"into": {"XA"}, "on": {"2022-12-31"}}, http.StatusUnprocessableEntity, "into", "Đơn vị kế thừa không thể là chính nó"},
		{"out of scope", url.Values{"into": {outside.Code}, "on": {"2022-12-31"}}, http.StatusForbidden, "into", "nằm ngoài phạm vi bạn quản lý"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := admin.post(merge, tc.form)
			wantStatus(t, res, body, tc.status)
			wantFieldError(t, body, tc.input, tc.msg)
			// What was typed is shown again.
			if code := tc.form.Get("into"); code != "" && !strings.Contains(body, `value="`+code+`"`) {
				t.Errorf("the code %q typed is not kept", code)
			}
		})
	}
	if u, err := f.units.FindUnitByID(f.sys, f.communeA.ID); err != nil || !u.ValidTo.IsZero() {
		t.Fatalf("refused merges ended the unit: %+v, %v", u, err)
	}

	res, body = admin.post(merge, url.Values{"into": {"XB"}, "on": {"31/12/2022"}})
	wantRedirect(t, res, body, "/units/"+fmtID(f.communeA.ID))
	_, body = admin.get("/units/" + fmtID(f.communeA.ID))
	wantText(t, body, "Đã ghi nhận việc sáp nhập.", "hết hiệu lực 31/12/2022", "31/12/2022 Sáp nhập vào: Xã Đông Sơn XB")
	if !strings.Contains(body, `href="/units/`+fmtID(f.communeB.ID)+`"`) {
		t.Error("the merged unit does not link to its successor")
	}
	_, body = admin.get("/units/" + fmtID(f.communeB.ID))
	wantText(t, body, "31/12/2022 Tiếp nhận đơn vị sáp nhập: Xã Hòa Bình XA")
	if !strings.Contains(body, `href="/units/`+fmtID(f.communeA.ID)+`"`) {
		t.Error("the successor does not link to the merged unit")
	}

	// Nothing is deleted: the task still belongs to the merged commune,
	// its reporter still signs in, and the commune is listed among the
	// ended units of the province.
	task, err := f.tasks.FindTaskByID(f.sys, f.taskA.ID)
	if err != nil || task.LeadUnitID != f.communeA.ID {
		t.Errorf("task after the merge: %+v, %v", task, err)
	}
	reporter := f.login("reporter-a")
	_, body = reporter.get("/tasks/" + fmtID(f.taskA.ID))
	wantText(t, body, "Xã Hòa Bình")
	province := "/units/" + fmtID(f.province.ID)
	_, body = admin.get(province)
	noText(t, body, "Xã Hòa Bình")
	_, body = admin.get(province + "?ended=1")
	wantText(t, body, "Xã Hòa Bình XA Xã hết hiệu lực 31/12/2022")
	_, body = admin.get("/units?q=hoa+binh&ended=1")
	wantText(t, body, "Xã Hòa Bình")
}

func TestUnitSplitForm(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	from := dxtrack.MustDate("2023-01-01")
	east := f.mustUnit(&dxtrack.Unit{Code: "XB-DONG", NameVI: "Xã Đông Sơn Đông", Type: dxtrack.UnitCommune, ParentID: f.province.ID, ValidFrom: from})
	west := f.mustUnit(&dxtrack.Unit{Code: "XB-TAY", NameVI: "Xã Đông Sơn Tây", Type: dxtrack.UnitCommune, ParentID: f.province.ID, ValidFrom: from})
	admin := f.login("admin")
	split := "/units/" + fmtID(f.communeB.ID) + "/split"

	res, body := admin.get(split)
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Chia tách Xã Đông Sơn", "Các đơn vị mới phải được tạo trước")
	if !strings.Contains(body, `name="end" value="1" checked`) {
		t.Error("ending the old unit is not proposed")
	}

	res, body = admin.post(split, url.Values{"into": {"XB-DONG, XB-BAC"}, "on": {""}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "into", "không có đơn vị nào mang mã “XB-BAC”")
	wantFieldError(t, body, "on", "là thông tin bắt buộc")
	res, body = admin.post(split, url.Values{"into": {"XB-DONG XB"}, "on": {"2023-01-01"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "into", "không thể là chính nó")

	// Split without ending: the old commune stays current.
	res, body = admin.post(split, url.Values{"into": {"XB-DONG; XB-TAY"}, "on": {"2023-01-01"}})
	wantRedirect(t, res, body, "/units/"+fmtID(f.communeB.ID))
	_, body = admin.get("/units/" + fmtID(f.communeB.ID))
	wantText(t, body, "Đã ghi nhận việc chia tách.", "01/01/2023 Tách thành: Xã Đông Sơn Đông XB-DONG", "01/01/2023 Tách thành: Xã Đông Sơn Tây XB-TAY")
	noText(t, body, "hết hiệu lực")
	for _, u := range []*dxtrack.Unit{east, west} {
		_, body = admin.get("/units/" + fmtID(u.ID))
		wantText(t, body, "01/01/2023 Tách ra từ: Xã Đông Sơn XB")
		if !strings.Contains(body, `href="/units/`+fmtID(f.communeB.ID)+`"`) {
			t.Errorf("%s does not link to the unit it was split from", u.Code)
		}
	}

	// A second split, ending the old unit this time.
	north := f.mustUnit(&dxtrack.Unit{Code: "XB-BAC", NameVI: "Xã Đông Sơn Bắc", Type: dxtrack.UnitCommune, ParentID: f.province.ID, ValidFrom: from})
	res, body = admin.post(split, url.Values{"into": {north.Code}, "on": {"2023-01-10"}, "end": {"1"}})
	wantRedirect(t, res, body, "/units/"+fmtID(f.communeB.ID))
	_, body = admin.get("/units/" + fmtID(f.communeB.ID))
	wantText(t, body, "hết hiệu lực 10/01/2023", "10/01/2023 Tách thành: Xã Đông Sơn Bắc XB-BAC")
	u, err := f.units.FindUnitByID(f.sys, f.communeB.ID)
	if err != nil || !u.ValidTo.Equal(dxtrack.MustDate("2023-01-10")) {
		t.Errorf("old unit after the split: %+v, %v", u, err)
	}
	_, body = admin.get("/units/" + fmtID(f.province.ID) + "?ended=1")
	wantText(t, body, "Xã Đông Sơn XB Xã hết hiệu lực 10/01/2023")
}

func TestAPIUnitMergeAndSplit(t *testing.T) {
	t.Parallel()
	f := newAPIFixture(t)
	newWard := f.unit(&dxtrack.Unit{Code: "22003", NameVI: "Phường Bình Minh", Type: dxtrack.UnitWard, ParentID: f.province.ID})

	body := map[string]any{"into": "22002", "on": "2024-06-01"}
	f.do("leader", http.MethodPost, "/units/22001/merge", body).problem(http.StatusForbidden, "forbidden")
	f.do("reporter-a", http.MethodPost, "/units/22001/merge", body).problem(http.StatusForbidden, "forbidden")
	f.do("admin", http.MethodPost, "/units/22001/merge", map[string]any{"into": "22002"}).invalid("on", "error.required")
	f.do("admin", http.MethodPost, "/units/22001/merge", map[string]any{"into": "22002", "on": "1/6/2024"}).invalid("on", "error.bad_date")
	f.do("admin", http.MethodPost, "/units/22001/merge", map[string]any{"on": "2024-06-01"}).invalid("into", "error.required")
	f.do("admin", http.MethodPost, "/units/22001/merge", map[string]any{"into": "99999", "on": "2024-06-01"}).invalid("into", "error.unknown_unit")
	f.do("admin", http.MethodPost, "/units/22001/merge", map[string]any{"into": "22001", "on": "2024-06-01"}).invalid("into", "error.self_parent")
	f.do("admin", http.MethodPost, "/units/nope/merge", body).problem(http.StatusNotFound, "not_found")

	var merged struct {
		Code    string `json:"code"`
		ValidTo string `json:"valid_to"`
	}
	f.do("admin", http.MethodPost, "/units/22001/merge", body).ok(http.StatusOK).decode(&merged)
	if merged.Code != "22001" || merged.ValidTo != "2024-06-01" {
		t.Errorf("merged unit: %+v", merged)
	}
	var history struct {
		Lineage []struct {
			From, To, Kind, On string
		} `json:"lineage"`
	}
	f.do("reporter-b", http.MethodGet, "/units/22002/history", nil).ok(http.StatusOK).decode(&history)
	if len(history.Lineage) != 1 || history.Lineage[0].From != "22001" || history.Lineage[0].To != "22002" ||
		history.Lineage[0].Kind != "merge" || history.Lineage[0].On != "2024-06-01" {
		t.Errorf("successor's lineage: %+v", history.Lineage)
	}
	// The merged unit is kept: hidden from today's list, shown with all.
	var list struct {
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
	}
	codesOf := func(path string) string {
		t.Helper()
		list.Items = nil
		f.do("leader", http.MethodGet, path, nil).ok(http.StatusOK).decode(&list)
		var codes []string
		for _, it := range list.Items {
			codes = append(codes, it.Code)
		}
		return strings.Join(codes, ",")
	}
	if got := codesOf("/units/22/children"); strings.Contains(got, "22001") {
		t.Errorf("current children include the merged unit: %s", got)
	}
	if got := codesOf("/units/22/children?all=true"); !strings.Contains(got, "22001") {
		t.Errorf("all children lack the merged unit: %s", got)
	}
	f.do("admin", http.MethodGet, "/tasks/"+fmtID(f.taskA.ID), nil).ok(http.StatusOK)

	f.do("admin", http.MethodPost, "/units/22002/split", map[string]any{"into": []string{}, "on": "2024-06-02"}).invalid("into", "error.required")
	f.do("admin", http.MethodPost, "/units/22002/split", map[string]any{"into": []string{"22003", "nope"}, "on": "2024-06-02"}).invalid("into", "error.unknown_unit")
	f.do("admin", http.MethodPost, "/units/22002/split", map[string]any{"into": []string{"22003"}}).invalid("on", "error.required")
	var split struct {
		ValidTo string `json:"valid_to"`
	}
	f.do("admin", http.MethodPost, "/units/22002/split", map[string]any{"into": []string{newWard.Code}, "on": "2024-06-02", "end": true}).ok(http.StatusOK).decode(&split)
	if split.ValidTo != "2024-06-02" {
		t.Errorf("split unit ends %q", split.ValidTo)
	}
	f.do("leader", http.MethodGet, "/units/22003/history", nil).ok(http.StatusOK).decode(&history)
	if len(history.Lineage) != 1 || history.Lineage[0].From != "22002" || history.Lineage[0].Kind != "split" {
		t.Errorf("new unit's lineage: %+v", history.Lineage)
	}
}
