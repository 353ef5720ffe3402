package model

import (
	"testing"
	"time"
)

func TestStopDeadline(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	timed := AutoStop{Enabled: true, Type: LeaseTiming, Deadline: at}
	tests := []struct {
		name string
		in   Instance
		want bool
	}{
		{"running, timed", Instance{Status: "RUNNING", AutoStop: timed}, true},
		{"gen 1 has no type but a timer", Instance{Status: "RUNNING", AutoStop: AutoStop{Enabled: true, Deadline: at}}, true},
		{"stopped", Instance{Status: "STOPPED", AutoStop: timed}, false},
		{"stopping", Instance{Status: "STOPPING", AutoStop: timed}, false},
		{"auto-stop off", Instance{Status: "RUNNING", AutoStop: AutoStop{Type: LeaseTiming, Deadline: at}}, false},
		{"idle lease", Instance{Status: "RUNNING", AutoStop: AutoStop{Enabled: true, Type: "idle", Deadline: at}}, false},
		{"no deadline", Instance{Status: "RUNNING", AutoStop: AutoStop{Enabled: true, Type: LeaseTiming}}, false},
	}
	for _, tt := range tests {
		d, ok := tt.in.StopDeadline()
		if ok != tt.want || (ok && !d.Equal(at)) || (!ok && !d.IsZero()) {
			t.Errorf("%s: StopDeadline = %v, %v; want %v", tt.name, d, ok, tt.want)
		}
	}
}
