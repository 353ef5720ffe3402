// Package pin keeps pinned notebooks alive: while matui runs, a pinned
// Gen 2 instance whose lease falls under a margin (default 10 minutes) is
// renewed for the pinned duration, up to a cap the user chose when
// pinning ("until 19:00", "+4h"; never unlimited, at most 24 hours).
//
// The package decides and the caller acts: Set.Plan, given the server
// time and a way to look instances up, returns the renewals to send now
// and the pins that ended; the caller sends each renewal (RenewLease) and
// reports its outcome with Set.Done. A pin with a renewal in flight gets
// no second one until then, so one instance is never renewed twice at
// once. Nothing here does I/O or reads a clock.
//
// Rules, where ModelArts sets them (reference §3.8, §5): a renewal resets
// the deadline to now + duration (it does not add to what is left), takes
// 1 to 72 hours, and works on a RUNNING instance only; Gen 1 has no renew
// API at all, so pinning one is refused. Because the shortest renewal is
// an hour, the last renewal is sent while the cap is still 1 h + margin
// away, for exactly the time left to the cap: the deadline lands on the
// cap (give or take the request's round trip) instead of running past it.
//
// A Set is safe for concurrent use: under matui serve it lives in the
// server process and outlives the session that set a pin (not the
// process: a restart forgets the pins, and the instances then stop as
// their leases say).
package pin

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"matui/model"
	"matui/ui/text"
)

const (
	// MinRenew and MaxRenew are the renewal lengths ModelArts accepts.
	MinRenew = time.Hour
	MaxRenew = 72 * time.Hour
	// MaxSpan is how far away a cap may be: a pin keeps an instance (and
	// its bill) running while nobody looks, so it never runs for more
	// than a day.
	MaxSpan = 24 * time.Hour
	// DefaultDuration is what a pin renews for unless told otherwise: the
	// shortest lease, so an instance whose matui has gone away stops
	// soonest.
	DefaultDuration = time.Hour
	// DefaultMargin is how close to its deadline a pinned instance is
	// renewed; MinMargin and MaxMargin bound the setting (a margin of an
	// hour or more would renew again right after every renewal).
	DefaultMargin = 10 * time.Minute
	MinMargin     = time.Minute
	MaxMargin     = 30 * time.Minute
	// MaxFailures ends a pin whose renewals keep failing, so the user
	// learns of it while there is time to act.
	MaxFailures = 5
	// capSlack: a deadline within this of the cap has reached it.
	capSlack = time.Minute
	// trustRenewed is how long a successful renewal's deadline stands in
	// for the list's, which may still show the old one until the next poll.
	trustRenewed = 2 * time.Minute
)

// ErrNoRenewAPI is wrapped by Add for a Gen 1 instance.
var ErrNoRenewAPI = errors.New("Gen 1 instances have no renew API")

// Pin is one pinned instance.
type Pin struct {
	ID       string
	Name     string        // as listed when pinned (not sanitised; sanitise to display)
	Duration time.Duration // what each renewal asks for (the last one asks for less, to stop at the cap)
	Cap      time.Time     // no renewal makes the instance run past this
	SetAt    time.Time
	SetBy    string // who pinned it, for matui serve's audit trail; may be empty

	Renewals  int    // successful renewals so far
	Failures  int    // consecutive failed renewals
	LastError string // the last failure, sanitised

	// renewedTo/renewedAt: the deadline the last successful renewal set,
	// and when, until the listed deadline catches up.
	renewedTo, renewedAt time.Time
	retryAt              time.Time // after a failure, no renewal before this
	inFlight             bool
	planned              time.Time // the deadline the renewal in flight asks for
}

// Renewal is one renewal to send now.
type Renewal struct {
	ID, Name string
	Duration time.Duration // whole seconds, MinRenew or more
	Deadline time.Time     // the deadline it sets, as of now
	Cap      time.Time
	Final    bool // it lands on the cap: the pin has nothing left to do
}

// CapLabel is the pin's cap for its row: "until 19:00".
func (p Pin) CapLabel(loc *time.Location) string { return "until " + clock(p.Cap, loc) }

