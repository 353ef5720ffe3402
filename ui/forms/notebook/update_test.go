package notebook

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/client"
	"matui/model"
	"matui/ui/forms"
	"matui/ui/forms/formtest"
	"matui/ui/overlay"
)

func stoppedNB() model.Notebook {
	return model.Notebook{
		ID: "nb-1", Name: "train", Description: "old", Status: "STOPPED", Flavor: "modelarts.vm.cpu.2u",
		Image:  model.Image{ID: "img-cpu", Name: "mul-kernel-cpu", Tag: "5.0"},
		Volume: model.VolumeRes{Category: "EVS", Ownership: "MANAGED", Capacity: 50},
		Pool:   model.NotebookPool{ID: "pool-1"},
		Affinity: &model.Affinity{Required: []model.AffinityRule{
			{Key: "kubernetes.io/hostname", Operator: "In", Values: []string{"192.168.1.1"}}}},
	}
}

func updBody(t *testing.T, m any) string {
	t.Helper()
	return formtest.JSON(t, formtest.Sent[UpdateMsg](t, nil, m).Req)
}

func TestEditSendsOnlyChanges(t *testing.T) {
	e := NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{Flavors: catalog, Images: images})
	if _, ok := e.Request(); !ok {
		t.Fatalf("prefilled form invalid:\n%s", ansi.Strip(e.View(120, 40)))
	}
	if m := formtest.Drive(e, "ctrl+s"); m != nil || e.Reviewing() {
		t.Fatal("unchanged form went to review")
	}
	if !strings.Contains(ansi.Strip(e.View(120, 40)), "nothing changed") {
		t.Error("no 'nothing changed' notice")
	}
	// Seed 000/002 style: only the description.
	m := formtest.Drive(e, `down ctrl+u "This is for test." ctrl+s enter`)
	if got := updBody(t, m); got != `{"description":"This is for test."}` {
		t.Errorf("body = %s", got)
	}
}

func TestEditStorageGrowOnly(t *testing.T) {
	e := NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{Flavors: catalog})
	formtest.Drive(e, `down down down down ctrl+u "40"`)
	if !strings.Contains(e.Field(keyNewSize).Err, "does not grow the volume") {
		t.Errorf("shrink accepted: %q", e.Field(keyNewSize).Err)
	}
	formtest.Drive(e, `ctrl+u "5000"`)
	if !strings.Contains(e.Field(keyNewSize).Err, "too large") {
		t.Errorf("5000 accepted: %q", e.Field(keyNewSize).Err)
	}
	m := formtest.Drive(e, `ctrl+u "100" ctrl+s enter`)
	if got := updBody(t, m); got != `{"storage_new_size":100}` {
		t.Errorf("body = %s", got)
	}
}

func TestEditAffinityIntentsSeed002(t *testing.T) {
	seedClear := `{"affinity":{"required_during_scheduling_ignored_during_execution":[],"preferred_during_scheduling_ignored_during_execution":[]}}`
	e := NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{})
	// To the affinity field (last), open it, intent → replace → clear.
	m := formtest.Drive(e, `ctrl+s`)
	if m != nil {
		t.Fatal("unchanged affinity sent")
	}
	m = formtest.Drive(e, `down down down down down down down space i i esc ctrl+s enter`)
	if got := updBody(t, m); got != seedClear {
		t.Errorf("clear body = %s", got)
	}
	// Replace: add a preferred rule like the seed's.
	e = NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{})
	m = formtest.Drive(e, `down down down down down down down space tab a "kubernetes.io/hostname" tab tab "192.168.1.1" enter esc ctrl+s enter`)
	want := `{ "affinity" : { "required_during_scheduling_ignored_during_execution" : [ { "key" : "kubernetes.io/hostname", "operator" : "In", "values" : [ "192.168.1.1" ] } ], "preferred_during_scheduling_ignored_during_execution" : [ { "key" : "kubernetes.io/hostname", "operator" : "In", "values" : [ "192.168.1.1" ] } ] } }`
	var buf bytes.Buffer
	_ = json.Compact(&buf, []byte(want))
	if got := updBody(t, m); got != buf.String() {
		t.Errorf("replace body\n got %s\nwant %s", got, buf.String())
	}
}

