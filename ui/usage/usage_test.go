package usage

import (
	"slices"
	"strings"
	"testing"
	"time"

	"matui/model"
)

var now = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

type opt func(*model.Instance)

func inst(id, owner, flavor string, spec model.Spec, opts ...opt) model.Instance {
	in := model.Instance{Generation: model.Gen2, ID: id, Name: id, Owner: owner, Flavor: flavor, Spec: spec,
		Status: "RUNNING", Class: model.ClassRunning, Updated: now.Add(-2 * time.Hour),
		AutoStop: model.AutoStop{Enabled: true, Type: model.LeaseTiming, Deadline: now.Add(time.Hour)}}
	for _, o := range opts {
		o(&in)
	}
	return in
}

func stopped(in *model.Instance) { in.Status, in.Class = "STOPPED", model.ClassStopped }
func noAutoStop(in *model.Instance) {
	in.AutoStop = model.AutoStop{}
}
func startedAgo(d time.Duration) opt { return func(in *model.Instance) { in.Updated = now.Add(-d) } }
func stopsIn(d time.Duration) opt {
	return func(in *model.Instance) { in.AutoStop.Deadline = now.Add(d) }
}

var (
	ascend1 = model.Spec{Kind: model.KindAscend, Type: "Ascend 910", Count: 1, VCPUs: 24}
	ascend2 = model.Spec{Kind: model.KindAscend, Type: "Ascend 910", Count: 2, VCPUs: 48}
	v100    = model.Spec{Kind: model.KindGPU, Type: "V100", Count: 1, VCPUs: 8}
	cpu2    = model.Spec{Kind: model.KindCPU, VCPUs: 2}
)

const (
	fAscend1 = "modelarts.bm.npu.arm.910.1"
	fAscend2 = "modelarts.bm.npu.arm.910.2"
	fV100    = "modelarts.vm.gpu.v100"
	fCPU     = "modelarts.vm.cpu.2u"
)

func fixture() []model.Instance {
	return []model.Instance{
		inst("train-910", "alice", fAscend2, ascend2, startedAgo(5*time.Hour)),
		inst("eval-910", "alice", fAscend1, ascend1, stopsIn(10*time.Minute)),
		inst("gpu-a", "alice", fV100, v100, noAutoStop),
		inst("gpu-b", "bob", fV100, v100, startedAgo(30*time.Minute)),
		inst("cpu-bob", "bob", fCPU, cpu2),
		inst("old-cpu", "bob", fCPU, cpu2, stopped),
		inst("big-stopped", "carol", fAscend2, ascend2, stopped),
	}
}

func TestSummary(t *testing.T) {
	s := Summarize(fixture())
	if got, want := s.String(), "running: 3× Ascend 910 · 2× V100 · 90 vCPU"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if s.Instances != 5 {
		t.Errorf("instances %d", s.Instances)
	}
	if got := Summarize(nil).String(); got != "running: nothing" {
		t.Errorf("empty: %q", got)
	}
	unknown := []model.Instance{inst("a", "", "", model.Spec{}), inst("b", "", "", model.Spec{})}
	if got := Summarize(unknown).String(); got != "running: 2 instances" {
		t.Errorf("unknown specs: %q", got)
	}
	// A GPU flavor with no card count counts one card; a half vCPU shows.
	odd := []model.Instance{inst("g", "", "", model.Spec{Kind: model.KindGPU, VCPUs: 0.5})}
	if got := Summarize(odd).String(); got != "running: 1× GPU · 0.5 vCPU" {
		t.Errorf("odd specs: %q", got)
	}
	// API strings are sanitised.
	evil := []model.Instance{inst("e", "", "", model.Spec{Kind: model.KindGPU, Type: "V1\x1b[2J00", Count: 1})}
	if got := Summarize(evil).String(); strings.Contains(got, "\x1b") {
		t.Errorf("escape in %q", got)
	}
}

func names(rows []Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		switch r.Level {
		case LevelOwner:
			out[i] = "O:" + r.Owner
		case LevelFlavor:
			out[i] = "F:" + r.Flavor
		default:
			out[i] = r.Item.Name
		}
	}
	return out
}

func TestGroupsByOwnerThenFlavor(t *testing.T) {
	r := Build(fixture(), nil)
	rows := r.Rows(Query{}, now)
	want := []string{
		"O:alice", "F:" + fAscend1, "eval-910", "F:" + fAscend2, "train-910", "F:" + fV100, "gpu-a",
		"O:bob", "F:" + fCPU, "cpu-bob", "F:" + fV100, "gpu-b",
	}
	if got := names(rows); !slices.Equal(got, want) {
		t.Fatalf("rows\n%v\nwant\n%v", got, want)
	}
	alice := rows[0].Totals
	if alice.Instances != 3 || alice.VCPUs != 80 || alice.NoAutoStop != 1 || len(alice.Accels) != 2 ||
		alice.Accels[0] != (Accel{model.KindAscend, "Ascend 910", 3}) || alice.Accels[1] != (Accel{model.KindGPU, "V100", 1}) {
		t.Fatalf("alice %+v", alice)
	}
	if bob := rows[7].Totals; bob.Instances != 2 || bob.VCPUs != 10 || !bob.Since.Equal(now.Add(-2*time.Hour)) {
		t.Fatalf("bob %+v", bob)
	}
	if !alice.Soonest.Equal(now.Add(10*time.Minute)) || !alice.Since.Equal(now.Add(-5*time.Hour)) {
		t.Fatalf("alice soonest %s since %s", alice.Soonest, alice.Since)
	}
}

