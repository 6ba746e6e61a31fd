package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"

	"github.com/dxtrack/dxtrack"
)

// The monthly digital-transformation report of Quảng Ninh: its indicators,
// its regime and three months of reports from the communes, wards, special
// zones and a few departments. The figures are made up, deterministically
// from each unit's code and the period, and hang together: no more
// dossiers processed online or on time than received, rates that match
// their counts, growth from month to month.

// regimeCode is the demo regime's code.
const regimeCode = "QN-CDS-THANG"

// reportingDepartments report under the regime beside the local units: the
// ones with many administrative procedures.
var reportingDepartments = []string{ttpvhcc, stp, sct, syt, sgddt}

// indicatorData is an indicator of the monthly form.
type indicatorData struct {
	Code, NameVI, NameEN, Measure string
	Type                          dxtrack.ValueType
	Group                         string
}

var reportIndicators = []indicatorData{
	{"DVC_RECEIVED", "Số hồ sơ thủ tục hành chính tiếp nhận trong kỳ", "Administrative dossiers received in the period", "hồ sơ", dxtrack.ValueCount, groupDVC},
	{"DVC_ONLINE", "Số hồ sơ tiếp nhận và giải quyết trực tuyến toàn trình", "Dossiers received and processed fully online", "hồ sơ", dxtrack.ValueCount, groupDVC},
	{"DVC_ONTIME", "Số hồ sơ giải quyết đúng hạn", "Dossiers processed on time", "hồ sơ", dxtrack.ValueCount, groupDVC},
	{"DVC_ONLINE_RATE", "Tỷ lệ hồ sơ trực tuyến toàn trình", "Share of dossiers processed fully online", "%", dxtrack.ValuePercent, groupDVC},
	{"DVC_DIGITIZED", "Số hồ sơ, kết quả giải quyết TTHC được số hóa", "Dossiers and results digitised", "hồ sơ", dxtrack.ValueCount, groupDVC},
	{"CASHLESS_RATE", "Tỷ lệ thanh toán trực tuyến phí, lệ phí TTHC", "Share of procedure fees paid online", "%", dxtrack.ValuePercent, groupDVC},
	{"DOC_SIGNED", "Số văn bản đi được ký số", "Outgoing documents signed digitally", "văn bản", dxtrack.ValueCount, groupDoc},
	{"DOC_ONLINE_RATE", "Tỷ lệ văn bản trao đổi dưới dạng điện tử", "Share of documents exchanged electronically", "%", dxtrack.ValuePercent, groupDoc},
}

const (
	groupDVC = "I. Giải quyết thủ tục hành chính, dịch vụ công trực tuyến"
	groupDoc = "II. Quản lý văn bản, chữ ký số"
)

// reportSections of the outline; the first is required.
var reportSections = []dxtrack.Section{
	{Code: "KET_QUA", TitleVI: "Kết quả nổi bật", TitleEN: "Main results", Required: true},
	{Code: "KHO_KHAN", TitleVI: "Khó khăn, vướng mắc", TitleEN: "Difficulties and obstacles"},
	{Code: "KIEN_NGHI", TitleVI: "Đề xuất, kiến nghị", TitleEN: "Proposals and recommendations"},
}

var sectionTexts = map[string][]string{
	"KET_QUA": {
		"Duy trì tiếp nhận 100% hồ sơ TTHC qua Hệ thống thông tin giải quyết TTHC của tỉnh; tỷ lệ hồ sơ trực tuyến toàn trình tiếp tục tăng so với tháng trước.",
		"Triển khai tổ công nghệ số cộng đồng tại các thôn, khu phố; hướng dẫn người dân cài đặt, kích hoạt tài khoản định danh điện tử VNeID mức độ 2.",
		"100% văn bản đi (trừ văn bản mật) được ký số và gửi nhận trên hệ thống quản lý văn bản và điều hành; tổ chức họp trực tuyến với các thôn, khu.",
		"Số hóa hồ sơ, kết quả giải quyết TTHC còn hiệu lực; kết nối Cơ sở dữ liệu quốc gia về dân cư phục vụ giải quyết TTHC liên thông.",
		"Đẩy mạnh thanh toán không dùng tiền mặt trong thu phí, lệ phí TTHC; phối hợp với các ngân hàng triển khai mã QR tại bộ phận một cửa.",
	},
	"KHO_KHAN": {
		"Một bộ phận người dân cao tuổi còn hạn chế về kỹ năng số, chưa quen nộp hồ sơ trực tuyến.",
		"Đường truyền internet tại một số thôn vùng cao chưa ổn định, ảnh hưởng đến việc tiếp nhận hồ sơ trực tuyến.",
		"Thiết bị máy tính, máy quét tại bộ phận một cửa đã xuống cấp, chưa đáp ứng yêu cầu số hóa.",
		"",
	},
	"KIEN_NGHI": {
		"Đề nghị Sở Khoa học và Công nghệ tiếp tục tổ chức tập huấn kỹ năng số cho cán bộ, công chức cấp xã.",
		"Đề nghị tỉnh hỗ trợ kinh phí nâng cấp trang thiết bị tại bộ phận một cửa.",
		"",
	},
}

