package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/dxtrack/dxtrack"
)

// The machine-data demo: the province's public-service portal (Cổng dịch
// vụ công) as a source that pushes its dossier events, feeding four
// machine indicators per commune and month, with a week of batches
// already received (one refused whole for a unit code that does not
// exist, and a few events under Hòa Bình's former code, which land on
// Phú Thọ), so that the sources page has a log and a traffic chart.

// portalCode is the demo source's code, in its push URL.
const portalCode = "cong-dvc"

// portalIndicators are fed by the portal only.
var portalIndicators = []indicatorData{
	{"DVC_PORTAL_RECEIVED", "Số hồ sơ tiếp nhận trên Cổng dịch vụ công", "Dossiers received on the public-service portal", "hồ sơ", dxtrack.ValueCount, ""},
	{"DVC_PORTAL_ONLINE", "Số hồ sơ nộp trực tuyến trên Cổng dịch vụ công", "Dossiers filed online on the portal", "hồ sơ", dxtrack.ValueCount, ""},
	{"DVC_PORTAL_ONTIME_RATE", "Tỷ lệ hồ sơ trên Cổng được giải quyết đúng hạn", "Share of portal dossiers processed on time", "%", dxtrack.ValuePercent, ""},
	{"DVC_PORTAL_DAYS", "Thời gian giải quyết bình quân hồ sơ trên Cổng", "Mean processing time of portal dossiers", "ngày", dxtrack.ValueNumber, ""},
}

var portalMapping = dxtrack.Mapping{UnitField: "ma_don_vi", TimeField: "ngay_tiep_nhan", Freq: dxtrack.Monthly,
	Rules: []dxtrack.MapRule{
		{Indicator: "DVC_PORTAL_RECEIVED", Agg: dxtrack.MapCount},
		{Indicator: "DVC_PORTAL_ONLINE", Agg: dxtrack.MapCount, Where: "kenh_nop == 'truc_tuyen'"},
		{Indicator: "DVC_PORTAL_ONTIME_RATE", Agg: dxtrack.MapShare, Where: "da_giai_quyet && dung_han"},
		{Indicator: "DVC_PORTAL_DAYS", Agg: dxtrack.MapAvg, Expr: "so_ngay_giai_quyet", Where: "da_giai_quyet"},
	}}

// loadIngest creates the portal's indicators and source and pushes a
// batch a day for the past week. It does nothing when the services lack
// sources or a pipeline, or when the source exists (a second run).
func (l *loader) loadIngest(ctx context.Context) error {
	if l.s.Sources == nil || l.s.Ingest == nil {
		return nil
	}
	if _, err := l.s.Sources.FindSource(ctx, portalCode); err == nil {
		return nil
	} else if dxtrack.ErrorCode(err) != dxtrack.ENOTFOUND {
		return fmt.Errorf("demo: source: %w", err)
	}
	qn, err := l.unit(ctx, quangNinh)
	if err != nil {
		return err
	}
	owner, err := l.unit(ctx, skhcn)
	if err != nil {
		return err
	}
	for _, d := range portalIndicators {
		if _, err := l.s.Indicators.FindIndicatorByCode(ctx, d.Code); err == nil {
			continue
		}
		in := &dxtrack.Indicator{Code: d.Code, NameVI: d.NameVI, NameEN: d.NameEN, Measure: d.Measure, Type: d.Type,
			Decimals: 1, Direction: dxtrack.DirectionUp, OwnerUnitID: owner.ID, Source: dxtrack.SourceMachine,
			PillarID: l.cats["CQS"]}
		if d.Code == "DVC_PORTAL_DAYS" {
			in.Direction = dxtrack.DirectionDown
		}
		if err := l.s.Indicators.CreateIndicator(ctx, in); err != nil {
			return fmt.Errorf("demo: indicator %s: %w", d.Code, err)
		}
		l.res.Indicators++
	}
	src := &dxtrack.DataSource{Code: portalCode, Name: "Cổng dịch vụ công tỉnh Quảng Ninh", OwnerUnitID: qn.ID,
		Policy: dxtrack.AllOrNothing, Mapping: portalMapping}
	if _, err := l.s.Sources.CreateSource(ctx, src); err != nil {
		return fmt.Errorf("demo: source: %w", err)
	}

	communes, _, err := l.s.Units.FindUnits(ctx, dxtrack.UnitFilter{Under: &qn.ID,
		Types: []dxtrack.UnitType{dxtrack.UnitCommune, dxtrack.UnitWard, dxtrack.UnitSpecialZone}})
	if err != nil {
		return fmt.Errorf("demo: communes: %w", err)
	}
	if len(communes) == 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(2025, 6))
	today := dxtrack.Day(l.now())
	for back := 7; back >= 1; back-- {
		day := today.AddDate(0, 0, -back)
		recs := portalBatch(r, communes, day, 600)
		key := "dvc-" + day.Format(dxtrack.DateLayout)
		if back == 4 {
			// A batch with a code the province does not have is refused
			// whole; the portal sent it again, fixed, under a new key.
			bad := append([]dxtrack.Record{}, recs...)
			bad[17] = dxtrack.Record{"ma_don_vi": "99999", "ngay_tiep_nhan": day.Format(dxtrack.DateLayout),
				"kenh_nop": "truc_tuyen", "da_giai_quyet": false}
			if err := l.at(day.Add(2*time.Hour), func() error {
				res, err := l.s.Ingest(ctx, src, key, bad)
				if res != nil && res.Accepted == 0 && res.Refused == len(bad) {
					return nil // refused, as meant; the log keeps it
				} else if err == nil {
					return fmt.Errorf("demo: push %s: a bad batch was accepted", key)
				}
				return fmt.Errorf("demo: push %s: %w", key, err)
			}); err != nil {
				return err
			}
			key += "-2"
		}
		if back == 2 {
			// Events under Hòa Bình's former code land on Phú Thọ.
			for i := range 5 {
				recs[i]["ma_don_vi"] = hoaBinh
			}
		}
		if err := l.at(day.Add(9*time.Hour), func() error {
			_, err := l.s.Ingest(ctx, src, key, recs)
			return err
		}); err != nil {
			return fmt.Errorf("demo: push %s: %w", key, err)
		}
	}
	return l.loadEoffice(ctx, qn, communes, r, today)
}

