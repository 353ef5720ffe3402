package poolpicker

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/model"
	"matui/ui/forms/formtest"
)

var pools = []model.Cluster{
	{PoolID: "pool-a1b2c3d4", Type: model.PoolDedicated, Status: model.PoolActive, ResourceCategories: model.Strings{"GPU"},
		Flavors: []model.NotebookFlavor{{ID: "modelarts.vm.gpu.t4"}, {ID: "modelarts.vm.cpu.2u"}}},
	{PoolID: "pool-c9d0e1f2", Type: model.PoolDedicated, Status: model.PoolInitializing, ResourceCategories: model.Strings{"CPU"}},
	{PoolID: "pool-public-cpu", Type: model.PoolManaged, Status: model.PoolActive, ResourceCategories: model.Strings{"CPU"}},
}

// drive sends the script's keys and returns the last result.
func drive(p *Picker, script string) Result {
	var r Result
	for _, k := range formtest.Keys(script) {
		r, _ = p.Update(k)
	}
	return r
}

func TestRowsAndPick(t *testing.T) {
	p := New(formtest.Ctx(), pools, "")
	v := ansi.Strip(p.View(100, 20))
	for _, want := range []string{"public pool", "pool-a1b2c3d4", "ACTIVE", "GPU", "pool-c9d0e1f2", "INITIALIZING"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "pool-public-cpu") {
		t.Errorf("a public (MANAGED) pool is offered as a pool_id:\n%s", v)
	}
	if r := drive(p, "enter"); !r.Done || !r.Picked || r.ID != "" || r.Pool != nil {
		t.Errorf("the first row is not the public pool: %+v", r)
	}
	p = New(formtest.Ctx(), pools, "")
	r := drive(p, "down enter")
	if !r.Done || r.ID != "pool-a1b2c3d4" || r.Pool == nil || len(r.Pool.Flavors) != 2 {
		t.Errorf("pick the active pool: %+v", r)
	}
}

// A pool that is not ACTIVE is shown but cannot be picked, and says why.
func TestInactivePoolNotPickable(t *testing.T) {
	p := New(formtest.Ctx(), pools, "")
	if r := drive(p, "down down enter"); r.Done || r.Picked {
		t.Fatalf("an initializing pool was picked: %+v", r)
	}
	if got := p.Message(); !strings.Contains(got, "pool-c9d0e1f2 is INITIALIZING") || !strings.Contains(got, "ACTIVE") {
		t.Errorf("message %q", got)
	}
}

// Typing filters; an ID no listed pool has is used as typed.
func TestFilterAndFreeEntry(t *testing.T) {
	p := New(formtest.Ctx(), pools, "")
	if r := drive(p, `"a1b2" enter`); r.ID != "pool-a1b2c3d4" || r.Pool == nil {
		t.Errorf("filtered pick: %+v", r)
	}
	p = New(formtest.Ctx(), pools, "")
	drive(p, `"pool-elsewhere"`)
	if v := ansi.Strip(p.View(100, 20)); !strings.Contains(v, `use "pool-elsewhere" as the pool ID (not listed)`) {
		t.Errorf("no free-entry row:\n%s", v)
	}
	if r := drive(p, "enter"); !r.Done || r.ID != "pool-elsewhere" || r.Pool != nil {
		t.Errorf("free entry: %+v", r)
	}
	// Reopened on that ID, the picker offers it again.
	p = New(formtest.Ctx(), pools, "pool-elsewhere")
	if r := drive(p, "enter"); r.ID != "pool-elsewhere" {
		t.Errorf("reopened on a typed ID: %+v", r)
	}
	// Reopened on a listed pool, the cursor is on it.
	p = New(formtest.Ctx(), pools, "pool-a1b2c3d4")
	if r := drive(p, "enter"); r.ID != "pool-a1b2c3d4" {
		t.Errorf("reopened on a listed pool: %+v", r)
	}
}

func TestEscCancels(t *testing.T) {
	p := New(formtest.Ctx(), pools, "")
	if r := drive(p, `"x" esc`); !r.Done || r.Picked {
		t.Errorf("esc: %+v", r)
	}
}

func TestLabel(t *testing.T) {
	for _, c := range []struct {
		id   string
		pool *model.Cluster
		want string
	}{
		{"", nil, "public pool"},
		{"pool-x", nil, "pool-x (not listed)"},
		{"pool-a1b2c3d4", &pools[0], "pool-a1b2c3d4 · ACTIVE · GPU"},
		{"p\x1b[31m", nil, "p (not listed)"},
	} {
		if got := Label(c.id, c.pool); got != c.want {
			t.Errorf("Label(%q) = %q, want %q", c.id, got, c.want)
		}
	}
}