func TestEditLockedWhileRunning(t *testing.T) {
	nb := stoppedNB()
	nb.Status = "RUNNING"
	e := NewEdit(formtest.Ctx(), nb, UpdateOptions{Flavors: catalog})
	for _, k := range []string{forms.KeyFlavor, keyImage, keyEPKeys, keyEPIPs, keyAffinity} {
		if f := e.Field(k); !strings.Contains(f.Locked, "only while stopped: the notebook is RUNNING") {
			t.Errorf("%s not locked: %q", k, f.Locked)
		}
	}
	v := ansi.Strip(e.View(160, 50))
	if !strings.Contains(v, "only while stopped") {
		t.Errorf("no lock reason in view:\n%s", v)
	}
	// Space on the locked flavor does not open the picker; typing into the
	// locked key pairs changes nothing.
	formtest.Drive(e, `down down space "x" down down down "kp"`)
	if req, _ := e.Request(); req.Flavor != nil || req.Endpoints != nil {
		t.Errorf("locked field changed: %+v", req)
	}
	// Name and description stay editable.
	m := formtest.Drive(e, `up up up up up ctrl+u "renamed" ctrl+s enter`)
	if got := updBody(t, m); got != `{"name":"renamed"}` {
		t.Errorf("body = %s", got)
	}
}

func TestEditServerError6347(t *testing.T) {
	e := NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{Flavors: catalog, Images: images})
	formtest.Drive(e, `down down space tab tab enter ctrl+s`) // pick the T4 flavor
	if !e.Reviewing() {
		t.Fatalf("not reviewing:\n%s", ansi.Strip(e.View(120, 40)))
	}
	e.Update(overlay.Done{Err: &client.APIError{Code: "ModelArts.6347", Message: "instance is running"}})
	if got := e.Field(forms.KeyFlavor).Err; !strings.Contains(got, "ModelArts.6347") {
		t.Errorf("6347 not on flavor: %q", got)
	}
	if e.Field(forms.KeyFlavor).Value != "modelarts.vm.gpu.t4" {
		t.Error("picked flavor lost")
	}
}

// toSize moves from the name to the size choice (after the affinity).
const toSize = `down down down down down down down down`

func TestEditCustomSpec(t *testing.T) {
	e := NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{Flavors: catalog, Images: images})
	if e.Field(keyCPU).Hidden == false {
		t.Error("custom inputs shown with a flavor size")
	}
	m := formtest.Drive(e, toSize+` right down "1.5" down "2048" ctrl+s enter`)
	if got := updBody(t, m); got != `{"custom_spec":{"cpu":1.5,"memory":2048}}` {
		t.Errorf("body = %s", got)
	}
	if e.Field(forms.KeyFlavor).Locked == "" {
		t.Error("flavor not locked with a custom size")
	}

	// A custom notebook: prefilled; unchanged sends nothing, a change sends
	// the whole spec; back to a flavor needs one.
	nb := stoppedNB()
	nb.Flavor = "custom.flavor.spec.code"
	g := 1.0
	nb.CustomSpec = &model.CustomSpec{CPU: 2, Memory: 4096, GPU: &g, GPUType: "nvidia-t4", Arch: "x86_64", Category: "GPU"}
	e = NewEdit(formtest.Ctx(), nb, UpdateOptions{Flavors: catalog, Images: images})
	if e.Field(keySizeKind).Text() != "custom" || e.Field(keyMemory).Text() != "4096" || e.Field(keyGPU).Text() != "1" {
		t.Fatalf("not prefilled: %q %q %q", e.Field(keySizeKind).Text(), e.Field(keyMemory).Text(), e.Field(keyGPU).Text())
	}
	if m := formtest.Drive(e, "ctrl+s"); m != nil || e.Reviewing() {
		t.Fatal("unchanged custom size went to review")
	}
	m = formtest.Drive(e, toSize+` down down ctrl+u "8192" ctrl+s enter`)
	if got := updBody(t, m); got != `{"custom_spec":{"cpu":2,"memory":8192,"gpu":1}}` {
		t.Errorf("body = %s", got)
	}
	e = NewEdit(formtest.Ctx(), nb, UpdateOptions{Flavors: catalog, Images: images})
	formtest.Drive(e, toSize+" left ctrl+s")
	if e.Reviewing() || !strings.Contains(e.Field(forms.KeyFlavor).Err, "choose a flavor") {
		t.Errorf("flavor not required: %q", e.Field(forms.KeyFlavor).Err)
	}
	m = formtest.Drive(e, `space tab tab enter ctrl+s enter`) // the T4 flavor
	if got := updBody(t, m); got != `{"flavor":"modelarts.vm.gpu.t4"}` {
		t.Errorf("body = %s", got)
	}
}

