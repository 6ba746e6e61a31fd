package demo

import (
	"fmt"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/gso"
)

// Unit codes the data refers to. Provinces and communes are GSO codes of
// the 2025 list; Hòa Bình keeps its GSO code from before 1 July 2025.
const (
	quangNinh = "22"
	phuTho    = "25"
	hoaBinh   = "17"

	haLong   = "06688" // phường Hạ Long
	tienYen  = "06862" // xã Tiên Yên
	mongCai1 = "06712" // phường Móng Cái 1
	binhLieu = "06838" // xã Bình Liêu
	vanDon   = "06994" // đặc khu Vân Đồn

	vpub    = "22-VPUB"
	skhcn   = "22-SKHCN"
	snv     = "22-SNV"
	stc     = "22-STC"
	stp     = "22-STP"
	sct     = "22-SCT"
	sxd     = "22-SXD"
	snnmt   = "22-SNNMT"
	sgddt   = "22-SGDDT"
	syt     = "22-SYT"
	svhtt   = "22-SVHTT"
	sdl     = "22-SDL"
	sdttg   = "22-SDTTG"
	ttt     = "22-TTT"
	cat     = "22-CAT"
	bqlkkt  = "22-BQLKKT"
	ttpvhcc = "22-TTPVHCC"
	bhxh    = "22-BHXH"
	thue    = "22-THUE"
	bptth   = "22-BPTTH"
)

const million = 1_000_000

// deptKind is the kind of a department, for its type label.
type deptKind int

const (
	agency  deptKind = iota // cơ quan chuyên môn thuộc UBND tỉnh
	direct                  // cơ quan, tổ chức trực thuộc UBND tỉnh
	central                 // cơ quan trung ương đóng tại tỉnh
	service                 // đơn vị sự nghiệp
)

func (k deptKind) vi() string {
	return [...]string{"Cơ quan chuyên môn thuộc UBND tỉnh", "Cơ quan trực thuộc UBND tỉnh", "Cơ quan trung ương tại tỉnh", "Đơn vị sự nghiệp"}[k]
}

func (k deptKind) en() string {
	return [...]string{"Specialised agency of the Provincial People's Committee", "Agency under the Provincial People's Committee", "Central agency in the province", "Public service unit"}[k]
}

type department struct {
	Code, NameVI, NameEN string
	FullName             string // the official name, with the province
	Kind                 deptKind
}

// departments of Quảng Ninh under their names after the restructuring of
// 2025 (Sở KH&CN took over Sở TT&TT and is the DT office; Sở Nông nghiệp
// và Môi trường, Sở Dân tộc và Tôn giáo, Thuế tỉnh are the merged bodies).
var departments = []department{
	{vpub, "Văn phòng UBND tỉnh", "Office of the Provincial People's Committee", "Văn phòng UBND tỉnh Quảng Ninh", agency},
	{skhcn, "Sở Khoa học và Công nghệ", "Department of Science and Technology", "Sở Khoa học và Công nghệ tỉnh Quảng Ninh", agency},
	{snv, "Sở Nội vụ", "Department of Home Affairs", "Sở Nội vụ tỉnh Quảng Ninh", agency},
	{stc, "Sở Tài chính", "Department of Finance", "Sở Tài chính tỉnh Quảng Ninh", agency},
	{stp, "Sở Tư pháp", "Department of Justice", "Sở Tư pháp tỉnh Quảng Ninh", agency},
	{sct, "Sở Công Thương", "Department of Industry and Trade", "Sở Công Thương tỉnh Quảng Ninh", agency},
	{sxd, "Sở Xây dựng", "Department of Construction", "Sở Xây dựng tỉnh Quảng Ninh", agency},
	{snnmt, "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment", "Sở Nông nghiệp và Môi trường tỉnh Quảng Ninh", agency},
	{sgddt, "Sở Giáo dục và Đào tạo", "Department of Education and Training", "Sở Giáo dục và Đào tạo tỉnh Quảng Ninh", agency},
	{syt, "Sở Y tế", "Department of Health", "Sở Y tế tỉnh Quảng Ninh", agency},
	{svhtt, "Sở Văn hóa và Thể thao", "Department of Culture and Sports", "Sở Văn hóa và Thể thao tỉnh Quảng Ninh", agency},
	{sdl, "Sở Du lịch", "Department of Tourism", "Sở Du lịch tỉnh Quảng Ninh", agency},
	{sdttg, "Sở Dân tộc và Tôn giáo", "Department of Ethnic Minorities and Religion", "Sở Dân tộc và Tôn giáo tỉnh Quảng Ninh", agency},
	{ttt, "Thanh tra tỉnh", "Provincial Inspectorate", "Thanh tra tỉnh Quảng Ninh", agency},
	{cat, "Công an tỉnh", "Provincial Police", "Công an tỉnh Quảng Ninh", central},
	{bqlkkt, "Ban Quản lý Khu kinh tế", "Economic Zones Authority", "Ban Quản lý Khu kinh tế tỉnh Quảng Ninh", direct},
	{ttpvhcc, "Trung tâm Phục vụ hành chính công tỉnh", "Provincial Public Administration Service Centre", "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh", service},
	{bhxh, "Bảo hiểm xã hội tỉnh", "Provincial Social Insurance", "Bảo hiểm xã hội tỉnh Quảng Ninh", central},
	{thue, "Thuế tỉnh", "Provincial Tax Office", "Thuế tỉnh Quảng Ninh", central},
	{bptth, "Báo và Phát thanh, Truyền hình Quảng Ninh", "Quảng Ninh Newspaper, Radio and Television", "Báo và Phát thanh, Truyền hình Quảng Ninh", service},
}

// group is a task group. The ten groups are those of the 2023 plan
// ("10 nhóm nhiệm vụ trọng tâm"); the 2022 plan uses the same headings.
type group int

const (
	gAwareness group = iota
	gInstitutions
	gInfrastructure
	gData
	gPlatforms
	gGovernment
	gEconomy
	gSociety
	gSkills
	gSecurity
)

var groups = [...]struct{ vi, pillar string }{
	{"Nâng cao nhận thức số", "NT"},
	{"Hoàn thiện thể chế số", "TC"},
	{"Phát triển hạ tầng số", "HT"},
	{"Phát triển dữ liệu số", "DLS"},
	{"Phát triển nền tảng số", "CQS"},
	{"Phát triển chính quyền số", "CQS"},
	{"Phát triển kinh tế số", "KTS"},
	{"Phát triển xã hội số", "XHS"},
	{"Phát triển nhân lực số", "NL"},
	{"Bảo đảm an toàn thông tin mạng", "ATTT"},
}

func (g group) vi() string     { return groups[g].vi }
func (g group) pillar() string { return groups[g].pillar }

// targetData is a target: quantitative (higher is better) unless
// Qualitative. A target is completed when Current reaches Value or, for a
// qualitative one, when Done.
type targetData struct {
	Code, NameVI, NameEN string
	Measure              string
	Baseline, Value, Cur *float64
	Qualitative, Done    bool
	Due                  string
	Pillar, Sector, Lead string // category codes; unit code
	FromSource           bool   // named in the sources, not illustrative
	Note                 string
}

// taskData is a task; its pillar follows its group.
type taskData struct {
	Code, NameVI, NameEN string
	Group                group
	Lead                 string
	Co                   []string
	Due                  string
	Output               string
	BudgetM              int64 // million VND
	Progress             int
	Targets              []string // codes of targets of the same document
	Sector               string
	FromSource           bool
	Note                 string
}

type docData struct {
	Kind             dxtrack.DocumentKind
	Number           string
	TitleVI, TitleEN string
	Issuer, IssuedOn string
	SpanFrom, SpanTo int
	Vision           int
	Parent           string // number of the parent document
	Owner            string // unit code
	Summary          string
	Targets          []targetData
	Tasks            []taskData
}

type loginData struct {
	Username, Name string
	Role           dxtrack.Role
	Unit           string
}

// logins: one per role, a reviewer for each review level of the monthly
// report (Văn phòng UBND tỉnh, then Sở KH&CN), and reporters of a
// department and of two communes so that the refusal of a reporter
// outside its unit can be tried.
var logins = []loginData{
	{"admin", "Quản trị hệ thống (Sở KH&CN)", dxtrack.RoleAdmin, quangNinh},
	{"leader", "Lãnh đạo UBND tỉnh", dxtrack.RoleLeader, quangNinh},
	{"reviewer", "Phòng Chuyển đổi số, Sở KH&CN", dxtrack.RoleReviewer, skhcn},
	{"reviewer.vpub", "Phòng Tổng hợp, Văn phòng UBND tỉnh", dxtrack.RoleReviewer, vpub},
	{"reporter.skhcn", "Cán bộ Sở KH&CN", dxtrack.RoleReporter, skhcn},
	{"reporter.halong", "Cán bộ phường Hạ Long", dxtrack.RoleReporter, haLong},
	{"reporter.tienyen", "Cán bộ xã Tiên Yên", dxtrack.RoleReporter, tienYen},
}

// n makes a figure for a literal.
func n(v float64) *float64 { return &v }

var documents = []docData{nq09, kh59, kh2023, nq08}

