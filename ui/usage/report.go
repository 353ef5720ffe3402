package usage

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"matui/model"
	"matui/ui/text"
)

// Prices is the optional price table of the config file: what one
// instance of a flavor costs per hour, in one currency. Without it the
// report shows no money at all.
type Prices struct {
	Currency string             // e.g. "EUR"
	PerHour  map[string]float64 // flavor ID → price per instance-hour
}

// StopKind is how a running instance will stop.
type StopKind int

const (
	StopTimed StopKind = iota // at a deadline
	StopIdle                  // after inactivity (IDLE lease)
	StopNever                 // auto-stop off: runs, and costs, until stopped by hand
)

// Item is one running instance of the report.
type Item struct {
	Generation model.Generation
	ID, Name   string // sanitised
	Owner      string // sanitised; "" unknown
	Flavor     string // flavor ID, sanitised
	Accel      Accel  // Cards 0 for a CPU flavor
	VCPUs      float64
	// Since is when the instance started running, zero when unknown
	// (see RunningSince).
	Since    time.Time
	Stop     StopKind
	Deadline time.Time // StopTimed only; zero when not known
	PerHour  float64
	Priced   bool // PerHour comes from the price table
}

// Report is the running instances of one listing, ready to be grouped,
// filtered and sorted.
type Report struct {
	items    []Item
	specs    []model.Spec // of items[i], for the filter text
	hays     []string     // filter text of items[i], made on the first filter
	currency string
	priced   bool
}

// hay is the lower-case filter text of item i: owner, name, id, flavor ID,
// accelerator type and the flavor summary, NUL-separated (text.Match).
// It is made for every item on the first filtered Rows, not by Build:
// most views of the report are not filtered.
func (r *Report) hay(i int) string {
	if r.hays == nil {
		r.hays = make([]string, len(r.items))
		summary := map[string]string{} // per flavor ID: text.Flavor is the costly part
		for j := range r.items {
			it := &r.items[j]
			s, ok := summary[it.Flavor]
			if !ok {
				s = text.Flavor(r.specs[j], it.Flavor)
				summary[it.Flavor] = s
			}
			r.hays[j] = strings.ToLower(it.Owner + "\x00" + it.Name + "\x00" + it.ID + "\x00" + it.Flavor + "\x00" + it.Accel.Type + "\x00" + s)
		}
	}
	return r.hays[i]
}

// Build collects the running instances of insts. prices may be nil.
func Build(insts []model.Instance, prices *Prices) *Report {
	r := &Report{}
	if prices != nil && len(prices.PerHour) > 0 {
		r.priced, r.currency = true, text.Sanitize(prices.Currency)
	}
	n := 0
	for i := range insts {
		if insts[i].Class == model.ClassRunning {
			n++
		}
	}
	r.items, r.specs = make([]Item, 0, n), make([]model.Spec, 0, n)
	for i := range insts {
		in := &insts[i]
		if in.Class != model.ClassRunning {
			continue
		}
		it := Item{
			Generation: in.Generation,
			ID:         text.Sanitize(in.ID),
			Name:       text.Sanitize(in.Name),
			Owner:      text.Sanitize(in.Owner),
			Flavor:     text.Sanitize(in.Flavor),
			VCPUs:      in.Spec.VCPUs,
		}
		if a, ok := accelOf(in.Spec); ok {
			a.Type = text.Sanitize(a.Type)
			it.Accel = a
		}
		it.Since, _ = RunningSince(in)
		switch deadline, timed := in.StopDeadline(); {
		case timed:
			it.Stop, it.Deadline = StopTimed, deadline
		case !in.AutoStop.Enabled:
			it.Stop = StopNever
		case model.SameEnum(in.AutoStop.Type, model.LeaseIdle):
			it.Stop = StopIdle
		default:
			it.Stop = StopTimed // on, deadline not known
		}
		if r.priced {
			it.PerHour, it.Priced = prices.PerHour[in.Flavor]
		}
		r.items = append(r.items, it)
		r.specs = append(r.specs, in.Spec)
	}
	return r
}

// Len is the number of running instances in the report.
func (r *Report) Len() int { return len(r.items) }

