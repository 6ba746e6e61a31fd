package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
)

func TestValueHistoryShowsCorrection(t *testing.T) {
	f := newAFixture(t)
	may := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 5}
	if err := f.values.SetValues(f.sys, []dxtrack.Value{{UnitID: f.communeB.ID, IndicatorID: f.ind["TONG"].ID, Period: may,
		Value: 1280, Provenance: dxtrack.FromMachine}}, ""); err != nil {
		t.Fatal(err)
	}
	const reason = "Hệ thống một cửa đếm trùng 5 hồ sơ"
	admin := f.login("admin")
	res, body := admin.post("/values", url.Values{"unit": {"XB"}, "indicator": {"TONG"}, "period": {"2026-05"},
		"figure": {"1275"}, "reason": {reason}})
	wantStatus(t, res, body, http.StatusSeeOther)

	for _, tc := range []struct {
		lang                  string
		title, old, new, prov string
		machine               string
	}{
		{"vi", "Lịch sử thay đổi", "1.280", "1.275", "Đã hiệu chỉnh", "Từ hệ thống khác"},
		{"en", "Change history", "1,280", "1,275", "Corrected", "From another system"},
	} {
		// A leader only reads the values, and reads their history too.
		res, body := f.login("leader").get("/values?unit=XB&indicator=TONG&period=2026-05&lang=" + tc.lang)
		wantStatus(t, res, body, http.StatusOK)
		section := text(between(body, tc.title, "</section>"))
		// Newest first: the correction, then the machine's first figure.
		want := []string{tc.old, tc.new, tc.prov, reason, tc.machine, "dxtrack"}
		last := -1
		for _, w := range want {
			i := strings.Index(section, w)
			if i < 0 {
				t.Fatalf("%s: history lacks %q:\n%s", tc.lang, w, section)
			}
			if w == tc.machine && i < last {
				t.Errorf("%s: the machine figure is listed before the correction:\n%s", tc.lang, section)
			}
			last = max(last, i)
		}
		if n := strings.Count(between(body, tc.title, "</section>"), "<tr>"); n != 3 { // the head and two changes
			t.Errorf("%s: %d rows in the history, want 3 (head, two changes):\n%s", tc.lang, n, section)
		}
	}
	// A period without a value says so.
	_, body = admin.get("/values?unit=XB&indicator=TONG&period=2026-07&lang=en")
	wantText(t, body, "The value of this period has not changed yet.")

	// The API lists the audit entries, newest first.
	res, body = f.login("leader").get("/api/v1/values/history?unit=XB&indicator=TONG&period=2026-05")
	wantStatus(t, res, body, http.StatusOK)
	var got struct{ Items []dxtrack.AuditEntry }
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range got.Items {
		lines = append(lines, e.Field+":"+e.Old+">"+e.New+"|"+e.Reason)
	}
	want := []string{"provenance:machine>corrected|" + reason, "value:1280>1275|" + reason, "provenance:>machine|", "value:>1280|"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("API history:\n got %q\nwant %q", lines, want)
	}
	res, body = admin.get("/api/v1/values/history?unit=XB&indicator=TONG&period=2026-07")
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, `"items":[]`) {
		t.Errorf("history of a missing value: %s", body)
	}
	res, body = admin.get("/api/v1/values/history?unit=NOPE&indicator=NOPE&period=2026-13")
	for _, field := range []string{"unit", "indicator", "period"} {
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"field":"`+field+`"`) {
			t.Errorf("bad query: %d %s; want %s named", res.StatusCode, body, field)
		}
	}
	res, body = f.client().get("/api/v1/values/history?unit=XB&indicator=TONG&period=2026-05")
	wantStatus(t, res, body, http.StatusUnauthorized)
}
