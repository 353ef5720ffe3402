package flavorpicker

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/client"
	"matui/client/auth"
	"matui/client/sim"
	"matui/model"
	"matui/themes"
	"matui/ui/forms/formtest"
	"matui/ui/keys"
	"matui/ui/uictx"
)

var update = flag.Bool("update", false, "rewrite golden files")

func testCtx() *uictx.Context {
	p, _ := themes.Builtin(themes.Names()[0])
	return &uictx.Context{Width: 100, Height: 40, Styles: themes.New(p, true), Keys: keys.Default()}
}

const gib = 1 << 20 // KiB per GiB

// flavors mirrors a slice of the simulator's catalog; fixed here so the
// goldens do not move when the catalog grows.
func flavors() []model.NotebookFlavor {
	return []model.NotebookFlavor{
		{ID: "modelarts.vm.cpu.2u", Name: "CPU: 2 vCPUs 8 GB", Description: "General-purpose Intel CPU flavor.", Arch: "x86_64", Category: "CPU", VCPUs: 2, Memory: 8 * gib, Storages: []string{"EVS", "EFS"}, Billing: model.BillingInfo{Code: "modelarts.vm.cpu.2u", UnitNum: 1}},
		{ID: "modelarts.vm.cpu.free", Name: "CPU: 1 vCPUs 4 GB (free)", Arch: "x86_64", Category: "CPU", Free: true, VCPUs: 1, Memory: 4 * gib},
		{ID: "modelarts.vm.gpu.t4", Name: "GPU: 1*T4(16GB) | CPU: 8 vCPUs 32 GB", Arch: "x86_64", Category: "GPU", VCPUs: 8, Memory: 32 * gib, GPU: model.GPUInfo{GPU: 1, GPUMemory: "16GB", Type: "T4"}},
		{ID: "modelarts.bm.gpu.8v100NV32", Name: "GPU: 8*V100NV32(32GB) | CPU: 64 vCPUs 512 GB", Arch: "x86_64", Category: "GPU", SoldOut: true, VCPUs: 64, Memory: 512 * gib, GPU: model.GPUInfo{GPU: 8, GPUMemory: "32GB", Type: "V100"}},
		{ID: "modelarts.bm.d910.xlarge.2", Name: "Ascend: 2*Ascend 910(32GB) | ARM: 48 vCPUs 192 GB", Description: "Ascend 910 with two NPUs.", Arch: "aarch64", Category: "ASCEND", VCPUs: 48, Memory: 192 * gib, Ascend: model.AscendInfo{NPU: 2, NPUMemory: "32GB", Type: "Ascend 910", Chip: 2}, Storages: []string{"EVS"}, Billing: model.BillingInfo{Code: "modelarts.snt9.2xlarge", UnitNum: 2}},
		{ID: "modelarts.bm.d910b.xlarge.8", Name: "Ascend: 8*Ascend 910B(64GB) | ARM: 192 vCPUs 1536 GB", Description: "A full Ascend 910B (Snt9B) server.", Arch: "aarch64", Category: "ASCEND", SoldOut: true, VCPUs: 192, Memory: 1536 * gib, Ascend: model.AscendInfo{NPU: 8, NPUMemory: "64GB", Type: "Ascend 910B", Chip: 8}},
		{ID: "evil\x1b]0;pwned\x07.flavor", Name: "bad \x1b[31mred", Arch: "x86_64", Category: "CPU", VCPUs: 4, Memory: 16 * gib},
	}
}

func press(p *Picker, script string) Result {
	var r Result
	for _, k := range formtest.Keys(script) {
		r, _ = p.Update(k)
	}
	return r
}

func TestFilterByCategoryArchAndSearch(t *testing.T) {
	p := New(testCtx(), flavors(), Options{})
	if n := len(p.Visible()); n != 7 {
		t.Fatalf("all: %d rows", n)
	}
	press(p, "tab") // CPU
	if got := p.Visible(); !slices.Equal(got, []string{"modelarts.vm.cpu.2u", "modelarts.vm.cpu.free", "evil\x1b]0;pwned\x07.flavor"}) {
		t.Errorf("CPU: %q", got)
	}
	press(p, "tab tab") // Ascend
	if got := p.Visible(); !slices.Equal(got, []string{"modelarts.bm.d910.xlarge.2", "modelarts.bm.d910b.xlarge.8"}) {
		t.Errorf("Ascend: %q", got)
	}
	press(p, "A") // x86_64 only: no Ascend flavor
	if got := p.Visible(); len(got) != 0 {
		t.Errorf("Ascend x86_64: %q", got)
	}
	if v := ansi.Strip(p.View(80, 24)); !strings.Contains(v, "no flavor matches the filters") {
		t.Errorf("empty view:\n%s", v)
	}
	press(p, "A tab") // aarch64, All
	if got := p.Visible(); len(got) != 2 {
		t.Errorf("All aarch64: %q", got)
	}
	press(p, `A / "910b" enter`) // any arch, search
	if got := p.Visible(); !slices.Equal(got, []string{"modelarts.bm.d910b.xlarge.8"}) {
		t.Errorf("search 910b: %q", got)
	}
	press(p, "esc") // clears the search, stays open
	if len(p.Visible()) != 7 {
		t.Errorf("esc did not clear the search: %q", p.Visible())
	}
	if r := press(p, "esc"); !r.Done || r.Picked != nil {
		t.Errorf("second esc = %+v, want cancelled", r)
	}
}