// eofficeCode is the province's e-office system: it counts the outgoing
// documents each commune signed digitally, which the monthly report asks
// for (DOC_SIGNED), so this month's forms show that figure prefilled and
// locked instead of typed.
const eofficeCode = "qlvb"

var eofficeMapping = dxtrack.Mapping{UnitField: "ma_don_vi", TimeField: "ngay_ban_hanh", Freq: dxtrack.Monthly,
	Rules: []dxtrack.MapRule{{Indicator: "DOC_SIGNED", Agg: dxtrack.MapCount, Where: "ky_so"}}}

// loadEoffice creates the e-office source and pushes a batch a day of
// outgoing documents for the past week, accepting the valid records.
func (l *loader) loadEoffice(ctx context.Context, qn *dxtrack.Unit, communes []*dxtrack.Unit, r *rand.Rand, today time.Time) error {
	if _, err := l.s.Indicators.FindIndicatorByCode(ctx, "DOC_SIGNED"); err != nil {
		return nil // the reporting part of the demo is not loaded
	}
	src := &dxtrack.DataSource{Code: eofficeCode, Name: "Hệ thống quản lý văn bản và điều hành tỉnh Quảng Ninh",
		OwnerUnitID: qn.ID, Policy: dxtrack.AcceptValid, Mapping: eofficeMapping}
	if _, err := l.s.Sources.CreateSource(ctx, src); err != nil {
		return fmt.Errorf("demo: source %s: %w", eofficeCode, err)
	}
	for back := 7; back >= 1; back-- {
		day := today.AddDate(0, 0, -back)
		recs := make([]dxtrack.Record, 400)
		for i := range recs {
			at := day.Add(time.Duration(7*3600+r.IntN(10*3600)) * time.Second)
			recs[i] = dxtrack.Record{"ma_don_vi": communes[r.IntN(len(communes))].Code,
				"ngay_ban_hanh": at.Format("2006-01-02 15:04:05"), "ky_so": r.IntN(100) < 88}
		}
		key := "qlvb-" + day.Format(dxtrack.DateLayout)
		if err := l.at(day.Add(18*time.Hour), func() error {
			_, err := l.s.Ingest(ctx, src, key, recs)
			return err
		}); err != nil {
			return fmt.Errorf("demo: push %s: %w", key, err)
		}
	}
	return nil
}

// portalBatch is n dossier events of a day over the communes.
func portalBatch(r *rand.Rand, communes []*dxtrack.Unit, day time.Time, n int) []dxtrack.Record {
	out := make([]dxtrack.Record, n)
	for i := range out {
		u := communes[r.IntN(len(communes))]
		at := day.Add(time.Duration(7*3600+r.IntN(10*3600)) * time.Second)
		channel := "truc_tiep"
		if r.IntN(100) < 62 {
			channel = "truc_tuyen"
		}
		done := r.IntN(100) < 80
		rec := dxtrack.Record{"ma_don_vi": u.Code, "ngay_tiep_nhan": at.Format("2006-01-02 15:04:05"),
			"kenh_nop": channel, "da_giai_quyet": done, "dung_han": r.IntN(100) < 93,
			"so_ngay_giai_quyet": float64(1 + r.IntN(12))}
		out[i] = rec
	}
	return out
}