// Message is the renewal as one line for a toast.
func (r Renewal) Message(loc *time.Location) string {
	if r.Final {
		return fmt.Sprintf("kept %s alive: renewed to its cap (%s)", text.Sanitize(r.Name), clock(r.Cap, loc))
	}
	return fmt.Sprintf("kept %s alive: renewed for %s (pinned until %s)", text.Sanitize(r.Name), hours(r.Duration), clock(r.Cap, loc))
}

// hours renders a renewal length: "1h", "1h10m".
func hours(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	if m == 0 {
		return strconv.Itoa(h) + "h"
	}
	return fmt.Sprintf("%dh%02dm", h, m)
}

// Reason is why a pin ended.
type Reason int

const (
	CapReached  Reason = iota + 1 // the cap time has come
	Stopped                       // the instance stopped (by hand, or failed)
	Deleted                       // the instance is no longer listed
	NoDeadline                    // auto-stop was turned off or made idle-based: nothing to keep alive
	Unreachable                   // the cap is under an hour away and the deadline short of it: no renewal can reach it without running past
	RenewFailed                   // renewals kept failing, or cannot work (errors.ErrUnsupported)
)

func (r Reason) String() string {
	switch r {
	case CapReached:
		return "cap reached"
	case Stopped:
		return "instance stopped"
	case Deleted:
		return "instance deleted"
	case NoDeadline:
		return "no auto-stop to renew"
	case Unreachable:
		return "cap out of reach"
	case RenewFailed:
		return "renewal failed"
	}
	return "unknown"
}

// Ended is a pin that ended, and why.
type Ended struct {
	Pin    Pin
	Reason Reason
	// Deadline is when the instance stops, where that is known
	// (Unreachable, RenewFailed).
	Deadline time.Time
}

// Message is the end of a pin as one line for a toast, with times in loc.
func (e Ended) Message(loc *time.Location) string {
	name := text.Sanitize(e.Pin.Name)
	switch e.Reason {
	case CapReached:
		return fmt.Sprintf("keep-alive of %s ended: reached its cap (%s)", name, clock(e.Pin.Cap, loc))
	case Stopped:
		return fmt.Sprintf("keep-alive of %s ended: the instance stopped", name)
	case Deleted:
		return fmt.Sprintf("keep-alive of %s ended: the instance is gone", name)
	case NoDeadline:
		return fmt.Sprintf("keep-alive of %s ended: it no longer has a timed auto-stop", name)
	case Unreachable:
		return fmt.Sprintf("keep-alive of %s ended: the shortest renewal (1 h) would run past its cap (%s); it stops at %s",
			name, clock(e.Pin.Cap, loc), clock(e.Deadline, loc))
	case RenewFailed:
		return fmt.Sprintf("keep-alive of %s ended: renewal failed (%s)", name, e.Pin.LastError)
	}
	return "keep-alive of " + name + " ended"
}

// Set is the pins of one project (one dashboard, or one matui serve).
type Set struct {
	mu     sync.Mutex
	margin time.Duration
	pins   map[string]*Pin
	// version counts the pins set and ended (Version).
	version uint64
}

// NewSet returns an empty set renewing within margin of a deadline.
func NewSet(margin time.Duration) (*Set, error) {
	if err := CheckMargin(margin); err != nil {
		return nil, err
	}
	return &Set{margin: margin, pins: make(map[string]*Pin)}, nil
}

// CheckMargin reports a margin out of range, with the range.
func CheckMargin(m time.Duration) error {
	if m < MinMargin || m > MaxMargin {
		return fmt.Errorf("pin margin %s is out of range (1m to 30m: renew that long before the auto-stop)", m)
	}
	return nil
}

// Version changes whenever a pin is set, replaced or ends, so a view of
// the pins (the PIN column of every session under matui serve) can tell
// it is stale without comparing them.
func (s *Set) Version() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version
}

// Margin is how close to a deadline pinned instances are renewed.
func (s *Set) Margin() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.margin
}