func TestSoldOutNotSelectable(t *testing.T) {
	p := New(testCtx(), flavors(), Options{Selected: "modelarts.bm.gpu.8v100NV32"})
	if f, _ := p.Highlighted(); f.ID != "modelarts.bm.gpu.8v100NV32" {
		t.Fatalf("highlighted %q", f.ID)
	}
	r := press(p, "enter")
	if r.Done || r.Picked != nil {
		t.Fatalf("sold-out flavor picked: %+v", r)
	}
	v := ansi.Strip(p.View(120, 40))
	if !strings.Contains(v, "modelarts.bm.gpu.8v100NV32 is sold out: resources are insufficient right now") {
		t.Errorf("no reason shown:\n%s", v)
	}
	r = press(p, "up enter")
	if !r.Done || r.Picked == nil || r.Picked.ID != "modelarts.vm.gpu.t4" {
		t.Errorf("up enter = %+v", r)
	}
}

func TestAscendDetail(t *testing.T) {
	p := New(testCtx(), flavors(), Options{Selected: "modelarts.bm.d910.xlarge.2"})
	v := ansi.Strip(p.View(120, 40))
	for _, want := range []string{"NPU type    Ascend 910", "NPUs        2", "NPU memory  32 GiB per NPU", "Chips       2", "Arch        aarch64", "Ascend 910 × 2"} {
		if !strings.Contains(v, want) {
			t.Errorf("missing %q:\n%s", want, v)
		}
	}
}

func TestSanitised(t *testing.T) {
	p := New(testCtx(), flavors(), Options{Selected: "evil\x1b]0;pwned\x07.flavor"})
	for _, w := range []int{80, 120} {
		if v := p.View(w, 30); strings.Contains(v, "\x1b]") || strings.Contains(v, "\x07") || strings.Contains(v, "\x1b[31m") {
			t.Errorf("escape reached the view at %d: %q", w, v)
		}
	}
}

func TestGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		p := New(testCtx(), flavors(), Options{Selected: "modelarts.bm.d910.xlarge.2"})
		got := ansi.Strip(p.View(size.w, size.h))
		for i, l := range strings.Split(got, "\n") {
			if n := ansi.StringWidth(l); n > size.w {
				t.Errorf("%dx%d line %d is %d wide: %q", size.w, size.h, i, n, l)
			}
		}
		if n := strings.Count(got, "\n") + 1; n > size.h {
			t.Errorf("%dx%d: %d lines", size.w, size.h, n)
		}
		name := filepath.Join("testdata", fmt.Sprintf("picker_%dx%d.golden", size.w, size.h))
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs\n got:\n%s\nwant:\n%s", name, got, want)
		}
	}
}

// TestSimulatorCatalog runs the picker over the simulator's real catalog:
// Ascend flavors are classified and shown, sold-out ones refused.
func TestSimulatorCatalog(t *testing.T) {
	s, err := sim.New(sim.Options{Seed: 1, NoAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c, err := client.New(client.Options{Endpoint: srv.URL, ProjectID: s.Credentials().ProjectID, Auth: auth.Token{Value: "sim-no-auth"}, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := c.ListFlavors(context.Background(), client.FlavorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := New(testCtx(), fs, Options{Category: model.KindAscend})
	if len(p.Visible()) == 0 {
		t.Fatal("no Ascend flavors from the simulator")
	}
	sawSoldOut := false
	for range p.Visible() {
		f, _ := p.Highlighted()
		if !strings.Contains(ansi.Strip(p.View(120, 40)), "NPU type") {
			t.Errorf("%s: no NPU type in the detail", f.ID)
		}
		if f.SoldOut {
			sawSoldOut = true
			if r := press(p, "enter"); r.Done {
				t.Errorf("sold-out %s picked", f.ID)
			}
		}
		press(p, "down")
	}
	if !sawSoldOut {
		t.Error("simulator catalog has no sold-out Ascend flavor to test")
	}
}

// TestBrowsePicksNothing: the read-only picker (:flavors) never picks, and
// esc closes it.
func TestBrowsePicksNothing(t *testing.T) {
	p := New(testCtx(), flavors(), Options{Browse: true})
	if r := press(p, "tab tab tab enter"); r.Done || r.Picked != nil {
		t.Fatalf("enter in browse mode: %+v", r)
	}
	if f, _ := p.Highlighted(); f.Category != "ASCEND" {
		t.Fatalf("highlighted %q", f.ID)
	}
	v := ansi.Strip(p.View(80, 24))
	if !strings.Contains(v, "esc back") || strings.Contains(v, "enter pick") || !strings.Contains(v, "Ascend 910") {
		t.Fatalf("browse view:\n%s", v)
	}
	if r := press(p, "esc"); !r.Done || r.Picked != nil {
		t.Fatalf("esc: %+v", r)
	}
}