func TestEditCustomSpecValidationAndLocks(t *testing.T) {
	e := NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{})
	formtest.Drive(e, toSize+` right down "0.2" down "512"`)
	if !strings.Contains(e.Field(keyCPU).Err, "too few") || !strings.Contains(e.Field(keyMemory).Err, "too little") {
		t.Errorf("errors: cpu %q, memory %q", e.Field(keyCPU).Err, e.Field(keyMemory).Err)
	}
	if m := formtest.Drive(e, "ctrl+s enter"); m != nil {
		t.Fatalf("invalid custom size sent: %#v", m)
	}
	nb := stoppedNB()
	nb.Status = "RUNNING"
	e = NewEdit(formtest.Ctx(), nb, UpdateOptions{})
	if !strings.Contains(e.Field(keySizeKind).Locked, "only while stopped") {
		t.Errorf("size not locked while running: %q", e.Field(keySizeKind).Locked)
	}
	nb = stoppedNB()
	nb.Pool.ID = ""
	if e = NewEdit(formtest.Ctx(), nb, UpdateOptions{}); !e.Field(keySizeKind).Hidden {
		t.Error("size choice shown without a dedicated pool")
	}
}

// TestEscActionMatchesEsc: what EscAction announces is what esc does, in
// every step of both forms.
func TestEscActionMatchesEsc(t *testing.T) {
	c := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
	steps := []struct {
		name, script, want string
	}{
		{"edit", ``, forms.EscCancel},
		{"review", `"nb" ctrl+s`, forms.EscBackToForm},
		{"image list", `esc down down down space`, forms.EscBackToForm},
		{"flavor picker", `esc up space`, forms.EscBackToForm},
		{"discard question", `esc esc`, forms.EscKeepEditing},
	}
	for _, s := range steps {
		formtest.Drive(c, s.script)
		if got := c.EscAction(); got != s.want {
			t.Errorf("create %s: EscAction %q, want %q\n%s", s.name, got, s.want, ansi.Strip(c.View(100, 40)))
		}
	}
	// From the review step esc really goes back to the form, keeping it.
	formtest.Drive(c, "n ctrl+s")
	if !c.Reviewing() {
		t.Fatal("not reviewing")
	}
	if m := formtest.Drive(c, "esc"); m != nil || c.Reviewing() || c.EscAction() != forms.EscCancel {
		t.Errorf("esc in review: %#v, reviewing %v", m, c.Reviewing())
	}

	e := NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{Flavors: catalog, Images: images})
	if e.EscAction() != forms.EscCancel {
		t.Errorf("edit: %q", e.EscAction())
	}
	formtest.Drive(e, `down "x" ctrl+s`)
	if !e.Reviewing() || e.EscAction() != forms.EscBackToForm {
		t.Errorf("edit review: %q", e.EscAction())
	}
	formtest.Drive(e, "esc")
	if e.Reviewing() || e.EscAction() != forms.EscCancel {
		t.Errorf("after esc: %q", e.EscAction())
	}
}

