package notebook

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"matui/client"
	"matui/model"
	"matui/ui/forms"
	"matui/ui/forms/formtest"
	"matui/ui/overlay"
)

// simCatalog is the simulator's flavors and images.
func simCatalog(t *testing.T, c *client.Client) ([]model.NotebookFlavor, []model.Image) {
	t.Helper()
	ctx := context.Background()
	fs, err := c.ListFlavors(ctx, client.FlavorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ims, err := c.ListImages(ctx, client.ImageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return fs, ims
}

var catalog = []model.NotebookFlavor{
	{ID: "modelarts.vm.cpu.free", Arch: "x86_64", Category: "CPU", Feature: "DEFAULT", Free: true, VCPUs: 1, Memory: 4 << 20},
	{ID: "modelarts.vm.gpu.t4", Arch: "x86_64", Category: "GPU", VCPUs: 8, Memory: 32 << 20, GPU: model.GPUInfo{GPU: 1, Type: "T4"}},
	{ID: "modelarts.vm.cpu.2u", Arch: "x86_64", Category: "CPU", Feature: "NOTEBOOK", VCPUs: 2, Memory: 8 << 20},
	{ID: "modelarts.bm.d910.xlarge.1", Arch: "aarch64", Category: "ASCEND", VCPUs: 24, Memory: 96 << 20, Ascend: model.AscendInfo{NPU: 1, Type: "Ascend 910"}},
}

var images = []model.Image{
	{ID: "img-gpu", Name: "pytorch", Tag: "cuda", Arch: "x86_64", ResourceCategories: []string{"GPU"}},
	{ID: "img-arm", Name: "mindspore", Tag: "910", Arch: "aarch64", ResourceCategories: []string{"ASCEND"}},
	{ID: "img-cpu", Name: "mul-kernel-cpu", Tag: "5.0", Arch: "X86_64", ResourceCategories: []string{"CPU", "GPU"}},
}

func TestDefaultsNameAndEnter(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	m := formtest.Drive(f, `"nb-1"`+strings.Repeat(" enter", 30))
	cm := formtest.Sent[CreateMsg](t, f, m)
	b, _ := json.Marshal(cm.Req)
	want := `{"name":"nb-1","flavor":"modelarts.vm.cpu.2u","image_id":"img-cpu","volume":{"category":"EVS","ownership":"MANAGED","capacity":5},"lease":{"duration":3600000,"type":"timing"}}`
	if string(b) != want {
		t.Errorf("body\n got %s\nwant %s", b, want)
	}
}

func TestCustomisedBody(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	// name, description, flavor (picker: GPU tab, pick T4), image stays the
	// CPU/GPU one, EVS 20 GB, custom 30 h idle, SSH with one IP, inline hook.
	script := `"train" enter "my box" enter space tab tab enter enter enter enter ctrl+u "20" enter ` +
		`left enter "30" enter right enter "kp1" enter "1.2.3.4" enter enter right right enter enter "echo hi"`
	formtest.Drive(f, script)
	m := formtest.Drive(f, "ctrl+s enter")
	cm := formtest.Sent[CreateMsg](t, f, m)
	b, _ := json.Marshal(cm.Req)
	want := `{"name":"train","description":"my box","flavor":"modelarts.vm.gpu.t4","image_id":"img-cpu",` +
		`"volume":{"category":"EVS","ownership":"MANAGED","capacity":20},` +
		`"endpoints":[{"service":"SSH","key_pair_names":["kp1"],"allowed_access_ips":["1.2.3.4"]}],` +
		`"lease":{"duration":108000000,"type":"idle"},` +
		`"hooks":{"container_hooks":{"post_start":{"script":"ZWNobyBoaQ==","type":"COMMAND"}}}}`
	if string(b) != want {
		t.Errorf("body\n got %s\nwant %s", b, want)
	}
}

func TestImagesFollowFlavor(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	formtest.Drive(f, `"x" enter enter space tab tab tab enter`) // Ascend tab, pick d910
	if got := f.Field(forms.KeyFlavor).Value; got != "modelarts.bm.d910.xlarge.1" {
		t.Fatalf("flavor = %q", got)
	}
	req, ok := f.Request()
	if !ok || req.ImageID != "img-arm" {
		t.Errorf("image for Ascend = %q (valid %v)", req.ImageID, ok)
	}
	if got := ImagesFor(images, catalog[1]); len(got) != 2 || got[0].ID != "img-gpu" || got[1].ID != "img-cpu" {
		t.Errorf("GPU images = %+v", got)
	}
}

func TestInvalidFieldsBlockReviewAndKeepValues(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	m := formtest.Drive(f, `"bad name!" enter enter enter enter enter ctrl+u "4"`+strings.Repeat(" enter", 20))
	if m != nil {
		t.Fatalf("invalid form submitted: %#v", m)
	}
	if f.Reviewing() {
		t.Fatal("review opened on an invalid form")
	}
	v := ansi.Strip(f.View(200, 60))
	for _, want := range []string{"name: contains ' '", "volume.capacity", "5–4,096", "review disabled"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if f.Field(forms.KeyName).Text() != "bad name!" || f.Field(keySize).Text() != "4" {
		t.Error("typed values were lost")
	}
}

func TestServerErrorsMapToFields(t *testing.T) {
	cases := []struct{ code, field string }{
		{"ModelArts.6318", keySize},
		{"ModelArts.6358", keySize},
		{"ModelArts.6349", keyAutoStop},
		{"ModelArts.6348", keyAutoStop},
		{"ModelArts.6334", forms.KeyName},
		{"ModelArts.6792", forms.KeyFlavor},
	}
	for _, c := range cases {
		f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
		formtest.Drive(f, `"keep-me" ctrl+s`)
		if !f.Reviewing() {
			t.Fatal("not reviewing")
		}
		f.Update(overlay.Done{Err: &client.APIError{HTTPStatus: 400, Code: c.code, Message: "refused \x1b[31mred"}})
		if f.Reviewing() {
			t.Errorf("%s: form did not return to editing", c.code)
		}
		if got := f.Field(c.field).Err; !strings.Contains(got, c.code) || strings.Contains(got, "\x1b") {
			t.Errorf("%s: field %s error = %q", c.code, c.field, got)
		}
		if f.Field(forms.KeyName).Text() != "keep-me" {
			t.Errorf("%s: name lost", c.code)
		}
	}
}

func TestEscAsksBeforeDiscarding(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	if _, ok := formtest.Drive(f, "esc").(formtest.Cancelled); !ok {
		t.Fatal("esc on an untouched form did not cancel")
	}
	f = NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	if m := formtest.Drive(f, `"x" esc`); m != nil {
		t.Fatalf("esc on a changed form closed it: %#v", m)
	}
	if !strings.Contains(ansi.Strip(f.View(100, 40)), "Discard") {
		t.Error("no discard question")
	}
	if m := formtest.Drive(f, "n"); m != nil || f.Field(forms.KeyName).Text() != "x" {
		t.Fatal("n did not keep editing")
	}
	if _, ok := formtest.Drive(f, "esc y").(formtest.Cancelled); !ok {
		t.Fatal("y did not discard")
	}
}

// TestDefaultAcceptedBySimulator: the defaults, over the simulator's real
// catalog, produce a body the simulator accepts.
func TestDefaultAcceptedBySimulator(t *testing.T) {
	c, _ := formtest.SimClient(t)
	ctx := context.Background()
	fs, ims := simCatalog(t, c)
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: fs, Images: ims})
	cm := formtest.Sent[CreateMsg](t, f, formtest.Drive(f, `"from-form"`+strings.Repeat(" enter", 30)))
	if cm.Req.Volume.Capacity != 5 || cm.Req.Lease == nil || cm.Req.Lease.Duration != 3_600_000 {
		t.Errorf("defaults: %+v", cm.Req)
	}
	nb, err := c.CreateNotebook(ctx, cm.Req)
	if err != nil {
		t.Fatalf("simulator refused the default body: %v", err)
	}
	if nb.Name != "from-form" || nb.Flavor != cm.Req.Flavor {
		t.Errorf("created %+v", nb)
	}
}

// offScript reaches Auto-stop from the name and picks "off" (two to the
// left of the default 1 h: custom, then off).
const offScript = `"nb-off" enter enter enter enter enter enter left left`

func TestAutoStopOffBody(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	formtest.Drive(f, offScript)
	if got := f.Field(keyAutoStop).Text(); got != "off" {
		t.Fatalf("auto-stop = %q", got)
	}
	if !f.Field(keyLeaseType).Hidden || !f.Field(keyCustomH).Hidden {
		t.Error("lease type or custom hours shown with auto-stop off")
	}
	formtest.Drive(f, "ctrl+s")
	if !f.Reviewing() {
		t.Fatalf("not reviewing:\n%s", ansi.Strip(f.View(100, 40)))
	}
	if v := ansi.Strip(f.View(100, 40)); !strings.Contains(v, "no auto-stop") {
		t.Errorf("review does not say no auto-stop:\n%s", v)
	}
	cm := formtest.Sent[CreateMsg](t, f, formtest.Drive(f, "enter"))
	b, _ := json.Marshal(cm.Req)
	want := `{"name":"nb-off","flavor":"modelarts.vm.cpu.2u","image_id":"img-cpu","volume":{"category":"EVS","ownership":"MANAGED","capacity":5},"duration":-1}`
	if string(b) != want {
		t.Errorf("body\n got %s\nwant %s", b, want)
	}
}

func TestAutoStopOffAcceptedBySimulator(t *testing.T) {
	c, _ := formtest.SimClient(t)
	ctx := context.Background()
	fs, ims := simCatalog(t, c)
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: fs, Images: ims})
	cm := formtest.Sent[CreateMsg](t, f, formtest.Drive(f, offScript+" ctrl+s enter"))
	if cm.Req.Lease != nil || cm.Req.Duration == nil || *cm.Req.Duration != -1 {
		t.Fatalf("request %+v", cm.Req)
	}
	nb, err := c.CreateNotebook(ctx, cm.Req)
	if err != nil {
		t.Fatalf("simulator refused: %v", err)
	}
	got, err := c.ShowNotebook(ctx, nb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Lease.Enable || got.Lease.CreateAt == 0 {
		t.Errorf("lease not present or enabled: %+v", got.Lease)
	}
}