// Add pins a running Gen 2 instance at server time now, renewing for d up
// to the cap, and replaces an earlier pin of the same instance. It
// refuses, saying why, what a pin cannot keep alive: a Gen 1 instance
// (ErrNoRenewAPI), one not running, one without a timed auto-stop, a cap
// in the past, under an hour away or more than 24 h away, and a lease that
// already runs to the cap.
func (s *Set) Add(in model.Instance, d time.Duration, cap, now time.Time, by string) (Pin, error) {
	name := text.Sanitize(in.Name)
	switch {
	case in.Generation == model.Gen1:
		return Pin{}, fmt.Errorf("cannot pin %s: %w; its auto-stop can only be changed for its next start", name, ErrNoRenewAPI)
	case in.Status != "RUNNING":
		return Pin{}, fmt.Errorf("cannot pin %s: only a running instance can be kept alive (it is %s)", name, text.Sanitize(in.Status))
	case !in.AutoStop.Enabled:
		return Pin{}, fmt.Errorf("cannot pin %s: its auto-stop is off, so there is nothing to keep alive", name)
	case model.SameEnum(in.AutoStop.Type, model.LeaseIdle):
		return Pin{}, fmt.Errorf("cannot pin %s: it stops when idle, not at a set time; a pin renews timed leases only", name)
	case d < MinRenew || d > MaxSpan:
		return Pin{}, fmt.Errorf("cannot pin %s: renewal duration %s is out of range (1h to 24h)", name, d)
	}
	if err := checkSpan(cap, now); err != nil {
		return Pin{}, fmt.Errorf("cannot pin %s: %w", name, err)
	}
	if deadline, ok := in.StopDeadline(); ok && !deadline.Before(cap.Add(-capSlack)) {
		return Pin{}, fmt.Errorf("cannot pin %s: it already runs until %s, which is past the cap", name, deadline.UTC().Format(time.RFC3339))
	}
	p := &Pin{ID: in.ID, Name: in.Name, Duration: d, Cap: cap, SetAt: now, SetBy: by}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.pins[in.ID]; old != nil && old.inFlight {
		// A renewal is on its way: keep the new pin from sending another
		// until Done reports it.
		p.inFlight, p.planned = true, old.planned
	}
	s.pins[in.ID] = p
	s.version++
	return *p, nil
}

// checkSpan checks a cap against now: ahead by at least the shortest
// renewal and by no more than MaxSpan.
func checkSpan(cap, now time.Time) error {
	span := cap.Sub(now)
	switch {
	case span <= 0:
		return fmt.Errorf("the cap %s has passed", cap.UTC().Format(time.RFC3339))
	case span < MinRenew:
		return fmt.Errorf("the cap is %s away, under an hour: ModelArts renews for at least 1 h and a pin never renews past its cap (renew by hand instead)", span.Round(time.Second))
	case span > MaxSpan:
		return fmt.Errorf("the cap is %s away: a pin lasts at most 24 h", span.Round(time.Minute))
	}
	return nil
}

// Remove unpins an instance. A renewal already in flight still completes.
func (s *Set) Remove(id string) (Pin, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pins[id]
	if !ok {
		return Pin{}, false
	}
	delete(s.pins, id)
	s.version++
	return *p, true
}

// Get returns the pin of an instance, for its row.
func (s *Set) Get(id string) (Pin, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.pins[id]; ok {
		return *p, true
	}
	return Pin{}, false
}

// Len is the number of pins.
func (s *Set) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pins)
}