// storedNotebooks are stored Gen 2 notebooks whose values need not
// round-trip through the form's inputs: names and lists with stray blanks,
// a description with a newline, values the API would refuse today, custom
// sizes, no pool, no EVS, running and stopped.
func storedNotebooks() map[string]model.Notebook {
	out := map[string]model.Notebook{}
	add := func(name string, change func(*model.Notebook)) {
		nb := stoppedNB()
		change(&nb)
		out[name] = nb
		running := nb
		running.Status = "RUNNING"
		out[name+"/running"] = running
	}
	add("plain", func(*model.Notebook) {})
	add("padded name", func(nb *model.Notebook) { nb.Name = " train " })
	add("description newline", func(nb *model.Notebook) { nb.Description = "two\nlines\tand a tab" })
	add("description refused today", func(nb *model.Notebook) { nb.Description = "a/b & <c>" })
	add("ssh with blanks", func(nb *model.Notebook) {
		nb.Endpoints = []model.Endpoint{{Service: "NOTEBOOK", URI: "https://x"},
			{Service: "SSH", KeyPairNames: []string{" kp1", "", "kp2 "}, AllowedAccessIPs: []string{"1.2.3.4 ", ""}}}
	})
	add("ssh refused today", func(nb *model.Notebook) {
		nb.Endpoints = []model.Endpoint{{Service: "ssh", KeyPairNames: []string{"k,p"}, AllowedAccessIPs: []string{"10.0.0.0/8", "0.0.0.0"}}}
	})
	add("no capacity", func(nb *model.Notebook) { nb.Volume.Capacity = 0 })
	add("huge capacity", func(nb *model.Notebook) { nb.Volume.Capacity = 5000 })
	add("EFS", func(nb *model.Notebook) {
		nb.Volume = model.VolumeRes{Category: "EFS", Ownership: "DEDICATED", Capacity: 50}
	})
	add("no pool", func(nb *model.Notebook) { nb.Pool.ID = ""; nb.Affinity = nil })
	add("custom size", func(nb *model.Notebook) {
		g := 1.0
		nb.Flavor, nb.CustomSpec = "custom.flavor.spec.code", &model.CustomSpec{CPU: 2, Memory: 4096, GPU: &g}
	})
	add("custom size refused today", func(nb *model.Notebook) {
		g := 0.0
		nb.Flavor, nb.CustomSpec = "custom.flavor.spec.code", &model.CustomSpec{CPU: 0.2, Memory: 4096.5, GPU: &g}
	})
	add("custom size no gpu", func(nb *model.Notebook) {
		nb.Flavor, nb.CustomSpec = "custom.flavor.spec.code", &model.CustomSpec{CPU: 0.35, Memory: 513}
	})
	add("affinity refused today", func(nb *model.Notebook) {
		nb.Affinity = &model.Affinity{Required: []model.AffinityRule{{Key: "Bad_Key/x", Operator: "In"}}}
	})
	add("no flavor or image", func(nb *model.Notebook) { nb.Flavor, nb.Image = "", model.Image{} })
	add("hooks", func(nb *model.Notebook) {
		nb.Hooks = &model.CustomHooks{ContainerHooks: &model.ContainerHooks{
			PreStart:  &model.HookConfig{Script: "ZWNobyBhCmVjaG8gYg==", Type: model.HookCommand}, // two lines
			PostStart: &model.HookConfig{Script: "/home/ma-user/start.sh", Mode: "ASYNC"}}}
	})
	add("hook refused today", func(nb *model.Notebook) {
		nb.Hooks = &model.CustomHooks{ContainerHooks: &model.ContainerHooks{PostStart: &model.HookConfig{Script: "not base64!", Type: model.HookCommand}}}
	})
	return out
}

// Opening the update form on any stored notebook and reviewing without
// touching anything must change nothing; so must undoing an edit, and esc
// then closes without asking.
func TestEditUntouchedChangesNothing(t *testing.T) {
	for name, nb := range storedNotebooks() {
		for _, script := range []string{"", `"x" backspace`, `down "x" backspace`, `down down down down "1" backspace`,
			`down down down down down "x" backspace down "x" backspace`} {
			e := NewEdit(formtest.Ctx(), nb, UpdateOptions{Flavors: catalog, Images: images})
			formtest.Drive(e, script+" ctrl+s")
			if e.Reviewing() || !strings.Contains(ansi.Strip(e.View(200, 60)), "nothing changed") {
				t.Errorf("%s after %q: not 'nothing changed', body %s:\n%s", name, script, e.Body(), ansi.Strip(e.View(200, 60)))
				continue
			}
			if _, ok := formtest.Drive(e, "esc").(formtest.Cancelled); !ok {
				t.Errorf("%s after %q: esc asked before closing an unchanged form", name, script)
			}
		}
	}
}