func TestFreshFormShowsNoErrorsUntilEditedOrAttempted(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	v := ansi.Strip(f.View(100, 40))
	if strings.Contains(v, "✗") || strings.Contains(v, "need fixing") {
		t.Fatalf("fresh form greets with errors:\n%s", v)
	}
	if !strings.Contains(v, "review disabled until Name is valid") {
		t.Errorf("no disabled reason:\n%s", v)
	}
	// Typing and erasing the name shows its error.
	formtest.Drive(f, `"a" backspace`)
	if v := ansi.Strip(f.View(100, 40)); !strings.Contains(v, "✗ name:") {
		t.Errorf("edited name's error not shown:\n%s", v)
	}
	// A review attempt on a fresh form shows every error and stays put.
	f = NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	formtest.Drive(f, "ctrl+s")
	v = ansi.Strip(f.View(100, 40))
	if f.Reviewing() || !strings.Contains(v, "✗ name:") || !strings.Contains(v, "1 field(s) need fixing") {
		t.Errorf("attempted review:\n%s", v)
	}
	// Valid: the footer offers review again.
	formtest.Drive(f, `"ok"`)
	if v := ansi.Strip(f.View(100, 40)); strings.Contains(v, "disabled") || !strings.Contains(v, "ctrl+s review") {
		t.Errorf("valid form footer:\n%s", v)
	}
}

