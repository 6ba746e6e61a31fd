package store_test

import (
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// communeIndex is a small index of Quảng Ninh's own: two main indices over
// three input columns.
const communeIndex = `
code: QN-XA
version: "2025"
name_vi: Chỉ số chuyển đổi số cấp xã
name_en: Commune digital transformation index
decimals: 4
root:
  code: QN-XA
  name_vi: Chỉ số chuyển đổi số cấp xã
  aggregator: weighted_mean
  children:
    - code: CQS
      name_vi: Chính quyền số
      level: main
      weight: 0.6
      aggregator: weighted_mean
      children:
        - code: ONLINE
          name_vi: Tỷ lệ hồ sơ trực tuyến
          weight: 1
          rule: {kind: target, input: ONLINE, target: 100}
        - code: ONTIME
          name_vi: Tỷ lệ hồ sơ đúng hạn
          weight: 1
          rule: {kind: target, input: ONTIME, target: 100}
    - code: KTS
      name_vi: Kinh tế số
      level: main
      weight: 0.4
      aggregator: weighted_mean
      children:
        - code: CASHLESS
          name_vi: Tỷ lệ thanh toán không dùng tiền mặt
          weight: 1
          rule: {kind: target, input: CASHLESS, target: 100}
`

func TestIndexDefinitions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		ix := store.NewIndexService(db)

		defs, err := ix.FindIndexDefinitions(as(w.leader))
		must(t, err)
		codes := map[string]bool{}
		for _, d := range defs {
			if !d.Builtin {
				t.Errorf("%s %s: not marked builtin", d.Code, d.Version)
			}
			codes[d.Code+" "+d.Version] = true
		}
		for _, want := range []string{"DTI-922 2022", "EGDI 2022", "DESI 2022"} {
			if !codes[want] {
				t.Errorf("builtin %s missing from %v", want, codes)
			}
		}

		// Only admins import; a builtin is read-only.
		_, err = ix.ImportIndexDefinition(as(w.reviewer), []byte(communeIndex))
		wantCode(t, err, dxtrack.EFORBIDDEN)
		egdi, err := ix.FindIndexDefinition(as(w.leader), "EGDI", "")
		must(t, err)
		_, err = ix.ImportIndexDefinition(as(w.admin), egdi.Definition)
		wantCode(t, err, dxtrack.ECONFLICT)

		d, err := ix.ImportIndexDefinition(as(w.admin), []byte(communeIndex))
		must(t, err)
		if d.Code != "QN-XA" || d.Version != "2025" || d.Builtin || d.NameEN != "Commune digital transformation index" {
			t.Fatalf("imported %+v", d)
		}
		// A bad definition names the node at fault and changes nothing.
		bad := strings.Replace(communeIndex, "weight: 0.4", "weight: -0.4", 1)
		bad = strings.Replace(bad, `version: "2025"`, `version: "2026"`, 1)
		_, err = ix.ImportIndexDefinition(as(w.admin), []byte(bad))
		wantCode(t, err, dxtrack.EINVALID)
		named := false
		for _, f := range dxtrack.ErrorFields(err) {
			named = named || strings.Contains(f.Field, "KTS")
		}
		if !named {
			t.Errorf("error %v does not name KTS", err)
		}
		if _, err := ix.FindIndexDefinition(as(w.leader), "QN-XA", "2026"); dxtrack.ErrorCode(err) != dxtrack.ENOTFOUND {
			t.Errorf("bad definition stored: %v", err)
		}
	})
}

// communeCSV is a table of two communes of the seed plus a ward.
const communeCSV = "unit_code,unit_name,ONLINE,ONTIME,CASHLESS\n" +
	"06994,Vân Đồn,80,95,40\n" +
	"07030,Hoành Bồ,60,90,70\n"

