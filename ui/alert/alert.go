// Package alert decides when a running instance warns before its
// auto-stop, and writes the terminal notification that goes with it.
//
// A Watcher holds alert thresholds (by default 15 and 5 minutes before the
// deadline). Each instance alerts once per threshold: when it crosses the
// threshold, or at once when it is already under it the first time the
// watcher sees it. A renewal that moves the deadline back above a
// threshold re-arms that threshold. IDLE leases and disabled auto-stops
// never alert, and an instance that stops or leaves the list is forgotten.
//
// The work is split by what drives it. Sync takes the instance list and
// the caller's choice of which instances may alert (own ones, all in
// all-users scope, marked ones: the watcher does not decide ownership); it
// costs O(instances) and belongs where the list changes (a poll result, a
// mark, a scope switch). Tick takes the server time and returns the new
// alerts; it belongs in the one-second tick and costs O(log n) per alert
// due, nothing for instances whose next threshold is still ahead, and
// allocates nothing when nothing alerts: each watched instance waits in a
// queue ordered by the time its next threshold falls due.
//
// A Watcher belongs to one dashboard (one SSH session under matui serve,
// where each session decides for itself) and is not safe for concurrent
// use.
package alert

import (
	"cmp"
	"container/heap"
	"fmt"
	"slices"
	"time"

	"matui/model"
	"matui/ui/text"
)

// Limits on thresholds: a warning less than a minute ahead leaves no time
// to act, one more than a day ahead is not a warning, and more than a few
// thresholds turn warnings into noise.
const (
	MinThreshold  = time.Minute
	MaxThreshold  = 24 * time.Hour
	MaxThresholds = 5
)

// DefaultThresholds are the alert thresholds when none are configured: the
// countdown column's warning and danger levels, so an alert and a colour
// change come together.
func DefaultThresholds() []time.Duration {
	return []time.Duration{text.WarnBelow, text.DangerBelow}
}

// CheckThresholds reports the first thing wrong with a threshold list,
// naming the rule and the allowed range.
func CheckThresholds(ts []time.Duration) error {
	switch {
	case len(ts) == 0:
		return fmt.Errorf("alert thresholds: none given (give 1 to %d, e.g. [15m, 5m]; turn alerts off instead)", MaxThresholds)
	case len(ts) > MaxThresholds:
		return fmt.Errorf("alert thresholds: %d given, at most %d allowed", len(ts), MaxThresholds)
	}
	for i, t := range ts {
		if t < MinThreshold || t > MaxThreshold {
			return fmt.Errorf("alert threshold %s is out of range (1m to 24h before the auto-stop)", t)
		}
		if slices.Contains(ts[:i], t) {
			return fmt.Errorf("alert threshold %s is given twice", t)
		}
	}
	return nil
}

// Alert is one instance crossing one threshold.
type Alert struct {
	Generation model.Generation // Gen 1 has no renew API: offer the renew key for Gen 2 only
	ID         string
	Name       string        // sanitised for the terminal
	Threshold  time.Duration // the threshold crossed (the smallest one, when several were crossed at once)
	Remaining  time.Duration // time left at the tick that raised it
	Deadline   time.Time
}

// Watcher tracks which thresholds each watched instance has alerted for.
type Watcher struct {
	thresholds []time.Duration // descending
	entries    map[key]*entry
	queue      queue
	epoch      uint64
	out        []Alert // reused by Tick
}

type key struct {
	gen model.Generation
	id  string
}

type entry struct {
	key      key
	name     string
	deadline time.Time
	// fired counts the thresholds (from the largest) alerted for the
	// current deadline. While the deadline stays put the remaining time
	// only shrinks, so the alerted thresholds are always a prefix.
	fired int
	// moved: the deadline changed since the last evaluation, so the next
	// one re-arms the thresholds it is above again.
	moved bool
	seen  uint64    // the Sync epoch that last listed it
	due   time.Time // when the next evaluation falls due
	index int       // position in the queue, -1 when not queued
}

// New returns a watcher for the given thresholds, in any order.
func New(thresholds []time.Duration) (*Watcher, error) {
	if err := CheckThresholds(thresholds); err != nil {
		return nil, err
	}
	ts := slices.Clone(thresholds)
	slices.SortFunc(ts, func(a, b time.Duration) int { return cmp.Compare(b, a) })
	return &Watcher{thresholds: ts, entries: make(map[key]*entry)}, nil
}

// Thresholds returns the thresholds, largest first.
func (w *Watcher) Thresholds() []time.Duration { return slices.Clone(w.thresholds) }