// All returns the pins ordered by cap, then ID.
func (s *Set) All() []Pin {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Pin, 0, len(s.pins))
	for _, p := range s.pins {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Pin) int {
		if c := a.Cap.Compare(b.Cap); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Plan decides, at server time now, which renewals to send and which pins
// end; ended pins are removed. lookup finds an instance in the current
// list (the dashboard's table, the hub's cache); a pin whose instance is
// not found has ended (deleted), so pass the whole listing, not a filtered
// view, and do not plan on a failed poll's empty list. Plan costs O(pins)
// and allocates only when it returns something. Every Renewal returned
// must be answered by one Done.
func (s *Set) Plan(now time.Time, lookup func(id string) (model.Instance, bool)) (renew []Renewal, ended []Ended) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, p := range s.pins {
		if p.inFlight {
			continue
		}
		r, end, ok := s.decide(p, now, lookup)
		switch {
		case end != nil:
			delete(s.pins, id)
			s.version++
			ended = append(ended, *end)
		case ok:
			p.inFlight, p.planned = true, r.Deadline
			renew = append(renew, r)
		}
	}
	// Map order is random: give the caller (and tests) a stable one.
	slices.SortFunc(renew, func(a, b Renewal) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(ended, func(a, b Ended) int { return strings.Compare(a.Pin.ID, b.Pin.ID) })
	return renew, ended
}

func (s *Set) decide(p *Pin, now time.Time, lookup func(string) (model.Instance, bool)) (Renewal, *Ended, bool) {
	end := func(r Reason, deadline time.Time) (Renewal, *Ended, bool) {
		return Renewal{}, &Ended{Pin: *p, Reason: r, Deadline: deadline}, false
	}
	in, found := lookup(p.ID)
	switch {
	case !now.Before(p.Cap):
		return end(CapReached, time.Time{})
	case !found:
		return end(Deleted, time.Time{})
	case in.Class == model.ClassStopped || in.Class == model.ClassFailed || in.Status == "STOPPING" || in.Status == "DELETING":
		return end(Stopped, time.Time{})
	case in.Status != "RUNNING":
		return Renewal{}, nil, false // e.g. SNAPSHOTTING: it comes back to RUNNING; renew then
	case !in.AutoStop.Enabled || model.SameEnum(in.AutoStop.Type, model.LeaseIdle):
		return end(NoDeadline, time.Time{})
	}
	deadline, ok := in.StopDeadline()
	if !ok {
		return Renewal{}, nil, false // no deadline known yet
	}
	if !p.renewedTo.IsZero() {
		// The list may not show the last renewal yet; trust it for a
		// while, but not for ever: a renewal by hand to a shorter lease
		// must be seen.
		if !deadline.Before(p.renewedTo) || now.Sub(p.renewedAt) > trustRenewed {
			p.renewedTo, p.renewedAt = time.Time{}, time.Time{}
		} else {
			deadline = p.renewedTo
		}
	}
	if !deadline.Before(p.Cap.Add(-capSlack)) || now.Before(p.retryAt) {
		return Renewal{}, nil, false
	}
	left := p.Cap.Sub(now)
	var d time.Duration
	switch {
	case left < MinRenew:
		return end(Unreachable, deadline)
	case left <= MinRenew+s.margin:
		d = left // the last chance to land on the cap exactly
	case deadline.Sub(now) < s.margin:
		d = min(p.Duration, left)
	default:
		return Renewal{}, nil, false
	}
	d = min(d.Truncate(time.Second), MaxRenew)
	return Renewal{ID: p.ID, Name: p.Name, Duration: d, Deadline: now.Add(d), Cap: p.Cap, Final: d == left.Truncate(time.Second)}, nil, true
}

// Done reports the outcome of a renewal Plan returned, at server time now.
// On success deadline is the instance's new deadline (zero: the one the
// renewal asked for). A failure is retried after a pause growing from 15 s
// to 2 min; the MaxFailures-th consecutive failure, or one that wraps
// errors.ErrUnsupported (the backend cannot renew, e.g. a read-only
// session), ends the pin and returns it.
func (s *Set) Done(id string, now, deadline time.Time, err error) *Ended {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pins[id]
	if !ok || !p.inFlight {
		return nil // unpinned meanwhile
	}
	p.inFlight = false
	if err == nil {
		if deadline.IsZero() {
			deadline = p.planned
		}
		p.renewedTo, p.renewedAt = deadline, now
		p.Renewals++
		p.Failures, p.LastError, p.retryAt = 0, "", time.Time{}
		return nil
	}
	p.Failures++
	p.LastError = text.Truncate(text.Sanitize(err.Error()), 200)
	if p.Failures >= MaxFailures || errors.Is(err, errors.ErrUnsupported) {
		delete(s.pins, id)
		s.version++
		return &Ended{Pin: *p, Reason: RenewFailed, Deadline: p.renewedTo}
	}
	p.retryAt = now.Add(min(15*time.Second<<(p.Failures-1), 2*time.Minute))
	return nil
}

// clock formats t in loc as "19:00" (a cap is at most a day away, so the
// time of day says which one).
func clock(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	if loc == nil {
		loc = time.Local
	}
	return t.In(loc).Format("15:04")
}
