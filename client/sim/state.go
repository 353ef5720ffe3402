package sim

import (
	"cmp"
	"container/heap"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"matui/model"
)

// Simulated durations of the transient states, in sim milliseconds. They
// are short so that a demo shows every state within seconds, and they are
// the only timing knobs: everything else follows from the clock.
const (
	stepMs       = 3_000            // one action_progress step (Gen 2 create)
	createMs     = 5 * stepMs       // WAITING period + four steps
	failStep     = 2                // the step a simulated create failure fails at (compute)
	startMs      = 5_000            // STARTING → RUNNING
	stopMs       = 4_000            // STOPPING → STOPPED
	deleteMs     = 3_000            // DELETING → gone
	resizeMs     = 10_000           // volume RESIZING after storage_new_size
	devCreateMs  = 10_000           // Gen 1 CREATING → RUNNING
	defaultLease = int64(3_600_000) // ms, SDK default for create/start/renew
)

// user is the owner of an instance.
type user struct {
	ID, Name, DomainID, DomainName string
}

// lease is the Gen 2 auto-stop state (reference §5): expiry = createAt +
// duration, and duration is re-based at every start, run, renew and stop.
type lease struct {
	createAt int64
	duration int64
	enable   bool
	typ      string // TIMING / IDLE; "" for CodeLab (seed 003 omits it)
	updateAt int64
}

func (l lease) expiry() int64 { return l.createAt + l.duration }

// notebook is a Gen 2 instance.
type notebook struct {
	seq         uint64
	id          string
	name, desc  string
	feature     string
	flavor      string // flavor ID, or customFlavor with customSpec
	customSpec  *model.CustomSpec
	imageID     string
	status      string
	since       int64 // when the current status began
	createAt    int64
	updateAt    int64
	owner       *user
	workspace   string
	lease       lease
	reqDuration int64  // lease duration (ms) to apply when it next runs; -1 = disabled
	reqType     string // TIMING / IDLE for the next run
	volume      volume
	resizeUntil int64
	endpoints   []model.EndpointsReq
	poolID      string
	affinity    model.Affinity
	hooks       *model.CustomHooks
	token       string
	failReason  string
	failedStep  int  // action_progress step that failed (CREATE_FAILED)
	failCreate  bool // this create will fail (FailNext or name marker)
	failStart   bool // the next start will fail (one-shot)
	due         int64
	gone        bool
	// Where the sort indexes placed the notebook (index.go).
	ixUpdate int64
	ixName   string
	ixIn     [2]bool     // in byUpdate, in byName
	mounts   []*mount    // dynamic storage (storage.go), in attach order
	tags     []model.Tag // TMS tags (tags.go), in the order they were added
	saving   *image      // the image being saved while SNAPSHOTTING (images.go)
}

const customFlavor = "custom.flavor.spec.code"

type volume struct {
	category  string
	ownership string
	capacity  int
	mountPath string
	uri       string
	id        string
	readOnly  bool
	status    string
}

// dev is a Gen 1 instance.
type dev struct {
	seq        uint64
	id         string
	name, desc string
	status     string
	since      int64
	created    int64
	updated    int64
	flavor     string
	profile    *profile
	owner      *user
	storage    model.DevStorage
	autoStop   bool
	duration   int // seconds; applies from the next start
	prompt     bool
	stopAt     int64 // ms; the effective deadline of the current run (0 = none)
	poolID     string
	queueBegin int64
	queueEnd   int64
	failCode   string
	failMsg    string
	failCreate bool
	failStart  bool
	token      string
	due        int64
	gone       bool
}

// event is a scheduled transition; stale entries (the instance's due moved
// or it is gone) are skipped when popped. settle is idempotent, so a
// duplicate entry is harmless.
type event struct {
	at int64
	nb *notebook
	dv *dev
}

type eventHeap []event