// Priced reports whether the report shows money (a price table was given).
func (r *Report) Priced() bool { return r.priced }

// RunningSince estimates when a running instance last started; false when
// it is not running or the data does not say. Neither API names the start
// time, so it is derived:
//
//   - Gen 1 with auto-stop: stop_timestamp minus the auto-stop duration,
//     exact because Gen 1 runs each start for the configured duration and
//     has no renewal (reference §5); ignored when it falls before the
//     instance's creation (a duration edited while running applies from the
//     next start, so it would not match);
//   - otherwise the instance's update_at, which the service sets when the
//     status changes (the sample's update_at is the moment it became
//     RUNNING). Gen 2's lease.create_at is not it: it stays the lease's
//     first creation and the server re-bases the duration instead (§5).
//     An edit while running (a rename, storage growth) also moves update_at,
//     so the running time reads short, never long: costs so far are a
//     lower bound.
func RunningSince(in *model.Instance) (time.Time, bool) {
	if in.Class != model.ClassRunning {
		return time.Time{}, false
	}
	a := in.AutoStop
	if in.Generation == model.Gen1 && a.Enabled && !a.Deadline.IsZero() && a.Duration > 0 {
		if s := a.Deadline.Add(-a.Duration); in.Created.IsZero() || !s.Before(in.Created) {
			return s, true
		}
	}
	if in.Updated.IsZero() {
		return time.Time{}, false
	}
	return in.Updated, true
}

// Column is a column of the usage table.
type Column int

const (
	ColName     Column = iota // owner / flavor / instance: the tree
	ColAccel                  // accelerator cards
	ColVCPU                   // vCPUs
	ColRunning                // running time since the last start
	ColAutoStop               // time until auto-stop
	ColPerHour                // cost per hour (with prices)
	ColCost                   // cost so far (with prices)
	numColumns
)

// Columns are the table's columns, without the money ones when the report
// has no prices.
func (r *Report) Columns() []Column {
	if r.priced {
		return []Column{ColName, ColAccel, ColVCPU, ColRunning, ColAutoStop, ColPerHour, ColCost}
	}
	return []Column{ColName, ColAccel, ColVCPU, ColRunning, ColAutoStop}
}

// Header is the title of a column.
func (r *Report) Header(c Column) string {
	switch c {
	case ColName:
		return "OWNER / FLAVOR / INSTANCE"
	case ColAccel:
		return "ACCEL"
	case ColVCPU:
		return "vCPU"
	case ColRunning:
		return "RUNNING"
	case ColAutoStop:
		return "AUTO-STOP"
	case ColPerHour:
		return "COST/H " + r.currency
	case ColCost:
		return "COST " + r.currency
	}
	return ""
}

// Level is a row's depth in the tree.
type Level int

const (
	LevelOwner Level = iota
	LevelFlavor
	LevelInstance
)

// Totals sum a group's instances.
type Totals struct {
	Instances  int
	Accels     []Accel // by type, most cards first
	VCPUs      float64
	NoAutoStop int       // instances that never stop by themselves
	Since      time.Time // the longest-running instance's start; zero if none known
	Soonest    time.Time // the nearest auto-stop deadline; zero if none
	PerHour    float64   // of the priced instances
	Unpriced   int       // instances whose flavor has no price
	// The cost so far, Σ price × (now − start), is kept as Σ price and
	// Σ price × start so that it can be had for any now (Spent) without
	// going back to the instances.
	rate, base float64
	noCost     int // instances without a cost so far (no price, or no known start)
}

// Spent is the group's cost so far at now, and whether it covers every
// instance of the group (false: some have no price or no known start).
func (t Totals) Spent(now time.Time) (float64, bool) {
	return max(t.rate*hours(now)-t.base, 0), t.noCost == 0
}

// hours is t in hours since the Unix epoch: float64 keeps a
// microsecond's precision at that size.
func hours(t time.Time) float64 { return float64(t.UnixMicro()) / 3.6e9 }

// Row is one line of the table: an owner, a flavor of that owner, or an
// instance of that flavor.
type Row struct {
	Level  Level
	Owner  string // "" unknown
	Flavor string
	Item   *Item   // LevelInstance
	Totals *Totals // LevelOwner, LevelFlavor
}