func TestIndexEditionWorkflow(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		ix := store.NewIndexService(db)
		_, err := ix.ImportIndexDefinition(as(w.admin), []byte(communeIndex))
		must(t, err)

		// A bad cell is refused naming its row and column; nothing is stored.
		e := &dxtrack.IndexEdition{IndexCode: "QN-XA", IndexVersion: "2025", Year: 2025, NameVI: "Chỉ số xã 2025", OwnerUnitID: w.qn.ID}
		badCSV := strings.Replace(communeCSV, "60,90", "sáu mươi,90", 1)
		err = ix.ImportEdition(as(w.admin), e, "xa.csv", []byte(badCSV))
		wantCode(t, err, dxtrack.EINVALID)
		if fs := dxtrack.ErrorFields(err); len(fs) == 0 || !strings.Contains(fs[0].Field, "3") || !strings.Contains(fs[0].Field, "ONLINE") {
			t.Errorf("bad cell error names %v, want row 3 and column ONLINE", fs)
		}
		if n := w.count(t, "index_editions"); n != 0 {
			t.Fatalf("%d editions after a refused import", n)
		}
		// Only an admin over the owner unit creates editions.
		wantCode(t, ix.ImportEdition(as(w.adminPT), e, "xa.csv", []byte(communeCSV)), dxtrack.EFORBIDDEN)

		must(t, ix.ImportEdition(as(w.admin), e, "xa.csv", []byte(communeCSV)))
		tab, err := ix.EditionTable(as(w.leader), e.ID)
		must(t, err)
		if len(tab.Rows) != 2 || tab.Rows[0].Code != "06994" || tab.Rows[0].UnitID != w.communeA.ID || tab.Numbers["07030"]["CASHLESS"] != 70 {
			t.Fatalf("table %+v", tab)
		}

		// The commune's reporter self-assesses its own row, not another's.
		_, err = ix.ActOnScore(as(w.reporterB), e.ID, "06994", "ONLINE", dxtrack.ActionSelfAssess, ptr(0.9), "")
		wantCode(t, err, dxtrack.EFORBIDDEN)
		_, err = ix.ActOnScore(as(w.reporterA), e.ID, "06994", "CQS", dxtrack.ActionSelfAssess, ptr(0.9), "")
		wantField(t, err, "node", "error.indices_not_component")
		c, err := ix.ActOnScore(as(w.reporterA), e.ID, "06994", "ONLINE", dxtrack.ActionSelfAssess, ptr(0.9), "Báo cáo số 12")
		must(t, err)
		if c.Stage != dxtrack.StageSelf || *c.Self != 0.9 {
			t.Fatalf("self-assessed %+v", c)
		}
		// A reporter cannot appraise; the reviewer of the office can.
		_, err = ix.ActOnScore(as(w.reporterA), e.ID, "06994", "ONLINE", dxtrack.ActionAppraise, ptr(0.85), "")
		wantCode(t, err, dxtrack.EFORBIDDEN)
		_, err = ix.ActOnScore(as(w.reviewer), e.ID, "06994", "ONLINE", dxtrack.ActionFinalise, nil, "")
		wantCode(t, err, dxtrack.ECONFLICT)
		c, err = ix.ActOnScore(as(w.reviewer), e.ID, "06994", "ONLINE", dxtrack.ActionAppraise, ptr(0.85), "Thiếu minh chứng")
		must(t, err)
		if v, stage, _ := c.Current(); v != 0.85 || stage != dxtrack.StageAppraised {
			t.Fatalf("appraised: current %v at %s", v, stage)
		}
		_, err = ix.ActOnScore(as(w.reporterA), e.ID, "06994", "ONLINE", dxtrack.ActionSelfAssess, ptr(1.0), "")
		wantCode(t, err, dxtrack.ECONFLICT)
		ev := &dxtrack.IndexEvidence{Name: "bien-ban.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4")}
		must(t, ix.AttachScoreEvidence(as(w.reviewer), c.ID, ev))
		c, err = ix.ActOnScore(as(w.reviewer), e.ID, "06994", "ONLINE", dxtrack.ActionFinalise, nil, "")
		must(t, err)
		if c.Stage != dxtrack.StageFinal || *c.Final != 0.85 {
			t.Fatalf("final %+v", c)
		}
		scores, err := ix.FindScores(as(w.leader), e.ID)
		must(t, err)
		if len(scores) != 1 || len(scores[0].Evidence) != 1 || scores[0].Evidence[0] != ev.ID {
			t.Fatalf("scores %+v", scores)
		}
		got, err := ix.FindScoreEvidence(as(w.leader), ev.ID)
		must(t, err)
		if string(got.Data) != "%PDF-1.4" {
			t.Errorf("evidence data %q", got.Data)
		}
		trail, err := store.NewAuditService(db).FindAudit(as(w.leader), "index_score", c.ID)
		must(t, err)
		fields := map[string]bool{}
		for _, a := range trail {
			fields[a.Field] = true
		}
		for _, f := range []string{"06994.ONLINE.self", "06994.ONLINE.appraised", "06994.ONLINE.final", "06994.ONLINE.evidence"} {
			if !fields[f] {
				t.Errorf("audit lacks %s: %v", f, fields)
			}
		}
		appraise, rows, err := ix.ScoreRights(as(w.reporterA), e.ID)
		must(t, err)
		if appraise || len(rows) != 1 || rows[0] != "06994" {
			t.Errorf("reporter A rights: appraise %v, rows %v", appraise, rows)
		}
	})
}

