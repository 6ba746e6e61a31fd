package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
	"github.com/dxtrack/dxtrack/sheet"
)

// downloadReportForm sends a report's form as .xlsx, to fill offline.
func (s *Server) downloadReportForm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rf, err := s.Reports.Form(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := sheet.WriteForm(&buf, rf, langFrom(ctx)); err != nil {
		s.internalError(w, r, err)
		return
	}
	sendXLSX(w, rf.Regime.Code+"_"+rf.Period.Key()+"_"+rf.Unit.Code+".xlsx", buf.Bytes())
}

// uploadSlack is what a multipart request carries beyond the file.
const uploadSlack = 1 << 20

// uploadReportForm reads a filled .xlsx form back (multipart field
// "file"). It is all or nothing: any error in the workbook lists every
// bad cell and writes nothing; otherwise the values are saved as one save
// of the form.
func (s *Server) uploadReportForm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit := int64(sheet.MaxUpload + uploadSlack)
	var lines []string
	refuse := func(msgID string, args map[string]any) {
		lines = append(lines, p.T(msgID, args))
	}
	maxMB := map[string]any{"Value": sheet.MaxUpload >> 20}
	var rf *dxtrack.ReportForm
	var data []byte
	if r.ContentLength > limit {
		// Refused before reading: a huge body is not worth receiving.
		refuse("reports.upload_too_big", maxMB)
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		file, _, ferr := r.FormFile("file")
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(ferr, &tooBig):
			refuse("reports.upload_too_big", maxMB)
		case ferr != nil:
			refuse("reports.evidence_missing", nil)
		default:
			defer file.Close()
			data, err = io.ReadAll(io.LimitReader(file, sheet.MaxUpload+1))
			if err != nil {
				s.internalError(w, r, err)
				return
			}
			if len(data) > sheet.MaxUpload {
				refuse("reports.upload_too_big", maxMB)
			}
		}
	}
	if len(lines) == 0 {
		if rf, err = s.Reports.Form(ctx, id); err != nil {
			s.fail(w, r, err)
			return
		}
		if !rf.Report.Editable() {
			s.uploadRefused(w, r, id, []string{p.T("error.report_not_editable", nil)}, http.StatusConflict)
			return
		}
		rep, cellErrs, err := sheet.ReadForm(bytes.NewReader(data), int64(len(data)), rf, langFrom(ctx))
		switch {
		case len(cellErrs) > 0:
			for _, ce := range cellErrs {
				lines = append(lines, ce.Message(p))
			}
		case err != nil:
			if dxtrack.ErrorCode(err) == dxtrack.EINTERNAL {
				s.Logger.Warn("xlsx upload", "report", id, "err", err)
				refuse("reports.upload_unreadable", nil)
			} else {
				lines = append(lines, p.Error(err))
			}
		default:
			rep.ID, rep.Version = rf.Report.ID, rf.Report.Version
			if _, _, err := s.Reports.SaveReport(ctx, rep); err != nil {
				if c := dxtrack.ErrorCode(err); c != dxtrack.EINVALID && c != dxtrack.ECONFLICT {
					s.fail(w, r, err)
					return
				}
				lines = append(lines, p.Error(err))
				for _, is := range issuesOf(err) {
					lines = append(lines, issueText(p, is, issueField(p, rf, is.Field)))
				}
			}
		}
	}
	if len(lines) > 0 {
		s.uploadRefused(w, r, id, lines, http.StatusUnprocessableEntity)
		return
	}
	s.flash(r, "reports.flash_imported")
	s.redirect(w, r, "/reports/"+strconv.FormatInt(id, 10))
}

// uploadRefused lists why an upload wrote nothing: on the page, or for
// htmx in the upload box (htmx swaps only successful responses).
func (s *Server) uploadRefused(w http.ResponseWriter, r *http.Request, id int64, lines []string, status int) {
	if r.Header.Get("HX-Request") == "true" {
		s.renderFragment(w, r, http.StatusOK, "report_show", "upload_result", &reportPage{Upload: lines})
		return
	}
	data, err := s.reportPage(r.Context(), id, nil, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Upload = lines
	s.renderReport(w, r, status, data)
}