// Query selects and orders rows.
type Query struct {
	Filter string // text.Match over owner, name, id, flavor and spec
	Sort   Column // ColName by default
	Desc   bool
}

// Rows groups the instances matching q by owner, then flavor, and sorts
// owners, flavors and instances by q.Sort: a group by its total (cards,
// vCPUs, cost) or its extreme (longest running, soonest auto-stop), so
// sorting by cost puts the owner who spends most first. Ties fall back to
// names. now (server time) is needed for sorting by cost so far.
func (r *Report) Rows(q Query, now time.Time) []Row {
	type flavorGroup struct {
		name  string
		items []keyed
		t     Totals
		key   keyed
	}
	type ownerGroup struct {
		name    string
		flavors []*flavorGroup
		byName  map[string]*flavorGroup
		t       Totals
		key     keyed
	}
	owners := map[string]*ownerGroup{}
	var order []*ownerGroup
	matched := 0
	for i := range r.items {
		it := &r.items[i]
		if q.Filter != "" && !text.Match(q.Filter, r.hay(i)) {
			continue
		}
		matched++
		o := owners[it.Owner]
		if o == nil {
			o = &ownerGroup{name: it.Owner, byName: map[string]*flavorGroup{}}
			owners[it.Owner] = o
			order = append(order, o)
		}
		f := o.byName[it.Flavor]
		if f == nil {
			f = &flavorGroup{name: it.Flavor}
			o.byName[it.Flavor] = f
			o.flavors = append(o.flavors, f)
		}
		f.items = append(f.items, itemKey(it, now))
		f.t.add(it)
		o.t.add(it)
	}
	by := func(a, b *keyed) int { return compare(q.Sort, q.Desc, a, b) }
	for _, o := range order {
		o.t.finish()
		o.key = totalsKey(o.t, o.name, now)
		for _, f := range o.flavors {
			f.t.finish()
			f.key = totalsKey(f.t, f.name, now)
			slices.SortFunc(f.items, func(a, b keyed) int { return by(&a, &b) })
		}
		slices.SortFunc(o.flavors, func(a, b *flavorGroup) int { return by(&a.key, &b.key) })
	}
	slices.SortFunc(order, func(a, b *ownerGroup) int { return by(&a.key, &b.key) })

	rows := make([]Row, 0, matched+len(order)*2)
	for _, o := range order {
		rows = append(rows, Row{Level: LevelOwner, Owner: o.name, Totals: &o.t})
		for _, f := range o.flavors {
			rows = append(rows, Row{Level: LevelFlavor, Owner: o.name, Flavor: f.name, Totals: &f.t})
			for _, k := range f.items {
				rows = append(rows, Row{Level: LevelInstance, Owner: o.name, Flavor: f.name, Item: k.item})
			}
		}
	}
	return rows
}

// keyed is what sorting compares, computed once per row rather than per
// comparison.
type keyed struct {
	cards          int
	vcpus, perHour float64
	spent          float64 // at the Rows call's now
	since, soonest time.Time
	name, tie      string
	item           *Item
}

func totalsKey(t Totals, name string, now time.Time) keyed {
	spent, _ := t.Spent(now)
	return keyed{cards: t.cards(), vcpus: t.VCPUs, perHour: t.PerHour, spent: spent, since: t.Since, soonest: t.Soonest, name: name}
}

func itemKey(it *Item, now time.Time) keyed {
	k := keyed{cards: it.Accel.Cards, vcpus: it.VCPUs, since: it.Since, soonest: it.Deadline, name: it.Name, tie: it.ID, item: it}
	if it.Priced {
		k.perHour, k.spent = it.PerHour, spent(it.PerHour, it.Since, now)
	}
	return k
}

