package mail_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/mail"
	"github.com/dxtrack/dxtrack/store"
)

const baseURL = "https://dxtrack.quangninh.gov.vn/"

// fixture is a store with a monthly regime over three local units of a
// province, reporters and leaders with addresses, a job and the SMTP
// server it sends to.
type fixture struct {
	t       *testing.T
	db      *store.DB
	clock   time.Time
	ctx     context.Context // the system user
	srv     *server
	job     *mail.Job
	reports dxtrack.ReportService
	rg      *dxtrack.Regime
	unit    map[string]*dxtrack.Unit // by code
}

// at is 08:00 in Vietnam on a day.
func at(day string) time.Time {
	d := dxtrack.MustDate(day)
	return time.Date(d.Year(), d.Month(), d.Day(), 8, 0, 0, 0, mail.Vietnam)
}

func newFixture(t *testing.T, lang string) *fixture {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "mail.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{t: t, db: db, clock: at("2026-06-01"), ctx: dxtrack.NewContextWithUser(context.Background(), dxtrack.SystemUser), unit: map[string]*dxtrack.Unit{}}
	db.Now = func() time.Time { return f.clock }
	units := store.NewUnitService(db)
	mk := func(u *dxtrack.Unit) *dxtrack.Unit {
		t.Helper()
		u.ValidFrom = dxtrack.MustDate("2025-07-01")
		if err := units.CreateUnit(f.ctx, u); err != nil {
			t.Fatalf("unit %s: %v", u.Code, err)
		}
		f.unit[u.Code] = u
		return u
	}
	prov := mk(&dxtrack.Unit{Code: "22", NameVI: "Quảng Ninh", FullName: "Tỉnh Quảng Ninh", Type: dxtrack.UnitProvince})
	dept := mk(&dxtrack.Unit{Code: "22-SKHCN", NameVI: "Sở Khoa học và Công nghệ", Type: dxtrack.UnitDepartment, ParentID: prov.ID})
	mk(&dxtrack.Unit{Code: "TY", NameVI: "Tiên Yên", NameEN: "Tien Yen", FullName: "Xã Tiên Yên", Type: dxtrack.UnitCommune, ParentID: prov.ID,
		Head: "Hoàng Văn Chủ", Email: "ubnd@tienyen.quangninh.gov.vn"})
	mk(&dxtrack.Unit{Code: "DH", NameVI: "Đầm Hà", NameEN: "Dam Ha", FullName: "Xã Đầm Hà", Type: dxtrack.UnitCommune, ParentID: prov.ID,
		Email: "ubnd@damha.quangninh.gov.vn"})
	mk(&dxtrack.Unit{Code: "VD", NameVI: "Vân Đồn", NameEN: "Van Don", FullName: "Đặc khu Vân Đồn", Type: dxtrack.UnitSpecialZone, ParentID: prov.ID,
		Head: "Lê Thị Đặc", Email: "ubnd@vandon.quangninh.gov.vn"})

	users := store.NewUserService(db)
	for _, u := range []*dxtrack.User{
		{Username: "ty", Name: "Nguyễn Thị Ánh", Email: "anh.nt@tienyen.quangninh.gov.vn", Role: dxtrack.RoleReporter, UnitID: f.unit["TY"].ID},
		{Username: "dh", Name: "Phạm Đức", Email: "duc.p@damha.quangninh.gov.vn", Role: dxtrack.RoleReporter, UnitID: f.unit["DH"].ID},
		{Username: "ld1", Name: "Lãnh đạo 1", Email: "lanhdao1@quangninh.gov.vn", Role: dxtrack.RoleLeader, UnitID: prov.ID},
		{Username: "ld2", Name: "Lãnh đạo 2", Email: "lanhdao2@quangninh.gov.vn", Role: dxtrack.RoleLeader, UnitID: prov.ID},
		{Username: "ld3", Name: "Lãnh đạo không có thư", Role: dxtrack.RoleLeader, UnitID: prov.ID},
	} {
		u.Lang = "vi"
		if err := users.CreateUser(f.ctx, u, "mật khẩu dài"); err != nil {
			t.Fatalf("user %s: %v", u.Username, err)
		}
	}

	in := &dxtrack.Indicator{Code: "DVC_RECEIVED", NameVI: "Số hồ sơ tiếp nhận", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp}
	if err := store.NewIndicatorService(db).CreateIndicator(f.ctx, in); err != nil {
		t.Fatal(err)
	}
	regimes := store.NewRegimeService(db)
	f.rg = &dxtrack.Regime{
		Code: "CDS-THANG", NameVI: "Báo cáo tháng về chuyển đổi số", NameEN: "Monthly digital transformation report",
		Freq: dxtrack.Monthly, ScopeUnitID: prov.ID, UnitTypes: []dxtrack.UnitType{dxtrack.UnitCommune, dxtrack.UnitSpecialZone},
		OwnerUnitID: dept.ID, DeadlineDays: 3, RemindDays: 3, Active: true,
		Items: []dxtrack.FormItem{{IndicatorID: in.ID, Required: true}},
	}
	if err := regimes.CreateRegime(f.ctx, f.rg); err != nil {
		t.Fatal(err)
	}
	// An inactive regime sends nothing.
	off := &dxtrack.Regime{Code: "CU", NameVI: "Chế độ cũ", Freq: dxtrack.Monthly, ScopeUnitID: prov.ID,
		UnitTypes: []dxtrack.UnitType{dxtrack.UnitCommune}, OwnerUnitID: dept.ID, DeadlineDays: 3, RemindDays: 3}
	if err := regimes.CreateRegime(f.ctx, off); err != nil {
		t.Fatal(err)
	}

	f.reports = store.NewReportService(db)
	// May is in from everyone, so that only June is chased.
	for _, code := range []string{"TY", "DH", "VD"} {
		f.submit(code, 5, at("2026-05-15"))
	}

	f.srv = startServer(t, nil)
	f.job = &mail.Job{
		Regimes: regimes,
		Reports: f.reports,
		Store:   store.NewReminderStore(db),
		Sender:  mail.NewSender(f.srv.config()),
		BaseURL: baseURL,
		Lang:    lang,
		Logger:  slog.New(slog.DiscardHandler),
	}
	return f
}