// returnComments are what the reviewer writes when returning a report.
var returnComments = []string{
	"Số hồ sơ giải quyết đúng hạn chưa khớp với số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh; đề nghị rà soát, cập nhật lại.",
	"Đề nghị bổ sung nội dung khó khăn, vướng mắc và đề xuất cụ thể của đơn vị.",
	"Tỷ lệ thanh toán trực tuyến giảm mạnh so với tháng trước; đề nghị kiểm tra lại số liệu.",
}

// reportPlan is what becomes of one unit's report for one period.
type reportPlan int

const (
	planMissing   reportPlan = iota // no report opened
	planDraft                       // opened and partly filled, not submitted
	planReturned                    // submitted, returned with a comment
	planSubmitted                   // submitted, awaiting review
	planLevel1                      // approved by the receiving unit, awaiting the DT office
	planApproved                    // approved at every level
)

// planFor decides a report's fate from a draw in [0,100): the oldest
// months are nearly all approved; the latest has reports in every state.
func planFor(age int, draw int) reportPlan {
	switch age {
	case 0: // the latest period
		switch {
		case draw < 12:
			return planMissing
		case draw < 20:
			return planDraft
		case draw < 25:
			return planReturned
		case draw < 60:
			return planSubmitted
		case draw < 80:
			return planLevel1
		}
		return planApproved
	case 1:
		switch {
		case draw < 2:
			return planReturned
		case draw < 5:
			return planSubmitted
		case draw < 8:
			return planLevel1
		}
		return planApproved
	}
	if draw < 2 {
		return planMissing
	}
	return planApproved
}

