package dxtrack_test

import (
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
)

func f(v float64) *float64 { return &v }

func TestTaskDerivedStatus(t *testing.T) {
	start, deadline := dxtrack.MustDate("2022-03-01"), dxtrack.MustDate("2022-12-31")
	tests := []struct {
		name     string
		progress int
		now      string
		want     dxtrack.Status
	}{
		{"done", 100, "2022-06-01", dxtrack.StatusCompleted},
		{"done after deadline stays done", 100, "2024-01-01", dxtrack.StatusCompleted},
		{"late", 90, "2023-01-01", dxtrack.StatusOverdue},
		{"deadline day is not late", 90, "2022-12-31", dxtrack.StatusOnTrack},
		{"nothing yet", 0, "2022-04-01", dxtrack.StatusNotStarted},
		{"ahead of time", 50, "2022-06-01", dxtrack.StatusOnTrack},
		// ~80% of the window has passed; 40% done lags by far more than the margin.
		{"behind", 40, "2022-11-01", dxtrack.StatusAtRisk},
		{"within margin", 70, "2022-11-01", dxtrack.StatusOnTrack},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := &dxtrack.Task{StartOn: start, Deadline: deadline, Progress: tt.progress}
			if got := task.DerivedStatus(dxtrack.MustDate(tt.now)); got != tt.want {
				t.Errorf("DerivedStatus = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestTargetDerivedStatus(t *testing.T) {
	start, deadline := dxtrack.MustDate("2022-01-01"), dxtrack.MustDate("2025-12-31")
	mid := dxtrack.MustDate("2024-01-01") // half the window gone
	tests := []struct {
		name   string
		target dxtrack.Target
		now    time.Time
		want   dxtrack.Status
	}{
		{"met up", dxtrack.Target{Kind: dxtrack.TargetQuantitative, Direction: dxtrack.DirectionUp, Baseline: f(40), Value: f(100), Current: f(100)}, mid, dxtrack.StatusCompleted},
		{"met down", dxtrack.Target{Kind: dxtrack.TargetQuantitative, Direction: dxtrack.DirectionDown, Baseline: f(30), Value: f(10), Current: f(9.5)}, mid, dxtrack.StatusCompleted},
		{"no value yet", dxtrack.Target{Kind: dxtrack.TargetQuantitative, Direction: dxtrack.DirectionUp, Value: f(100)}, mid, dxtrack.StatusNotStarted},
		{"on pace", dxtrack.Target{Kind: dxtrack.TargetQuantitative, Direction: dxtrack.DirectionUp, Baseline: f(40), Value: f(100), Current: f(70)}, mid, dxtrack.StatusOnTrack},
		{"lagging", dxtrack.Target{Kind: dxtrack.TargetQuantitative, Direction: dxtrack.DirectionUp, Baseline: f(40), Value: f(100), Current: f(45)}, mid, dxtrack.StatusAtRisk},
		{"lagging down", dxtrack.Target{Kind: dxtrack.TargetQuantitative, Direction: dxtrack.DirectionDown, Baseline: f(30), Value: f(10), Current: f(29)}, mid, dxtrack.StatusAtRisk},
		{"past deadline", dxtrack.Target{Kind: dxtrack.TargetQuantitative, Direction: dxtrack.DirectionUp, Value: f(100), Current: f(99)}, dxtrack.MustDate("2026-11-23"), dxtrack.StatusOverdue},
		{"qualitative done", dxtrack.Target{Kind: dxtrack.TargetQualitative, Done: true}, mid, dxtrack.StatusCompleted},
		{"qualitative early", dxtrack.Target{Kind: dxtrack.TargetQualitative}, mid, dxtrack.StatusOnTrack},
		{"qualitative last weeks", dxtrack.Target{Kind: dxtrack.TargetQualitative}, dxtrack.MustDate("2025-12-01"), dxtrack.StatusAtRisk},
		{"qualitative late", dxtrack.Target{Kind: dxtrack.TargetQualitative}, dxtrack.MustDate("2026-01-01"), dxtrack.StatusOverdue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := tt.target
			tg.StartOn, tg.Deadline = start, deadline
			if got := tg.DerivedStatus(tt.now); got != tt.want {
				t.Errorf("DerivedStatus = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestOverrideWins(t *testing.T) {
	task := &dxtrack.Task{StartOn: dxtrack.MustDate("2022-01-01"), Deadline: dxtrack.MustDate("2022-12-31"), Progress: 95}
	now := dxtrack.MustDate("2023-02-01")
	if got := task.Status(now); got != dxtrack.StatusOverdue {
		t.Fatalf("Status = %s, want overdue", got)
	}
	task.Override = &dxtrack.Override{Status: dxtrack.StatusCompleted, Reason: "Đã nghiệm thu theo biên bản 12/BB"}
	if got := task.Status(now); got != dxtrack.StatusCompleted {
		t.Fatalf("Status with override = %s, want completed", got)
	}
	if got := task.DerivedStatus(now); got != dxtrack.StatusOverdue {
		t.Fatalf("DerivedStatus ignores override: got %s", got)
	}
	bad := dxtrack.Override{Status: dxtrack.StatusCompleted, Reason: " "}
	if fe := dxtrack.ErrorFields(bad.Validate()); len(fe) != 1 || fe[0].Field != "override_reason" {
		t.Fatalf("override without reason: fields = %+v", fe)
	}
}