func (h eventHeap) Len() int           { return len(h) }
func (h eventHeap) Less(i, j int) bool { return h[i].at < h[j].at }
func (h eventHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *eventHeap) Push(x any)        { *h = append(*h, x.(event)) }
func (h *eventHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

type sortedView struct {
	rev   uint64
	order []*notebook
}

type sortedDevView struct {
	rev   uint64
	order []*dev
}

// state is everything mutable, guarded by Server.mu.
type state struct {
	cat       *catalog
	projectID string
	seed      uint64     // Options.Seed, for streams of demo data added later
	rng       *rand.Rand // IDs and tokens of new instances
	ridRng    *rand.Rand // request IDs (a separate stream so requests do not shift IDs)
	auxRng    *rand.Rand // IDs of mounts and saved images (likewise)
	saved     []*image   // images saved from notebooks, in creation order (images.go)
	me        *user
	other     *user // li.wei, a colleague in the demo data
	admin     bool  // me is the account's administrator (Options.NotAdmin)
	seq       uint64

	nbs    []*notebook // ordered by (createAt, seq)
	nbByID map[string]*notebook
	devs   []*dev // ordered by (created, seq)
	devBy  map[string]*dev
	queue  []*dev // Gen 1 instances in CREATE_QUEUING / START_QUEUING, by queueEnd

	events eventHeap
	// rev changes whenever anything a list sorts or filters on changes;
	// the sorted views below are rebuilt only then, so a dashboard polling
	// an unchanged list does not re-sort 100,000 instances per request.
	rev    uint64
	sorted map[string]*sortedView
	// byUpdate and byName are the orders of the two sort keys a dashboard
	// asks for on every poll (update_at for incremental polls, name),
	// brought up to date after a change instead of re-sorted (index.go).
	byUpdate sortIndex[int64]
	byName   sortIndex[string]
	// changes logs the notebooks changed, added or removed since position
	// changesBase, for the indexes to catch up with (index.go).
	changes     []*notebook
	changesBase uint64
	listCounts  listCounts
	members     uint64 // changes when a notebook is added or removed
	devRev      uint64
	devSort     map[string]*sortedDevView
	lastNow     int64
	failNext    map[string]bool // "create" or "start": the next such op (any instance) fails
}

func newState(seed int64, c Credentials, now int64) *state {
	st := &state{
		cat:       newCatalog(now),
		projectID: c.ProjectID,
		seed:      uint64(seed),
		rng:       rand.New(rand.NewPCG(uint64(seed), 0x73696d2d69647321)), // "sim-ids!"
		ridRng:    rand.New(rand.NewPCG(uint64(seed), 0x7265712d69647321)), // "req-ids!"
		auxRng:    rand.New(rand.NewPCG(uint64(seed), 0x6175782d69647321)), // "aux-ids!"
		nbByID:    map[string]*notebook{},
		devBy:     map[string]*dev{},
		sorted:    map[string]*sortedView{},
		devSort:   map[string]*sortedDevView{},
		failNext:  map[string]bool{},
		lastNow:   now,
		byUpdate: sortIndex[int64]{key: func(nb *notebook) int64 { return nb.updateAt },
			placed: func(nb *notebook) (*int64, *bool) { return &nb.ixUpdate, &nb.ixIn[0] }},
		byName: sortIndex[string]{key: func(nb *notebook) string { return nb.name },
			placed: func(nb *notebook) (*string, *bool) { return &nb.ixName, &nb.ixIn[1] }},
	}
	st.me = &user{ID: randHex(st.rng, 32), Name: c.Username, DomainID: randHex(st.rng, 32), DomainName: c.DomainName}
	st.other = &user{ID: randHex(st.rng, 32), Name: "li.wei", DomainID: st.me.DomainID, DomainName: c.DomainName}
	return st
}

// tick turns the clock reading into the request's "now" (never earlier than
// a previous request's, so timestamps cannot run backwards when a test
// moves a fake clock back) and applies every transition that is due.
func (st *state) tick(nowMs int64) int64 {
	if nowMs < st.lastNow {
		nowMs = st.lastNow
	}
	st.lastNow = nowMs
	for len(st.events) > 0 && st.events[0].at <= nowMs {
		e := heap.Pop(&st.events).(event)
		switch {
		case e.nb != nil && !e.nb.gone && e.nb.due == e.at:
			st.settleNB(e.nb, nowMs)
		case e.dv != nil && !e.dv.gone && e.dv.due == e.at:
			st.settleDev(e.dv, nowMs)
		}
	}
	return nowMs
}

func (st *state) uuid() string { return uuidFrom(st.rng) }

// auxUUID is a UUID from the auxiliary stream: mounts and saved images
// (the demo's included) never shift the IDs of instances.
func (st *state) auxUUID() string { return uuidFrom(st.auxRng) }

func uuidFrom(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	a = a&^0xf000 | 0x4000     // version 4
	b = b&^(0xc<<60) | 0x8<<60 // variant 10
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, a>>16&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

func (st *state) devID() string {
	// Gen 1 IDs are "DE-" + a time-based UUID (reference §1).
	a, b := st.rng.Uint64(), st.rng.Uint64()
	return fmt.Sprintf("DE-%08x-%04x-11eb-%04x-0255ac10%04x", a>>32, a>>16&0xffff, b>>48&0x3fff|0x8000, b&0xffff)
}

func (st *state) requestID() string { return randHex(st.ridRng, 32) }

// ---- Gen 2 transitions ----

// nextAt is when nb next changes by itself, or 0: its status, a step of
// its creation's action_progress, an EVS resize or a mount.
func (nb *notebook) nextAt() int64 {
	t := nb.statusNext()
	for _, d := range [...]int64{nb.resizeUntil, nb.mountNext(), nb.stepNext()} {
		if d != 0 && (t == 0 || d < t) {
			t = d
		}
	}
	return t
}

// stepNext is when the action_progress of a notebook being created next
// moves (a step starts or completes), or 0. The listing shows the steps,
// so each move is a change of the notebook: it bumps update_at, and an
// incremental poll sees the creation progress. (Whether the real service
// bumps update_at then is not documented.)
func (nb *notebook) stepNext() int64 {
	if nb.status != "CREATING" || nb.failCreate {
		return 0
	}
	for k := int64(1); k <= 5; k++ {
		if at := nb.since + k*stepMs; at > nb.updateAt && at < nb.since+createMs {
			return at
		}
	}
	return 0
}

// statusNext is when nb's status next changes by itself, or 0.
func (nb *notebook) statusNext() int64 {
	var t int64
	switch nb.status {
	case "CREATING":
		if nb.failCreate {
			t = nb.since + (failStep+1)*stepMs
		} else {
			t = nb.since + createMs
		}
	case "STARTING":
		t = nb.since + startMs
	case "STOPPING":
		t = nb.since + stopMs
	case "DELETING":
		t = nb.since + deleteMs
	case "SNAPSHOTTING":
		t = nb.since + snapshotMs
	case "RUNNING":
		if nb.lease.enable && nb.lease.typ != "IDLE" {
			// IDLE leases stop after inactivity; the simulator has no
			// notion of activity, so they never expire here. A lease that
			// ran out while the instance was SNAPSHOTTING stops it as soon
			// as it is RUNNING again, not before.
			t = max(nb.lease.expiry(), nb.since)
		}
	}
	return t
}

// settleNB applies every transition of nb due at or before now, each at
// its own time, so a clock that jumps hours ahead still yields the right
// timestamps (created → running → lease expired → stopped).
func (st *state) settleNB(nb *notebook, now int64) {
	for !nb.gone {
		t := nb.nextAt()
		if t == 0 || t > now {
			st.scheduleNB(nb, t)
			return
		}
		st.changed(nb, t)
		if nb.resizeUntil != 0 && t == nb.resizeUntil {
			nb.resizeUntil = 0
			nb.volume.status = ""
			continue
		}
		if nb.settleMountAt(t) {
			continue
		}
		if t != nb.statusNext() {
			continue // a progress step: changed above
		}
		// t is statusNext(): the status changes.
		switch nb.status {
		case "CREATING":
			if nb.failCreate {
				nb.failCreate = false
				nb.failedStep = failStep
				nb.setStatus("CREATE_FAILED", t)
				nb.failReason = "ModelArts.6360: Failed to prepare the compute resource: insufficient backend resources for flavor " + nb.flavor + " (simulated failure)."
				continue
			}
			nb.setStatus("RUNNING", t)
			nb.rebaseLease(t)
		case "STARTING":
			if nb.failStart {
				nb.failStart = false
				nb.setStatus("START_FAILED", t)
				nb.failReason = "ModelArts.6360: Failed to start the instance: insufficient backend resources (simulated failure)."
				continue
			}
			nb.setStatus("RUNNING", t)
			nb.rebaseLease(t)
		case "STOPPING":
			nb.setStatus("STOPPED", t)
			nb.mounts = nil // dynamic mounts do not outlive the container (storage.go)
		case "DELETING":
			st.removeNB(nb)
		case "SNAPSHOTTING":
			nb.setStatus("RUNNING", t) // the lease ran on: no re-basing
			nb.finishSave(t)
		case "RUNNING":
			// Lease expired: the real service stops the instance.
			nb.setStatus("STOPPING", t)
			nb.unmountAll(t)
		}
	}
}

// changed records that nb changed at t: the lists' orders and filters are
// out of date (rev), and its update_at is t, which every change of a
// notebook sets, the lazily computed transitions included (at the time
// each happened, which settleNB passes), so that an incremental poll
// sorted by update_at sees it. (Whether the real service bumps update_at
// on a lease renewal, a tag or a mount is not documented; the simulator
// does, for every change a listed notebook shows.)
func (st *state) changed(nb *notebook, t int64) {
	st.rev++
	nb.updateAt = max(nb.updateAt, t)
	st.logChange(nb)
}

func (nb *notebook) setStatus(s string, t int64) {
	nb.status = s
	nb.since = t
	nb.updateAt = t
}

// rebaseLease makes the lease expire reqDuration after t (reference §5:
// "expiry = (time of that event) + requested duration").
func (nb *notebook) rebaseLease(t int64) {
	if nb.reqDuration < 0 {
		nb.lease.enable = false
		nb.lease.updateAt = t
		return
	}
	nb.lease.enable = true
	nb.lease.duration = t + nb.reqDuration - nb.lease.createAt
	if nb.lease.typ != "" || nb.reqType != "TIMING" {
		nb.lease.typ = nb.reqType
	}
	nb.lease.updateAt = t
}

func (st *state) scheduleNB(nb *notebook, t int64) {
	if t == nb.due {
		return
	}
	nb.due = t
	if t != 0 {
		heap.Push(&st.events, event{at: t, nb: nb})
	}
}

func (st *state) addNB(nb *notebook) {
	st.seq++
	nb.seq = st.seq
	// Keep nbs ordered by (createAt, seq): the default sort (create_at)
	// then needs no sorting at all.
	i, _ := slices.BinarySearchFunc(st.nbs, nb, cmpNBCreate)
	st.nbs = slices.Insert(st.nbs, i, nb)
	st.nbByID[nb.id] = nb
	st.rev++
	st.members++
	st.logChange(nb)
}

func cmpNBCreate(a, b *notebook) int {
	return cmp.Or(cmp.Compare(a.createAt, b.createAt), cmp.Compare(a.seq, b.seq))
}

func (st *state) removeNB(nb *notebook) {
	nb.gone = true
	delete(st.nbByID, nb.id)
	if i, ok := slices.BinarySearchFunc(st.nbs, nb, cmpNBCreate); ok {
		st.nbs = slices.Delete(st.nbs, i, i+1)
	}
	st.rev++
	st.members++
	st.logChange(nb)
}

// ---- Gen 1 transitions ----

func (d *dev) nextAt() int64 {
	switch d.status {
	case "CREATE_QUEUING", "START_QUEUING":
		return d.queueEnd
	case "CREATING":
		return d.since + devCreateMs
	case "STARTING":
		return d.since + startMs
	case "STOPPING":
		return d.since + stopMs
	case "RUNNING":
		if d.stopAt != 0 {
			return d.stopAt
		}
	}
	return 0
}

func (st *state) settleDev(d *dev, now int64) {
	for !d.gone {
		t := d.nextAt()
		if t == 0 || t > now {
			st.scheduleDev(d, t)
			return
		}
		st.devRev++
		switch d.status {
		case "CREATE_QUEUING":
			st.dequeue(d)
			d.setStatus("CREATING", t)
		case "START_QUEUING":
			st.dequeue(d)
			d.setStatus("STARTING", t)
		case "CREATING", "STARTING":
			fail := d.failCreate
			failed := "CREATE_FAILED"
			if d.status == "STARTING" {
				fail, failed = d.failStart, "START_FAILED"
			}
			if fail {
				d.failCreate, d.failStart = false, false
				d.setStatus(failed, t)
				d.failCode = "ModelArts.6360"
				d.failMsg = "Insufficient backend resources for flavor " + d.flavor + " (simulated failure)."
				continue
			}
			d.setStatus("RUNNING", t)
			d.stopAt = 0
			if d.autoStop {
				d.stopAt = t + int64(d.duration)*1000
			}
		case "STOPPING":
			d.setStatus("STOPPED", t)
		case "RUNNING":
			d.setStatus("STOPPING", t) // auto-stop deadline reached
			d.stopAt = 0
		}
	}
}

func (d *dev) setStatus(s string, t int64) {
	d.status = s
	d.since = t
	d.updated = t
}

func (st *state) scheduleDev(d *dev, t int64) {
	if t == d.due {
		return
	}
	d.due = t
	if t != 0 {
		heap.Push(&st.events, event{at: t, dv: d})
	}
}

func (st *state) addDev(d *dev) {
	st.seq++
	d.seq = st.seq
	i, _ := slices.BinarySearchFunc(st.devs, d, cmpDevCreate)
	st.devs = slices.Insert(st.devs, i, d)
	st.devBy[d.id] = d
	st.devRev++
}

func cmpDevCreate(a, b *dev) int {
	return cmp.Or(cmp.Compare(a.created, b.created), cmp.Compare(a.seq, b.seq))
}

func (st *state) removeDev(d *dev) {
	d.gone = true
	delete(st.devBy, d.id)
	if i, ok := slices.BinarySearchFunc(st.devs, d, cmpDevCreate); ok {
		st.devs = slices.Delete(st.devs, i, i+1)
	}
	st.dequeue(d)
	st.devRev++
}

// enqueue puts d at the end of its flavor's free-tier queue: it leaves the
// queue one slot after the instance ahead of it.
func (st *state) enqueue(d *dev, f *flavor, status string, now int64) {
	end := now
	for _, q := range st.queue {
		if q.flavor == d.flavor && q.queueEnd > end {
			end = q.queueEnd
		}
	}
	d.queueBegin = now
	d.queueEnd = end + f.QueueSlotMs
	d.setStatus(status, now)
	st.queue = append(st.queue, d)
}

func (st *state) dequeue(d *dev) {
	if i := slices.Index(st.queue, d); i >= 0 {
		st.queue = slices.Delete(st.queue, i, i+1)
	}
}

// queueRank is d's 1-based position in its flavor's queue.
func (st *state) queueRank(d *dev) int {
	r := 1
	for _, q := range st.queue {
		if q != d && q.flavor == d.flavor && (q.queueEnd < d.queueEnd || q.queueEnd == d.queueEnd && q.seq < d.seq) {
			r++
		}
	}
	return r
}

// queueStats is the flavor_details.queuing_num / queue_left_time of a free
// sold-out flavor: how many wait and how long a newcomer would wait.
func (st *state) queueStats(f *flavor, now int64) (num int, leftSec int64) {
	end := now
	for _, q := range st.queue {
		if q.flavor == f.ID {
			num++
			end = max(end, q.queueEnd)
		}
	}
	return num, (end + f.QueueSlotMs - now) / 1000
}

// failMarker reports whether name asks for a simulated failure of op
// ("create" or "start"): names containing "fail-create" or "fail-start".
func failMarker(name, op string) bool {
	return strings.Contains(strings.ToLower(name), "fail-"+op)
}

// takeFailNext consumes a pending FailNext for op on any instance.
func (st *state) takeFailNext(op string) bool {
	if st.failNext[op] {
		delete(st.failNext, op)
		return true
	}
	return false
}

// FailNext makes the next create or start end in CREATE_FAILED /
// START_FAILED with a fail_reason (Gen 2) or failed_reasons (Gen 1).
// op is "create" or "start". id names an existing instance of either
// generation (start only); "" means the next such operation on any
// instance. Instances whose name contains "fail-create" always fail to be
// created and those containing "fail-start" fail every start, so a demo
// can trigger failures from the UI without Go.
func (s *Server) FailNext(id, op string) error {
	if op != "create" && op != "start" {
		return fmt.Errorf("sim: FailNext: op must be create or start, got %q", op)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	st.tick(s.clock.Now().UnixMilli())
	if id == "" {
		st.failNext[op] = true
		return nil
	}
	if op == "create" {
		return fmt.Errorf("sim: FailNext: a create has no instance ID yet; pass id \"\"")
	}
	if nb := st.nbByID[id]; nb != nil {
		nb.failStart = true
		return nil
	}
	if d := st.devBy[id]; d != nil {
		d.failStart = true
		return nil
	}
	return fmt.Errorf("sim: FailNext: no instance %q", id)
}