// loadReporting adds the indicators, the monthly regime and its reports
// for the last three periods whose data windows have closed by the store's
// clock. A second run after a failure reuses what the first one wrote and
// files only the reports still missing.
func (l *loader) loadReporting(ctx context.Context) error {
	ind, err := l.loadIndicators(ctx)
	if err != nil {
		return err
	}
	rg, err := l.loadRegime(ctx, ind)
	if err != nil {
		return err
	}
	units, err := l.s.Regimes.ReportingUnits(ctx, rg.ID)
	if err != nil {
		return fmt.Errorf("demo: reporting units: %w", err)
	}
	act, err := l.actors(ctx, rg)
	if err != nil {
		return err
	}
	now := l.now()
	latest := dxtrack.PeriodOn(dxtrack.Monthly, now).Prev()
	periods := []dxtrack.Period{latest.Prev().Prev(), latest.Prev(), latest}
	for i, p := range periods {
		age := len(periods) - 1 - i
		have, err := l.s.Reports.FindReports(ctx, dxtrack.ReportFilter{RegimeID: rg.ID, Period: &p})
		if err != nil {
			return fmt.Errorf("demo: find reports %s: %w", p.Key(), err)
		}
		done := map[int64]bool{}
		for _, r := range have {
			done[r.UnitID] = r.Status != dxtrack.ReportDraft
		}
		for _, u := range units {
			if done[u.ID] {
				continue
			}
			if err := l.fileReport(act, rg, ind, u, p, age, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// actors are who act on the reports: the unit's reporter login where the
// demo has one, else the system user; the review levels' logins.
type actors struct {
	reporter map[int64]context.Context // by unit
	system   context.Context
	levels   []context.Context // in the order of Regime.Levels
}

func (a *actors) unit(id int64) context.Context {
	if ctx, ok := a.reporter[id]; ok {
		return ctx
	}
	return a.system
}

func (l *loader) actors(ctx context.Context, rg *dxtrack.Regime) (*actors, error) {
	a := &actors{reporter: map[int64]context.Context{}, system: ctx}
	for _, u := range l.users {
		if u.Role == dxtrack.RoleReporter {
			a.reporter[u.UnitID] = dxtrack.NewContextWithUser(ctx, u)
		}
	}
	for _, id := range rg.Levels() {
		var found *dxtrack.User
		for _, u := range l.users {
			if u.Role == dxtrack.RoleReviewer && u.UnitID == id {
				found = u
			}
		}
		if found == nil {
			return nil, fmt.Errorf("demo: no reviewer login for review level unit %d", id)
		}
		a.levels = append(a.levels, dxtrack.NewContextWithUser(ctx, found))
	}
	return a, nil
}

// now is the store's clock.
func (l *loader) now() time.Time { return (*l.s.Clock)() }

// at runs f with the store's clock set to t, so that a report's history
// reads as if it had been filed then.
func (l *loader) at(t time.Time, f func() error) error {
	saved := *l.s.Clock
	*l.s.Clock = func() time.Time { return t }
	defer func() { *l.s.Clock = saved }()
	return f()
}

func (l *loader) loadIndicators(ctx context.Context) (map[string]*dxtrack.Indicator, error) {
	owner, err := l.unit(ctx, skhcn)
	if err != nil {
		return nil, err
	}
	out := map[string]*dxtrack.Indicator{}
	for _, d := range reportIndicators {
		in, err := l.s.Indicators.FindIndicatorByCode(ctx, d.Code)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			in = &dxtrack.Indicator{
				Code: d.Code, NameVI: d.NameVI, NameEN: d.NameEN, Measure: d.Measure,
				Type: d.Type, Direction: dxtrack.DirectionUp, OwnerUnitID: owner.ID,
			}
			if d.Type == dxtrack.ValuePercent {
				in.Decimals = 1
			}
			if err = l.s.Indicators.CreateIndicator(ctx, in); err == nil {
				l.res.Indicators++
			}
		}
		if err != nil {
			return nil, fmt.Errorf("demo: indicator %s: %w", d.Code, err)
		}
		out[d.Code] = in
	}
	return out, nil
}

func (l *loader) loadRegime(ctx context.Context, ind map[string]*dxtrack.Indicator) (*dxtrack.Regime, error) {
	found, err := l.s.Regimes.FindRegimes(ctx, dxtrack.RegimeFilter{Query: regimeCode})
	if err != nil {
		return nil, fmt.Errorf("demo: find regimes: %w", err)
	}
	for _, rg := range found {
		if rg.Code == regimeCode {
			return rg, nil
		}
	}
	qn, err := l.unit(ctx, quangNinh)
	if err != nil {
		return nil, err
	}
	owner, err := l.unit(ctx, vpub)
	if err != nil {
		return nil, err
	}
	final, err := l.unit(ctx, skhcn)
	if err != nil {
		return nil, err
	}
	depts, err := l.unitIDs(ctx, reportingDepartments)
	if err != nil {
		return nil, err
	}
	rg := &dxtrack.Regime{
		Code:   regimeCode,
		NameVI: "Báo cáo tháng về chuyển đổi số",
		NameEN: "Monthly digital transformation report",
		Content: "Kết quả giải quyết thủ tục hành chính trên môi trường điện tử, cung cấp dịch vụ công trực tuyến, " +
			"quản lý văn bản và ký số, thanh toán trực tuyến; kết quả nổi bật, khó khăn, vướng mắc và đề xuất, kiến nghị của đơn vị.",
		Freq:        dxtrack.Monthly,
		ScopeUnitID: qn.ID,
		UnitTypes:   []dxtrack.UnitType{dxtrack.UnitCommune, dxtrack.UnitWard, dxtrack.UnitSpecialZone},
		UnitIDs:     depts,
		// Văn phòng UBND tỉnh receives and checks the reports; Sở KH&CN,
		// the province's DT office, approves them last.
		OwnerUnitID:  owner.ID,
		FinalUnitID:  final.ID,
		DeadlineDays: 3,
		RemindDays:   3,
		OutlierShare: 0.5,
		Outline: "I. Kết quả thực hiện các chỉ tiêu chuyển đổi số trong tháng (theo biểu số liệu).\n" +
			"II. Kết quả nổi bật.\nIII. Khó khăn, vướng mắc.\nIV. Đề xuất, kiến nghị.",
		Rules: []dxtrack.Rule{
			{Left: "DVC_ONLINE", Op: dxtrack.OpLE, Right: "DVC_RECEIVED", Blocking: true,
				MessageVI: "Số hồ sơ trực tuyến toàn trình không được lớn hơn số hồ sơ tiếp nhận",
				MessageEN: "Dossiers processed fully online cannot exceed dossiers received"},
			{Left: "DVC_ONTIME", Op: dxtrack.OpLE, Right: "DVC_RECEIVED", Blocking: true,
				MessageVI: "Số hồ sơ giải quyết đúng hạn không được lớn hơn số hồ sơ tiếp nhận",
				MessageEN: "Dossiers processed on time cannot exceed dossiers received"},
			{Left: "DVC_DIGITIZED", Op: dxtrack.OpLE, Right: "DVC_RECEIVED",
				MessageVI: "Số hồ sơ được số hóa thường không lớn hơn số hồ sơ tiếp nhận",
				MessageEN: "Digitised dossiers usually do not exceed dossiers received"},
		},
		Sections: reportSections,
		Active:   true,
	}
	for _, d := range reportIndicators {
		rg.Items = append(rg.Items, dxtrack.FormItem{IndicatorID: ind[d.Code].ID, Group: d.Group, Required: true})
	}
	if err := l.s.Regimes.CreateRegime(ctx, rg); err != nil {
		return nil, fmt.Errorf("demo: create regime %s: %w", regimeCode, err)
	}
	l.res.Regimes++
	return rg, nil
}

// rng is a pseudo-random source for a unit: salt 0 for its size, 1 for
// its steady traits, a period's number for that period.
func rng(code string, salt int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(code))
	return rand.New(rand.NewPCG(h.Sum64(), uint64(salt)))
}

// periodSalt tells periods apart in rng.
func periodSalt(p dxtrack.Period) int { return p.Year*100 + p.N }

// unitSize is a unit's monthly number of dossiers before month-to-month
// noise: wards and the service centre see more than rural communes.
func unitSize(u *dxtrack.Unit) float64 {
	r := rng(u.Code, 0)
	switch {
	case u.Code == ttpvhcc:
		return 2500 + 1500*r.Float64()
	case u.Type == dxtrack.UnitDepartment:
		return 150 + 450*r.Float64()
	case u.Type == dxtrack.UnitWard || u.TypeNameVI == "Phường":
		return 600 + 1400*r.Float64()
	case u.Type == dxtrack.UnitSpecialZone:
		return 300 + 500*r.Float64()
	}
	return 120 + 480*r.Float64()
}

// values makes a unit's figures for a period. The shares grow with the
// months, so a unit's series rises as digital transformation does.
func values(u *dxtrack.Unit, p dxtrack.Period, ind map[string]*dxtrack.Indicator) []dxtrack.ReportValue {
	base := rng(u.Code, 1)
	r := rng(u.Code, periodSalt(p))
	months := float64(p.Year*12 + p.N - (2026*12 + 1)) // months since January 2026
	received := math.Round(unitSize(u) * (0.9 + 0.2*r.Float64()))
	onlineShare := math.Min(0.97, 0.45+0.35*base.Float64()+0.01*months+0.03*r.Float64())
	online := math.Round(received * onlineShare)
	onTime := math.Round(received * math.Min(1, 0.93+0.07*r.Float64()))
	digitized := math.Round(received * math.Min(1, 0.55+0.3*base.Float64()+0.1*r.Float64()))
	rate := func(f float64) float64 { return math.Round(f*10) / 10 }
	cashless := rate(math.Min(99, 35+35*base.Float64()+1.5*months+5*r.Float64()))
	signed := math.Round((60 + 260*base.Float64()) * (0.85 + 0.3*r.Float64()))
	docOnline := rate(math.Min(100, 90+8*base.Float64()+2*r.Float64()))
	figures := map[string]float64{
		"DVC_RECEIVED": received, "DVC_ONLINE": online, "DVC_ONTIME": onTime,
		"DVC_ONLINE_RATE": rate(100 * online / received), "DVC_DIGITIZED": digitized,
		"CASHLESS_RATE": cashless, "DOC_SIGNED": signed, "DOC_ONLINE_RATE": docOnline,
	}
	out := make([]dxtrack.ReportValue, 0, len(reportIndicators))
	for _, d := range reportIndicators {
		v := figures[d.Code]
		out = append(out, dxtrack.ReportValue{IndicatorID: ind[d.Code].ID, Value: &v})
	}
	return out
}

// step is a workflow action with its comment and who takes it.
type step struct {
	ctx     context.Context
	action  dxtrack.ReportAction
	comment string
}

// fileReport opens, fills and moves one unit's report through review as
// its plan says, at plausible times between the period's cut-off and now.
func (l *loader) fileReport(act *actors, rg *dxtrack.Regime, ind map[string]*dxtrack.Indicator, u *dxtrack.Unit, p dxtrack.Period, age int, now time.Time) error {
	ctx := act.unit(u.ID)
	r := rng(u.Code, periodSalt(p)+1_000_000) // apart from the values' source
	plan := planFor(age, r.IntN(100))
	// The demo logins of the two communes have work waiting.
	if age == 0 && u.Code == haLong {
		plan = planMissing
	}
	if age == 0 && u.Code == tienYen {
		plan = planDraft
	}
	if plan == planMissing {
		return nil
	}
	_, windowEnd := p.Window()
	// Units start filing two days before the cut-off, at office hours in
	// Vietnam (UTC+7): 08:00–16:00 is 01:00–09:00 UTC.
	open := windowEnd.AddDate(0, 0, -2).Add(time.Hour)
	latest := now.Add(-10 * time.Minute).Truncate(time.Minute)
	if !open.Before(latest) {
		return nil // the period has barely begun: nothing to file yet
	}
	clamp := func(t time.Time) time.Time {
		if t.After(latest) {
			return latest
		}
		return t
	}
	opened := clamp(open.Add(time.Duration(r.IntN(8*60)) * time.Minute))

	var rep *dxtrack.Report
	if err := l.at(opened, func() (err error) {
		rep, err = l.s.Reports.OpenReport(ctx, rg.ID, u.ID, p)
		return err
	}); err != nil {
		return fmt.Errorf("demo: open report %s %s: %w", u.Code, p.Key(), err)
	}
	rep.Values = values(u, p, ind)
	rep.Sections = map[string]string{}
	for _, s := range reportSections {
		texts := sectionTexts[s.Code]
		rep.Sections[s.Code] = texts[r.IntN(len(texts))]
	}
	if plan == planDraft {
		rep.Values = rep.Values[:3+r.IntN(3)] // partly filled
	}
	if err := l.at(opened, func() (err error) {
		rep, _, err = l.s.Reports.SaveReport(ctx, rep)
		return err
	}); err != nil {
		return fmt.Errorf("demo: save report %s %s: %w", u.Code, p.Key(), err)
	}
	l.res.Reports++
	if plan == planDraft {
		return nil
	}

	// Most units submit by the deadline, some a few days after it.
	deadlineEnd := rep.Deadline.Add(9 * time.Hour) // 16:00 in Vietnam
	var submitted time.Time
	if r.IntN(100) < 12 && deadlineEnd.Add(24*time.Hour).Before(latest) {
		submitted = deadlineEnd.Add(time.Duration(1+r.IntN(6)) * 24 * time.Hour).Add(-time.Duration(r.IntN(8*60)) * time.Minute)
	} else {
		span := deadlineEnd.Sub(opened)
		submitted = opened.Add(time.Duration(r.Int64N(int64(span))).Truncate(time.Minute))
	}
	submitted = clamp(submitted)
	if submitted.Before(opened) {
		submitted = opened
	}
	steps := []step{{ctx, dxtrack.ActionSubmit, ""}}
	switch plan {
	case planReturned:
		steps = append(steps, step{act.levels[0], dxtrack.ActionReturn, returnComments[r.IntN(len(returnComments))]})
	case planLevel1:
		steps = append(steps, step{act.levels[0], dxtrack.ActionApprove, ""})
	case planApproved:
		for _, lv := range act.levels {
			steps = append(steps, step{lv, dxtrack.ActionApprove, ""})
		}
	}
	t := submitted
	for i, st := range steps {
		if i > 0 {
			// Reviewers act within a few working hours to three days.
			t = clamp(t.Add(time.Duration(2*60+r.IntN(3*24*60)) * time.Minute))
		}
		if err := l.at(t, func() error {
			_, err := l.s.Reports.Act(st.ctx, rep.ID, st.action, st.comment)
			return err
		}); err != nil {
			return fmt.Errorf("demo: %s report %s %s: %w", st.action, u.Code, p.Key(), err)
		}
	}
	return nil
}