// An edit of one SSH member sends the other as stored, not as the form
// re-joined it.
func TestEditSSHKeepsUntouchedMember(t *testing.T) {
	nb := stoppedNB()
	nb.Endpoints = []model.Endpoint{{Service: "SSH", KeyPairNames: []string{"kp1"}, AllowedAccessIPs: []string{"1.2.3.4"}}}
	e := NewEdit(formtest.Ctx(), nb, UpdateOptions{Flavors: catalog, Images: images})
	m := formtest.Drive(e, `down down down down down end ", kp2" ctrl+s enter`)
	if got := updBody(t, m); got != `{"endpoints":[{"service":"SSH","key_pair_names":["kp1","kp2"],"allowed_access_ips":["1.2.3.4"]}]}` {
		t.Errorf("body = %s", got)
	}
	// A stored list the form cannot show as it is (an empty entry) is not
	// silently rewritten: it goes as stored, and its error says what to fix.
	nb.Endpoints[0].AllowedAccessIPs = []string{"1.2.3.4", ""}
	e = NewEdit(formtest.Ctx(), nb, UpdateOptions{Flavors: catalog, Images: images})
	formtest.Drive(e, `down down down down down end ", kp2" ctrl+s`)
	if e.Reviewing() || !strings.Contains(e.Field(keyEPIPs).Err, "allowed_access_ips[1]: is empty") {
		t.Errorf("stored empty IP: reviewing %v, error %q, body %s", e.Reviewing(), e.Field(keyEPIPs).Err, e.Body())
	}
}

// hooked is a stopped notebook with the given container hooks.
func hooked(h *model.ContainerHooks) model.Notebook {
	nb := stoppedNB()
	nb.Hooks = &model.CustomHooks{ContainerHooks: h}
	return nb
}

// editHook opens the update form on nb with the focus on the start hook.
func editHook(t *testing.T, nb model.Notebook) *Edit {
	t.Helper()
	e := NewEdit(formtest.Ctx(), nb, UpdateOptions{Flavors: catalog, Images: images})
	if e.Field(keyHook) == nil {
		t.Fatal("the update form has no start hook")
	}
	e.set.FocusKey(keyHook)
	return e
}

// Issue 13 item 3: the update form offers the start hook with create's
// choices plus "leave unchanged" (the default, nothing sent); the body is
// seed 002's hooks member, a command base64-encoded.
func TestEditHooks(t *testing.T) {
	e := editHook(t, stoppedNB())
	if got := e.Field(keyHook).Text(); got != "leave unchanged" {
		t.Errorf("default hook choice %q", got)
	}
	if m := formtest.Drive(e, "ctrl+s"); m != nil || e.Reviewing() {
		t.Fatal("unchanged hook sent")
	}
	// none → script path, then the path.
	m := formtest.Drive(e, `right right down down "/home/ma-user/start.sh" ctrl+s enter`)
	if got := updBody(t, m); got != `{"hooks":{"container_hooks":{"post_start":{"script":"/home/ma-user/start.sh","type":"SCRIPT"}}}}` {
		t.Errorf("script body = %s", got)
	}
	e = editHook(t, stoppedNB())
	m = formtest.Drive(e, `left down right down "echo hi" ctrl+s enter`)
	if got := updBody(t, m); got != `{"hooks":{"container_hooks":{"pre_start":{"script":"ZWNobyBoaQ==","type":"COMMAND"}}}}` {
		t.Errorf("command body = %s", got)
	}
	e = editHook(t, stoppedNB())
	formtest.Drive(e, `right right down down "start.sh"`)
	if got := e.Field(keyHookText).Err; !strings.Contains(got, "not an absolute path") {
		t.Errorf("relative path: %q", got)
	}
	// A notebook without hooks: "none" changes nothing.
	e = editHook(t, stoppedNB())
	formtest.Drive(e, `right ctrl+s`)
	if e.Reviewing() {
		t.Errorf("none on a notebook without hooks sent %s", e.Body())
	}
	// Running: the hook may still change (simulator: name, description,
	// storage size and hooks).
	nb := stoppedNB()
	nb.Status = "RUNNING"
	if f := editHook(t, nb).Field(keyHook); f.Locked != "" {
		t.Errorf("hook locked while running: %q", f.Locked)
	}
}

