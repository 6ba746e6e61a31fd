package sheet

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack"
)

// WriteForm writes the report form of f as a workbook a unit fills and
// uploads back: indicator values on SheetValues, task progress on
// SheetTasks and target figures on SheetTargets when the regime includes
// them, and the report's identity on SheetInfo. Headers are in lang; only
// the input cells are unlocked, and each carries a data validation.
func WriteForm(w io.Writer, f *dxtrack.ReportForm, lang string) error {
	if f == nil || f.Report == nil || f.Regime == nil || f.Unit == nil {
		return fmt.Errorf("sheet: write form: incomplete report form")
	}
	b := newBook(lang)
	defer b.f.Close()
	b.sheets(sheetsOf(f)...)
	writeValues(b, f)
	if f.Regime.IncludeTasks {
		writeTasks(b, f)
	}
	if f.Regime.IncludeTargets {
		writeTargets(b, f)
	}
	writeInfo(b, f)
	if b.err == nil {
		// Locking the structure keeps the sheets' names and order as the
		// upload expects them.
		b.err = b.f.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true})
	}
	if b.err != nil {
		return fmt.Errorf("sheet: write form: %w", b.err)
	}
	if err := b.f.Write(w); err != nil {
		return fmt.Errorf("sheet: write form: %w", err)
	}
	return nil
}

// writeHead writes the block above a form sheet's table and its column
// headers; last is the table's last column.
func writeHead(b *book, f *dxtrack.ReportForm, sheet, titleID, last string, headers ...string) {
	b.set(sheet, "A1", b.t(titleID, nil), b.st.title)
	b.merge(sheet, "A1", cell(last, 1))
	from, to := f.Period.Window()
	lines := [][2]string{
		{"sheet.label_unit", f.Unit.Name(b.p.Lang()) + " (" + f.Unit.Code + ")"},
		{"sheet.label_regime", f.Regime.Code + " – " + f.Regime.Name(b.p.Lang())},
		{"sheet.label_period", f.Period.Key() + " (" + b.p.Date(from) + " – " + b.p.Date(to) + ")"},
		{"sheet.label_deadline", b.p.Date(f.Deadline)},
	}
	for i, l := range lines {
		row := 2 + i
		b.set(sheet, cell("A", row), b.t(l[0], nil), b.st.label)
		b.set(sheet, cell("B", row), l[1], nil)
		b.merge(sheet, cell("B", row), cell(last, row))
	}
	for i, h := range headers {
		b.set(sheet, cellName(i+1, headerRow), b.t(h, nil), b.st.header)
	}
	if b.err == nil {
		b.err = b.f.SetRowHeight(sheet, headerRow, 32)
	}
	b.freeze(sheet, firstRow, 1)
	b.landscape(sheet)
}

// writeHint writes the instructions below a table ending on row last. It
// starts in column B, so that the code column below the table stays empty
// and an added row shows.
func writeHint(b *book, sheet string, last int) {
	b.set(sheet, cell("B", last+2), b.t("sheet.input_hint", nil), b.st.italic)
}

func writeValues(b *book, f *dxtrack.ReportForm) {
	const sheet = SheetValues
	writeHead(b, f, sheet, "sheet.title_values", colValPrevious,
		"sheet.col_code", "sheet.col_indicator", "sheet.col_measure", "sheet.col_value", "sheet.col_note", "sheet.col_previous")
	b.widths(sheet, 18, 52, 12, 15, 32, 15)
	entries := map[int64]dxtrack.ReportValue{}
	for _, v := range f.Report.Values {
		entries[v.IndicatorID] = v
	}
	rows, groups := indicatorRows(f)
	for row, g := range groups {
		b.set(sheet, cell(colValCode, row), nil, b.st.group)
		b.set(sheet, cell(colValName, row), g, b.st.group)
		b.merge(sheet, cell(colValName, row), cell(colValPrevious, row))
	}
	last := headerRow
	for i, in := range f.Indicators {
		row := rows[i]
		last = row
		e := entries[in.ID]
		valueStyle := func() (int, error) { return b.st.inputNumber(in.Decimals) }
		auto := f.Automatic[in.ID]
		if auto != nil {
			// A figure from another system is locked (greyed): correcting
			// it needs a reason, given in the form on the web.
			x := auto.Value.Value
			e.Value = &x
			valueStyle = func() (int, error) { return b.st.number(in.Decimals, true, false) }
		}
		b.set(sheet, cell(colValCode, row), in.Code, b.st.text)
		b.set(sheet, cell(colValName, row), in.Name(b.p.Lang()), b.st.text)
		b.set(sheet, cell(colValMeasure, row), in.Measure, b.st.text)
		b.set(sheet, cell(colValValue, row), floatOrNil(e.Value), valueStyle)
		b.set(sheet, cell(colValNote, row), e.Note, b.st.inputText)
		b.set(sheet, cell(colValPrevious, row), floatOrNil(f.Previous[in.ID]), func() (int, error) { return b.st.number(in.Decimals, true, false) })
		if auto == nil {
			b.validate(sheet, valueValidation(b, in, cell(colValValue, row)))
		}
	}
	writeHint(b, sheet, last)
	b.protect(sheet)
}

