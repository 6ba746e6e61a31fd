package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"

	"github.com/dxtrack/dxtrack"
)

// uploadEvidence attaches a file to a task entry of a report
// (/reports/{id}/tasks/{taskID}/evidence, multipart field "file").
func (s *Server) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	taskID, err := strconv.ParseInt(r.PathValue("taskID"), 10, 64)
	if err != nil || taskID <= 0 {
		s.fail(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, dxtrack.MaxEvidenceSize+1<<20)
	file, head, err := r.FormFile("file")
	if err != nil {
		s.evidenceRefused(w, r, id, err)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, dxtrack.MaxEvidenceSize+1))
	if err != nil {
		s.evidenceRefused(w, r, id, err)
		return
	}
	if len(data) > dxtrack.MaxEvidenceSize {
		s.evidenceRefused(w, r, id, &http.MaxBytesError{Limit: dxtrack.MaxEvidenceSize})
		return
	}
	ct := head.Header.Get("Content-Type")
	if _, _, err := mime.ParseMediaType(ct); err != nil || ct == "" {
		ct = "application/octet-stream"
	}
	e := &dxtrack.Evidence{ReportID: id, Name: filepath.Base(head.Filename), ContentType: ct, Size: int64(len(data)), Data: data}
	if err := s.Reports.AttachEvidence(ctx, id, taskID, e); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "reports.flash_evidence")
	http.Redirect(w, r, "/reports/"+strconv.FormatInt(id, 10)+"#task-"+strconv.FormatInt(taskID, 10), http.StatusSeeOther)
}

// evidenceRefused shows the report again saying why a file was refused:
// too large, or no file chosen.
func (s *Server) evidenceRefused(w http.ResponseWriter, r *http.Request, id int64, err error) {
	var tooBig *http.MaxBytesError
	msg := "reports.evidence_missing"
	if errors.As(err, &tooBig) {
		msg = "reports.evidence_too_big"
	}
	fail := dxtrack.Errorf(dxtrack.EINVALID, msg, map[string]any{"Value": dxtrack.MaxEvidenceSize >> 20})
	data, derr := s.reportPage(r.Context(), id, nil, nil)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	data.Notice = localeError(r, fail)
	s.renderReport(w, r, http.StatusUnprocessableEntity, data)
}

// downloadEvidence sends an evidence file of a report as an attachment,
// never shown inline, so that an uploaded page cannot run as this site.
func (s *Server) downloadEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	eid, err := strconv.ParseInt(r.PathValue("eid"), 10, 64)
	if err != nil || eid <= 0 {
		s.fail(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))
		return
	}
	// Reading the report checks the user may see it.
	if _, err := s.Reports.FindReportByID(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.Reports.FindEvidence(r.Context(), eid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if e.ReportID != id {
		s.fail(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))
		return
	}
	setSecurityHeaders(w.Header())
	w.Header().Set("Content-Type", e.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.Name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(e.Data)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(e.Data)
}
