package listing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"matui/model"
)

// Filter selects instances for `matui list --status … --expiring …`, so
// cron jobs and chat bots can warn too.
type Filter struct {
	// Statuses keeps instances in one of these statuses (upper case);
	// empty keeps any.
	Statuses []string
	// Expiring > 0 keeps running instances whose timed auto-stop is at
	// most this far away (model.Instance.StopDeadline), including those
	// already past it and stopping.
	Expiring time.Duration
}

// MaxExpiring is the largest --expiring: the longest lease ModelArts
// grants, so anything larger selects the same as this.
const MaxExpiring = 72 * time.Hour

// knownStatuses are the statuses of both generations (reference §4.1,
// §4.2), for telling a typo from a status.
const knownStatuses = "CREATE_FAILED CREATE_QUEUING CREATING DELETED DELETE_FAILED DELETING ERROR FROZEN " +
	"INIT READY_TO_START RESIZE_FAILED RESIZING RESTARTING RUNNING SNAPSHOTTING " +
	"START_FAILED START_QUEUING STARTING STOPPED STOPPING UNAVAILABLE"

// ParseFilter reads the --status (comma-separated, any case) and
// --expiring (a Go duration such as 30m) flags; empty strings filter
// nothing.
func ParseFilter(status, expiring string) (Filter, error) {
	var f Filter
	for s := range strings.SplitSeq(status, ",") {
		s = strings.ToUpper(strings.TrimSpace(s))
		if s == "" {
			continue
		}
		if known := strings.Fields(knownStatuses); !slices.Contains(known, s) {
			return Filter{}, fmt.Errorf("--status %q: unknown status (one or more of %s, comma-separated)", s, strings.Join(known, ", "))
		}
		if !slices.Contains(f.Statuses, s) {
			f.Statuses = append(f.Statuses, s)
		}
	}
	if expiring = strings.TrimSpace(expiring); expiring != "" {
		d, err := time.ParseDuration(expiring)
		switch {
		case err != nil:
			return Filter{}, fmt.Errorf("--expiring %q: not a duration (e.g. 30m, 2h)", expiring)
		case d <= 0 || d > MaxExpiring:
			return Filter{}, fmt.Errorf("--expiring %q: out of range (more than 0, at most 72h)", expiring)
		}
		f.Expiring = d
	}
	return f, nil
}

// Apply returns the instances of insts the filter keeps, in order, as a
// new slice; now is the server time.
func (f Filter) Apply(insts []model.Instance, now time.Time) []model.Instance {
	out := make([]model.Instance, 0, len(insts))
	for i := range insts {
		if f.Keeps(&insts[i], now) {
			out = append(out, insts[i])
		}
	}
	return out
}

// Keeps reports whether the filter keeps in at server time now.
func (f Filter) Keeps(in *model.Instance, now time.Time) bool {
	if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, model.NormEnum(in.Status)) {
		return false
	}
	if f.Expiring > 0 {
		deadline, ok := in.StopDeadline()
		if !ok || deadline.Sub(now) > f.Expiring {
			return false
		}
	}
	return true
}