// valueValidation is the data validation of an indicator's value cell.
func valueValidation(b *book, in *dxtrack.Indicator, ref string) *excelize.DataValidation {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = ref
	lo, hi, whole := validRange(in)
	var err error
	if whole {
		err = dv.SetRange(int(lo), int(hi), excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
	} else {
		err = dv.SetRange(lo, hi, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
	}
	if err != nil && b.err == nil {
		b.err = err
	}
	num := func(x float64) string { return b.p.Decimal(x, in.Decimals) }
	var msg string
	switch {
	case in.Min != nil || in.Max != nil:
		switch {
		case hi >= 1e15:
			msg = b.t("sheet.dv_min", map[string]any{"Min": num(lo)})
		case lo <= -1e15:
			msg = b.t("sheet.dv_max", map[string]any{"Max": num(hi)})
		default:
			msg = b.t("sheet.dv_range", map[string]any{"Min": num(lo), "Max": num(hi)})
		}
	case in.Type == dxtrack.ValuePercent:
		msg = b.t("sheet.dv_percent", nil)
	case in.Type == dxtrack.ValueCount:
		msg = b.t("sheet.dv_count", nil)
	default:
		msg = b.t("sheet.dv_number", nil)
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, b.t("sheet.dv_title", nil), msg)
	return dv
}

func writeTasks(b *book, f *dxtrack.ReportForm) {
	const sheet = SheetTasks
	writeHead(b, f, sheet, "sheet.title_tasks", colTaskEvURL,
		"sheet.col_code", "sheet.col_task", "sheet.col_deadline", "sheet.col_progress",
		"sheet.col_narrative", "sheet.col_evidence_number", "sheet.col_evidence_url")
	b.widths(sheet, 18, 46, 14, 12, 46, 20, 36)
	entries := map[int64]dxtrack.TaskEntry{}
	for _, e := range f.Report.Tasks {
		entries[e.TaskID] = e
	}
	last := headerRow
	for i, t := range f.Tasks {
		row := firstRow + i
		last = row
		e := entries[t.ID]
		b.set(sheet, cell(colTaskCode, row), t.Code, b.st.text)
		b.set(sheet, cell(colTaskName, row), t.Name(b.p.Lang()), b.st.text)
		b.set(sheet, cell(colTaskDeadline, row), b.p.Date(t.Deadline), b.st.text)
		var progress any
		if e.Progress != nil {
			progress = *e.Progress
		}
		b.set(sheet, cell(colTaskProgress, row), progress, func() (int, error) { return b.st.inputNumber(0) })
		b.set(sheet, cell(colTaskNarr, row), e.Narrative, b.st.inputText)
		b.set(sheet, cell(colTaskEvNumber, row), e.EvidenceNumber, b.st.inputText)
		b.set(sheet, cell(colTaskEvURL, row), e.EvidenceURL, b.st.inputText)
	}
	if len(f.Tasks) > 0 {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = cell(colTaskProgress, firstRow) + ":" + cell(colTaskProgress, last)
		if err := dv.SetRange(0, 100, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween); err != nil && b.err == nil {
			b.err = err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, b.t("sheet.dv_title", nil), b.t("sheet.dv_progress", nil))
		b.validate(sheet, dv)
	}
	writeHint(b, sheet, last)
	b.protect(sheet)
}

func writeTargets(b *book, f *dxtrack.ReportForm) {
	const sheet = SheetTargets
	writeHead(b, f, sheet, "sheet.title_targets", colTgtNote,
		"sheet.col_code", "sheet.col_target", "sheet.col_measure", "sheet.col_target_value", "sheet.col_current", "sheet.col_note")
	b.widths(sheet, 18, 52, 12, 15, 18, 32)
	entries := map[int64]dxtrack.TargetEntry{}
	for _, e := range f.Report.Targets {
		entries[e.TargetID] = e
	}
	choices := []string{b.t("sheet.done", nil), b.t("sheet.not_done", nil)}
	last := headerRow
	for i, t := range f.Targets {
		row := firstRow + i
		last = row
		e := entries[t.ID]
		ref := cell(colTgtCurrent, row)
		b.set(sheet, cell(colTgtCode, row), t.Code, b.st.text)
		b.set(sheet, cell(colTgtName, row), t.Name(b.p.Lang()), b.st.text)
		b.set(sheet, cell(colTgtMeasure, row), t.Measure, b.st.text)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = ref
		if t.Kind == dxtrack.TargetQualitative {
			b.set(sheet, cell(colTgtValue, row), nil, b.st.text)
			var v any
			if e.Done != nil {
				v = choices[0]
				if !*e.Done {
					v = choices[1]
				}
			}
			b.set(sheet, ref, v, b.st.inputChoice)
			if err := dv.SetDropList(choices); err != nil && b.err == nil {
				b.err = err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, b.t("sheet.dv_title", nil), b.t("sheet.dv_choice", nil))
		} else {
			b.set(sheet, cell(colTgtValue, row), floatOrNil(t.Value), func() (int, error) { return b.st.number(2, true, false) })
			b.set(sheet, ref, floatOrNil(e.Current), func() (int, error) { return b.st.inputNumber(2) })
			if err := dv.SetRange(-1e15, 1e15, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween); err != nil && b.err == nil {
				b.err = err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, b.t("sheet.dv_title", nil), b.t("sheet.dv_number", nil))
		}
		b.validate(sheet, dv)
		b.set(sheet, cell(colTgtNote, row), e.Note, b.st.inputText)
	}
	writeHint(b, sheet, last)
	b.protect(sheet)
}

func writeInfo(b *book, f *dxtrack.ReportForm) {
	const sheet = SheetInfo
	b.set(sheet, "A1", b.t("sheet.title_info", nil), b.st.title)
	b.merge(sheet, "A1", "B1")
	from, to := f.Period.Window()
	lang := b.p.Lang()
	// The identity cells hold text, so that no spreadsheet turns a period
	// key into a date or a report ID into a formatted number.
	lines := []struct{ ref, label, value string }{
		{CellReportID, "sheet.label_report_id", strconv.FormatInt(f.Report.ID, 10)},
		{CellRegimeCode, "sheet.label_regime_code", f.Regime.Code},
		{CellUnitCode, "sheet.label_unit_code", f.Unit.Code},
		{CellPeriodKey, "sheet.label_period_key", f.Period.Key()},
		{"B6", "sheet.label_regime", f.Regime.Name(lang)},
		{"B7", "sheet.label_unit", f.Unit.Name(lang)},
		{"B8", "sheet.label_period", b.p.Date(from) + " – " + b.p.Date(to)},
		{"B9", "sheet.label_deadline", b.p.Date(f.Deadline)},
	}
	for _, l := range lines {
		row := l.ref[1:]
		b.set(sheet, "A"+row, b.t(l.label, nil), b.st.label)
		b.set(sheet, l.ref, l.value, b.st.text)
	}
	b.set(sheet, "A11", b.t("sheet.info_hint", nil), b.st.italic)
	b.widths(sheet, 26, 64)
	b.protect(sheet)
}

// floatOrNil turns a missing figure into an empty cell.
func floatOrNil(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}