func manyImages(n int) []model.Image {
	out := make([]model.Image, n)
	for i := range out {
		out[i] = model.Image{ID: fmt.Sprintf("img-%02d", i), Name: fmt.Sprintf("image-%02d", i), Tag: "1", Arch: "x86_64", ResourceCategories: []string{"CPU"}}
	}
	return out
}

var (
	upMore   = regexp.MustCompile(`↑ \d+ more`)
	downMore = regexp.MustCompile(`↓ \d+ more`)
)

func TestImageListScrolls(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: manyImages(60)})
	formtest.Drive(f, "down down down space") // Image field: open the list
	check := func(step string, cursor int, up, down bool) {
		t.Helper()
		v := ansi.Strip(f.View(80, 24))
		lines := strings.Split(v, "\n")
		if len(lines) > 24 {
			t.Errorf("%s: %d lines > 24:\n%s", step, len(lines), v)
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > 80 {
				t.Errorf("%s: line wider than 80: %q", step, l)
			}
		}
		if want := fmt.Sprintf("> image-%02d:1", cursor); !strings.Contains(v, want) {
			t.Errorf("%s: cursor row %q not visible:\n%s", step, want, v)
		}
		if got := upMore.MatchString(v); got != up {
			t.Errorf("%s: ↑ marker %v, want %v:\n%s", step, got, up, v)
		}
		if got := downMore.MatchString(v); got != down {
			t.Errorf("%s: ↓ marker %v, want %v:\n%s", step, got, down, v)
		}
	}
	check("top", 0, false, true)
	if v := ansi.Strip(f.View(80, 24)); !strings.Contains(v, "↓ 41 more") {
		t.Errorf("top: want ↓ 41 more (19 rows of 60):\n%s", v)
	}
	formtest.Drive(f, strings.Repeat("down ", 40))
	check("middle", 40, true, true)
	if v := ansi.Strip(f.View(80, 24)); !strings.Contains(v, "↑ 22 more") || !strings.Contains(v, "↓ 19 more") {
		t.Errorf("middle counts:\n%s", v)
	}
	formtest.Drive(f, strings.Repeat("down ", 30))
	check("bottom", 59, true, false)
	formtest.Drive(f, "up up up")
	check("up from the bottom", 56, true, false)
	// Filtering resets the scroll; choosing one returns to the form.
	formtest.Drive(f, `"image-07"`)
	check("filtered", 7, false, false)
	formtest.Drive(f, "enter")
	if req, _ := f.Request(); req.ImageID != "img-07" {
		t.Errorf("picked %q", req.ImageID)
	}
}

