package notebook

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/client"
	"matui/model"
	"matui/ui/forms"
	"matui/ui/forms/formtest"
	"matui/ui/overlay"
)

var pools = []model.Cluster{
	{PoolID: "pool-gpu", Type: model.PoolDedicated, Status: model.PoolActive, ResourceCategories: model.Strings{"GPU"},
		Flavors: []model.NotebookFlavor{catalog[1]}}, // the T4 only
	{PoolID: "pool-new", Type: model.PoolDedicated, Status: model.PoolInitializing, ResourceCategories: model.Strings{"CPU"}},
	{PoolID: "pool-any", Type: model.PoolDedicated, Status: model.PoolActive, ResourceCategories: model.Strings{"CPU"}},
	{PoolID: "pool-public-cpu", Type: model.PoolManaged, Status: model.PoolActive},
}

// openPool focuses the pool field and opens its picker.
func openPool(t *testing.T, f *Create) {
	t.Helper()
	f.set.FocusKey(keyPool)
	formtest.Drive(f, "space")
	if f.Lifecycle.Stage != stagePool {
		t.Fatalf("no pool picker:\n%s", ansi.Strip(f.View(120, 40)))
	}
}

// With the pools listed, the pool field is a picker: a dedicated pool's
// own flavors become the flavor picker's offer (the flavor follows), the
// dedicated-pool fields appear, the body names the pool.
func TestPoolPicker(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images, Pools: pools})
	if got := f.Field(keyPool).Value; got != "public pool" {
		t.Errorf("pool field %q", got)
	}
	formtest.Drive(f, `"on-pool"`)
	openPool(t, f)
	formtest.Drive(f, "down enter")
	if got := f.Field(keyPool).Value; got != "pool-gpu · ACTIVE · GPU" {
		t.Errorf("pool field %q", got)
	}
	req, ok := f.Request()
	if !ok || req.PoolID != "pool-gpu" || req.Flavor != "modelarts.vm.gpu.t4" || req.ImageID != "img-cpu" {
		t.Errorf("request %+v (valid %v):\n%s", req, ok, ansi.Strip(f.View(120, 60)))
	}
	if f.Field(keyAffinity).Hidden || f.Field(keySizeKind).Hidden {
		t.Error("dedicated-pool fields hidden")
	}
	f.set.FocusKey(forms.KeyFlavor)
	formtest.Drive(f, "space")
	if got := f.picker.Visible(); !slices.Equal(got, []string{"modelarts.vm.gpu.t4"}) {
		t.Errorf("flavor picker offers %q, want the pool's own", got)
	}
	formtest.Drive(f, "esc")

	// A pool without a flavor list offers the catalog, and the chosen
	// flavor stays; back on the public pool, pool_id is not sent.
	openPool(t, f)
	formtest.Drive(f, `"pool-any" enter`)
	if req, _ := f.Request(); req.PoolID != "pool-any" || req.Flavor != "modelarts.vm.gpu.t4" || len(f.flavors) != len(catalog) {
		t.Errorf("pool without flavors: %+v, offer %d", req, len(f.flavors))
	}
	openPool(t, f)
	formtest.Drive(f, "up up up enter") // reopened on pool-any, the 4th row; the 1st is the public pool
	if req, _ := f.Request(); req.PoolID != "" || !f.Field(keyAffinity).Hidden {
		t.Errorf("public pool: pool_id %q", req.PoolID)
	}
}

// A pool that is not ACTIVE is visible with its status and cannot be
// picked; an unlisted ID can be typed; esc keeps the choice.
func TestPoolPickerInactiveAndFreeEntry(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images, Pools: pools})
	openPool(t, f)
	formtest.Drive(f, "down down enter")
	v := ansi.Strip(f.View(120, 40))
	if f.Lifecycle.Stage != stagePool || !strings.Contains(v, "pool-new is INITIALIZING") {
		t.Errorf("an initializing pool was picked or not explained:\n%s", v)
	}
	if strings.Contains(v, "pool-public-cpu") {
		t.Errorf("a public pool offered as pool_id:\n%s", v)
	}
	formtest.Drive(f, `"pool-elsewhere" enter`)
	if req, _ := f.Request(); req.PoolID != "pool-elsewhere" || f.Field(keyPool).Value != "pool-elsewhere (not listed)" {
		t.Errorf("free entry: %q, field %q", req.PoolID, f.Field(keyPool).Value)
	}
	openPool(t, f)
	formtest.Drive(f, "esc")
	if req, _ := f.Request(); req.PoolID != "pool-elsewhere" {
		t.Errorf("esc changed the pool: %q", req.PoolID)
	}
}

// ModelArts.6355 (the pool became unusable meanwhile) lands on the pool.
func TestPoolServerError(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images, Pools: pools})
	formtest.Drive(f, `"x"`)
	openPool(t, f)
	formtest.Drive(f, "down enter ctrl+s")
	f.Update(overlay.Done{Err: &client.APIError{HTTPStatus: 400, Code: "ModelArts.6355", Message: "The dedicated resource pool pool-gpu is initializing. Try again in a minute."}})
	if got := f.Field(keyPool).Err; !strings.Contains(got, "ModelArts.6355") {
		t.Errorf("pool error %q, banner %q", got, f.banner)
	}
}

// The simulator's pools, as ListPools gives them: picking its GPU pool
// creates a notebook there with one of the pool's flavors.
func TestPoolPickerOnSimulator(t *testing.T) {
	c, _ := formtest.SimClient(t)
	ctx := context.Background()
	fs, ims := simCatalog(t, c)
	ps, err := c.ListPools(ctx, client.PoolOptions{Type: model.PoolDedicated})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(ps, func(p model.Cluster) bool { return p.Usable() && len(p.Flavors) > 0 })
	if i < 0 {
		t.Fatalf("no active pool with flavors: %+v", ps)
	}
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: fs, Images: ims, Pools: ps, Create: c.CreateNotebook})
	formtest.Drive(f, `"on-sim-pool"`)
	openPool(t, f)
	formtest.Drive(f, `"`+ps[i].PoolID+`" enter ctrl+s`)
	s, ok := f.Lifecycle.Submit()
	if !ok {
		t.Fatalf("no submission:\n%s", ansi.Strip(f.View(120, 60)))
	}
	req := s.Body.(CreateMsg).Req
	if req.PoolID != ps[i].PoolID || !slices.ContainsFunc(ps[i].Flavors, func(fl model.NotebookFlavor) bool { return fl.ID == req.Flavor }) {
		t.Errorf("request %+v: not a flavor of the pool", req)
	}
	v, err := s.Run(ctx)
	if err != nil {
		t.Fatalf("simulator refused %+v: %v", req, err)
	}
	if in := v.(overlay.Change).Instance; in.Pool == "" {
		t.Errorf("created without a pool: %+v", in)
	}
}

// The pool picker and the tags field change nothing on the default path:
// a name and enter through the form still make the default body.
func TestDefaultsWithPoolsAndTags(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images, Pools: pools, AddTags: (&tagFuncs{}).fn("add")})
	cm := formtest.Sent[CreateMsg](t, f, formtest.Drive(f, `"nb-1"`+strings.Repeat(" enter", 30)))
	b, _ := json.Marshal(cm.Req)
	want := `{"name":"nb-1","flavor":"modelarts.vm.cpu.2u","image_id":"img-cpu","volume":{"category":"EVS","ownership":"MANAGED","capacity":5},"lease":{"duration":3600000,"type":"timing"}}`
	if string(b) != want || cm.Tags != nil {
		t.Errorf("body\n got %s (tags %v)\nwant %s", b, cm.Tags, want)
	}
}