// compare orders a and b by column c; what has no value (no known start,
// no deadline) sorts last either way.
func compare(c Column, desc bool, a, b *keyed) int {
	flip := func(n int) int {
		if desc {
			return -n
		}
		return n
	}
	byTime := func(x, y time.Time) int {
		switch {
		case x.IsZero() && y.IsZero():
			return 0
		case x.IsZero():
			return 1
		case y.IsZero():
			return -1
		}
		return flip(x.Compare(y))
	}
	n := 0
	switch c {
	case ColAccel:
		n = flip(cmp.Compare(a.cards, b.cards))
	case ColVCPU:
		n = flip(cmp.Compare(a.vcpus, b.vcpus))
	case ColRunning:
		n = byTime(a.since, b.since) // earliest start = longest running first
	case ColAutoStop:
		n = byTime(a.soonest, b.soonest)
	case ColPerHour:
		n = flip(cmp.Compare(a.perHour, b.perHour))
	case ColCost:
		n = flip(cmp.Compare(a.spent, b.spent))
	}
	if n != 0 {
		return n
	}
	if n = strings.Compare(a.name, b.name); n != 0 {
		if c == ColName {
			return flip(n)
		}
		return n
	}
	return strings.Compare(a.tie, b.tie)
}

func (t *Totals) add(it *Item) {
	t.Instances++
	t.VCPUs += it.VCPUs
	if it.Accel.Cards > 0 {
		i := slices.IndexFunc(t.Accels, func(a Accel) bool { return a.Type == it.Accel.Type && a.Kind == it.Accel.Kind })
		if i < 0 {
			t.Accels = append(t.Accels, Accel{Kind: it.Accel.Kind, Type: it.Accel.Type})
			i = len(t.Accels) - 1
		}
		t.Accels[i].Cards += it.Accel.Cards
	}
	if it.Stop == StopNever {
		t.NoAutoStop++
	}
	if !it.Since.IsZero() && (t.Since.IsZero() || it.Since.Before(t.Since)) {
		t.Since = it.Since
	}
	if !it.Deadline.IsZero() && (t.Soonest.IsZero() || it.Deadline.Before(t.Soonest)) {
		t.Soonest = it.Deadline
	}
	if it.Priced {
		t.PerHour += it.PerHour
	} else {
		t.Unpriced++
	}
	if it.Priced && !it.Since.IsZero() {
		t.rate += it.PerHour
		t.base += it.PerHour * hours(it.Since)
	} else {
		t.noCost++
	}
}

func (t *Totals) finish() { sortAccels(t.Accels) }

func (t Totals) cards() int {
	n := 0
	for _, a := range t.Accels {
		n += a.Cards
	}
	return n
}

// spent is the cost of running at perHour from since to now.
func spent(perHour float64, since, now time.Time) float64 {
	if since.IsZero() || !now.After(since) {
		return 0
	}
	return perHour * now.Sub(since).Hours()
}

// Cells renders the row's cells for r.Columns() at server time now.
func (r *Report) Cells(row Row, now time.Time) []string {
	cols := r.Columns()
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = r.cell(row, c, now)
	}
	return out
}

func (r *Report) cell(row Row, c Column, now time.Time) string {
	if row.Level == LevelInstance {
		return r.itemCell(row.Item, c, now)
	}
	t := row.Totals
	switch c {
	case ColName:
		if row.Level == LevelOwner {
			return orUnknown(row.Owner) + " (" + count(t.Instances) + ")"
		}
		return "  " + orUnknown(row.Flavor) + " (" + count(t.Instances) + ")"
	case ColAccel:
		if len(t.Accels) == 0 {
			return "CPU"
		}
		parts := make([]string, len(t.Accels))
		for i, a := range t.Accels {
			parts[i] = a.String()
		}
		return strings.Join(parts, ", ")
	case ColVCPU:
		return vcpusCell(t.VCPUs)
	case ColRunning:
		return elapsed(t.Since, now)
	case ColAutoStop:
		switch {
		case t.NoAutoStop > 0:
			return fmt.Sprintf("⚠ %d no auto-stop", t.NoAutoStop)
		case !t.Soonest.IsZero():
			return remaining(t.Soonest, now)
		}
		return "—"
	case ColPerHour:
		return money(t.PerHour, t.Unpriced, t.Instances)
	case ColCost:
		v, _ := t.Spent(now)
		return money(v, t.noCost, t.Instances)
	}
	return ""
}