func TestIndexLineage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		ix := store.NewIndexService(db)
		_, err := ix.ImportIndexDefinition(as(w.admin), []byte(communeIndex))
		must(t, err)
		e := &dxtrack.IndexEdition{IndexCode: "QN-XA", IndexVersion: "2025", Year: 2025, NameVI: "Chỉ số 2025", OwnerUnitID: w.qn.ID}
		must(t, ix.ImportEdition(as(w.admin), e, "xa.csv", []byte(communeCSV)))
		// Vân Đồn and Hoành Bồ merge into Hoành Bồ.
		must(t, w.units.MergeUnits(as(w.admin), []int64{w.communeA.ID}, w.communeB.ID, date("2025-10-01")))
		d := &dxtrack.IndexEdition{NameVI: "Chỉ số 2025 theo đơn vị mới", Cohort: "sau sáp nhập"}
		must(t, ix.DeriveEdition(as(w.admin), e.ID, d))
		succ, rows, err := ix.Successors(as(w.leader), d.ID)
		must(t, err)
		if len(rows) != 1 || rows[0].Code != "07030" || strings.Join(succ["07030"], ",") != "06994,07030" {
			t.Fatalf("successors %v rows %+v", succ, rows)
		}
		if d.Source != dxtrack.FromLineage || d.DerivedFrom != e.ID || d.Year != 2025 {
			t.Errorf("derived %+v", d)
		}
	})
}

// TestIndexFromIndicators computes an edition's inputs from the values the
// communes report: a formula over the year's sums and a rate's last
// figure of the year.
func TestIndexFromIndicators(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedValues(t, db)
		ix := store.NewIndexService(db)
		def := strings.NewReplacer("input: ONLINE", "input: RATE", "input: ONTIME", "input: SHARE", "input: CASHLESS", "input: SHARE").
			Replace(communeIndex)
		_, err := ix.ImportIndexDefinition(as(w.admin), []byte(def))
		must(t, err)
		must(t, w.values.SetValues(as(w.admin), []dxtrack.Value{
			val(w.communeA, w.total, month(2025, 1), 100), val(w.communeA, w.online, month(2025, 1), 50),
			val(w.communeA, w.total, month(2025, 12), 100), val(w.communeA, w.online, month(2025, 12), 70),
			val(w.communeA, w.share, month(2025, 1), 30), val(w.communeA, w.share, month(2025, 12), 45),
			val(w.communeB, w.total, month(2025, 6), 40), val(w.communeB, w.online, month(2025, 6), 10),
		}, ""))
		e := &dxtrack.IndexEdition{IndexCode: "QN-XA", IndexVersion: "2025", Year: 2025, NameVI: "Chỉ số xã 2025",
			OwnerUnitID: w.qn.ID, Source: dxtrack.FromIndicators, Level: "local",
			Inputs: []dxtrack.EditionInput{{Column: "RATE", Indicator: "TL_TT", Agg: dxtrack.AggYear},
				{Column: "SHARE", Indicator: "TL_SO", Agg: dxtrack.AggYear}}}
		wantCode(t, ix.CreateEdition(as(w.reviewer), e, nil), dxtrack.EFORBIDDEN)
		must(t, ix.CreateEdition(as(w.admin), e, nil))
		tab, err := ix.EditionTable(as(w.leader), e.ID)
		must(t, err)
		if len(tab.Rows) != 2 {
			t.Fatalf("rows %+v, want the two communes", tab.Rows)
		}
		if got := tab.Numbers["06994"]; got["RATE"] != 60 || got["SHARE"] != 45 {
			t.Errorf("Vân Đồn inputs %v, want RATE 60 (120/200) and SHARE 45 (December)", got)
		}
		if got := tab.Numbers["07030"]; got["RATE"] != 25 || len(got) != 1 {
			t.Errorf("Hoành Bồ inputs %v, want RATE 25 and no SHARE", got)
		}
		// A value reported later reaches the edition when it is refreshed.
		must(t, w.values.SetValues(as(w.admin), []dxtrack.Value{val(w.communeB, w.share, month(2025, 11), 12)}, ""))
		must(t, ix.RefreshEdition(as(w.admin), e.ID))
		tab, err = ix.EditionTable(as(w.leader), e.ID)
		must(t, err)
		if got := tab.Numbers["07030"]["SHARE"]; got != 12 {
			t.Errorf("after refresh SHARE = %v, want 12", got)
		}
	})
}