// customScript fills a name, a pool and a custom size of 2 cores, 4096 MiB.
func customScript(pool string) string {
	return `"c1"` + strings.Repeat(" enter", 9) + ` "` + pool + `" enter right enter "2" enter "4096" enter`
}

func TestCustomSpecBody(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	if !f.Field(keySizeKind).Hidden {
		t.Error("size choice shown without a dedicated pool")
	}
	formtest.Drive(f, customScript("pool-1"))
	if f.Field(forms.KeyFlavor).Locked == "" {
		t.Error("flavor not locked with a custom size")
	}
	m := formtest.Drive(f, "ctrl+s enter")
	cm := formtest.Sent[CreateMsg](t, f, m)
	b, _ := json.Marshal(cm.Req)
	want := `{"name":"c1","image_id":"img-cpu","volume":{"category":"EVS","ownership":"MANAGED","capacity":5},"pool_id":"pool-1",` +
		`"lease":{"duration":3600000,"type":"timing"},"custom_spec":{"cpu":2,"memory":4096}}`
	if string(b) != want {
		t.Errorf("body\n got %s\nwant %s", b, want)
	}

	// With a GPU count the image follows the GPU category.
	f = NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	cm = formtest.Sent[CreateMsg](t, f, formtest.Drive(f, customScript("pool-1")+` "1" ctrl+s enter`))
	b, _ = json.Marshal(cm.Req.CustomSpec)
	if string(b) != `{"cpu":2,"memory":4096,"gpu":1}` || cm.Req.Flavor != "" {
		t.Errorf("custom_spec %s, flavor %q", b, cm.Req.Flavor)
	}

	// Back to "flavor": the flavor is sent again and custom_spec is not.
	f = NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	formtest.Drive(f, customScript("pool-1")+" up up up left")
	if req, ok := f.Request(); !ok || req.CustomSpec != nil || req.Flavor != "modelarts.vm.cpu.2u" {
		t.Errorf("flavor size: %+v (valid %v)", req, ok)
	}
}