// nq09 is Quảng Ninh's resolution. Source: 20 targets, 16 completed, 4 on
// their roadmap to the end of 2025; the goals "top 5 in DT" and "top group
// in cyber security" are named, the other target names are illustrative.
var nq09 = docData{
	Kind: dxtrack.DocResolution, Number: "09-NQ/TU",
	TitleVI: "Nghị quyết về chuyển đổi số toàn diện tỉnh Quảng Ninh đến năm 2025, định hướng đến năm 2030",
	TitleEN: "Resolution on the comprehensive digital transformation of Quảng Ninh to 2025, with a vision to 2030",
	Issuer:  "Tỉnh ủy Quảng Ninh", IssuedOn: "2022-02-05",
	SpanFrom: 2022, SpanTo: 2025, Vision: 2030, Owner: quangNinh,
	Summary: "Ban Thường vụ Tỉnh ủy ban hành ngày 5/2/2022. 20 mục tiêu; đến năm 2024 đã hoàn thành 16/20 (80%), 4 mục tiêu đang trong lộ trình đến hết năm 2025. Phấn đấu vào top 5 tỉnh, thành phố dẫn đầu cả nước về chuyển đổi số và nhóm dẫn đầu về an toàn, an ninh mạng.",
	Targets: []targetData{
		{Code: "NQ09-MT01", NameVI: "Quảng Ninh đứng trong top 5 tỉnh, thành phố dẫn đầu cả nước về chuyển đổi số (DTI)", NameEN: "Quảng Ninh among the top 5 provinces in digital transformation (DTI)", Qualitative: true, Due: "2025-12-31", Pillar: "CQS", Lead: skhcn, FromSource: true},
		{Code: "NQ09-MT02", NameVI: "Quảng Ninh nằm trong nhóm dẫn đầu cả nước về an toàn, an ninh mạng", NameEN: "Quảng Ninh in the leading group for cyber security", Qualitative: true, Due: "2025-12-31", Pillar: "ATTT", Lead: cat, FromSource: true},
		{Code: "NQ09-MT03", NameVI: "Tỷ lệ thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình", NameEN: "Share of eligible administrative procedures offered as full online public services", Measure: "%", Baseline: n(62), Value: n(100), Cur: n(100), Due: "2024-12-31", Pillar: "CQS", Lead: ttpvhcc},
		{Code: "NQ09-MT04", NameVI: "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến", NameEN: "Share of administrative dossiers received and handled online", Measure: "%", Baseline: n(28), Value: n(80), Cur: n(86.4), Due: "2025-12-31", Pillar: "CQS", Lead: ttpvhcc},
		{Code: "NQ09-MT05", NameVI: "Tỷ lệ hồ sơ công việc cấp tỉnh, cấp xã được xử lý trên môi trường mạng (trừ hồ sơ mật)", NameEN: "Share of provincial and commune work files handled online (classified files excepted)", Measure: "%", Baseline: n(85), Value: n(100), Cur: n(100), Due: "2024-12-31", Pillar: "CQS", Lead: vpub},
		{Code: "NQ09-MT06", NameVI: "Tỷ lệ cơ sở dữ liệu dùng chung của tỉnh được kết nối, chia sẻ", NameEN: "Share of the province's shared databases connected and shared", Measure: "%", Baseline: n(52), Value: n(100), Cur: n(100), Due: "2024-12-31", Pillar: "DLS", Lead: skhcn},
		{Code: "NQ09-MT07", NameVI: "Tỷ lệ thôn, bản, khu phố được phủ sóng băng rộng di động 4G/5G", NameEN: "Share of villages and neighbourhoods covered by 4G/5G mobile broadband", Measure: "%", Baseline: n(97.5), Value: n(100), Cur: n(100), Due: "2023-12-31", Pillar: "HT", Lead: skhcn},
		{Code: "NQ09-MT08", NameVI: "Tỷ lệ hộ gia đình có kết nối Internet băng rộng cáp quang", NameEN: "Share of households with fibre broadband", Measure: "%", Baseline: n(74), Value: n(90), Cur: n(92.6), Due: "2025-12-31", Pillar: "HT", Lead: skhcn},
		{Code: "NQ09-MT09", NameVI: "Tỷ lệ dân số trưởng thành có điện thoại thông minh", NameEN: "Share of adults with a smartphone", Measure: "%", Baseline: n(76), Value: n(85), Cur: n(88.2), Due: "2025-12-31", Pillar: "XHS", Lead: skhcn},
		{Code: "NQ09-MT10", NameVI: "Tỷ lệ dân số trưởng thành có tài khoản thanh toán điện tử", NameEN: "Share of adults with an electronic payment account", Measure: "%", Baseline: n(48), Value: n(75), Cur: n(78), Due: "2025-12-31", Pillar: "KTS", Sector: "TCNH", Lead: stc},
		{Code: "NQ09-MT11", NameVI: "Tỷ trọng kinh tế số trong GRDP của tỉnh", NameEN: "Digital economy as a share of the province's GRDP", Measure: "% GRDP", Baseline: n(5.9), Value: n(20), Cur: n(11.8), Due: "2025-12-31", Pillar: "KTS", Lead: stc, Note: "Đang trong lộ trình đến hết năm 2025."},
		{Code: "NQ09-MT12", NameVI: "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử", NameEN: "Share of enterprises using electronic contracts", Measure: "%", Baseline: n(40), Value: n(70), Cur: n(74), Due: "2025-12-31", Pillar: "KTS", Lead: sct},
		{Code: "NQ09-MT13", NameVI: "Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số", NameEN: "Share of small and medium enterprises using digital platforms", Measure: "%", Baseline: n(12), Value: n(50), Cur: n(38), Due: "2025-12-31", Pillar: "KTS", Sector: "SXCN", Lead: sct, Note: "Đang trong lộ trình đến hết năm 2025."},
		{Code: "NQ09-MT14", NameVI: "Tỷ lệ người dân có hồ sơ sức khỏe điện tử", NameEN: "Share of residents with an electronic health record", Measure: "%", Baseline: n(35), Value: n(90), Cur: n(93.5), Due: "2025-12-31", Pillar: "XHS", Sector: "YT", Lead: syt},
		{Code: "NQ09-MT15", NameVI: "Tỷ lệ cơ sở giáo dục phổ thông triển khai sổ điểm điện tử, học bạ số", NameEN: "Share of schools using electronic grade books and digital school records", Measure: "%", Baseline: n(85), Value: n(100), Cur: n(100), Due: "2023-12-31", Pillar: "XHS", Sector: "GD", Lead: sgddt},
		{Code: "NQ09-MT16", NameVI: "Trung tâm điều hành thông minh (IOC) cấp tỉnh vận hành, kết nối dữ liệu các ngành", NameEN: "Provincial intelligent operations centre (IOC) running with the sectors' data connected", Qualitative: true, Done: true, Due: "2023-12-31", Pillar: "CQS", Lead: skhcn},
		{Code: "NQ09-MT17", NameVI: "Tỷ lệ cán bộ, công chức, viên chức được bồi dưỡng kỹ năng số cơ bản", NameEN: "Share of civil servants trained in basic digital skills", Measure: "%", Baseline: n(40), Value: n(100), Cur: n(100), Due: "2025-12-31", Pillar: "NL", Lead: snv},
		{Code: "NQ09-MT18", NameVI: "Tỷ lệ hồ sơ dịch vụ công trực tuyến được thanh toán trực tuyến", NameEN: "Share of online public-service dossiers paid online", Measure: "%", Baseline: n(8), Value: n(30), Cur: n(45.2), Due: "2025-12-31", Pillar: "CQS", Sector: "TCNH", Lead: ttpvhcc},
		{Code: "NQ09-MT19", NameVI: "Tỷ lệ hệ thống thông tin được phê duyệt cấp độ và bảo đảm an toàn theo cấp độ", NameEN: "Share of information systems with an approved security level and protected accordingly", Measure: "%", Baseline: n(64), Value: n(100), Cur: n(100), Due: "2024-12-31", Pillar: "ATTT", Lead: skhcn},
		{Code: "NQ09-MT20", NameVI: "Cổng dữ liệu mở của tỉnh công bố dữ liệu mở của các sở, ngành", NameEN: "Provincial open-data portal publishing the departments' open data", Qualitative: true, Done: true, Due: "2024-12-31", Pillar: "DLS", Lead: skhcn},
	},
}

