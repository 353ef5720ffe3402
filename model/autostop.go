package model

import "time"

// StopDeadline returns when a running instance's timed auto-stop stops it,
// and false when no such time applies: the instance is not RUNNING, its
// auto-stop is off, its lease is IDLE (it stops after inactivity, at no
// fixed time) or no deadline is known. Alerts, keep-alive pins, the burn
// view and `matui list --expiring` all ask this one question.
func (in *Instance) StopDeadline() (time.Time, bool) {
	a := &in.AutoStop
	if in.Status != "RUNNING" || !a.Enabled || a.Deadline.IsZero() || SameEnum(a.Type, LeaseIdle) {
		return time.Time{}, false
	}
	return a.Deadline, true
}