func TestCustomSpecValidation(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	formtest.Drive(f, customScript("pool-1")+` up up ctrl+u "0.3" down ctrl+u "512.5" down "-1"`)
	for key, want := range map[string]string{
		keyCPU:    "custom_spec.cpu",
		keyMemory: "not a whole number",
		keyGPU:    "negative",
	} {
		if got := f.Field(key).Err; !strings.Contains(got, want) {
			t.Errorf("%s error = %q, want %q", key, got, want)
		}
	}
	if m := formtest.Drive(f, "ctrl+s"); m != nil || f.Reviewing() {
		t.Fatal("invalid custom size reviewed")
	}
	if f.Field(keyCPU).Text() != "0.3" || f.Field(keyMemory).Text() != "512.5" {
		t.Error("typed values lost")
	}
	formtest.Drive(f, `ctrl+u "abc"`) // the failed review focused the cpu
	if got := f.Field(keyCPU).Err; !strings.Contains(got, "must be a number of cores") {
		t.Errorf("non-number cpu: %q", got)
	}
}

func TestCustomSpecAcceptedBySimulator(t *testing.T) {
	c, s := formtest.SimClient(t)
	ctx := context.Background()
	fs, ims := simCatalog(t, c)
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: fs, Images: ims})
	cm := formtest.Sent[CreateMsg](t, f, formtest.Drive(f, customScript(s.Pool().ID)+" ctrl+s enter"))
	nb, err := c.CreateNotebook(ctx, cm.Req)
	if err != nil {
		t.Fatalf("simulator refused %+v: %v", cm.Req, err)
	}
	if nb.CustomSpec == nil || nb.CustomSpec.CPU != 2 || nb.CustomSpec.Memory != 4096 {
		t.Errorf("created %+v", nb.CustomSpec)
	}
}

// customAutoStop reaches Auto-stop from the name, picks "custom" (one to
// the left of the default 1 h) and moves to the duration.
const customAutoStop = `"nb" enter enter enter enter enter enter left enter`

// Issue 13 item 2: the custom auto-stop takes durations the way users
// write them, with the parser the Gen 1 forms use, and the review says it
// back the same way.
func TestCustomAutoStopDurations(t *testing.T) {
	for typed, ms := range map[string]int64{"90m": 5_400_000, "1.5h": 5_400_000, "1h30m": 5_400_000, "5400s": 5_400_000, "1.5": 5_400_000, "30": 108_000_000} {
		f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
		formtest.Drive(f, customAutoStop+` "`+typed+`" ctrl+s`)
		if !f.Reviewing() {
			t.Fatalf("%s: not reviewing:\n%s", typed, ansi.Strip(f.View(100, 40)))
		}
		if want := "Auto-stop: after " + model.FormatDuration(time.Duration(ms)*time.Millisecond) + " (timing)"; !strings.Contains(ansi.Strip(f.View(100, 40)), want) {
			t.Errorf("%s: review lacks %q:\n%s", typed, want, ansi.Strip(f.View(100, 40)))
		}
		cm, ok := formtest.Drive(f, "enter").(CreateMsg)
		if !ok || cm.Req.Lease == nil || cm.Req.Lease.Duration != ms {
			t.Errorf("%s: request %+v", typed, cm.Req.Lease)
		}
	}
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	formtest.Drive(f, customAutoStop+` "30m"`)
	if got := f.Field(keyCustomH).Err; !strings.Contains(got, "30m is too short") || !strings.Contains(got, "1h–72h") {
		t.Errorf("30m: %q", got)
	}
	formtest.Drive(f, `ctrl+u "soon"`)
	if got := f.Field(keyCustomH).Err; !strings.Contains(got, "90m, 1.5h, 1h30m or 5400s") {
		t.Errorf("soon: %q", got)
	}
}