// kh59 is the 2022 plan. Source: 27 targets and 51 tasks for 2022, of which
// 11 and 19 completed; the names are illustrative, the lead units are
// today's. Deadlines fall in 2022.
var kh59 = docData{
	Kind: dxtrack.DocPlan, Number: "59/KH-UBND",
	TitleVI: "Kế hoạch triển khai chuyển đổi số toàn diện tỉnh Quảng Ninh đến năm 2023, định hướng đến năm 2030",
	TitleEN: "Plan for the comprehensive digital transformation of Quảng Ninh to 2023, with a vision to 2030",
	Issuer:  "UBND tỉnh Quảng Ninh", IssuedOn: "2022-03-01",
	SpanFrom: 2022, SpanTo: 2023, Vision: 2030, Parent: "09-NQ/TU", Owner: quangNinh,
	Summary: "Ban hành ngày 01/3/2022, thực hiện Nghị quyết 09-NQ/TU. Năm 2022 có 27 mục tiêu, 51 nhiệm vụ; kết quả 11/27 mục tiêu (40,7%) và 19/51 nhiệm vụ (37,3%) hoàn thành. Tên mục tiêu, nhiệm vụ là minh họa.",
	Targets: []targetData{
		{Code: "KH59-MT01", NameVI: "Tỷ lệ thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến mức độ 4", NameEN: "Share of eligible administrative procedures offered as level-4 online services", Measure: "%", Baseline: n(60), Value: n(100), Cur: n(100), Due: "2022-12-31", Pillar: "CQS", Lead: ttpvhcc},
		{Code: "KH59-MT02", NameVI: "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến", NameEN: "Share of administrative dossiers handled online", Measure: "%", Baseline: n(28), Value: n(50), Cur: n(41.6), Due: "2022-12-31", Pillar: "CQS", Lead: ttpvhcc},
		{Code: "KH59-MT03", NameVI: "Tỷ lệ văn bản đi được ký số, gửi nhận trên môi trường mạng (trừ văn bản mật)", NameEN: "Share of outgoing documents signed digitally and sent online (classified excepted)", Measure: "%", Baseline: n(90), Value: n(95), Cur: n(98.7), Due: "2022-12-31", Pillar: "CQS", Lead: vpub},
		{Code: "KH59-MT04", NameVI: "Tỷ lệ kết quả giải quyết thủ tục hành chính được số hóa, lưu trữ điện tử", NameEN: "Share of administrative decisions digitised and archived electronically", Measure: "%", Baseline: n(10), Value: n(60), Cur: n(34), Due: "2022-12-31", Pillar: "CQS", Lead: ttpvhcc},
		{Code: "KH59-MT05", NameVI: "Tỷ lệ cuộc họp của UBND tỉnh sử dụng phòng họp không giấy", NameEN: "Share of provincial committee meetings held paperless", Measure: "%", Baseline: n(60), Value: n(90), Cur: n(94), Due: "2022-12-31", Pillar: "CQS", Lead: vpub},
		{Code: "KH59-MT06", NameVI: "Tỷ lệ chế độ báo cáo được kết nối với Hệ thống thông tin báo cáo của tỉnh", NameEN: "Share of reporting regimes connected to the provincial reporting system", Measure: "%", Baseline: n(45), Value: n(100), Cur: n(72), Due: "2022-12-31", Pillar: "CQS", Lead: vpub},
		{Code: "KH59-MT07", NameVI: "Hoàn thành nâng cấp Trung tâm điều hành thông minh (IOC) của tỉnh", NameEN: "Upgrade of the provincial intelligent operations centre (IOC) completed", Qualitative: true, Done: true, Due: "2022-12-31", Pillar: "CQS", Lead: skhcn},
		{Code: "KH59-MT08", NameVI: "Tỷ lệ cơ sở dữ liệu chuyên ngành kết nối với nền tảng tích hợp, chia sẻ dữ liệu (LGSP)", NameEN: "Share of sector databases connected to the data-sharing platform (LGSP)", Measure: "%", Baseline: n(52), Value: n(100), Cur: n(81), Due: "2022-12-31", Pillar: "DLS", Lead: skhcn},
		{Code: "KH59-MT09", NameVI: "Số bộ dữ liệu mở được công bố trên Cổng dữ liệu mở của tỉnh", NameEN: "Open datasets published on the provincial open-data portal", Measure: "bộ dữ liệu", Baseline: n(20), Value: n(100), Cur: n(64), Due: "2022-12-31", Pillar: "DLS", Lead: skhcn},
		{Code: "KH59-MT10", NameVI: "Tỷ lệ thôn, bản, khu phố có sóng di động 4G", NameEN: "Share of villages and neighbourhoods with 4G coverage", Measure: "%", Baseline: n(97.5), Value: n(100), Cur: n(100), Due: "2022-12-31", Pillar: "HT", Lead: skhcn},
		{Code: "KH59-MT11", NameVI: "Tỷ lệ hộ gia đình có kết nối Internet cáp quang", NameEN: "Share of households with a fibre connection", Measure: "%", Baseline: n(74), Value: n(85), Cur: n(82.4), Due: "2022-12-31", Pillar: "HT", Lead: skhcn},
		{Code: "KH59-MT12", NameVI: "Tỷ lệ dân số trưởng thành có điện thoại thông minh", NameEN: "Share of adults with a smartphone", Measure: "%", Baseline: n(76), Value: n(80), Cur: n(83.5), Due: "2022-12-31", Pillar: "XHS", Lead: skhcn},
		{Code: "KH59-MT13", NameVI: "Tỷ lệ dân số trưởng thành có tài khoản thanh toán điện tử", NameEN: "Share of adults with an electronic payment account", Measure: "%", Baseline: n(48), Value: n(70), Cur: n(63), Due: "2022-12-31", Pillar: "KTS", Sector: "TCNH", Lead: stc},
		{Code: "KH59-MT14", NameVI: "Tỷ trọng kinh tế số trong GRDP", NameEN: "Digital economy as a share of GRDP", Measure: "% GRDP", Baseline: n(5.9), Value: n(10), Cur: n(7.3), Due: "2022-12-31", Pillar: "KTS", Lead: stc},
		{Code: "KH59-MT15", NameVI: "Tỷ lệ doanh nghiệp sử dụng hóa đơn điện tử", NameEN: "Share of enterprises using electronic invoices", Measure: "%", Baseline: n(92), Value: n(100), Cur: n(100), Due: "2022-12-31", Pillar: "KTS", Sector: "TCNH", Lead: thue},
		{Code: "KH59-MT16", NameVI: "Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số", NameEN: "Share of small and medium enterprises using digital platforms", Measure: "%", Baseline: n(12), Value: n(30), Cur: n(21), Due: "2022-12-31", Pillar: "KTS", Sector: "SXCN", Lead: sct},
		{Code: "KH59-MT17", NameVI: "Tỷ lệ hồ sơ dịch vụ công trực tuyến được thanh toán phí, lệ phí trực tuyến", NameEN: "Share of online public-service dossiers with fees paid online", Measure: "%", Baseline: n(8), Value: n(30), Cur: n(19.4), Due: "2022-12-31", Pillar: "CQS", Sector: "TCNH", Lead: ttpvhcc},
		{Code: "KH59-MT18", NameVI: "Tỷ lệ cơ sở khám, chữa bệnh thanh toán viện phí không dùng tiền mặt", NameEN: "Share of hospitals and clinics taking cashless payment of fees", Measure: "%", Baseline: n(45), Value: n(80), Cur: n(86), Due: "2022-12-31", Pillar: "XHS", Sector: "YT", Lead: syt},
		{Code: "KH59-MT19", NameVI: "Tỷ lệ người dân có hồ sơ sức khỏe điện tử", NameEN: "Share of residents with an electronic health record", Measure: "%", Baseline: n(35), Value: n(80), Cur: n(62), Due: "2022-12-31", Pillar: "XHS", Sector: "YT", Lead: syt},
		{Code: "KH59-MT20", NameVI: "Tỷ lệ trường học triển khai sổ điểm điện tử, học bạ điện tử", NameEN: "Share of schools using electronic grade books and school records", Measure: "%", Baseline: n(85), Value: n(100), Cur: n(100), Due: "2022-12-31", Pillar: "XHS", Sector: "GD", Lead: sgddt},
		{Code: "KH59-MT21", NameVI: "Tỷ lệ cơ sở giáo dục thu học phí không dùng tiền mặt", NameEN: "Share of schools collecting tuition fees cashless", Measure: "%", Baseline: n(40), Value: n(90), Cur: n(76), Due: "2022-12-31", Pillar: "XHS", Sector: "GD", Lead: sgddt},
		{Code: "KH59-MT22", NameVI: "Tỷ lệ cán bộ, công chức cấp tỉnh được bồi dưỡng kỹ năng số", NameEN: "Share of provincial civil servants trained in digital skills", Measure: "%", Baseline: n(40), Value: n(70), Cur: n(78), Due: "2022-12-31", Pillar: "NL", Lead: snv},
		{Code: "KH59-MT23", NameVI: "Số thành viên Tổ công nghệ số cộng đồng được tập huấn", NameEN: "Members of community digital technology teams trained", Measure: "người", Baseline: n(0), Value: n(8000), Cur: n(5200), Due: "2022-12-31", Pillar: "XHS", Lead: skhcn},
		{Code: "KH59-MT24", NameVI: "Tỷ lệ hệ thống thông tin được phê duyệt hồ sơ đề xuất cấp độ an toàn", NameEN: "Share of information systems with an approved security-level dossier", Measure: "%", Baseline: n(64), Value: n(100), Cur: n(100), Due: "2022-12-31", Pillar: "ATTT", Lead: skhcn},
		{Code: "KH59-MT25", NameVI: "Tỷ lệ hệ thống thông tin được giám sát an toàn thông tin tập trung (SOC)", NameEN: "Share of information systems under central security monitoring (SOC)", Measure: "%", Baseline: n(60), Value: n(100), Cur: n(85), Due: "2022-12-31", Pillar: "ATTT", Lead: skhcn},
		{Code: "KH59-MT26", NameVI: "Tỷ lệ công dân từ 14 tuổi trở lên được cấp tài khoản định danh điện tử", NameEN: "Share of citizens aged 14 and over with an electronic identification account", Measure: "%", Baseline: n(0), Value: n(40), Cur: n(28), Due: "2022-12-31", Pillar: "DLS", Lead: cat},
		{Code: "KH59-MT27", NameVI: "Triển khai nền tảng bản đồ số dùng chung của tỉnh", NameEN: "Shared provincial digital map platform in service", Qualitative: true, Due: "2022-12-31", Pillar: "DLS", Sector: "TNMT", Lead: snnmt},
	},
	Tasks: []taskData{
		{Code: "KH59-NV01", NameVI: "Tuyên truyền chuyển đổi số trên báo chí, mạng xã hội", NameEN: "Promote digital transformation in the press and on social media", Group: gAwareness, Lead: bptth, Co: []string{skhcn}, Due: "2022-12-31", Output: "Chuyên trang, chuyên mục chuyển đổi số", BudgetM: 1200, Progress: 100, Targets: []string{"KH59-MT12"}},
		{Code: "KH59-NV02", NameVI: "Tổ chức Ngày Chuyển đổi số của tỉnh (10/10)", NameEN: "Hold the province's Digital Transformation Day (10 October)", Group: gAwareness, Lead: skhcn, Co: []string{vpub}, Due: "2022-10-31", Output: "Sự kiện, triển lãm giải pháp số", BudgetM: 800, Progress: 100},
		{Code: "KH59-NV03", NameVI: "Hướng dẫn người dân phường Hạ Long sử dụng dịch vụ công trực tuyến", NameEN: "Coach residents of Hạ Long ward in using online public services", Group: gAwareness, Lead: haLong, Co: []string{ttpvhcc}, Due: "2022-12-31", Output: "Lớp hướng dẫn tại tổ dân phố", BudgetM: 150, Progress: 60, Targets: []string{"KH59-MT02"}},
		{Code: "KH59-NV04", NameVI: "Ban hành Quy chế quản lý, vận hành, khai thác Trung tâm IOC", NameEN: "Issue the rules for running and using the IOC", Group: gInstitutions, Lead: skhcn, Co: []string{vpub, stp}, Due: "2022-06-30", Output: "Quyết định của UBND tỉnh", Progress: 100, Targets: []string{"KH59-MT07"}},
		{Code: "KH59-NV05", NameVI: "Xây dựng cơ chế hỗ trợ Tổ công nghệ số cộng đồng", NameEN: "Draft support arrangements for community digital technology teams", Group: gInstitutions, Lead: stc, Co: []string{skhcn}, Due: "2022-12-31", Output: "Tờ trình HĐND tỉnh", Progress: 40, Targets: []string{"KH59-MT23"}},
		{Code: "KH59-NV06", NameVI: "Ban hành danh mục cơ sở dữ liệu dùng chung của tỉnh", NameEN: "Issue the list of the province's shared databases", Group: gInstitutions, Lead: skhcn, Co: []string{stp}, Due: "2022-06-30", Output: "Quyết định của UBND tỉnh", Progress: 100, Targets: []string{"KH59-MT08"}},
		{Code: "KH59-NV07", NameVI: "Xây dựng quy định thu thập, quản lý, khai thác dữ liệu số của tỉnh", NameEN: "Draft rules on collecting, managing and using the province's digital data", Group: gInstitutions, Lead: skhcn, Co: []string{stp}, Due: "2022-12-31", Output: "Quy định của UBND tỉnh", Progress: 70, Targets: []string{"KH59-MT09"}},
		{Code: "KH59-NV08", NameVI: "Phủ sóng 4G tại thôn, bản vùng sâu, vùng xa", NameEN: "Bring 4G coverage to remote villages", Group: gInfrastructure, Lead: skhcn, Co: []string{binhLieu}, Due: "2022-12-31", Output: "Trạm phát sóng mới", Progress: 90, Targets: []string{"KH59-MT10"}, Note: "Vốn của doanh nghiệp viễn thông."},
		{Code: "KH59-NV09", NameVI: "Phối hợp kéo cáp quang đến hộ gia đình trên địa bàn xã Tiên Yên", NameEN: "Help bring fibre to households in Tiên Yên commune", Group: gInfrastructure, Lead: tienYen, Co: []string{skhcn}, Due: "2022-12-31", Output: "Hộ gia đình có cáp quang", Progress: 65, Targets: []string{"KH59-MT11"}},
		{Code: "KH59-NV10", NameVI: "Nâng cấp Trung tâm dữ liệu tỉnh", NameEN: "Upgrade the provincial data centre", Group: gInfrastructure, Lead: skhcn, Co: []string{stc}, Due: "2022-12-31", Output: "Trung tâm dữ liệu đạt chuẩn", BudgetM: 18000, Progress: 55, Targets: []string{"KH59-MT08"}},
		{Code: "KH59-NV11", NameVI: "Nâng cấp mạng truyền số liệu chuyên dùng đến cấp xã", NameEN: "Extend the dedicated government data network to communes", Group: gInfrastructure, Lead: skhcn, Due: "2022-09-30", Output: "Kết nối đến 100% UBND cấp xã", BudgetM: 4500, Progress: 100, Targets: []string{"KH59-MT03"}},
		{Code: "KH59-NV12", NameVI: "Xây dựng cơ sở dữ liệu đất đai của tỉnh", NameEN: "Build the provincial land database", Group: gData, Lead: snnmt, Co: []string{skhcn}, Due: "2022-12-31", Output: "Cơ sở dữ liệu đất đai", BudgetM: 25000, Progress: 45, Targets: []string{"KH59-MT27", "KH59-MT08"}, Sector: "TNMT"},
		{Code: "KH59-NV13", NameVI: "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại Trung tâm Phục vụ hành chính công", NameEN: "Digitise dossiers and decisions at the Public Administration Service Centre", Group: gData, Lead: ttpvhcc, Co: []string{skhcn}, Due: "2022-12-31", Output: "Kho hồ sơ điện tử", BudgetM: 3200, Progress: 100, Targets: []string{"KH59-MT04"}},
		{Code: "KH59-NV14", NameVI: "Xây dựng Cổng dữ liệu mở và công bố dữ liệu mở", NameEN: "Build the open-data portal and publish open data", Group: gData, Lead: skhcn, Due: "2022-12-31", Output: "Cổng dữ liệu mở", BudgetM: 2000, Progress: 80, Targets: []string{"KH59-MT09"}},
		{Code: "KH59-NV15", NameVI: "Làm sạch dữ liệu dân cư phục vụ Đề án 06", NameEN: "Clean population data for Project 06", Group: gData, Lead: cat, Co: []string{haLong, tienYen}, Due: "2022-12-31", Output: "Dữ liệu dân cư đúng, đủ, sạch, sống", Progress: 75, Targets: []string{"KH59-MT26"}},
		{Code: "KH59-NV16", NameVI: "Xây dựng cơ sở dữ liệu doanh nghiệp dùng chung", NameEN: "Build the shared enterprise database", Group: gData, Lead: stc, Co: []string{thue}, Due: "2022-12-31", Output: "Cơ sở dữ liệu doanh nghiệp", BudgetM: 1500, Progress: 50},
		{Code: "KH59-NV17", NameVI: "Triển khai nền tảng tích hợp, chia sẻ dữ liệu (LGSP) kết nối với nền tảng quốc gia (NDXP)", NameEN: "Deploy the data-sharing platform (LGSP) connected to the national platform (NDXP)", Group: gPlatforms, Lead: skhcn, Due: "2022-09-30", Output: "LGSP kết nối NDXP", BudgetM: 3800, Progress: 100, Targets: []string{"KH59-MT08"}},
		{Code: "KH59-NV18", NameVI: "Xây dựng nền tảng bản đồ số dùng chung", NameEN: "Build the shared digital map platform", Group: gPlatforms, Lead: snnmt, Co: []string{skhcn, sxd}, Due: "2022-12-31", Output: "Nền tảng bản đồ số", BudgetM: 6000, Progress: 30, Targets: []string{"KH59-MT27"}, Sector: "TNMT"},
		{Code: "KH59-NV19", NameVI: "Triển khai nền tảng họp trực tuyến đến cấp xã", NameEN: "Roll out video conferencing to commune level", Group: gPlatforms, Lead: vpub, Co: []string{skhcn}, Due: "2022-06-30", Output: "Điểm cầu họp trực tuyến cấp xã", BudgetM: 2200, Progress: 100, Targets: []string{"KH59-MT05"}},
		{Code: "KH59-NV20", NameVI: "Triển khai trợ lý ảo hỗ trợ người dân tra cứu thủ tục hành chính", NameEN: "Launch a virtual assistant for looking up administrative procedures", Group: gPlatforms, Lead: ttpvhcc, Due: "2022-12-31", Output: "Trợ lý ảo trên Cổng dịch vụ công", BudgetM: 1800, Progress: 35, Targets: []string{"KH59-MT02"}},
		{Code: "KH59-NV21", NameVI: "Nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh", NameEN: "Upgrade the provincial administrative-procedure system", Group: gGovernment, Lead: ttpvhcc, Co: []string{skhcn}, Due: "2022-09-30", Output: "Hệ thống nâng cấp", BudgetM: 5400, Progress: 100, Targets: []string{"KH59-MT01"}},
		{Code: "KH59-NV22", NameVI: "Tích hợp dịch vụ công trực tuyến mức độ 4 lên Cổng Dịch vụ công quốc gia", NameEN: "Put level-4 online services on the National Public Service Portal", Group: gGovernment, Lead: ttpvhcc, Due: "2022-12-31", Output: "Dịch vụ công được tích hợp", Progress: 85, Targets: []string{"KH59-MT01", "KH59-MT02"}},
		{Code: "KH59-NV23", NameVI: "Cấp chữ ký số cho cán bộ, công chức", NameEN: "Issue digital signatures to civil servants", Group: gGovernment, Lead: vpub, Co: []string{snv}, Due: "2022-06-30", Output: "Chứng thư số", Progress: 100, Targets: []string{"KH59-MT03"}},
		{Code: "KH59-NV24", NameVI: "Kết nối các chế độ báo cáo với Hệ thống thông tin báo cáo quốc gia", NameEN: "Connect reporting regimes to the national reporting system", Group: gGovernment, Lead: vpub, Due: "2022-12-31", Output: "Chế độ báo cáo điện tử", Progress: 70, Targets: []string{"KH59-MT06"}},
		{Code: "KH59-NV25", NameVI: "Triển khai thanh toán trực tuyến phí, lệ phí thủ tục hành chính", NameEN: "Take administrative fees online", Group: gGovernment, Lead: ttpvhcc, Co: []string{stc}, Due: "2022-12-31", Output: "Thanh toán trực tuyến tích hợp", Progress: 60, Targets: []string{"KH59-MT17"}, Sector: "TCNH"},
		{Code: "KH59-NV26", NameVI: "Số hóa hồ sơ thủ tục hành chính tại Bộ phận một cửa phường Hạ Long", NameEN: "Digitise dossiers at the one-stop desk of Hạ Long ward", Group: gGovernment, Lead: haLong, Co: []string{ttpvhcc}, Due: "2022-12-31", Output: "Hồ sơ được số hóa", BudgetM: 300, Progress: 55, Targets: []string{"KH59-MT04"}},
		{Code: "KH59-NV27", NameVI: "Triển khai phòng họp không giấy tại UBND tỉnh", NameEN: "Equip the provincial committee with paperless meeting rooms", Group: gGovernment, Lead: vpub, Due: "2022-06-30", Output: "Phòng họp không giấy", BudgetM: 900, Progress: 100, Targets: []string{"KH59-MT05"}},
		{Code: "KH59-NV28", NameVI: "Số hóa hồ sơ thủ tục hành chính tại Bộ phận một cửa xã Tiên Yên", NameEN: "Digitise dossiers at the one-stop desk of Tiên Yên commune", Group: gGovernment, Lead: tienYen, Co: []string{ttpvhcc}, Due: "2022-12-31", Output: "Hồ sơ được số hóa", BudgetM: 200, Progress: 40, Targets: []string{"KH59-MT04"}},
		{Code: "KH59-NV29", NameVI: "Triển khai hệ thống quản lý văn bản và điều hành liên thông 4 cấp", NameEN: "Run the document and workflow system across four levels", Group: gGovernment, Lead: vpub, Co: []string{skhcn}, Due: "2022-09-30", Output: "Văn bản điện tử liên thông", Progress: 100, Targets: []string{"KH59-MT03"}},
		{Code: "KH59-NV30", NameVI: "Đưa sản phẩm OCOP lên sàn thương mại điện tử", NameEN: "List OCOP products on e-commerce platforms", Group: gEconomy, Lead: sct, Co: []string{snnmt}, Due: "2022-12-31", Output: "Gian hàng OCOP trực tuyến", BudgetM: 700, Progress: 75, Targets: []string{"KH59-MT16"}, Sector: "NN"},
		{Code: "KH59-NV31", NameVI: "Hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số", NameEN: "Support small and medium enterprises in going digital", Group: gEconomy, Lead: sct, Co: []string{stc}, Due: "2022-12-31", Output: "Doanh nghiệp được tư vấn, hỗ trợ", BudgetM: 1500, Progress: 40, Targets: []string{"KH59-MT16"}, Sector: "SXCN"},
		{Code: "KH59-NV32", NameVI: "Triển khai hóa đơn điện tử đối với doanh nghiệp, hộ kinh doanh", NameEN: "Move enterprises and household businesses to electronic invoices", Group: gEconomy, Lead: thue, Due: "2022-06-30", Output: "Hóa đơn điện tử", Progress: 100, Targets: []string{"KH59-MT15"}, Sector: "TCNH"},
		{Code: "KH59-NV33", NameVI: "Phát triển du lịch thông minh trên ứng dụng du lịch của tỉnh", NameEN: "Develop smart tourism on the province's tourism app", Group: gEconomy, Lead: sdl, Co: []string{skhcn}, Due: "2022-12-31", Output: "Ứng dụng du lịch thông minh", BudgetM: 2400, Progress: 65, Sector: "DL"},
		{Code: "KH59-NV34", NameVI: "Số hóa thủ tục xuất nhập khẩu, logistics tại Khu kinh tế cửa khẩu Móng Cái", NameEN: "Digitise import-export and logistics procedures in the Móng Cái border-gate zone", Group: gEconomy, Lead: bqlkkt, Co: []string{mongCai1}, Due: "2022-12-31", Output: "Thủ tục điện tử tại cửa khẩu", BudgetM: 3000, Progress: 50, Sector: "GTVT"},
		{Code: "KH59-NV35", NameVI: "Đo lường tỷ trọng kinh tế số trong GRDP của tỉnh", NameEN: "Measure the digital economy's share of the province's GRDP", Group: gEconomy, Lead: stc, Co: []string{sct, skhcn}, Due: "2022-12-31", Output: "Báo cáo đo lường kinh tế số", Progress: 60, Targets: []string{"KH59-MT14"}},
		{Code: "KH59-NV36", NameVI: "Triển khai thanh toán viện phí không dùng tiền mặt", NameEN: "Take hospital fees cashless", Group: gSociety, Lead: syt, Co: []string{bhxh}, Due: "2022-09-30", Output: "Thanh toán không dùng tiền mặt tại cơ sở y tế", Progress: 100, Targets: []string{"KH59-MT18"}, Sector: "YT"},
		{Code: "KH59-NV37", NameVI: "Triển khai hồ sơ sức khỏe điện tử", NameEN: "Roll out electronic health records", Group: gSociety, Lead: syt, Co: []string{bhxh, cat}, Due: "2022-12-31", Output: "Hồ sơ sức khỏe điện tử", BudgetM: 4000, Progress: 70, Targets: []string{"KH59-MT19"}, Sector: "YT"},
		{Code: "KH59-NV38", NameVI: "Triển khai sổ điểm điện tử, học bạ điện tử", NameEN: "Introduce electronic grade books and school records", Group: gSociety, Lead: sgddt, Due: "2022-09-30", Output: "Sổ điểm, học bạ điện tử", Progress: 100, Targets: []string{"KH59-MT20"}, Sector: "GD"},
		{Code: "KH59-NV39", NameVI: "Thu học phí không dùng tiền mặt", NameEN: "Collect tuition fees cashless", Group: gSociety, Lead: sgddt, Co: []string{stc}, Due: "2022-12-31", Output: "Thanh toán học phí trực tuyến", Progress: 80, Targets: []string{"KH59-MT21"}, Sector: "GD"},
		{Code: "KH59-NV40", NameVI: "Thành lập, tập huấn Tổ công nghệ số cộng đồng", NameEN: "Set up and train community digital technology teams", Group: gSociety, Lead: skhcn, Co: []string{haLong, tienYen}, Due: "2022-12-31", Output: "Tổ công nghệ số cộng đồng tại thôn, khu phố", Progress: 65, Targets: []string{"KH59-MT23"}},
		{Code: "KH59-NV41", NameVI: "Chi trả trợ cấp an sinh xã hội không dùng tiền mặt", NameEN: "Pay social-protection benefits cashless", Group: gSociety, Lead: syt, Co: []string{bhxh}, Due: "2022-12-31", Output: "Chi trả qua tài khoản", Progress: 55, Targets: []string{"KH59-MT13"}, Sector: "TCNH"},
		{Code: "KH59-NV42", NameVI: "Hướng dẫn người dân cài đặt, kích hoạt ứng dụng VNeID", NameEN: "Help residents install and activate the VNeID app", Group: gSociety, Lead: cat, Co: []string{haLong}, Due: "2022-12-31", Output: "Tài khoản định danh được kích hoạt", Progress: 100, Targets: []string{"KH59-MT26"}},
		{Code: "KH59-NV43", NameVI: "Phát triển thư viện số, bảo tàng số", NameEN: "Develop the digital library and digital museum", Group: gSociety, Lead: svhtt, Due: "2022-12-31", Output: "Thư viện số, bảo tàng số", BudgetM: 1200, Progress: 45},
		{Code: "KH59-NV44", NameVI: "Bồi dưỡng kỹ năng số cho cán bộ, công chức cấp tỉnh", NameEN: "Train provincial civil servants in digital skills", Group: gSkills, Lead: snv, Co: []string{skhcn}, Due: "2022-09-30", Output: "Lớp bồi dưỡng", BudgetM: 600, Progress: 100, Targets: []string{"KH59-MT22"}},
		{Code: "KH59-NV45", NameVI: "Bồi dưỡng kỹ năng số cho cán bộ, công chức cấp xã", NameEN: "Train commune civil servants in digital skills", Group: gSkills, Lead: snv, Co: []string{haLong, tienYen}, Due: "2022-12-31", Output: "Lớp bồi dưỡng", BudgetM: 800, Progress: 60, Targets: []string{"KH59-MT22"}},
		{Code: "KH59-NV46", NameVI: "Đào tạo nhân lực chuyên trách công nghệ thông tin, an toàn thông tin", NameEN: "Train dedicated IT and information-security staff", Group: gSkills, Lead: skhcn, Co: []string{snv}, Due: "2022-12-31", Output: "Chứng chỉ chuyên môn", BudgetM: 500, Progress: 50},
		{Code: "KH59-NV47", NameVI: "Phê duyệt hồ sơ cấp độ an toàn hệ thống thông tin", NameEN: "Approve security-level dossiers of information systems", Group: gSecurity, Lead: skhcn, Due: "2022-09-30", Output: "Hồ sơ cấp độ được phê duyệt", Progress: 100, Targets: []string{"KH59-MT24"}},
		{Code: "KH59-NV48", NameVI: "Triển khai Trung tâm giám sát an toàn thông tin (SOC) của tỉnh", NameEN: "Set up the provincial security operations centre (SOC)", Group: gSecurity, Lead: skhcn, Co: []string{cat}, Due: "2022-12-31", Output: "SOC vận hành", BudgetM: 3500, Progress: 75, Targets: []string{"KH59-MT25"}},
		{Code: "KH59-NV49", NameVI: "Diễn tập ứng cứu sự cố an toàn thông tin mạng", NameEN: "Run a cyber incident response exercise", Group: gSecurity, Lead: skhcn, Co: []string{cat}, Due: "2022-11-30", Output: "Báo cáo diễn tập", BudgetM: 400, Progress: 100, Targets: []string{"KH59-MT24", "KH59-MT25"}},
		{Code: "KH59-NV50", NameVI: "Kiểm tra an toàn thông tin tại các sở, ngành, địa phương", NameEN: "Inspect information security at departments and localities", Group: gSecurity, Lead: skhcn, Co: []string{cat, ttt}, Due: "2022-12-31", Output: "Kết luận kiểm tra", Progress: 65, Targets: []string{"KH59-MT25"}},
		{Code: "KH59-NV51", NameVI: "Triển khai giải pháp phòng chống mã độc tập trung", NameEN: "Deploy central anti-malware protection", Group: gSecurity, Lead: skhcn, Due: "2022-12-31", Output: "Máy trạm được bảo vệ", BudgetM: 1100, Progress: 80, Targets: []string{"KH59-MT25"}},
	},
}