func (r *Report) itemCell(it *Item, c Column, now time.Time) string {
	switch c {
	case ColName:
		return "    " + it.Name
	case ColAccel:
		if it.Accel.Cards == 0 {
			return "CPU"
		}
		return it.Accel.String()
	case ColVCPU:
		return vcpusCell(it.VCPUs)
	case ColRunning:
		return elapsed(it.Since, now)
	case ColAutoStop:
		switch it.Stop {
		case StopNever:
			return "⚠ no auto-stop"
		case StopIdle:
			return "idle"
		}
		if it.Deadline.IsZero() {
			return "on"
		}
		return remaining(it.Deadline, now)
	case ColPerHour:
		if !it.Priced {
			return "?"
		}
		return strconv.FormatFloat(it.PerHour, 'f', 2, 64)
	case ColCost:
		if !it.Priced || it.Since.IsZero() {
			return "?"
		}
		return strconv.FormatFloat(spent(it.PerHour, it.Since, now), 'f', 2, 64)
	}
	return ""
}

func count(n int) string {
	if n == 1 {
		return "1 instance"
	}
	return strconv.Itoa(n) + " instances"
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

func vcpusCell(v float64) string {
	if v <= 0 {
		return "—"
	}
	return vcpus(v)
}

// elapsed is a running time: "42m", "5h02m", "2d03h"; "—" unknown.
func elapsed(since, now time.Time) string {
	if since.IsZero() {
		return "—"
	}
	d := max(now.Sub(since), 0)
	if d < time.Hour {
		return strconv.Itoa(int(d/time.Minute)) + "m"
	}
	return text.Countdown(d)
}

func remaining(deadline, now time.Time) string {
	d := deadline.Sub(now)
	if d <= 0 {
		return "stopping…"
	}
	return text.Countdown(d)
}

// money is a group's sum, "12.40"; "12.40+" when some of its instances
// are missing from it (no price, or no known start); "?" when all are.
func money(v float64, missing, instances int) string {
	if missing == instances {
		return "?"
	}
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', 2, 64)
	if missing > 0 {
		s += "+"
	}
	return s
}

// Lines renders a header and rows as aligned plain text, one string per
// line (columns padded by display width; numbers right-aligned). The
// dashboard styles its own; this serves plain output and tests.
func (r *Report) Lines(rows []Row, now time.Time) []string {
	w := r.Widths(rows, now)
	out := make([]string, 0, len(rows)+1)
	out = append(out, r.Line(r.HeaderCells(), w))
	for _, row := range rows {
		out = append(out, r.Line(r.Cells(row, now), w))
	}
	return out
}

// HeaderCells are the column titles, for r.Columns().
func (r *Report) HeaderCells() []string {
	cols := r.Columns()
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = r.Header(c)
	}
	return head
}

// Widths are the display widths of the columns over the header and rows
// at now. A view draws only the rows on screen: it measures every row once
// (when the rows change) and widens a column whose visible cell has grown
// since (a running time or a cost gains a digit) with Widen.
func (r *Report) Widths(rows []Row, now time.Time) []int {
	w := make([]int, len(r.Columns()))
	r.Widen(w, r.HeaderCells())
	for _, row := range rows {
		r.Widen(w, r.Cells(row, now))
	}
	return w
}

// Widen grows widths to hold cells.
func (*Report) Widen(widths []int, cells []string) {
	for i, c := range cells {
		widths[i] = max(widths[i], text.Width(c))
	}
}

// Line aligns one line's cells (Cells or HeaderCells) to widths (Widen
// them first: a wider cell pushes the columns after it).
func (r *Report) Line(cells []string, widths []int) string {
	cols := r.Columns()
	var b strings.Builder
	for i, c := range cells {
		if i > 0 {
			b.WriteString("  ")
		}
		switch cols[i] {
		case ColName, ColAccel, ColAutoStop:
			if i == len(cells)-1 {
				b.WriteString(c)
			} else {
				b.WriteString(text.Fit(c, widths[i]))
			}
		default:
			b.WriteString(text.FitRight(c, widths[i]))
		}
	}
	return strings.TrimRight(b.String(), " ")
}