func TestFilter(t *testing.T) {
	r := Build(fixture(), nil)
	if got := names(r.Rows(Query{Filter: "bob"}, now)); !slices.Equal(got, []string{"O:bob", "F:" + fCPU, "cpu-bob", "F:" + fV100, "gpu-b"}) {
		t.Errorf("owner filter: %v", got)
	}
	// By accelerator type, across owners; totals follow the filter.
	rows := r.Rows(Query{Filter: "v100"}, now)
	if got := names(rows); !slices.Equal(got, []string{"O:alice", "F:" + fV100, "gpu-a", "O:bob", "F:" + fV100, "gpu-b"}) {
		t.Errorf("type filter: %v", got)
	}
	if rows[0].Totals.Instances != 1 || rows[0].Totals.VCPUs != 8 {
		t.Errorf("filtered totals %+v", rows[0].Totals)
	}
	if got := r.Rows(Query{Filter: "nothing-like-this"}, now); len(got) != 0 {
		t.Errorf("no match: %v", names(got))
	}
}

func TestSort(t *testing.T) {
	r := Build(fixture(), nil)
	owners := func(q Query) []string {
		var out []string
		for _, row := range r.Rows(q, now) {
			if row.Level == LevelOwner {
				out = append(out, row.Owner)
			}
		}
		return out
	}
	if got := owners(Query{Sort: ColName, Desc: true}); !slices.Equal(got, []string{"bob", "alice"}) {
		t.Errorf("name desc: %v", got)
	}
	if got := owners(Query{Sort: ColAccel, Desc: true}); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Errorf("cards desc: %v", got)
	}
	if got := owners(Query{Sort: ColAccel}); !slices.Equal(got, []string{"bob", "alice"}) {
		t.Errorf("cards asc: %v", got)
	}
	// Soonest auto-stop first: alice's eval-910 in 10 minutes.
	rows := r.Rows(Query{Sort: ColAutoStop}, now)
	if rows[0].Owner != "alice" || rows[1].Flavor != fAscend1 {
		t.Errorf("auto-stop: %v", names(rows))
	}
	// Longest running first within bob: cpu-bob (2h) before gpu-b (30m).
	var bob []string
	for _, row := range r.Rows(Query{Sort: ColRunning}, now) {
		if row.Level == LevelInstance && row.Owner == "bob" {
			bob = append(bob, row.Item.Name)
		}
	}
	if !slices.Equal(bob, []string{"cpu-bob", "gpu-b"}) {
		t.Errorf("running: %v", bob)
	}
}

// Instances without a deadline sort after those with one, both ways.
func TestSortMissingLast(t *testing.T) {
	insts := []model.Instance{
		inst("never", "x", fCPU, cpu2, noAutoStop),
		inst("soon", "x", fCPU, cpu2, stopsIn(time.Minute)),
		inst("later", "x", fCPU, cpu2, stopsIn(time.Hour)),
	}
	r := Build(insts, nil)
	for _, desc := range []bool{false, true} {
		got := names(r.Rows(Query{Sort: ColAutoStop, Desc: desc}, now))[2:]
		want := []string{"soon", "later", "never"}
		if desc {
			want = []string{"later", "soon", "never"}
		}
		if !slices.Equal(got, want) {
			t.Errorf("desc=%v: %v, want %v", desc, got, want)
		}
	}
}

func TestCellsWithoutPrices(t *testing.T) {
	r := Build(fixture(), nil)
	if r.Priced() || len(r.Columns()) != 5 {
		t.Fatalf("columns %v", r.Columns())
	}
	lines := r.Lines(r.Rows(Query{}, now), now)
	all := strings.Join(lines, "\n")
	if strings.Contains(all, "COST") || strings.Contains(all, "EUR") {
		t.Fatalf("money without prices:\n%s", all)
	}
	want := []string{
		"OWNER / FLAVOR / INSTANCE                  ACCEL                   vCPU  RUNNING  AUTO-STOP",
		"alice (3 instances)                        3× Ascend 910, 1× V100    80    5h00m  ⚠ 1 no auto-stop",
		"  modelarts.bm.npu.arm.910.1 (1 instance)  1× Ascend 910             24    2h00m  10:00",
		"    eval-910                               1× Ascend 910             24    2h00m  10:00",
		"  modelarts.bm.npu.arm.910.2 (1 instance)  2× Ascend 910             48    5h00m  1h00m",
		"    train-910                              2× Ascend 910             48    5h00m  1h00m",
		"  modelarts.vm.gpu.v100 (1 instance)       1× V100                    8    2h00m  ⚠ 1 no auto-stop",
		"    gpu-a                                  1× V100                    8    2h00m  ⚠ no auto-stop",
		"bob (2 instances)                          1× V100                   10    2h00m  1h00m",
		"  modelarts.vm.cpu.2u (1 instance)         CPU                        2    2h00m  1h00m",
		"    cpu-bob                                CPU                        2    2h00m  1h00m",
		"  modelarts.vm.gpu.v100 (1 instance)       1× V100                    8      30m  1h00m",
		"    gpu-b                                  1× V100                    8      30m  1h00m",
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines:\n%s", len(lines), all)
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d\n%q\nwant\n%q", i, lines[i], w)
		}
	}
}