// kh2023 is the 2023 plan, "the year of digital data". Source: 44 targets
// in 4 pillars, 10 task groups, 148 billion VND to disburse from the start
// of the year, the Đề án 06 tasks due within the first six months, monthly
// and quarterly reviews, support for the community digital technology
// teams. Its number and the names of targets and tasks are illustrative.
var kh2023 = docData{
	Kind: dxtrack.DocPlan, Number: "CĐS-2023/KH-UBND",
	TitleVI: "Kế hoạch chuyển đổi số tỉnh Quảng Ninh năm 2023 – Năm dữ liệu số",
	TitleEN: "Quảng Ninh digital transformation plan 2023 – the year of digital data",
	Issuer:  "UBND tỉnh Quảng Ninh", IssuedOn: "2023-02-15",
	SpanFrom: 2023, SpanTo: 2023, Parent: "09-NQ/TU", Owner: quangNinh,
	Summary: "“Năm trọng điểm trong xây dựng dữ liệu số, tạo bứt phá về chuyển đổi số toàn diện”: 44 mục tiêu theo 4 trụ cột (dữ liệu số, chính quyền số, kinh tế số, xã hội số), 10 nhóm nhiệm vụ trọng tâm, 148 tỷ đồng giải ngân ngay từ đầu năm; nhiệm vụ Đề án 06 hoàn thành trong 6 tháng đầu năm; kiểm điểm hàng tháng, hàng quý từng sở, ngành, địa phương. Số hiệu kế hoạch và tên mục tiêu, nhiệm vụ là minh họa.",
	Targets: []targetData{
		// Dữ liệu số: 11 targets, 8 completed.
		{Code: "KH23-MT01", NameVI: "Tỷ lệ cơ sở dữ liệu dùng chung được kết nối, chia sẻ qua LGSP", NameEN: "Share of shared databases connected through the LGSP", Measure: "%", Baseline: n(81), Value: n(100), Cur: n(100), Due: "2023-12-31", Pillar: "DLS", Lead: skhcn},
		{Code: "KH23-MT02", NameVI: "Số bộ dữ liệu mở được công bố", NameEN: "Open datasets published", Measure: "bộ dữ liệu", Baseline: n(64), Value: n(150), Cur: n(168), Due: "2023-12-31", Pillar: "DLS", Lead: skhcn},
		{Code: "KH23-MT03", NameVI: "Tỷ lệ kết quả giải quyết thủ tục hành chính còn hiệu lực được số hóa", NameEN: "Share of valid administrative decisions digitised", Measure: "%", Baseline: n(34), Value: n(100), Cur: n(78), Due: "2023-06-30", Pillar: "DLS", Lead: ttpvhcc, Note: "Nhiệm vụ Đề án 06."},
		{Code: "KH23-MT04", NameVI: "Tỷ lệ dữ liệu dân cư được làm sạch, đồng bộ với Cơ sở dữ liệu quốc gia về dân cư", NameEN: "Share of population records cleaned and synchronised with the national population database", Measure: "%", Baseline: n(92), Value: n(100), Cur: n(100), Due: "2023-06-30", Pillar: "DLS", Lead: cat, Note: "Nhiệm vụ Đề án 06."},
		{Code: "KH23-MT05", NameVI: "Tỷ lệ công dân từ 14 tuổi trở lên được cấp tài khoản định danh điện tử mức 2", NameEN: "Share of citizens aged 14 and over with a level-2 electronic identification account", Measure: "%", Baseline: n(28), Value: n(60), Cur: n(64), Due: "2023-06-30", Pillar: "DLS", Lead: cat, Note: "Nhiệm vụ Đề án 06."},
		{Code: "KH23-MT06", NameVI: "Hoàn thành cơ sở dữ liệu đất đai của tỉnh", NameEN: "Provincial land database completed", Qualitative: true, Due: "2023-12-31", Pillar: "DLS", Sector: "TNMT", Lead: snnmt},
		{Code: "KH23-MT07", NameVI: "Tỷ lệ cơ sở dữ liệu chuyên ngành được kết nối với Kho dữ liệu dùng chung của tỉnh", NameEN: "Share of sector databases connected to the provincial data warehouse", Measure: "%", Baseline: n(60), Value: n(80), Cur: n(84), Due: "2023-12-31", Pillar: "DLS", Lead: skhcn},
		{Code: "KH23-MT08", NameVI: "Số hệ thống thông tin cung cấp dữ liệu thời gian thực cho Trung tâm IOC", NameEN: "Information systems feeding real-time data to the IOC", Measure: "hệ thống", Baseline: n(12), Value: n(20), Cur: n(22), Due: "2023-12-31", Pillar: "DLS", Lead: skhcn},
		{Code: "KH23-MT09", NameVI: "Tỷ lệ sổ hộ tịch được số hóa, cập nhật vào Cơ sở dữ liệu hộ tịch điện tử", NameEN: "Share of civil-status registers digitised into the electronic civil-status database", Measure: "%", Baseline: n(70), Value: n(100), Cur: n(93), Due: "2023-12-31", Pillar: "DLS", Lead: stp},
		{Code: "KH23-MT10", NameVI: "Hoàn thành cơ sở dữ liệu doanh nghiệp dùng chung của tỉnh", NameEN: "Shared provincial enterprise database completed", Qualitative: true, Done: true, Due: "2023-12-31", Pillar: "DLS", Lead: stc},
		{Code: "KH23-MT11", NameVI: "Tỷ lệ cơ sở khám, chữa bệnh liên thông dữ liệu với Cổng giám định bảo hiểm y tế", NameEN: "Share of hospitals and clinics exchanging data with the health-insurance portal", Measure: "%", Baseline: n(95), Value: n(100), Cur: n(100), Due: "2023-12-31", Pillar: "DLS", Sector: "YT", Lead: syt},

		// Chính quyền số: 13 targets, 9 completed.
		{Code: "KH23-MT12", NameVI: "Tỷ lệ thủ tục hành chính được cung cấp dịch vụ công trực tuyến toàn trình", NameEN: "Share of administrative procedures offered as full online services", Measure: "%", Baseline: n(62), Value: n(80), Cur: n(83), Due: "2023-12-31", Pillar: "CQS", Lead: ttpvhcc},
		{Code: "KH23-MT13", NameVI: "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình", NameEN: "Share of administrative dossiers handled fully online", Measure: "%", Baseline: n(41.6), Value: n(50), Cur: n(46.8), Due: "2023-12-31", Pillar: "CQS", Lead: ttpvhcc},
		{Code: "KH23-MT14", NameVI: "Tỷ lệ người dân, doanh nghiệp hài lòng với việc giải quyết thủ tục hành chính", NameEN: "Share of residents and businesses satisfied with administrative services", Measure: "%", Baseline: n(88), Value: n(90), Cur: n(96.3), Due: "2023-12-31", Pillar: "CQS", Lead: ttpvhcc},
		{Code: "KH23-MT15", NameVI: "Tỷ lệ hồ sơ dịch vụ công trực tuyến được thanh toán trực tuyến", NameEN: "Share of online public-service dossiers paid online", Measure: "%", Baseline: n(19.4), Value: n(30), Cur: n(35), Due: "2023-12-31", Pillar: "CQS", Sector: "TCNH", Lead: ttpvhcc},
		{Code: "KH23-MT16", NameVI: "Tỷ lệ chế độ báo cáo được kết nối với Hệ thống thông tin báo cáo của tỉnh", NameEN: "Share of reporting regimes connected to the provincial reporting system", Measure: "%", Baseline: n(72), Value: n(100), Cur: n(100), Due: "2023-12-31", Pillar: "CQS", Lead: vpub},
		{Code: "KH23-MT17", NameVI: "Tỷ lệ văn bản đi được ký số (trừ văn bản mật)", NameEN: "Share of outgoing documents signed digitally (classified excepted)", Measure: "%", Baseline: n(96), Value: n(98), Cur: n(99.1), Due: "2023-12-31", Pillar: "CQS", Lead: vpub},
		{Code: "KH23-MT18", NameVI: "Tỷ lệ hồ sơ công việc của UBND phường Hạ Long được xử lý trên môi trường mạng", NameEN: "Share of Hạ Long ward's work files handled online", Measure: "%", Baseline: n(70), Value: n(90), Cur: n(86), Due: "2023-12-31", Pillar: "CQS", Lead: haLong},
		{Code: "KH23-MT19", NameVI: "Tỷ lệ hồ sơ công việc của UBND xã Tiên Yên được xử lý trên môi trường mạng", NameEN: "Share of Tiên Yên commune's work files handled online", Measure: "%", Baseline: n(55), Value: n(80), Cur: n(82), Due: "2023-12-31", Pillar: "CQS", Lead: tienYen},
		{Code: "KH23-MT20", NameVI: "Trung tâm IOC giám sát dịch vụ công và phản ánh hiện trường theo thời gian thực", NameEN: "IOC monitoring public services and citizen reports in real time", Qualitative: true, Done: true, Due: "2023-12-31", Pillar: "CQS", Lead: skhcn},
		{Code: "KH23-MT21", NameVI: "Đưa trợ lý ảo vào hỗ trợ cán bộ, công chức", NameEN: "Virtual assistant in service for civil servants", Qualitative: true, Due: "2023-12-31", Pillar: "CQS", Lead: skhcn},
		{Code: "KH23-MT22", NameVI: "Tỷ lệ cuộc họp được tổ chức trực tuyến đến cấp xã", NameEN: "Share of meetings held online down to commune level", Measure: "%", Baseline: n(80), Value: n(90), Cur: n(95), Due: "2023-12-31", Pillar: "CQS", Lead: vpub},
		{Code: "KH23-MT23", NameVI: "Tỷ lệ hoạt động kiểm tra được thực hiện qua môi trường số", NameEN: "Share of inspections carried out digitally", Measure: "%", Baseline: n(10), Value: n(30), Cur: n(22), Due: "2023-12-31", Pillar: "CQS", Lead: ttt},
		{Code: "KH23-MT24", NameVI: "Tỷ lệ hồ sơ cán bộ, công chức, viên chức được số hóa, cập nhật vào Cơ sở dữ liệu quốc gia", NameEN: "Share of personnel files digitised into the national civil-service database", Measure: "%", Baseline: n(60), Value: n(100), Cur: n(100), Due: "2023-12-31", Pillar: "CQS", Lead: snv},

		// Kinh tế số: 10 targets, 6 completed.
		{Code: "KH23-MT25", NameVI: "Tỷ trọng kinh tế số trong GRDP", NameEN: "Digital economy as a share of GRDP", Measure: "% GRDP", Baseline: n(7.3), Value: n(12), Cur: n(9.1), Due: "2023-12-31", Pillar: "KTS", Lead: stc},
		{Code: "KH23-MT26", NameVI: "Số doanh nghiệp, hộ kinh doanh sử dụng hóa đơn điện tử khởi tạo từ máy tính tiền", NameEN: "Businesses issuing electronic invoices from cash registers", Measure: "cơ sở", Baseline: n(120), Value: n(1000), Cur: n(1346), Due: "2023-12-31", Pillar: "KTS", Sector: "TCNH", Lead: thue},
		{Code: "KH23-MT27", NameVI: "Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số", NameEN: "Share of small and medium enterprises using digital platforms", Measure: "%", Baseline: n(21), Value: n(40), Cur: n(33), Due: "2023-12-31", Pillar: "KTS", Sector: "SXCN", Lead: sct},
		{Code: "KH23-MT28", NameVI: "Số sản phẩm OCOP được đưa lên sàn thương mại điện tử", NameEN: "OCOP products listed on e-commerce platforms", Measure: "sản phẩm", Baseline: n(180), Value: n(300), Cur: n(342), Due: "2023-12-31", Pillar: "KTS", Sector: "NN", Lead: sct},
		{Code: "KH23-MT29", NameVI: "Tỷ lệ dân số trưởng thành có tài khoản thanh toán", NameEN: "Share of adults with a payment account", Measure: "%", Baseline: n(63), Value: n(75), Cur: n(78), Due: "2023-12-31", Pillar: "KTS", Sector: "TCNH", Lead: stc},
		{Code: "KH23-MT30", NameVI: "Tỷ lệ giao dịch không dùng tiền mặt tại các điểm du lịch", NameEN: "Share of cashless payments at tourist sites", Measure: "%", Baseline: n(35), Value: n(70), Cur: n(58), Due: "2023-12-31", Pillar: "KTS", Sector: "DL", Lead: sdl},
		{Code: "KH23-MT31", NameVI: "Số doanh nghiệp công nghệ số trên địa bàn tỉnh", NameEN: "Digital technology enterprises in the province", Measure: "doanh nghiệp", Baseline: n(420), Value: n(500), Cur: n(512), Due: "2023-12-31", Pillar: "KTS", Lead: skhcn},
		{Code: "KH23-MT32", NameVI: "Tỷ lệ tờ khai xuất nhập khẩu tại Khu kinh tế cửa khẩu Móng Cái được xử lý điện tử", NameEN: "Share of customs declarations in the Móng Cái border-gate zone processed electronically", Measure: "%", Baseline: n(85), Value: n(100), Cur: n(100), Due: "2023-12-31", Pillar: "KTS", Sector: "GTVT", Lead: bqlkkt},
		{Code: "KH23-MT33", NameVI: "Số hộ sản xuất nông nghiệp sử dụng nền tảng truy xuất nguồn gốc", NameEN: "Farming households using the traceability platform", Measure: "hộ", Baseline: n(600), Value: n(2000), Cur: n(1450), Due: "2023-12-31", Pillar: "KTS", Sector: "NN", Lead: snnmt},
		{Code: "KH23-MT34", NameVI: "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử", NameEN: "Share of enterprises using electronic contracts", Measure: "%", Baseline: n(55), Value: n(70), Cur: n(74), Due: "2023-12-31", Pillar: "KTS", Lead: sct},

		// Xã hội số: 10 targets, 7 completed.
		{Code: "KH23-MT35", NameVI: "Tỷ lệ dân số trưởng thành có điện thoại thông minh", NameEN: "Share of adults with a smartphone", Measure: "%", Baseline: n(83.5), Value: n(85), Cur: n(88.2), Due: "2023-12-31", Pillar: "XHS", Lead: skhcn},
		{Code: "KH23-MT36", NameVI: "Tỷ lệ hộ gia đình có kết nối Internet cáp quang", NameEN: "Share of households with a fibre connection", Measure: "%", Baseline: n(82.4), Value: n(85), Cur: n(87), Due: "2023-12-31", Pillar: "XHS", Lead: skhcn},
		{Code: "KH23-MT37", NameVI: "Tỷ lệ người dân có hồ sơ sức khỏe điện tử", NameEN: "Share of residents with an electronic health record", Measure: "%", Baseline: n(62), Value: n(90), Cur: n(84), Due: "2023-12-31", Pillar: "XHS", Sector: "YT", Lead: syt},
		{Code: "KH23-MT38", NameVI: "Tỷ lệ cơ sở giáo dục thu học phí không dùng tiền mặt", NameEN: "Share of schools collecting tuition fees cashless", Measure: "%", Baseline: n(76), Value: n(90), Cur: n(94), Due: "2023-12-31", Pillar: "XHS", Sector: "GD", Lead: sgddt},
		{Code: "KH23-MT39", NameVI: "Tỷ lệ người hưởng chính sách an sinh xã hội nhận chi trả không dùng tiền mặt", NameEN: "Share of social-protection beneficiaries paid cashless", Measure: "%", Baseline: n(35), Value: n(60), Cur: n(66), Due: "2023-06-30", Pillar: "XHS", Sector: "TCNH", Lead: syt, Note: "Nhiệm vụ Đề án 06."},
		{Code: "KH23-MT40", NameVI: "Số thành viên Tổ công nghệ số cộng đồng được tập huấn", NameEN: "Members of community digital technology teams trained", Measure: "người", Baseline: n(5200), Value: n(8000), Cur: n(7400), Due: "2023-12-31", Pillar: "XHS", Lead: cat},
		{Code: "KH23-MT41", NameVI: "Tỷ lệ thôn, khu phố có Tổ công nghệ số cộng đồng hoạt động", NameEN: "Share of villages and neighbourhoods with an active community digital technology team", Measure: "%", Baseline: n(85), Value: n(100), Cur: n(100), Due: "2023-12-31", Pillar: "XHS", Lead: cat},
		{Code: "KH23-MT42", NameVI: "Số điểm du lịch có vé điện tử, thuyết minh tự động", NameEN: "Tourist sites with e-tickets and audio guides", Measure: "điểm", Baseline: n(8), Value: n(20), Cur: n(23), Due: "2023-12-31", Pillar: "XHS", Sector: "DL", Lead: sdl},
		{Code: "KH23-MT43", NameVI: "Số hiện vật, di tích được số hóa", NameEN: "Heritage objects and sites digitised", Measure: "hiện vật", Baseline: n(1200), Value: n(3000), Cur: n(2450), Due: "2023-12-31", Pillar: "XHS", Lead: svhtt},
		{Code: "KH23-MT44", NameVI: "Tỷ lệ công dân phường Hạ Long kích hoạt tài khoản định danh điện tử", NameEN: "Share of Hạ Long ward residents with an activated electronic identification account", Measure: "%", Baseline: n(45), Value: n(80), Cur: n(85), Due: "2023-12-31", Pillar: "XHS", Lead: haLong},
	},
	Tasks: []taskData{
		{Code: "KH23-NV01", NameVI: "Duy trì chuyên mục Chuyển đổi số trên báo, phát thanh, truyền hình", NameEN: "Run the Digital Transformation section in print, radio and television", Group: gAwareness, Lead: bptth, Co: []string{skhcn}, Due: "2023-12-31", Output: "Chuyên mục định kỳ", BudgetM: 1500, Progress: 100},
		{Code: "KH23-NV02", NameVI: "Tổ chức Ngày Chuyển đổi số của tỉnh năm 2023", NameEN: "Hold the province's Digital Transformation Day 2023", Group: gAwareness, Lead: skhcn, Co: []string{vpub}, Due: "2023-10-31", Output: "Sự kiện, triển lãm", BudgetM: 1000, Progress: 100},
		{Code: "KH23-NV03", NameVI: "Kiểm điểm hàng tháng, hàng quý kết quả chuyển đổi số của từng sở, ngành, địa phương", NameEN: "Review each department's and locality's results monthly and quarterly", Group: gAwareness, Lead: vpub, Co: []string{skhcn}, Due: "2023-12-31", Output: "Thông báo kết luận kiểm điểm", Progress: 75, FromSource: true},
		{Code: "KH23-NV04", NameVI: "Ban hành Kế hoạch thực hiện Đề án 06 năm 2023", NameEN: "Issue the 2023 plan for Project 06", Group: gInstitutions, Lead: cat, Co: []string{vpub}, Due: "2023-02-28", Output: "Kế hoạch của UBND tỉnh", Progress: 100, FromSource: true, Note: "Hoàn thành trong tháng 2/2023 theo chỉ đạo của UBND tỉnh."},
		{Code: "KH23-NV05", NameVI: "Đề xuất cơ chế hỗ trợ Tổ công nghệ số cộng đồng trình HĐND tỉnh", NameEN: "Propose support for community digital technology teams to the Provincial People's Council", Group: gInstitutions, Lead: cat, Co: []string{stc, snv}, Due: "2023-12-31", Output: "Nghị quyết của HĐND tỉnh", Progress: 60, Targets: []string{"KH23-MT40"}, FromSource: true},
		{Code: "KH23-NV06", NameVI: "Ban hành quy chế khai thác, chia sẻ dữ liệu số của tỉnh", NameEN: "Issue the rules for using and sharing the province's digital data", Group: gInstitutions, Lead: skhcn, Co: []string{stp}, Due: "2023-06-30", Output: "Quy chế của UBND tỉnh", Progress: 100, Targets: []string{"KH23-MT01"}},
		{Code: "KH23-NV07", NameVI: "Mở rộng Trung tâm dữ liệu tỉnh (giai đoạn 2)", NameEN: "Extend the provincial data centre (phase 2)", Group: gInfrastructure, Lead: skhcn, Co: []string{stc}, Due: "2023-12-31", Output: "Trung tâm dữ liệu mở rộng", BudgetM: 32000, Progress: 70, Targets: []string{"KH23-MT07"}},
		{Code: "KH23-NV08", NameVI: "Xóa vùng lõm sóng di động, cáp quang", NameEN: "Close mobile and fibre coverage gaps", Group: gInfrastructure, Lead: skhcn, Co: []string{tienYen, binhLieu}, Due: "2023-12-31", Output: "Trạm phát sóng, tuyến cáp mới", BudgetM: 6500, Progress: 100, Targets: []string{"KH23-MT36"}},
		{Code: "KH23-NV09", NameVI: "Nâng cấp mạng truyền số liệu chuyên dùng cấp II", NameEN: "Upgrade the level-II dedicated government data network", Group: gInfrastructure, Lead: skhcn, Due: "2023-09-30", Output: "Mạng truyền số liệu nâng cấp", BudgetM: 4200, Progress: 100},
		{Code: "KH23-NV10", NameVI: "Làm sạch, đồng bộ dữ liệu dân cư với Cơ sở dữ liệu quốc gia (Đề án 06)", NameEN: "Clean and synchronise population data with the national database (Project 06)", Group: gData, Lead: cat, Co: []string{haLong, tienYen}, Due: "2023-06-30", Output: "Dữ liệu dân cư đúng, đủ, sạch, sống", BudgetM: 2500, Progress: 100, Targets: []string{"KH23-MT04"}, FromSource: true},
		{Code: "KH23-NV11", NameVI: "Cấp, kích hoạt tài khoản định danh điện tử mức 2 (Đề án 06)", NameEN: "Issue and activate level-2 electronic identification accounts (Project 06)", Group: gData, Lead: cat, Co: []string{skhcn}, Due: "2023-06-30", Output: "Tài khoản định danh được kích hoạt", BudgetM: 1800, Progress: 100, Targets: []string{"KH23-MT05"}, FromSource: true},
		{Code: "KH23-NV12", NameVI: "Xây dựng cơ sở dữ liệu đất đai của tỉnh (giai đoạn 2)", NameEN: "Build the provincial land database (phase 2)", Group: gData, Lead: snnmt, Co: []string{skhcn}, Due: "2023-12-31", Output: "Cơ sở dữ liệu đất đai", BudgetM: 28000, Progress: 65, Targets: []string{"KH23-MT06"}, Sector: "TNMT"},
		{Code: "KH23-NV13", NameVI: "Nâng cấp nền tảng LGSP và Kho dữ liệu dùng chung của tỉnh", NameEN: "Upgrade the LGSP and the provincial data warehouse", Group: gPlatforms, Lead: skhcn, Due: "2023-09-30", Output: "Kho dữ liệu dùng chung", BudgetM: 9500, Progress: 100, Targets: []string{"KH23-MT01", "KH23-MT07"}},
		{Code: "KH23-NV14", NameVI: "Triển khai trợ lý ảo cho cán bộ, công chức", NameEN: "Deploy a virtual assistant for civil servants", Group: gPlatforms, Lead: skhcn, Co: []string{vpub}, Due: "2023-12-31", Output: "Trợ lý ảo", BudgetM: 4200, Progress: 45, Targets: []string{"KH23-MT21"}},
		{Code: "KH23-NV15", NameVI: "Nâng cấp Trung tâm IOC tích hợp dữ liệu thời gian thực", NameEN: "Upgrade the IOC with real-time data", Group: gPlatforms, Lead: skhcn, Co: []string{vpub}, Due: "2023-12-31", Output: "IOC tích hợp dữ liệu các ngành", BudgetM: 12000, Progress: 100, Targets: []string{"KH23-MT08", "KH23-MT20"}},
		{Code: "KH23-NV16", NameVI: "Tái cấu trúc quy trình, cung cấp dịch vụ công trực tuyến toàn trình", NameEN: "Re-engineer procedures and offer them fully online", Group: gGovernment, Lead: ttpvhcc, Co: []string{skhcn}, Due: "2023-12-31", Output: "Dịch vụ công trực tuyến toàn trình", BudgetM: 5000, Progress: 100, Targets: []string{"KH23-MT12", "KH23-MT13"}},
		{Code: "KH23-NV17", NameVI: "Tích hợp thanh toán trực tuyến vào Hệ thống giải quyết thủ tục hành chính (Đề án 06)", NameEN: "Integrate online payment into the administrative-procedure system (Project 06)", Group: gGovernment, Lead: ttpvhcc, Co: []string{stc}, Due: "2023-06-30", Output: "Thanh toán trực tuyến tích hợp", BudgetM: 1600, Progress: 100, Targets: []string{"KH23-MT15"}, Sector: "TCNH", FromSource: true},
		{Code: "KH23-NV18", NameVI: "Số hóa kết quả giải quyết thủ tục hành chính còn hiệu lực (Đề án 06)", NameEN: "Digitise valid administrative decisions (Project 06)", Group: gGovernment, Lead: ttpvhcc, Co: []string{haLong, tienYen}, Due: "2023-06-30", Output: "Kết quả được số hóa", BudgetM: 4000, Progress: 80, Targets: []string{"KH23-MT03"}, FromSource: true},
		{Code: "KH23-NV19", NameVI: "Hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số (SMEdx)", NameEN: "Support small and medium enterprises in going digital (SMEdx)", Group: gEconomy, Lead: sct, Co: []string{stc}, Due: "2023-12-31", Output: "Doanh nghiệp dùng nền tảng số", BudgetM: 2800, Progress: 100, Targets: []string{"KH23-MT27"}, Sector: "SXCN"},
		{Code: "KH23-NV20", NameVI: "Đưa sản phẩm OCOP lên sàn thương mại điện tử", NameEN: "List OCOP products on e-commerce platforms", Group: gEconomy, Lead: sct, Co: []string{snnmt}, Due: "2023-12-31", Output: "Gian hàng OCOP trực tuyến", BudgetM: 900, Progress: 100, Targets: []string{"KH23-MT28"}, Sector: "NN"},
		{Code: "KH23-NV21", NameVI: "Xây dựng nền tảng du lịch thông minh tích hợp vé điện tử", NameEN: "Build a smart-tourism platform with e-tickets", Group: gEconomy, Lead: sdl, Co: []string{skhcn, vanDon}, Due: "2023-12-31", Output: "Nền tảng du lịch thông minh", BudgetM: 7500, Progress: 70, Targets: []string{"KH23-MT30", "KH23-MT42"}, Sector: "DL"},
		{Code: "KH23-NV22", NameVI: "Triển khai hồ sơ sức khỏe điện tử gắn với VNeID (Đề án 06)", NameEN: "Link electronic health records to VNeID (Project 06)", Group: gSociety, Lead: syt, Co: []string{cat, bhxh}, Due: "2023-06-30", Output: "Hồ sơ sức khỏe trên VNeID", BudgetM: 6000, Progress: 100, Targets: []string{"KH23-MT37"}, Sector: "YT", FromSource: true},
		{Code: "KH23-NV23", NameVI: "Chi trả an sinh xã hội không dùng tiền mặt (Đề án 06)", NameEN: "Pay social-protection benefits cashless (Project 06)", Group: gSociety, Lead: syt, Co: []string{bhxh}, Due: "2023-06-30", Output: "Chi trả qua tài khoản", BudgetM: 800, Progress: 100, Targets: []string{"KH23-MT39"}, Sector: "TCNH", FromSource: true},
		{Code: "KH23-NV24", NameVI: "Số hóa di sản, hiện vật bảo tàng", NameEN: "Digitise heritage and museum objects", Group: gSociety, Lead: svhtt, Due: "2023-12-31", Output: "Kho di sản số", BudgetM: 4500, Progress: 60, Targets: []string{"KH23-MT43"}},
		{Code: "KH23-NV25", NameVI: "Bồi dưỡng kỹ năng số cho cán bộ, công chức cấp xã", NameEN: "Train commune civil servants in digital skills", Group: gSkills, Lead: snv, Co: []string{haLong, tienYen}, Due: "2023-09-30", Output: "Lớp bồi dưỡng", BudgetM: 1200, Progress: 100},
		{Code: "KH23-NV26", NameVI: "Tập huấn thống nhất cho Tổ công nghệ số cộng đồng", NameEN: "Train community digital technology teams on one curriculum", Group: gSkills, Lead: cat, Co: []string{skhcn}, Due: "2023-12-31", Output: "Thành viên được tập huấn", BudgetM: 1500, Progress: 85, Targets: []string{"KH23-MT40", "KH23-MT41"}, FromSource: true},
		{Code: "KH23-NV27", NameVI: "Phổ cập kỹ năng số cho người dân phường Hạ Long", NameEN: "Teach digital skills to residents of Hạ Long ward", Group: gSkills, Lead: haLong, Co: []string{cat}, Due: "2023-12-31", Output: "Người dân được hướng dẫn", BudgetM: 300, Progress: 100, Targets: []string{"KH23-MT44"}},
		{Code: "KH23-NV28", NameVI: "Vận hành Trung tâm giám sát an toàn thông tin (SOC) của tỉnh", NameEN: "Run the provincial security operations centre (SOC)", Group: gSecurity, Lead: skhcn, Co: []string{cat}, Due: "2023-12-31", Output: "Báo cáo giám sát", BudgetM: 5200, Progress: 100},
		{Code: "KH23-NV29", NameVI: "Triển khai mô hình bảo vệ 4 lớp cho hệ thống thông tin", NameEN: "Apply the four-layer protection model to information systems", Group: gSecurity, Lead: skhcn, Co: []string{cat}, Due: "2023-12-31", Output: "Hệ thống được bảo vệ 4 lớp", BudgetM: 3000, Progress: 75},
		{Code: "KH23-NV30", NameVI: "Diễn tập thực chiến an toàn thông tin mạng", NameEN: "Run a live cyber-security exercise", Group: gSecurity, Lead: skhcn, Co: []string{cat}, Due: "2023-11-30", Output: "Báo cáo diễn tập", BudgetM: 500, Progress: 100},
	},
}