// Sync tells the watcher the current instances and which of them may
// alert (nil: all). Only running instances with a timed deadline
// (model.Instance.StopDeadline) are watched; those no longer listed, or
// no longer included, are forgotten, so a later return counts as first
// seen. Call it whenever the list or the inclusion changes; it does not
// keep insts.
func (w *Watcher) Sync(insts []model.Instance, include func(*model.Instance) bool) {
	w.epoch++
	watched := 0
	for i := range insts {
		in := &insts[i]
		if (include == nil || include(in)) && w.watch(in) {
			watched++
		}
	}
	if watched == len(w.entries) {
		return
	}
	for k, e := range w.entries {
		if e.seen != w.epoch {
			w.forget(k, e)
		}
	}
}

// Set is Sync for one listed instance whose inclusion changed (it was
// marked or unmarked): watched when included (and running with a timed
// deadline), forgotten otherwise. It costs that instance, not the list.
func (w *Watcher) Set(in *model.Instance, included bool) {
	if included {
		w.watch(in)
		return
	}
	k := key{in.Generation, in.ID}
	if e := w.entries[k]; e != nil {
		w.forget(k, e)
	}
}

// watch starts or updates watching in as listed in the current epoch; it
// reports whether in is watched (running with a timed deadline) and was
// not already listed in this epoch.
func (w *Watcher) watch(in *model.Instance) bool {
	deadline, ok := in.StopDeadline()
	if !ok {
		return false
	}
	k := key{in.Generation, in.ID}
	e := w.entries[k]
	switch {
	case e == nil:
		e = &entry{key: k, deadline: deadline, index: -1}
		w.entries[k] = e
		w.schedule(e, time.Time{}) // first seen: evaluate at the next tick
	case e.seen == w.epoch:
		return false // listed twice
	case !e.deadline.Equal(deadline):
		e.deadline, e.moved = deadline, true
		w.schedule(e, time.Time{})
	}
	e.name, e.seen = in.Name, w.epoch
	return true
}

func (w *Watcher) forget(k key, e *entry) {
	if e.index >= 0 {
		heap.Remove(&w.queue, e.index)
	}
	delete(w.entries, k)
}

// Watched is the number of instances being watched.
func (w *Watcher) Watched() int { return len(w.entries) }

// Tick returns the alerts that fall due at server time now: at most one
// per instance and tick, for the smallest threshold it has crossed, so an
// instance first seen under both 15 and 5 minutes raises one alert (the 5
// minute one), not two. The slice is reused by the next Tick; nil when
// nothing alerts.
func (w *Watcher) Tick(now time.Time) []Alert {
	w.out = w.out[:0]
	for len(w.queue) > 0 && !w.queue[0].due.After(now) {
		e := heap.Pop(&w.queue).(*entry)
		w.evaluate(e, now)
	}
	if len(w.out) == 0 {
		return nil
	}
	return w.out
}

func (w *Watcher) evaluate(e *entry, now time.Time) {
	rem := e.deadline.Sub(now)
	crossed := 0 // thresholds at or under which rem lies
	for crossed < len(w.thresholds) && rem <= w.thresholds[crossed] {
		crossed++
	}
	if e.moved {
		// A renewal re-arms what it moved back above; what is still
		// under stays alerted.
		e.fired, e.moved = min(e.fired, crossed), false
	}
	if rem <= 0 {
		// Past the deadline the instance is stopping: too late to warn.
		// A renewal moves the deadline, and Sync queues it again.
		return
	}
	if crossed > e.fired {
		w.out = append(w.out, Alert{
			Generation: e.key.gen,
			ID:         e.key.id,
			Name:       text.Sanitize(e.name),
			Threshold:  w.thresholds[crossed-1],
			Remaining:  rem,
			Deadline:   e.deadline,
		})
		e.fired = crossed
	}
	if e.fired < len(w.thresholds) {
		w.schedule(e, e.deadline.Add(-w.thresholds[e.fired]))
	}
}

// schedule queues e for evaluation at due (the zero time: at the next tick).
func (w *Watcher) schedule(e *entry, due time.Time) {
	e.due = due
	if e.index >= 0 {
		heap.Fix(&w.queue, e.index)
		return
	}
	heap.Push(&w.queue, e)
}

// queue is a min-heap of entries by due time.
type queue []*entry

func (q queue) Len() int           { return len(q) }
func (q queue) Less(i, j int) bool { return q[i].due.Before(q[j].due) }
func (q queue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *queue) Push(x any) {
	e := x.(*entry)
	e.index = len(*q)
	*q = append(*q, e)
}
func (q *queue) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = nil
	e.index = -1
	*q = old[:len(old)-1]
	return e
}
