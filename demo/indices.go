package demo

import (
	"context"
	"fmt"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
)

// The composite-index demo: the built-in definitions; EGDI 2022 (193
// countries) and DESI 2022 (the 27 member states) as imported
// tables of their real published inputs; and Quảng Ninh's own index for
// its communes, wards and special zone, computed from the values the
// communes report (analytics.go) for 2024 and 2025, so that the ranking
// shows a year-on-year move. The demo's values cover every reporting
// commune from January 2024, so both years are complete; departments
// report too but are not in this cohort.

// communeIndexYAML is "Chỉ số chuyển đổi số cấp xã": three main indices
// over the monthly report's rates, each scored as the distance to 100 %.
const communeIndexYAML = `
code: QN-CDS-XA
version: "2025"
name_vi: Chỉ số chuyển đổi số cấp xã của tỉnh Quảng Ninh
name_en: Quang Ninh commune digital transformation index
decimals: 4
source: Minh hoạ, dựng từ chế độ báo cáo tháng của tỉnh (dữ liệu demo)
root:
  code: QN-CDS-XA
  name_vi: Chỉ số chuyển đổi số cấp xã
  name_en: Commune digital transformation index
  level: index
  aggregator: weighted_mean
  missing: renormalise
  children:
    - code: CQS
      name_vi: Chính quyền số
      name_en: Digital government
      level: main
      weight: 0.5
      aggregator: weighted_mean
      missing: renormalise
      children:
        - code: CQS1
          name_vi: Tỷ lệ hồ sơ trực tuyến toàn trình
          name_en: Dossiers processed fully online
          level: component
          weight: 0.4
          rule: {kind: target, input: DVC_ONLINE_RATE, target: 100}
        - code: CQS2
          name_vi: Tỷ lệ hồ sơ giải quyết đúng hạn
          name_en: Dossiers processed on time
          level: component
          weight: 0.3
          rule: {kind: target, input: DVC_ONTIME_RATE, target: 100}
        - code: CQS3
          name_vi: Tỷ lệ văn bản trao đổi dưới dạng điện tử
          name_en: Documents exchanged electronically
          level: component
          weight: 0.3
          rule: {kind: target, input: DOC_ONLINE_RATE, target: 100}
    - code: DLS
      name_vi: Dữ liệu số
      name_en: Digital data
      level: main
      weight: 0.2
      aggregator: weighted_mean
      missing: renormalise
      children:
        - code: DLS1
          name_vi: Tỷ lệ hồ sơ, kết quả TTHC được số hoá
          name_en: Dossiers and results digitised
          level: component
          weight: 1
          rule: {kind: target, input: DVC_DIGITIZED_RATE, target: 100}
    - code: KTS
      name_vi: Kinh tế số
      name_en: Digital economy
      level: main
      weight: 0.3
      aggregator: weighted_mean
      missing: renormalise
      children:
        - code: KTS1
          name_vi: Tỷ lệ thanh toán trực tuyến phí, lệ phí
          name_en: Procedure fees paid online
          level: component
          weight: 1
          rule: {kind: target, input: CASHLESS_RATE, target: 100}
`

// communeInputs map the index's input columns to the demo's indicators,
// each over the year as the indicator aggregates (a rate's last figure, a
// formula's ratio of the year's sums).
var communeInputs = []dxtrack.EditionInput{
	{Column: "DVC_ONLINE_RATE", Indicator: "DVC_ONLINE_RATE", Agg: dxtrack.AggYear},
	{Column: "DVC_ONTIME_RATE", Indicator: "DVC_ONTIME_RATE", Agg: dxtrack.AggYear},
	{Column: "DOC_ONLINE_RATE", Indicator: "DOC_ONLINE_RATE", Agg: dxtrack.AggYear},
	{Column: "DVC_DIGITIZED_RATE", Indicator: "DVC_DIGITIZED_RATE", Agg: dxtrack.AggYear},
	{Column: "CASHLESS_RATE", Indicator: "CASHLESS_RATE", Agg: dxtrack.AggYear},
}

// loadIndices writes the index demo; nothing when the service is absent.
// Editions already stored (a second run) are left alone.
func (l *loader) loadIndices(ctx context.Context) error {
	ix := l.s.Indices
	if ix == nil {
		return nil
	}
	if err := ix.InstallBuiltins(ctx); err != nil {
		return fmt.Errorf("demo: indices: %w", err)
	}
	have, err := ix.FindEditions(ctx, dxtrack.EditionFilter{})
	if err != nil {
		return fmt.Errorf("demo: indices: %w", err)
	}
	if len(have) > 0 {
		return nil
	}

	egdi, _, err := composite.EGDI2022()
	if err != nil {
		return fmt.Errorf("demo: egdi: %w", err)
	}
	if err := ix.CreateEdition(ctx, &dxtrack.IndexEdition{IndexCode: "EGDI", IndexVersion: "2022", Year: 2022,
		NameVI: "Chỉ số Phát triển Chính phủ điện tử (EGDI) 2022", NameEN: "E-Government Development Index (EGDI) 2022",
		Cohort: "193 quốc gia thành viên Liên Hợp Quốc", Source: dxtrack.FromTable}, tableOf(egdi)); err != nil {
		return fmt.Errorf("demo: egdi edition: %w", err)
	}
	desiAll, _, err := composite.DESI2022()
	if err != nil {
		return fmt.Errorf("demo: desi: %w", err)
	}
	// DESI ranks the member states; the EU row is their aggregate, not a
	// competitor, so the edition's cohort leaves it out.
	var states []string
	for _, u := range desiAll.Units {
		if u.Code != "EU" {
			states = append(states, u.Code)
		}
	}
	desi := desiAll.Subset(states)
	if err := ix.CreateEdition(ctx, &dxtrack.IndexEdition{IndexCode: "DESI", IndexVersion: "2022", Year: 2022,
		NameVI: "Chỉ số Kinh tế và Xã hội số (DESI) 2022", NameEN: "Digital Economy and Society Index (DESI) 2022",
		Cohort: "27 nước thành viên EU", Source: dxtrack.FromTable}, tableOf(desi)); err != nil {
		return fmt.Errorf("demo: desi edition: %w", err)
	}

	if _, err := ix.ImportIndexDefinition(ctx, []byte(communeIndexYAML)); err != nil {
		return fmt.Errorf("demo: commune index: %w", err)
	}
	qn, err := l.unit(ctx, quangNinh)
	if err != nil {
		return err
	}
	for _, year := range []int{2024, 2025} {
		e := &dxtrack.IndexEdition{IndexCode: "QN-CDS-XA", IndexVersion: "2025", Year: year,
			NameVI: fmt.Sprintf("Chỉ số chuyển đổi số cấp xã %d", year), NameEN: fmt.Sprintf("Commune digital transformation index %d", year),
			Cohort: "xã, phường, đặc khu của Quảng Ninh", OwnerUnitID: qn.ID, Source: dxtrack.FromIndicators,
			Inputs: communeInputs, Level: "local"}
		if err := ix.CreateEdition(ctx, e, nil); err != nil {
			return fmt.Errorf("demo: commune index %d: %w", year, err)
		}
	}
	return nil
}

// tableOf turns the engine's input table into the domain's.
func tableOf(d *composite.Data) *dxtrack.IndexTable {
	t := &dxtrack.IndexTable{Numbers: d.Numbers, Texts: d.Texts}
	for _, u := range d.Units {
		t.Rows = append(t.Rows, dxtrack.IndexRow{Code: u.Code, Name: u.Name, Group: u.Group})
	}
	return t
}