// nq08 is Hòa Bình's resolution; its targets are those the source names,
// with illustrative current values as last reported before the province
// merged into Phú Thọ.
var nq08 = docData{
	Kind: dxtrack.DocResolution, Number: "08-NQ/TU",
	TitleVI: "Nghị quyết về chuyển đổi số tỉnh Hòa Bình giai đoạn 2021 – 2025, định hướng đến năm 2030",
	TitleEN: "Resolution on the digital transformation of Hòa Bình 2021–2025, with a vision to 2030",
	Issuer:  "Tỉnh ủy Hòa Bình", IssuedOn: "2021-12-24",
	SpanFrom: 2021, SpanTo: 2025, Vision: 2030, Owner: hoaBinh,
	Summary: "Ban Thường vụ Tỉnh ủy ban hành ngày 24/12/2021. Chuyển đổi số trên 3 trụ cột (chính quyền số, kinh tế số, xã hội số) và 8 lĩnh vực ưu tiên. Tỉnh Hòa Bình hợp nhất vào tỉnh Phú Thọ từ ngày 01/7/2025; giá trị hiện tại là minh họa.",
	Targets: []targetData{
		{Code: "NQ08-MT01", NameVI: "Tỷ lệ thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến mức độ 4, trên nhiều phương tiện kể cả thiết bị di động", NameEN: "Share of eligible administrative procedures offered as level-4 online services, on mobile devices too", Measure: "%", Baseline: n(35), Value: n(100), Cur: n(100), Due: "2025-12-31", Pillar: "CQS", Lead: hoaBinh, FromSource: true},
		{Code: "NQ08-MT02", NameVI: "Tỷ lệ cơ sở dữ liệu dùng chung được kết nối, chia sẻ trên toàn tỉnh", NameEN: "Share of shared databases connected and shared province-wide", Measure: "%", Baseline: n(40), Value: n(100), Cur: n(85), Due: "2025-12-31", Pillar: "CQS", Lead: hoaBinh, FromSource: true},
		{Code: "NQ08-MT03", NameVI: "Tỷ lệ hoạt động kiểm tra của cơ quan quản lý nhà nước được thực hiện qua môi trường số", NameEN: "Share of state inspections carried out in the digital environment", Measure: "%", Baseline: n(5), Value: n(50), Cur: n(34), Due: "2025-12-31", Pillar: "CQS", Lead: hoaBinh, FromSource: true, Note: "Chỉ tiêu: trên 50%."},
		{Code: "NQ08-MT04", NameVI: "Hoàn thành triển khai các dịch vụ đô thị thông minh tại thành phố Hòa Bình và huyện Lương Sơn", NameEN: "Smart-city services in service in Hòa Bình city and Lương Sơn district", Qualitative: true, Due: "2025-12-31", Pillar: "XHS", Lead: hoaBinh, FromSource: true},
		{Code: "NQ08-MT05", NameVI: "Kinh tế số chiếm 20% GRDP đến năm 2025", NameEN: "Digital economy at 20% of GRDP by 2025", Measure: "% GRDP", Baseline: n(4.5), Value: n(20), Cur: n(11.2), Due: "2025-12-31", Pillar: "KTS", Lead: hoaBinh, FromSource: true},
		{Code: "NQ08-MT06", NameVI: "Kinh tế số chiếm trên 30% GRDP đến năm 2030", NameEN: "Digital economy above 30% of GRDP by 2030", Measure: "% GRDP", Baseline: n(4.5), Value: n(30), Cur: n(11.2), Due: "2030-12-31", Pillar: "KTS", Lead: hoaBinh, FromSource: true, Note: "Chỉ tiêu: trên 30%."},
		{Code: "NQ08-MT07", NameVI: "Số lĩnh vực ưu tiên được đẩy nhanh chuyển đổi số (y tế, giáo dục, tài chính – ngân hàng, nông nghiệp, giao thông vận tải và logistics, năng lượng, tài nguyên và môi trường, sản xuất công nghiệp)", NameEN: "Priority sectors with accelerated digital transformation (health, education, finance and banking, agriculture, transport and logistics, energy, natural resources and environment, industrial production)", Measure: "lĩnh vực", Baseline: n(0), Value: n(8), Cur: n(6), Due: "2025-12-31", Pillar: "KTS", Lead: hoaBinh, FromSource: true},
	},
}

