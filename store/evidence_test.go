package store_test

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func TestEvidence(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedReporting(t, db)
		r := w.open(t, w.reporterA, w.communeA, july)
		pdf := []byte("%PDF-1.7 quyết định số 12/QĐ-UBND")

		e := &dxtrack.Evidence{Name: `C:\Tài liệu\QD-12.pdf`, ContentType: "application/pdf", Data: pdf}
		wantCode(t, w.reports.AttachEvidence(as(w.reporterB), r.ID, w.task.ID, e), dxtrack.EFORBIDDEN)
		other := w.newTask(w.doc, "NV2", w.communeB.ID)
		must(t, w.tasks.CreateTask(as(w.admin), other))
		wantField(t, w.reports.AttachEvidence(as(w.reporterA), r.ID, other.ID, e), "task", "error.not_in_report")
		big := &dxtrack.Evidence{Name: "big.bin", Data: make([]byte, dxtrack.MaxEvidenceSize+1)}
		wantField(t, w.reports.AttachEvidence(as(w.reporterA), r.ID, w.task.ID, big), "file", "error.file_too_large")
		if n := w.count(t, "evidence"); n != 0 {
			t.Fatalf("evidence rows after refusals = %d", n)
		}

		must(t, w.reports.AttachEvidence(as(w.reporterA), r.ID, w.task.ID, e))
		if e.ID == 0 || e.Name != "QD-12.pdf" || e.Size != int64(len(pdf)) || e.ReportID != r.ID {
			t.Fatalf("attached = %+v", e)
		}
		got, err := w.reports.FindEvidence(as(w.deptReviewer), e.ID)
		must(t, err)
		if !bytes.Equal(got.Data, pdf) || got.Name != "QD-12.pdf" || got.ContentType != "application/pdf" {
			t.Fatalf("found = %+v", got)
		}
		_, err = w.reports.FindEvidence(as(w.reporterB), e.ID)
		wantCode(t, err, dxtrack.EFORBIDDEN)
		_, err = w.reports.FindEvidence(as(w.reporterA), e.ID+1)
		wantCode(t, err, dxtrack.ENOTFOUND)

		// The entry names the file; a save that does not carry it keeps it,
		// and the version the form holds is still current.
		r2, err := w.reports.FindReportByID(as(w.reporterA), r.ID)
		must(t, err)
		if r2.Tasks[0].EvidenceFileID != e.ID || r2.Version != r.Version {
			t.Fatalf("entry after attaching = %+v, version %d (was %d)", r2.Tasks[0], r2.Version, r.Version)
		}
		r.Tasks[0].Narrative = "Đã ban hành quyết định"
		r, _, err = w.reports.SaveReport(as(w.reporterA), r)
		must(t, err)
		if r.Tasks[0].EvidenceFileID != e.ID {
			t.Fatalf("entry after saving = %+v", r.Tasks[0])
		}
		r.Tasks[0].EvidenceFileID = e.ID + 1000
		_, _, err = w.reports.SaveReport(as(w.reporterA), r)
		wantField(t, err, "task."+strconv.FormatInt(w.task.ID, 10)+".evidence", "error.not_found")
	})
}