// submit files unit code's report for a month of 2026 at time when.
func (f *fixture) submit(code string, month int, when time.Time) {
	f.t.Helper()
	f.clock = when
	p := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: month}
	r, err := f.reports.OpenReport(f.ctx, f.rg.ID, f.unit[code].ID, p)
	if err != nil {
		f.t.Fatal(err)
	}
	v := 120.0
	r.Values = []dxtrack.ReportValue{{IndicatorID: f.rg.Items[0].IndicatorID, Value: &v}}
	if r, _, err = f.reports.SaveReport(f.ctx, r); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.reports.Act(f.ctx, r.ID, dxtrack.ActionSubmit, ""); err != nil {
		f.t.Fatal(err)
	}
}

// run runs the job at now and returns the messages the server received
// during the run.
func (f *fixture) run(now time.Time, wantSent int, wantErr bool) []received {
	f.t.Helper()
	f.clock = now
	before := len(f.srv.messages())
	sent, err := f.job.RunOnce(context.Background(), now)
	if (err != nil) != wantErr {
		f.t.Fatalf("run at %s: error %v, want error %v", now, err, wantErr)
	}
	got := f.srv.messages()[before:]
	if sent != wantSent || len(got) != wantSent {
		f.t.Fatalf("run at %s: sent %d, server received %d, want %d", now, sent, len(got), wantSent)
	}
	return got
}

// byTo indexes messages by their first recipient.
func byTo(t *testing.T, msgs []received) map[string]received {
	t.Helper()
	m := map[string]received{}
	for _, r := range msgs {
		if _, dup := m[r.To[0]]; dup {
			t.Errorf("two messages to %s", r.To[0])
		}
		m[r.To[0]] = r
	}
	return m
}

func contains(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	text = strings.ReplaceAll(text, "\r\n", "\n")
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q:\n%s", what, p, text)
		}
	}
}