// check verifies the dataset before anything is written: unique codes,
// known unit, category and target references, figures where they are
// needed, dates that parse.
func check() error {
	recs, err := gso.Units2025()
	if err != nil {
		return err
	}
	units := map[string]bool{hoaBinh: true}
	for _, r := range recs {
		units[r.Code] = true
	}
	for _, d := range departments {
		if units[d.Code] {
			return fmt.Errorf("demo: data: duplicate unit code %s", d.Code)
		}
		units[d.Code] = true
	}
	cats := map[string]bool{"": true}
	for _, c := range dxtrack.DefaultCategories {
		cats[c.Code] = true
	}
	for _, g := range groups {
		if !cats[g.pillar] {
			return fmt.Errorf("demo: data: group %q: unknown category %s", g.vi, g.pillar)
		}
	}
	date := func(what, s string) error {
		if _, err := dxtrack.ParseDate(s); err != nil {
			return fmt.Errorf("demo: data: %s: bad date %q", what, s)
		}
		return nil
	}

	codes := map[string]bool{}
	numbers := map[string]bool{}
	for _, d := range documents {
		if err := date(d.Number, d.IssuedOn); err != nil {
			return err
		}
		if !units[d.Owner] || (d.Parent != "" && !numbers[d.Parent]) {
			return fmt.Errorf("demo: data: %s: unknown owner %q or parent %q", d.Number, d.Owner, d.Parent)
		}
		numbers[d.Number] = true
		targets := map[string]bool{}
		for _, t := range d.Targets {
			switch {
			case codes[t.Code]:
				return fmt.Errorf("demo: data: duplicate code %s", t.Code)
			case !units[t.Lead]:
				return fmt.Errorf("demo: data: %s: unknown lead unit %s", t.Code, t.Lead)
			case !cats[t.Pillar] || !cats[t.Sector]:
				return fmt.Errorf("demo: data: %s: unknown category %q or %q", t.Code, t.Pillar, t.Sector)
			case !t.Qualitative && (t.Value == nil || t.Cur == nil):
				return fmt.Errorf("demo: data: %s: quantitative target without value or current value", t.Code)
			case t.Qualitative && (t.Value != nil || t.Cur != nil || t.Baseline != nil):
				return fmt.Errorf("demo: data: %s: qualitative target with figures", t.Code)
			}
			if err := date(t.Code, t.Due); err != nil {
				return err
			}
			codes[t.Code], targets[t.Code] = true, true
		}
		for _, t := range d.Tasks {
			switch {
			case codes[t.Code]:
				return fmt.Errorf("demo: data: duplicate code %s", t.Code)
			case !units[t.Lead]:
				return fmt.Errorf("demo: data: %s: unknown lead unit %s", t.Code, t.Lead)
			case !cats[t.Sector]:
				return fmt.Errorf("demo: data: %s: unknown category %q", t.Code, t.Sector)
			case t.Progress < 0 || t.Progress > 100 || t.BudgetM < 0:
				return fmt.Errorf("demo: data: %s: progress or budget out of range", t.Code)
			}
			for _, c := range t.Co {
				if !units[c] || c == t.Lead {
					return fmt.Errorf("demo: data: %s: bad coordinating unit %s", t.Code, c)
				}
			}
			for _, c := range t.Targets {
				if !targets[c] {
					return fmt.Errorf("demo: data: %s: unknown target %s", t.Code, c)
				}
			}
			if err := date(t.Code, t.Due); err != nil {
				return err
			}
			codes[t.Code] = true
		}
	}
	for _, l := range logins {
		if !units[l.Unit] {
			return fmt.Errorf("demo: data: login %s: unknown unit %s", l.Username, l.Unit)
		}
	}
	return nil
}