func TestEditStoredHooks(t *testing.T) {
	cur := &model.ContainerHooks{PostStart: &model.HookConfig{Script: "/a.sh", Type: model.HookScript, Mode: "BLOCK"}}
	e := editHook(t, hooked(cur))
	if v := ansi.Strip(e.View(200, 60)); !strings.Contains(v, "current: post_start script /a.sh") {
		t.Errorf("current hook not shown:\n%s", v)
	}
	// The current hook, chosen again as it is, is no change.
	formtest.Drive(e, `right right ctrl+s`)
	if e.Reviewing() || e.Field(keyHookText).Text() != "/a.sh" {
		t.Errorf("same hook: reviewing %v, text %q, body %s", e.Reviewing(), e.Field(keyHookText).Text(), e.Body())
	}
	// A new path keeps the stored mode (the form does not offer it).
	m := formtest.Drive(e, `down down ctrl+u "/b.sh" ctrl+s enter`)
	if got := updBody(t, m); got != `{"hooks":{"container_hooks":{"post_start":{"script":"/b.sh","type":"SCRIPT","mode":"BLOCK"}}}}` {
		t.Errorf("new path body = %s", got)
	}
	// none removes it.
	e = editHook(t, hooked(cur))
	m = formtest.Drive(e, `right ctrl+s enter`)
	if got := updBody(t, m); got != `{"hooks":{"container_hooks":{}}}` {
		t.Errorf("none body = %s", got)
	}
	// Both stages: editing one sends the other as stored.
	both := &model.ContainerHooks{PreStart: &model.HookConfig{Script: "ZWNobyBwcmU=", Type: model.HookCommand}, PostStart: cur.PostStart}
	e = editHook(t, hooked(both))
	m = formtest.Drive(e, `right right down down ctrl+u "/c.sh" ctrl+s enter`)
	if got := updBody(t, m); got != `{"hooks":{"container_hooks":{"pre_start":{"script":"ZWNobyBwcmU=","type":"COMMAND"},"post_start":{"script":"/c.sh","type":"SCRIPT","mode":"BLOCK"}}}}` {
		t.Errorf("both stages body = %s", got)
	}
	// A stored command is shown decoded; chosen again unchanged, nothing is sent.
	e = editHook(t, hooked(&model.ContainerHooks{PreStart: both.PreStart}))
	formtest.Drive(e, `right right right`)
	if e.Field(keyHookText).Text() != "echo pre" || e.Field(keyHookStage).Text() != "pre_start" {
		t.Errorf("stored command: %q at %q", e.Field(keyHookText).Text(), e.Field(keyHookStage).Text())
	}
	if formtest.Drive(e, "ctrl+s"); e.Reviewing() {
		t.Errorf("same command sent %s", e.Body())
	}
}