// TestJob walks June 2026 (deadline of the June report: Wednesday 17,
// three working days after the window closes on Sunday 14): reminders
// before, on and after the deadline, the escalation, the weekly digest,
// reruns and a failed send.
func TestJob(t *testing.T) {
	f := newFixture(t, "vi")
	f.submit("DH", 6, at("2026-06-12").Add(2*time.Hour)) // Đầm Hà reports early
	// Vân Đồn has opened its report, not submitted it.
	draft, err := f.reports.OpenReport(f.ctx, f.rg.ID, f.unit["VD"].ID, dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 6})
	if err != nil {
		t.Fatal(err)
	}

	// Nothing is due a week before the deadline (and 10 June is no Monday).
	f.run(at("2026-06-10"), 0, false)

	// Nothing goes out at night.
	f.run(at("2026-06-15").Add(-2*time.Hour), 0, false)

	// Monday 15: three days' notice to the two units that have not
	// reported, and the digest to each leader with an address.
	msgs := byTo(t, f.run(at("2026-06-15"), 4, false))
	m := msgs["anh.nt@tienyen.quangninh.gov.vn"]
	if want := "[Nhắc báo cáo] Báo cáo tháng về chuyển đổi số – kỳ tháng 6/2026, hạn 17/06/2026"; m.Subject != want {
		t.Errorf("subject = %q, want %q", m.Subject, want)
	}
	if len(m.To) != 1 || len(m.Cc) != 0 || len(m.Rcpt) != 1 {
		t.Errorf("before: To %v Cc %v Rcpt %v, want the reporter alone", m.To, m.Cc, m.Rcpt)
	}
	contains(t, "reminder text", m.Text,
		"Kính gửi: Xã Tiên Yên,",
		"Hệ thống chưa nhận được báo cáo kỳ tháng 6/2026 của đơn vị theo chế độ “Báo cáo tháng về chuyển đổi số”",
		"- Thời gian chốt số liệu: từ ngày 15/05/2026 đến ngày 14/06/2026",
		"- Hạn gửi báo cáo: 17/06/2026 (còn 2 ngày)",
		"- Đơn vị báo cáo: Xã Tiên Yên",
		"Mở báo cáo của đơn vị: https://dxtrack.quangninh.gov.vn/reports\n")
	contains(t, "reminder html", m.HTML, `<html lang="vi">`, "Kính gửi: Xã Tiên Yên,", `href="https://dxtrack.quangninh.gov.vn/reports"`)
	// Vân Đồn has no reporter: its own address gets the reminder, with a
	// link to the draft.
	if m := msgs["ubnd@vandon.quangninh.gov.vn"]; !strings.HasPrefix(m.Subject, "[Nhắc báo cáo]") || len(m.Cc) != 0 {
		t.Errorf("Vân Đồn: %q, Cc %v", m.Subject, m.Cc)
	} else {
		contains(t, "Vân Đồn reminder", m.Text, "https://dxtrack.quangninh.gov.vn/reports/"+itoa(draft.ID)+"\n")
	}
	for _, leader := range []string{"lanhdao1@quangninh.gov.vn", "lanhdao2@quangninh.gov.vn"} {
		d := msgs[leader]
		if d.Subject != "[Tổng hợp tuần] Tình hình báo cáo định kỳ đến ngày 15/06/2026" {
			t.Errorf("digest to %s: subject %q", leader, d.Subject)
		}
		if len(d.Rcpt) != 1 || d.Rcpt[0] != leader {
			t.Errorf("digest to %s went to %v", leader, d.Rcpt)
		}
		contains(t, "digest", d.Text,
			"Kính gửi: Lãnh đạo,",
			"== Báo cáo tháng về chuyển đổi số – tháng 6/2026 ==",
			"- Hạn gửi báo cáo: 17/06/2026",
			"- Đúng hạn: 1\n", "- Trễ hạn: 0\n", "- Quá hạn, chưa gửi: 0\n", "- Chưa gửi, chưa đến hạn: 2\n",
			"Các đơn vị chưa gửi báo cáo:",
			"* Xã Tiên Yên (Chưa gửi, chưa đến hạn): Hoàng Văn Chủ, Nguyễn Thị Ánh <anh.nt@tienyen.quangninh.gov.vn>",
			"* Đặc khu Vân Đồn (Chưa gửi, chưa đến hạn): Lê Thị Đặc",
			"https://dxtrack.quangninh.gov.vn/regimes/"+itoa(f.rg.ID)+"/completeness?period=2026-06\n")
		if strings.Contains(d.Text, "Chế độ cũ") || strings.Contains(d.Text, "Đầm Hà (") {
			t.Errorf("digest lists an inactive regime or a unit that reported:\n%s", d.Text)
		}
		contains(t, "digest html", d.HTML, "<td style=\"border-bottom:1px solid #e4e7eb;padding:4px 8px\">Đặc khu Vân Đồn</td>")
	}

	// The same day again, and the next: nothing new.
	f.run(at("2026-06-15").Add(15*time.Minute), 0, false)
	f.run(at("2026-06-16"), 0, false)

	// Wednesday 17, the deadline; the server refuses the first message.
	f.srv.failNext(1)
	due := f.run(at("2026-06-17"), 1, true)
	// The failed one goes out on the next run, once.
	due = append(due, f.run(at("2026-06-17").Add(15*time.Minute), 1, false)...)
	f.run(at("2026-06-17").Add(30*time.Minute), 0, false)
	for to, m := range byTo(t, due) {
		if m.Subject != "[Hạn cuối hôm nay] Báo cáo tháng về chuyển đổi số – kỳ tháng 6/2026" {
			t.Errorf("due to %s: %q", to, m.Subject)
		}
	}
	if got := slices.Sorted(func(yield func(string) bool) {
		for _, m := range due {
			if !yield(m.To[0]) {
				return
			}
		}
	}); !slices.Equal(got, []string{"anh.nt@tienyen.quangninh.gov.vn", "ubnd@vandon.quangninh.gov.vn"}) {
		t.Errorf("due reminders to %v", got)
	}

	// Thursday 18, the first day late: overdue, copied to the unit's head.
	msgs = byTo(t, f.run(at("2026-06-18"), 2, false))
	m = msgs["anh.nt@tienyen.quangninh.gov.vn"]
	if m.Subject != "[Quá hạn] Báo cáo tháng về chuyển đổi số – kỳ tháng 6/2026 – Xã Tiên Yên" {
		t.Errorf("overdue subject %q", m.Subject)
	}
	if !slices.Equal(m.Cc, []string{"ubnd@tienyen.quangninh.gov.vn"}) || len(m.Rcpt) != 2 {
		t.Errorf("overdue: Cc %v, envelope %v; want the head in copy", m.Cc, m.Rcpt)
	}
	contains(t, "overdue text", m.Text,
		"đã quá hạn (hạn gửi ngày 17/06/2026) nhưng chưa được gửi",
		"- Hạn gửi báo cáo: 17/06/2026 (đã quá 1 ngày)",
		"Thư này được gửi đồng thời tới thủ trưởng đơn vị để chỉ đạo thực hiện.")
	// Vân Đồn's head is already the recipient: no copy to itself.
	if m := msgs["ubnd@vandon.quangninh.gov.vn"]; len(m.Cc) != 0 || strings.Contains(m.Text, "đồng thời tới thủ trưởng") {
		t.Errorf("Vân Đồn overdue: Cc %v", m.Cc)
	}

	// Tiên Yên reports late on Friday; only Vân Đồn is chased afterwards.
	f.submit("TY", 6, at("2026-06-19"))
	f.run(at("2026-06-19").Add(time.Hour), 0, false)

	// Monday 22: a new week's digest, once; the June period shows one
	// late, one missing.
	digest := f.run(at("2026-06-22"), 2, false)
	contains(t, "second digest", digest[0].Text, "- Đúng hạn: 1\n", "- Trễ hạn: 1\n", "- Quá hạn, chưa gửi: 1\n", "* Đặc khu Vân Đồn (Quá hạn, chưa gửi): Lê Thị Đặc")
	f.run(at("2026-06-22").Add(4*time.Hour), 0, false)

	// Thursday 25, a week after the first: Vân Đồn is reminded again.
	again := f.run(at("2026-06-25"), 1, false)
	if again[0].To[0] != "ubnd@vandon.quangninh.gov.vn" || !strings.HasPrefix(again[0].Subject, "[Quá hạn]") {
		t.Errorf("second overdue round: %v %q", again[0].To, again[0].Subject)
	}
	contains(t, "second overdue", again[0].Text, "(đã quá 8 ngày)")
}

// TestJobEnglish: the messages in English.
func TestJobEnglish(t *testing.T) {
	f := newFixture(t, "en")
	msgs := byTo(t, f.run(at("2026-06-18"), 3, false)) // none of the three reported
	m := msgs["anh.nt@tienyen.quangninh.gov.vn"]
	if m.Subject != "[Overdue] Monthly digital transformation report – June 2026 – Tien Yen" {
		t.Errorf("subject %q", m.Subject)
	}
	contains(t, "text", m.Text, "Dear Tien Yen,", "- Deadline: 17 Jun 2026 (1 day overdue)", "- Data window: from 15 May 2026 to 14 Jun 2026",
		"A copy of this message goes to the head of the unit.")
	contains(t, "html", m.HTML, `<html lang="en">`)
}

// TestJobNoLinks: without a base URL the messages carry no link.
func TestJobNoLinks(t *testing.T) {
	f := newFixture(t, "vi")
	f.job.BaseURL = ""
	for _, m := range f.run(at("2026-06-15"), 5, false) { // three units, two leaders
		if strings.Contains(m.Text, "http") || strings.Contains(m.HTML, "href") {
			t.Errorf("a link without a base URL:\n%s", m.Text)
		}
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