func TestCellsWithPrices(t *testing.T) {
	prices := &Prices{Currency: "EUR", PerHour: map[string]float64{fAscend2: 10, fAscend1: 5, fV100: 2.5}}
	r := Build(fixture(), prices)
	cols := r.Columns()
	if !r.Priced() || len(cols) != 7 || r.Header(ColPerHour) != "COST/H EUR" || r.Header(ColCost) != "COST EUR" {
		t.Fatalf("columns %v", cols)
	}
	rows := r.Rows(Query{}, now)
	byName := map[string][]string{}
	for _, row := range rows {
		cells := r.Cells(row, now)
		switch row.Level {
		case LevelInstance:
			byName[row.Item.Name] = cells
		case LevelOwner:
			byName["O:"+row.Owner] = cells
		}
	}
	check := func(name, perHour, cost string) {
		t.Helper()
		c := byName[name]
		if c[5] != perHour || c[6] != cost {
			t.Errorf("%s: cost/h %q, cost %q; want %q, %q", name, c[5], c[6], perHour, cost)
		}
	}
	check("train-910", "10.00", "50.00") // 5 h at 10
	check("eval-910", "5.00", "10.00")   // 2 h at 5
	check("gpu-b", "2.50", "1.25")       // 30 min at 2.5
	check("cpu-bob", "?", "?")           // no price for the CPU flavor
	check("O:alice", "17.50", "65.00")
	check("O:bob", "2.50+", "1.25+")
	// Cost so far follows the clock without rebuilding the rows.
	later := now.Add(time.Hour)
	for _, row := range rows {
		if row.Level == LevelOwner && row.Owner == "alice" {
			if c := r.Cells(row, later); c[6] != "82.50" {
				t.Errorf("alice an hour later: %q", c[6])
			}
		}
	}
	// Sorting by cost puts the biggest spender first.
	if first := r.Rows(Query{Sort: ColCost, Desc: true}, now)[0]; first.Owner != "alice" {
		t.Errorf("cost desc: %s first", first.Owner)
	}
	if first := r.Rows(Query{Sort: ColPerHour}, now)[0]; first.Owner != "bob" {
		t.Errorf("cost/h asc: %s first", first.Owner)
	}
}

func TestRunningSince(t *testing.T) {
	created := now.Add(-48 * time.Hour)
	g1 := model.Instance{Generation: model.Gen1, Status: "RUNNING", Class: model.ClassRunning, Created: created,
		Updated:  now.Add(-10 * time.Minute), // latest_update_timestamp: not the start
		AutoStop: model.AutoStop{Enabled: true, Duration: 4 * time.Hour, Deadline: now.Add(time.Hour)}}
	if s, ok := RunningSince(&g1); !ok || !s.Equal(now.Add(-3*time.Hour)) {
		t.Errorf("gen 1: %s %v, want stop_timestamp − duration", s, ok)
	}
	// A duration edited while running would put the start before the
	// creation: update_at is used instead.
	g1.AutoStop.Duration = 72 * time.Hour
	if s, ok := RunningSince(&g1); !ok || !s.Equal(g1.Updated) {
		t.Errorf("gen 1 edited: %s %v", s, ok)
	}
	g1.AutoStop = model.AutoStop{}
	if s, ok := RunningSince(&g1); !ok || !s.Equal(g1.Updated) {
		t.Errorf("gen 1 without auto-stop: %s %v", s, ok)
	}
	// Gen 2: update_at, not the lease's create_at (its first creation).
	g2 := inst("g2", "", "", cpu2, startedAgo(90*time.Minute))
	g2.Created = created
	if s, ok := RunningSince(&g2); !ok || !s.Equal(now.Add(-90*time.Minute)) {
		t.Errorf("gen 2: %s %v", s, ok)
	}
	g2.Updated = time.Time{}
	if _, ok := RunningSince(&g2); ok {
		t.Error("gen 2 without update_at: a start was made up")
	}
	st := inst("s", "", "", cpu2, stopped)
	if _, ok := RunningSince(&st); ok {
		t.Error("a stopped instance is running")
	}
}

func TestUnknownOwnerAndSanitising(t *testing.T) {
	r := Build([]model.Instance{inst("x\x1b]0;pwn\a", "", "fl\u202eavor", cpu2)}, nil)
	lines := strings.Join(r.Lines(r.Rows(Query{}, now), now), "\n")
	if !strings.Contains(lines, "(unknown) (1 instance)") || strings.ContainsAny(lines, "\x1b\a\u202e") {
		t.Errorf("lines:\n%q", lines)
	}
}