// The hook bodies the update form sends are accepted by the simulator and
// read back: set a command on a running notebook, then remove it.
func TestEditHooksAcceptedBySimulator(t *testing.T) {
	c, _ := formtest.SimClient(t)
	ctx := context.Background()
	fs, ims := simCatalog(t, c)
	all, err := c.ListNotebooks(ctx, client.ListNotebooksOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var nb model.Notebook
	for _, n := range all {
		if n.Status == "RUNNING" && n.Hooks == nil {
			nb = n
			break
		}
	}
	if nb.ID == "" {
		t.Fatal("no running notebook without hooks in the demo data")
	}
	e := NewEdit(formtest.Ctx(), nb, UpdateOptions{Flavors: fs, Images: ims})
	e.set.FocusKey(keyHook)
	um := formtest.Sent[UpdateMsg](t, e, formtest.Drive(e, `right right right down down "echo hi" ctrl+s enter`))
	got, err := c.UpdateNotebook(ctx, nb.ID, um.Req)
	if err != nil {
		t.Fatalf("simulator refused %s: %v", e.Body(), err)
	}
	if _, post := hooksOf(got.Hooks); post == nil || post.Script != "ZWNobyBoaQ==" || post.Type != model.HookCommand {
		t.Fatalf("hooks after update: %+v", got.Hooks)
	}
	e = NewEdit(formtest.Ctx(), got, UpdateOptions{Flavors: fs, Images: ims})
	e.set.FocusKey(keyHook)
	if v := ansi.Strip(e.View(200, 60)); !strings.Contains(v, "current: post_start command echo hi") {
		t.Errorf("stored command not described:\n%s", v)
	}
	um = formtest.Sent[UpdateMsg](t, e, formtest.Drive(e, `right ctrl+s enter`))
	if got, err = c.UpdateNotebook(ctx, nb.ID, um.Req); err != nil {
		t.Fatal(err)
	}
	if pre, post := hooksOf(got.Hooks); pre != nil || post != nil {
		t.Errorf("hooks after none: %+v", got.Hooks)
	}
}

// Issue 13 item 7 on the update form: 6347 names the parameter (the hook
// here, which the form's own guess would not), 6336 the property.
func TestEditServerErrorsNamedInMessages(t *testing.T) {
	cases := []struct{ code, message, field string }{
		{"ModelArts.6347", "When the instance is in the 'RUNNING' status, the 'hooks' parameter cannot be modified.", keyHook},
		{"ModelArts.6347", "When the instance is in the 'RUNNING' status, the 'description' parameter cannot be modified.", forms.KeyDescription},
		{"ModelArts.6336", "The 'storage_new_size' parameter only applies to EVS volumes; this instance uses EFS.", keyNewSize},
		{"ModelArts.6331", "The EVS size must be in the range of 51 to 4096 GB.", keyNewSize},
		{"ModelArts.6336", "The 'affinity' parameter is only supported for instances on a dedicated pool (pool_id).", keyAffinity},
		{"ModelArts.6336", "The 'endpoints[0].allowed_access_ips[0]' property value is incorrect.", keyEPIPs},
		{"ModelArts.6797", "Image img-x not found.", keyImage},
		{"ModelArts.6323", "The flavor x is not supported.", forms.KeyFlavor},
	}
	for _, c := range cases {
		e := NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{Flavors: catalog, Images: images})
		formtest.Drive(e, `down "x" ctrl+s`)
		e.Update(overlay.Done{Err: &client.APIError{HTTPStatus: 400, Code: c.code, Message: c.message}})
		if got := e.Field(c.field).Err; !strings.Contains(got, c.code) || e.banner != "" {
			t.Errorf("%s %q: field %s error %q, banner %q", c.code, c.message, c.field, got, e.banner)
		}
	}
}

// Issue 13 item 9: an affinity intent cycled back to "leave unchanged"
// leaves nothing to discard; a real change still asks.
func TestEditEscAfterUndoneAffinity(t *testing.T) {
	e := NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{Flavors: catalog, Images: images})
	e.set.FocusKey(keyAffinity)
	formtest.Drive(e, "space i i i esc")
	if !e.Dirty() {
		t.Fatal("the intent changes did not mark the form")
	}
	if _, ok := formtest.Drive(e, "esc").(formtest.Cancelled); !ok {
		t.Errorf("esc asked although nothing changed:\n%s", ansi.Strip(e.View(120, 40)))
	}
	e = NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{Flavors: catalog, Images: images})
	e.set.FocusKey(keyAffinity)
	if m := formtest.Drive(e, "space i i esc esc"); m != nil || !strings.Contains(ansi.Strip(e.View(120, 40)), "Discard your changes?") {
		t.Errorf("esc on a cleared affinity did not ask: %#v", m)
	}
}
