package store_test

import (
	"sync"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// Concurrent reports neither fail with a busy database nor lose an audit
// row: SQLite queues its writers, PostgreSQL locks the row.
func TestConcurrentReports(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		doc := w.mustDocument(t, "59/KH-UBND", 0)
		task := w.newTask(doc, "NV1", w.communeA.ID)
		must(t, w.tasks.CreateTask(as(w.admin), task))
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 1; i <= 20; i++ {
			wg.Go(func() {
				_, err := w.tasks.ReportTask(as(w.reporterA), task.ID, dxtrack.TaskUpdate{Progress: ptr(i)})
				errs <- err
			})
			wg.Go(func() {
				_, _, err := w.tasks.FindTasks(as(w.leader), dxtrack.TaskFilter{DocumentID: doc.ID})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			must(t, err)
		}
		entries, err := w.audit.FindAudit(as(w.leader), "task", task.ID)
		must(t, err)
		// Every report changed the progress from the value the previous
		// one left: 20 rows besides "created", chained old → new.
		if len(entries) != 21 {
			t.Fatalf("%d audit rows, want 21", len(entries))
		}
		for i := 0; i < 19; i++ {
			if entries[i].Old != entries[i+1].New {
				t.Errorf("audit chain broken at %d: %+v after %+v", i, entries[i], entries[i+1])
			}
		}
	})
}