// Issue 13 item 7: codes that name a field, and 6335/6336/6347 messages
// that name a property, land on the create form's field.
func TestServerErrorsNamedInMessages(t *testing.T) {
	cases := []struct {
		script, code, message, field string
	}{
		{"", "ModelArts.6323", "The flavor modelarts.vm.x is not supported.", forms.KeyFlavor},
		{"", "ModelArts.6716", "The specified flavor x is sold out.", forms.KeyFlavor},
		{"", "ModelArts.6797", "Image img-x not found.", keyImage},
		{"", "ModelArts.6336", "The 'image_id' property value is incorrect: image x cannot run on flavor y.", keyImage},
		{"", "ModelArts.6324", "The storage type EVS is not supported by flavor f.", keyStorage},
		{"", "ModelArts.6331", "The EVS size must be in the range of 5 to 4096 GB.", keySize},
		{"", "ModelArts.6301", "The instance keep-me already exists.", forms.KeyName},
		{"", "ModelArts.6789", "No permission for SSH key pair kp1.", keyKeyPairs},
		{"", "ModelArts.6336", "The 'lease.type' property value is incorrect: \"x\" is not timing or idle.", keyLeaseType},
		{`left enter "90m" up`, "ModelArts.6349", "The duration must be in the range of 3600000 to 259200000.", keyCustomH},
		{`down down down "pool-9"`, "ModelArts.6336", "The 'pool_id' property value is incorrect: dedicated pool pool-9 does not exist.", keyPool},
		{`down down down "pool-9"`, "ModelArts.6336", "The 'affinity.required_during_scheduling_ignored_during_execution[0].key' property value is incorrect.", keyAffinity},
		{`down down down "pool-9"`, "ModelArts.6335", "'custom_spec.cpu' is a required property.", keySizeKind},
	}
	for _, c := range cases {
		f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
		formtest.Drive(f, `"keep-me" enter enter enter enter enter enter `+c.script+` ctrl+s`)
		if !f.Reviewing() {
			t.Fatalf("%s: not reviewing:\n%s", c.message, ansi.Strip(f.View(100, 50)))
		}
		f.Update(overlay.Done{Err: &client.APIError{HTTPStatus: 400, Code: c.code, Message: c.message}})
		if got := f.Field(c.field).Err; !strings.Contains(got, c.code) {
			t.Errorf("%s %q: field %s error %q, banner %q", c.code, c.message, c.field, got, f.banner)
		}
		if f.banner != "" {
			t.Errorf("%s %q: also a banner %q", c.code, c.message, f.banner)
		}
	}
}

// A server error stays next to its field across frames and other edits
// until that field changes (the create form re-validates on every frame,
// which used to drop it at the second one); it does not block sending the
// request again.
func TestServerErrorOutlivesRedraws(t *testing.T) {
	f := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	formtest.Drive(f, `"keep-me" ctrl+s`)
	f.Update(overlay.Done{Err: &client.APIError{HTTPStatus: 400, Code: "ModelArts.6301", Message: "The instance keep-me already exists."}})
	for i := range 3 {
		if v := ansi.Strip(f.View(100, 40)); !strings.Contains(v, "ModelArts.6301") {
			t.Fatalf("frame %d lost the server error:\n%s", i, v)
		}
	}
	formtest.Drive(f, `down "a description"`)
	if v := ansi.Strip(f.View(100, 40)); !strings.Contains(v, "ModelArts.6301") {
		t.Fatalf("editing another field dropped the server error:\n%s", v)
	}
	if m := formtest.Drive(f, "ctrl+s enter"); m == nil {
		t.Error("the request could not be sent again")
	}
	formtest.Drive(f, "esc up end \"2\"")
	if v := ansi.Strip(f.View(100, 40)); strings.Contains(v, "ModelArts.6301") {
		t.Errorf("the error outlived a change of its field:\n%s", v)
	}
}
