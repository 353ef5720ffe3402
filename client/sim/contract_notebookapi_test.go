package sim_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"matui/client"
	"matui/client/auth"
	"matui/client/sim"
	"matui/client/sim/fault"
	"matui/model"
)

// Contract tests of the storage, tag, save-as-image and pool APIs through
// the real client: every documented rejection (in TestContractRejections,
// via notebookAPIRejections) and every state transition on the simulator's
// clock.

const (
	rulesEfsID = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"
	// The demo's mounts: data-prep (RUNNING) has /data/imagenet/.
	demoMountPath = "/data/imagenet/"
)

func obsMount(path string) model.AttachStorageRequest {
	return model.AttachStorageRequest{Category: "OBS", MountPath: path, URI: "obs://team-datasets/" + strings.Trim(path, "/") + "/"}
}

// notebookAPIRejections are the rejections of the storage, tag, image and
// pool calls, in TestContractRejections' table. A case naming notebooks
// compares their Show, lease, switchable flavors and storage; the others
// compare the Gen 2 lists, the tag summary and the private images.
func notebookAPIRejections() []rejection {
	attach := func(name, code, inst string, req model.AttachStorageRequest) rejection {
		return rejection{name: "storage/attach/" + name, code: code, nb: []string{inst}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.AttachStorage(ctx, e.nbID(inst), req)
			return err
		}}
	}
	detach := func(name, code, inst string, storageID func(e *rulesEnv) string) rejection {
		return rejection{name: "storage/detach/" + name, code: code, nb: []string{inst}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.DetachStorage(ctx, e.nbID(inst), storageID(e))
			return err
		}}
	}
	addTags := func(name, code, inst string, tags []model.Tag) rejection {
		return rejection{name: "tags/create/" + name, code: code, nb: []string{inst}, call: func(ctx context.Context, e *rulesEnv) error {
			return e.cl.AddNotebookTags(ctx, e.nbID(inst), tags)
		}}
	}
	save := func(name, code, inst string, req model.CreateImageRequest) rejection {
		// No instance named: the scope is the Gen 2 lists, which hold the
		// notebook's status and the private images.
		return rejection{name: "images/save/" + name, code: code, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.SaveImage(ctx, e.nbID(inst), req)
			return err
		}}
	}
	okSave := model.CreateImageRequest{Name: "my-env", Namespace: "matui-team", Tag: "v1"}
	withSave := func(f func(r *model.CreateImageRequest)) model.CreateImageRequest { r := okSave; f(&r); return r }
	onPool := func(name, code string, mut func(r *model.CreateNotebookRequest)) rejection {
		return rejection{name: "pools/create/" + name, code: code, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.CreateNotebook(ctx, nbReq(mut))
			return err
		}}
	}
	demoMount := func(e *rulesEnv) string {
		ms, err := e.cl.ListStorage(context.Background(), e.nbID("data-prep"))
		if err != nil || len(ms) == 0 {
			e.t.Fatalf("data-prep's demo mount: %v %v", ms, err)
		}
		return ms[0].ID
	}
	lastMount := func(e *rulesEnv) string { return e.lastMount }
	with := func(r rejection, f func(r *rejection)) rejection { f(&r); return r }

	return []rejection{
		// ---- Storage: the body.
		attach("category missing", "ModelArts.6335", "data-prep", model.AttachStorageRequest{MountPath: "/data/x/", URI: "obs://bkt/x/"}),
		attach("category EVS", "ModelArts.6324", "data-prep", model.AttachStorageRequest{Category: "EVS", MountPath: "/data/x/", URI: "obs://bkt/x/"}),
		attach("mount_path missing", "ModelArts.6335", "data-prep", model.AttachStorageRequest{Category: "OBS", URI: "obs://bkt/x/"}),
		attach("mount_path outside /data", "ModelArts.6336", "data-prep", model.AttachStorageRequest{Category: "OBS", MountPath: "/home/ma-user/x/", URI: "obs://bkt/x/"}),
		attach("mount_path /data itself", "ModelArts.6336", "data-prep", model.AttachStorageRequest{Category: "OBS", MountPath: "/data/", URI: "obs://bkt/x/"}),
		attach("mount_path over 256", "ModelArts.6336", "data-prep", obsMount("/data/"+strings.Repeat("d", 251)+"/")),
		attach("uri missing", "ModelArts.6335", "data-prep", model.AttachStorageRequest{Category: "OBS", MountPath: "/data/x/"}),
		attach("uri not obs", "ModelArts.6336", "data-prep", model.AttachStorageRequest{Category: "OBSFS", MountPath: "/data/x/", URI: "s3://bkt/x/"}),
		attach("uri not a directory", "ModelArts.6336", "data-prep", model.AttachStorageRequest{Category: "OBS", MountPath: "/data/x/", URI: "obs://bkt/x"}),
		attach("efs_id missing", "ModelArts.6335", "pool-cpu", model.AttachStorageRequest{Category: "EFS", MountPath: "/data/x/", URI: "h.sfsturbo.internal:/x"}),
		attach("efs_id on OBS", "ModelArts.6336", "data-prep", model.AttachStorageRequest{Category: "OBS", MountPath: "/data/x/", URI: "obs://bkt/x/", EfsID: rulesEfsID}),
		// ---- Storage: the notebook.
		{name: "storage/attach/unknown notebook", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.AttachStorage(ctx, rulesNoNB, obsMount("/data/x/"))
			return err
		}},
		attach("EFS outside a pool", "ModelArts.6324", "data-prep", model.AttachStorageRequest{Category: "EFS", MountPath: "/data/x/", URI: "h.sfsturbo.internal:/x", EfsID: rulesEfsID}),
		attach("STOPPED", "ModelArts.6327", "archive-2023", obsMount("/data/x/")),
		attach("CREATE_FAILED", "ModelArts.6327", "broken-create", obsMount("/data/x/")),
		attach("STARTING", "ModelArts.6306", "restart-me", obsMount("/data/x/")),
		attach("STOPPING", "ModelArts.6308", "winding-down", obsMount("/data/x/")),
		attach("same path", "ModelArts.6336", "data-prep", obsMount(demoMountPath)),
		attach("same path without slash", "ModelArts.6336", "data-prep", obsMount(strings.TrimSuffix(demoMountPath, "/"))),
		attach("inside a mount", "ModelArts.6336", "data-prep", obsMount(demoMountPath+"val/")),
		with(attach("eleventh mount", "ModelArts.0118", "data-prep", obsMount("/data/eleven/")), func(r *rejection) {
			r.setup = func(e *rulesEnv) { // the demo mount and nine more
				for i := range 9 {
					if _, err := e.cl.AttachStorage(context.Background(), e.nbID("data-prep"), obsMount("/data/m"+string(rune('0'+i))+"/")); err != nil {
						e.t.Fatal(err)
					}
				}
			}
		}),
		{name: "storage/list/unknown notebook", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ListStorage(ctx, rulesNoNB)
			return err
		}},
		{name: "storage/show/unknown storage", code: "ModelArts.6404", nb: []string{"data-prep"}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ShowStorage(ctx, e.nbID("data-prep"), rulesNoNB)
			return err
		}},
		detach("unknown storage", "ModelArts.6404", "data-prep", func(*rulesEnv) string { return rulesNoNB }),
		with(detach("MOUNTING", "ModelArts.6357", "data-prep", lastMount), func(r *rejection) {
			r.setup = func(e *rulesEnv) { e.lastMount = e.mustAttach("data-prep", "/data/new/").ID }
		}),
		with(detach("UNMOUNTING", "ModelArts.6357", "data-prep", lastMount), func(r *rejection) {
			r.setup = func(e *rulesEnv) { e.lastMount = demoMount(e); e.mustDetach("data-prep", e.lastMount) }
		}),
		with(detach("UNMOUNTED", "ModelArts.6357", "data-prep", lastMount), func(r *rejection) {
			r.setup = func(e *rulesEnv) {
				e.lastMount = demoMount(e)
				e.mustDetach("data-prep", e.lastMount)
				e.clk.Advance(10 * time.Second)
			}
		}),
		with(detach("STOPPING", "ModelArts.6308", "data-prep", lastMount), func(r *rejection) {
			r.setup = func(e *rulesEnv) {
				e.lastMount = demoMount(e)
				if _, err := e.cl.StopNotebook(context.Background(), e.nbID("data-prep")); err != nil {
					e.t.Fatal(err)
				}
			}
		}),

		// ---- Tags. train-resnet50 has two tags.
		addTags("none", "ModelArts.6335", "train-resnet50", nil),
		addTags("key missing", "ModelArts.6335", "train-resnet50", []model.Tag{{Value: "x"}}),
		addTags("key reserved", "ModelArts.6336", "train-resnet50", []model.Tag{{Key: "_sys_owner", Value: "x"}}),
		addTags("key over 128", "ModelArts.6336", "train-resnet50", []model.Tag{{Key: strings.Repeat("k", 129)}}),
		addTags("key with slash", "ModelArts.6336", "train-resnet50", []model.Tag{{Key: "a/b", Value: "x"}}),
		addTags("value over 255", "ModelArts.6336", "train-resnet50", []model.Tag{{Key: "k", Value: strings.Repeat("v", 256)}}),
		addTags("value with bar", "ModelArts.6336", "train-resnet50", []model.Tag{{Key: "k", Value: "a|b"}}),
		addTags("key twice", "ModelArts.6336", "train-resnet50", []model.Tag{{Key: "k", Value: "a"}, {Key: "k", Value: "b"}}),
		addTags("over 20 in one request", "ModelArts.6336", "train-resnet50", numberedTags(21)),
		addTags("over 20 on the notebook", "ModelArts.0118", "train-resnet50", numberedTags(19)),
		{name: "tags/create/unknown notebook", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			return e.cl.AddNotebookTags(ctx, rulesNoNB, []model.Tag{{Key: "k", Value: "v"}})
		}},
		{name: "tags/delete/none", code: "ModelArts.6335", nb: []string{"train-resnet50"}, call: func(ctx context.Context, e *rulesEnv) error {
			return e.cl.RemoveNotebookTags(ctx, e.nbID("train-resnet50"), nil)
		}},
		{name: "tags/delete/unknown notebook", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			return e.cl.RemoveNotebookTags(ctx, rulesNoNB, []model.Tag{{Key: "team"}})
		}},
		// A filter the client builds from valid TagFilters is always well
		// formed; an invalid key slips through the struct.
		with(rejection{name: "tags/list filter/bad key", code: "ModelArts.0107", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ListNotebooksPage(ctx, client.ListNotebooksOptions{Tags: []model.TagFilter{{Key: "_sys_x", AnyValue: true}}})
			return err
		}}, func(r *rejection) {
			r.msg = "Invalid values for parameters (tags, _sys_x): tags[0].key: starts with _sys_, which is reserved for system tags " +
				"(allowed: 1–128 characters: letters of any language, digits, spaces and _ . : = + - @; no leading or trailing space; not starting with _sys_)."
		}),

		// ---- Save as image (my-pytorch-env:20240311 of matui-team exists).
		save("name missing", "ModelArts.6335", "data-prep", withSave(func(r *model.CreateImageRequest) { r.Name = "" })),
		save("name upper case", "ModelArts.6336", "data-prep", withSave(func(r *model.CreateImageRequest) { r.Name = "MyEnv" })),
		save("name over 128", "ModelArts.6336", "data-prep", withSave(func(r *model.CreateImageRequest) { r.Name = strings.Repeat("n", 129) })),
		save("namespace missing", "ModelArts.6335", "data-prep", withSave(func(r *model.CreateImageRequest) { r.Namespace = "" })),
		save("namespace digit first", "ModelArts.6336", "data-prep", withSave(func(r *model.CreateImageRequest) { r.Namespace = "1team" })),
		save("tag illegal", "ModelArts.6336", "data-prep", withSave(func(r *model.CreateImageRequest) { r.Tag = "v:1" })),
		save("description over 512", "ModelArts.6336", "data-prep", withSave(func(r *model.CreateImageRequest) { r.Description = strings.Repeat("d", 513) })),
		save("duplicate", "ModelArts.6737", "data-prep", model.CreateImageRequest{Name: "my-pytorch-env", Namespace: "matui-team", Tag: "20240311"}),
		save("STOPPED", "ModelArts.6327", "archive-2023", okSave),
		save("CREATING", "ModelArts.6327", "new-experiment", okSave),
		save("STARTING", "ModelArts.6306", "restart-me", okSave),
		save("STOPPING", "ModelArts.6308", "winding-down", okSave),
		with(save("SNAPSHOTTING", "ModelArts.6357", "data-prep", withSave(func(r *model.CreateImageRequest) { r.Tag = "v2" })), func(r *rejection) {
			r.setup = func(e *rulesEnv) { e.mustSave("data-prep", okSave) }
		}),
		{name: "images/save/unknown notebook", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.SaveImage(ctx, rulesNoNB, okSave)
			return err
		}},
		with(rejection{name: "images/create with a saved image not ACTIVE", code: "ModelArts.6336", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.CreateNotebook(ctx, nbReq(func(r *model.CreateNotebookRequest) { r.ImageID = e.lastImage }))
			return err
		}}, func(r *rejection) {
			r.setup = func(e *rulesEnv) { e.lastImage = e.mustSave("data-prep", okSave).ID }
		}),
		{name: "images/show/unknown", code: "ModelArts.6797", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ShowImage(ctx, rulesNoImage)
			return err
		}},

		// ---- Pools.
		{name: "pools/list/scope", code: "ModelArts.0107", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ListPools(ctx, client.PoolOptions{Type: model.PoolDedicated, Scope: "LAB"})
			return err
		}},
		{name: "pools/show/unknown", code: "ModelArts.0015", status: http.StatusNotFound, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ShowPool(ctx, "pool-00000000")
			return err
		}},
		onPool("initializing", "ModelArts.6355", func(r *model.CreateNotebookRequest) { r.PoolID = "pool-c9d0e1f2" }),
		onPool("public pool", "ModelArts.6336", func(r *model.CreateNotebookRequest) { r.PoolID = "pool-public-cpu" }),
		onPool("flavor not on the Ascend pool", "ModelArts.6323", func(r *model.CreateNotebookRequest) { r.PoolID = "pool-e5f6a7b8" }),
		onPool("custom_spec on the Ascend pool", "ModelArts.6336", func(r *model.CreateNotebookRequest) {
			r.PoolID, r.Flavor, r.CustomSpec = "pool-e5f6a7b8", "", &model.CustomSpec{CPU: 2, Memory: 8192}
		}),

		// ---- Update: a real change of a stopped-only member while RUNNING
		// is still refused when it comes with unchanged members.
		rejection{name: "gen2/update/Terraform rename with changed endpoints", code: "ModelArts.6347", nb: []string{"train-resnet50"},
			call: func(ctx context.Context, e *rulesEnv) error {
				_, err := e.cl.UpdateNotebook(ctx, e.nbID("train-resnet50"), model.UpdateNotebookRequest{Name: ptr("renamed"),
					Endpoints: []model.EndpointsReq{{Service: "SSH", KeyPairNames: []string{"KeyPair-demo"}, AllowedAccessIPs: []string{"198.51.100.1"}}}})
				return err
			}},
		rejection{name: "gen2/update/EFS resize", code: "ModelArts.6336", nb: []string{"long-description"},
			call: func(ctx context.Context, e *rulesEnv) error {
				_, err := e.cl.UpdateNotebook(ctx, e.nbID("long-description"), model.UpdateNotebookRequest{StorageNewSize: ptr(51)})
				return err
			}},
	}
}

func numberedTags(n int) []model.Tag {
	out := make([]model.Tag, n)
	for i := range out {
		out[i] = model.Tag{Key: "k" + strings.Repeat("x", i), Value: "v"}
	}
	return out
}

func (e *rulesEnv) mustAttach(inst, path string) model.DataVolume {
	m, err := e.cl.AttachStorage(context.Background(), e.nbID(inst), obsMount(path))
	if err != nil {
		e.t.Fatalf("attach %s to %s: %v", path, inst, err)
	}
	return m
}

func (e *rulesEnv) mustDetach(inst, id string) model.DataVolume {
	m, err := e.cl.DetachStorage(context.Background(), e.nbID(inst), id)
	if err != nil {
		e.t.Fatalf("detach %s from %s: %v", id, inst, err)
	}
	return m
}

func (e *rulesEnv) mustSave(inst string, req model.CreateImageRequest) model.Image {
	im, err := e.cl.SaveImage(context.Background(), e.nbID(inst), req)
	if err != nil {
		e.t.Fatalf("save %s: %v", inst, err)
	}
	return im
}

func (e *rulesEnv) show(name string) model.Notebook {
	nb, err := e.cl.ShowNotebook(context.Background(), e.nbID(name))
	if err != nil {
		e.t.Fatalf("show %s: %v", name, err)
	}
	return nb
}

func (e *rulesEnv) storage(inst, id string) (model.DataVolume, error) {
	return e.cl.ShowStorage(context.Background(), e.nbID(inst), id)
}

func TestContractStorageLifecycle(t *testing.T) {
	e := newRulesEnv(t, sim.Options{})
	ctx := context.Background()
	const nb = "llm-eval-910b" // RUNNING for 5 h, two demo mounts

	m := e.mustAttach(nb, "/data/datasets/")
	if m.Status != model.MountMounting || m.ID == "" || m.MountPath != "/data/datasets/" || m.URI != "obs://team-datasets/data/datasets/" ||
		m.MountType != model.MountTypeDynamic {
		t.Fatalf("attach answered %+v", m)
	}
	// The notebook lists it among its data_volumes, which is what the
	// dashboard's list shows without a storage call per instance.
	in := model.FromNotebook(e.show(nb), nil)
	if len(in.Mounts) != 3 || in.Mounts[2].ID != m.ID || in.Mounts[2].Status != model.MountMounting || !in.Mounts[2].Dynamic {
		t.Fatalf("instance mounts %+v", in.Mounts)
	}
	e.clk.Advance(4999 * time.Millisecond)
	if got, _ := e.storage(nb, m.ID); got.Status != model.MountMounting {
		t.Fatalf("at 4.999 s: %s", got.Status)
	}
	e.clk.Advance(time.Millisecond)
	if got, _ := e.storage(nb, m.ID); got.Status != model.MountMounted {
		t.Fatalf("at 5 s: %s, want MOUNTED", got.Status)
	}

	if d := e.mustDetach(nb, m.ID); d.Status != model.MountUnmounting {
		t.Fatalf("detach answered %+v", d)
	}
	e.clk.Advance(3 * time.Second)
	if got, _ := e.storage(nb, m.ID); got.Status != model.MountUnmounted {
		t.Fatalf("3 s after detach: %s, want UNMOUNTED", got.Status)
	}
	// An unmounted mount frees its directory and its place at once …
	if again := e.mustAttach(nb, "/data/datasets/"); again.ID == m.ID {
		t.Fatal("a new mount reused the old ID")
	}
	// … and disappears a minute later, with the not-found the Terraform
	// provider waits for.
	e.clk.Advance(time.Minute)
	if _, err := e.storage(nb, m.ID); !client.IsNotFound(err) {
		t.Fatalf("a minute after unmounting: %v, want not found", err)
	}
	ms, err := e.cl.ListStorage(ctx, e.nbID(nb))
	if err != nil || len(ms) != 3 || slices.ContainsFunc(ms, func(d model.DataVolume) bool { return d.ID == m.ID }) {
		t.Fatalf("list after removal: %+v %v", ms, err)
	}

	// Failures, with the fail fault key: the mount ends MOUNT_FAILED with a
	// reason, the unmount UNMOUNT_FAILED; both can be detached again.
	e.s.Faults().Set([]fault.Rule{{Route: "storage.*", Fail: 1}})
	bad := e.mustAttach(nb, "/data/broken/")
	e.clk.Advance(5 * time.Second)
	got, _ := e.storage(nb, bad.ID)
	if got.Status != model.MountMountFailed || !strings.Contains(got.FailureReason, "simulated failure") {
		t.Fatalf("failing mount: %+v", got)
	}
	e.mustDetach(nb, bad.ID) // fails too
	e.clk.Advance(3 * time.Second)
	if got, _ = e.storage(nb, bad.ID); got.Status != model.MountUnmountFailed {
		t.Fatalf("failing unmount: %+v", got)
	}
	e.s.Faults().Set(nil)
	e.mustDetach(nb, bad.ID)
	e.clk.Advance(3 * time.Second)
	if got, _ = e.storage(nb, bad.ID); got.Status != model.MountUnmounted || got.FailureReason != "" {
		t.Fatalf("retried unmount: %+v", got)
	}
}

// Dynamic mounts belong to the running container: stop (by hand or at the
// lease's end) unmounts them, a stopped or restarted notebook has none,
// and delete takes them with the instance.
func TestContractStorageGoesWithStopAndDelete(t *testing.T) {
	e := newRulesEnv(t, sim.Options{})
	ctx := context.Background()
	const nb = "llm-eval-910b"
	e.mustAttach(nb, "/data/extra/")
	e.clk.Advance(5 * time.Second)
	if _, err := e.cl.StopNotebook(ctx, e.nbID(nb)); err != nil {
		t.Fatal(err)
	}
	s := e.show(nb)
	if s.Status != "STOPPING" || len(s.DataVolumes) != 3 || slices.ContainsFunc(s.DataVolumes, func(d model.DataVolume) bool { return d.Status != model.MountUnmounting }) {
		t.Fatalf("while stopping: %s %+v", s.Status, s.DataVolumes)
	}
	e.clk.Advance(4 * time.Second)
	if s = e.show(nb); s.Status != "STOPPED" || len(s.DataVolumes) != 0 {
		t.Fatalf("stopped: %s %+v", s.Status, s.DataVolumes)
	}
	if ms, err := e.cl.ListStorage(ctx, e.nbID(nb)); err != nil || len(ms) != 0 {
		t.Fatalf("storage of a stopped notebook: %+v %v", ms, err)
	}
	if _, err := e.cl.StartNotebook(ctx, e.nbID(nb), client.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(5 * time.Second)
	if s = e.show(nb); s.Status != "RUNNING" || len(s.DataVolumes) != 0 {
		t.Fatalf("restarted: %s %+v", s.Status, s.DataVolumes)
	}

	// data-prep's lease ends in 4 minutes: its demo mount goes with it.
	e.clk.Advance(4*time.Minute + 4*time.Second)
	if s = e.show("data-prep"); s.Status != "STOPPED" || len(s.DataVolumes) != 0 {
		t.Fatalf("after the lease: %s %+v", s.Status, s.DataVolumes)
	}

	// Delete: gone with the notebook.
	e.mustAttach(nb, "/data/last/")
	if _, err := e.cl.DeleteNotebook(ctx, e.nbID(nb)); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(3 * time.Second)
	if _, err := e.cl.ListStorage(ctx, e.nbID(nb)); !client.IsNotFound(err) {
		t.Fatalf("storage of a deleted notebook: %v", err)
	}
}

func TestContractTags(t *testing.T) {
	e := newRulesEnv(t, sim.Options{})
	ctx := context.Background()
	names := func(fs ...model.TagFilter) []string {
		nbs, err := e.cl.ListNotebooks(ctx, client.ListNotebooksOptions{Tags: fs})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, nb := range nbs {
			out = append(out, nb.Name)
		}
		slices.Sort(out)
		return out
	}
	nlp := model.TagFilter{Key: "team", Value: "nlp"}
	if got := names(nlp); strings.Join(got, " ") != "bert-finetune-910 llm-eval-910b pool-affinity" {
		t.Fatalf("team|nlp: %v", got)
	}
	if got := names(nlp, model.TagFilter{Key: "env", Value: "prod"}); strings.Join(got, " ") != "llm-eval-910b" {
		t.Fatalf("team|nlp,env|prod: %v", got)
	}
	if got := names(model.TagFilter{Key: "team", Value: "cv"}, nlp); len(got) != 5 {
		t.Fatalf("team|cv,team|nlp: %v", got)
	}
	if got := names(model.TagFilter{Key: "project", AnyValue: true}); strings.Join(got, " ") != "train-resnet50" {
		t.Fatalf("project: %v", got)
	}

	// Add, overwrite by key, filter, remove.
	id := e.nbID("archive-2023") // STOPPED: tags work in any status
	if err := e.cl.AddNotebookTags(ctx, id, []model.Tag{{Key: "team", Value: "cv"}, {Key: "owner", Value: "li wei"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.cl.AddNotebookTags(ctx, id, []model.Tag{{Key: "team", Value: "nlp"}}); err != nil {
		t.Fatal(err)
	}
	nb := e.show("archive-2023")
	if want := []model.Tag{{Key: "team", Value: "nlp"}, {Key: "owner", Value: "li wei"}}; !slices.Equal(nb.Tags, want) {
		t.Fatalf("tags %v, want %v", nb.Tags, want)
	}
	if got := names(nlp, model.TagFilter{Key: "owner", Value: "li wei"}); strings.Join(got, " ") != "archive-2023" {
		t.Fatalf("after adding: %v", got)
	}
	// The summary merges values by key.
	sum, err := e.cl.ListNotebookTags(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var team model.TagValues
	for _, tv := range sum {
		if tv.Key == "team" {
			team = tv
		}
	}
	if strings.Join(team.Values, ",") != "cv,data,nlp" {
		t.Fatalf("summary %+v", sum)
	}
	// Removal is by key; removing a key it does not have is no error.
	if err := e.cl.RemoveNotebookTags(ctx, id, []model.Tag{{Key: "owner"}, {Key: "absent"}}); err != nil {
		t.Fatal(err)
	}
	if nb = e.show("archive-2023"); !slices.Equal(nb.Tags, []model.Tag{{Key: "team", Value: "nlp"}}) {
		t.Fatalf("after removal: %v", nb.Tags)
	}
	// Exactly 20 tags fit.
	if err := e.cl.AddNotebookTags(ctx, id, numberedTags(19)); err != nil {
		t.Fatalf("20 tags: %v", err)
	}
	if err := e.cl.AddNotebookTags(ctx, id, []model.Tag{{Key: "one-more"}}); !client.IsQuotaExceeded(err) {
		t.Fatalf("21st tag: %v", err)
	}

	// The dashboard's instances carry the tags and mounts.
	insts, err := e.cl.ListInstances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range insts {
		if in.Name == "data-prep" && (!slices.Equal(in.Tags, []model.Tag{{Key: "team", Value: "cv"}}) ||
			len(in.Mounts) != 1 || in.Mounts[0].Status != model.MountMounted || in.Mounts[0].URI != "obs://team-datasets/imagenet/") {
			t.Fatalf("data-prep as an instance: tags %v mounts %+v", in.Tags, in.Mounts)
		}
	}
}

func TestContractSaveImage(t *testing.T) {
	e := newRulesEnv(t, sim.Options{})
	ctx := context.Background()
	const nb = "llm-eval-910b"
	before := e.show(nb)
	im := e.mustSave(nb, model.CreateImageRequest{Name: "llm-eval-env", Namespace: "matui-team", Description: "saved by the test"})
	if im.Status != model.ImageInit || im.Type != model.ImageTypeDedicated || im.Origin != model.ImageOriginSave ||
		im.Visibility != "PRIVATE" || im.Tag != "latest" || im.Arch != "aarch64" || im.ID == "" {
		t.Fatalf("save answered %+v", im)
	}
	if s := e.show(nb); s.Status != "SNAPSHOTTING" {
		t.Fatalf("notebook %s, want SNAPSHOTTING", s.Status)
	}
	if _, err := e.cl.StopNotebook(ctx, e.nbID(nb)); !client.IsConflict(err) {
		t.Fatalf("stop while snapshotting: %v", err)
	}
	// Listed with type DEDICATED, not with the default BUILD_IN.
	listed := func(typ string) bool {
		ims, err := e.cl.ListImages(ctx, client.ImageOptions{Type: typ})
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(ims, func(x model.Image) bool { return x.ID == im.ID })
	}
	if !listed(model.ImageTypeDedicated) || listed("") {
		t.Fatal("the saved image must be listed with type=DEDICATED only")
	}
	e.clk.Advance(2 * time.Second)
	if got, _ := e.cl.ShowImage(ctx, im.ID); got.Status != model.ImageCreating {
		t.Fatalf("at 2 s: %s", got.Status)
	}
	e.clk.Advance(18 * time.Second)
	s := e.show(nb)
	got, _ := e.cl.ShowImage(ctx, im.ID)
	if s.Status != "RUNNING" || got.Status != model.ImageActive {
		t.Fatalf("after 20 s: notebook %s, image %s", s.Status, got.Status)
	}
	// The instance kept running: its lease was not re-based.
	if s.Lease.Deadline() != before.Lease.Deadline() {
		t.Fatalf("lease moved from %v to %v", before.Lease.Deadline(), s.Lease.Deadline())
	}
	// The saved image runs where its source did.
	created, err := e.cl.CreateNotebook(ctx, nbReq(func(r *model.CreateNotebookRequest) {
		r.Name, r.Flavor, r.ImageID = "from-saved", "modelarts.bm.d910b.xlarge.1", im.ID
		r.Volume = model.VolumeReq{Category: "EVS", Ownership: "MANAGED", Capacity: 5}
	}))
	if err != nil || created.Image.ID != im.ID {
		t.Fatalf("create from the saved image: %+v %v", created.Image, err)
	}
	// Saving it again under the same tag is a duplicate.
	e.clk.Advance(time.Second)
	if _, err := e.cl.SaveImage(ctx, e.nbID(nb), model.CreateImageRequest{Name: "llm-eval-env", Namespace: "matui-team"}); !client.IsDuplicate(err) {
		t.Fatalf("second save with the same tag: %v", err)
	}

	// With images.save:fail=1 the image fails and the notebook still
	// returns to RUNNING; deleting a notebook mid-save fails its image.
	e.s.Faults().Set([]fault.Rule{{Route: "images.save", Fail: 1}})
	failed := e.mustSave("pool-cpu", model.CreateImageRequest{Name: "pool-env", Namespace: "matui-team"})
	e.s.Faults().Set(nil)
	doomed := e.mustSave("tf-sandbox", model.CreateImageRequest{Name: "tf-env", Namespace: "matui-team"})
	if _, err := e.cl.DeleteNotebook(ctx, e.nbID("tf-sandbox")); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(20 * time.Second)
	for _, c := range []struct{ id, msg string }{{failed.ID, "simulated failure"}, {doomed.ID, "deleted"}} {
		got, err := e.cl.ShowImage(ctx, c.id)
		if err != nil || got.Status != model.ImageCreateFailed || !strings.Contains(got.StatusMessage, c.msg) {
			t.Errorf("image %s: %+v %v", c.id, got, err)
		}
	}
	if s := e.show("pool-cpu"); s.Status != "RUNNING" {
		t.Fatalf("pool-cpu after a failed save: %s", s.Status)
	}
}

func TestContractPools(t *testing.T) {
	e := newRulesEnv(t, sim.Options{})
	ctx := context.Background()
	ded, err := e.cl.ListPools(ctx, client.PoolOptions{Type: model.PoolDedicated})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ded {
		got = append(got, p.PoolID+":"+p.Status+":"+strings.Join(p.ResourceCategories, "/"))
		if p.Type != model.PoolDedicated || p.CreateAt == 0 || len(p.Flavors) == 0 {
			t.Errorf("pool %+v", p)
		}
	}
	if strings.Join(got, " ") != "pool-a1b2c3d4:ACTIVE:GPU pool-e5f6a7b8:ACTIVE:ASCEND pool-c9d0e1f2:INITIALIZING:CPU" {
		t.Fatalf("dedicated pools: %v", got)
	}
	pub, err := e.cl.ListPools(ctx, client.PoolOptions{Type: model.PoolManaged, Scope: model.PoolScopeTrain})
	if err != nil || len(pub) != 3 || pub[0].Type != model.PoolManaged {
		t.Fatalf("public pools: %+v %v", pub, err)
	}
	// The demo's notebooks on a dedicated pool reference a seeded pool.
	for _, name := range []string{"pool-cpu", "pool-affinity"} {
		nb := e.show(name)
		p, err := e.cl.ShowPool(ctx, nb.Pool.ID)
		if err != nil || p.PoolID != "pool-a1b2c3d4" || nb.Pool.Name != "pool-train-eu-de" || !p.Usable() {
			t.Fatalf("%s on %+v: %+v %v", name, nb.Pool, p, err)
		}
	}
	// A notebook on the Ascend pool, with one of its flavors.
	if _, err := e.cl.CreateNotebook(ctx, nbReq(func(r *model.CreateNotebookRequest) {
		r.Name, r.PoolID, r.Flavor, r.ImageID = "on-910b", "pool-e5f6a7b8", "modelarts.bm.d910b.xlarge.1", "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
	})); err != nil {
		t.Fatalf("create on the Ascend pool: %v", err)
	}
	// The initializing pool is ACTIVE three minutes after the start.
	e.clk.Advance(3 * time.Minute)
	p, err := e.cl.ShowPool(ctx, "pool-c9d0e1f2")
	if err != nil || !p.Usable() || p.UpdateAt.Time().IsZero() {
		t.Fatalf("after 3 min: %+v %v", p, err)
	}
	if _, err := e.cl.CreateNotebook(ctx, nbReq(func(r *model.CreateNotebookRequest) { r.Name, r.PoolID = "on-new-pool", "pool-c9d0e1f2" })); err != nil {
		t.Fatalf("create on the now active pool: %v", err)
	}
}

// An update that repeats the current value of a member is not a change
// (issue 11): accepted in any status, and it changes nothing else.
func TestContractUpdateRepeatsAreNotChanges(t *testing.T) {
	e := newRulesEnv(t, sim.Options{})
	ctx := context.Background()
	update := func(name string, req model.UpdateNotebookRequest) (model.Notebook, error) {
		return e.cl.UpdateNotebook(ctx, e.nbID(name), req)
	}

	// The Terraform provider renames a running notebook by sending name,
	// description and its (unchanged) SSH endpoint.
	cur := e.show("train-resnet50")
	nb, err := update("train-resnet50", model.UpdateNotebookRequest{Name: ptr("resnet50-baseline"), Description: ptr(cur.Description),
		Endpoints: []model.EndpointsReq{{Service: "SSH", KeyPairNames: []string{"KeyPair-demo"}, AllowedAccessIPs: []string{"203.0.113.7"}}}})
	if err != nil || nb.Name != "resnet50-baseline" || nb.Status != "RUNNING" {
		t.Fatalf("Terraform-style rename: %v %v", nb.Name, err)
	}
	e.nbs["resnet50-baseline"] = e.nbID("train-resnet50")
	// The NOTEBOOK endpoint of a response, sent back as it was read, is no
	// change either; nor are the current flavor and image.
	back := []model.EndpointsReq{{Service: "NOTEBOOK"}, {Service: "SSH", KeyPairNames: []string{"KeyPair-demo"}, AllowedAccessIPs: []string{"203.0.113.7"}}}
	if _, err := update("resnet50-baseline", model.UpdateNotebookRequest{Endpoints: back, Flavor: ptr(cur.Flavor), ImageID: ptr(cur.Image.ID)}); err != nil {
		t.Fatalf("echoed endpoints, flavor and image: %v", err)
	}

	// A no-op changes nothing at all, update_at included.
	same := func(name string, req model.UpdateNotebookRequest) {
		t.Helper()
		before := e.json(e.show(name))
		if _, err := update(name, req); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if after := e.json(e.show(name)); after != before {
			t.Fatalf("%s: a no-op update changed the notebook:\nbefore %s\nafter  %s", name, before, after)
		}
	}
	same("data-prep", model.UpdateNotebookRequest{StorageNewSize: ptr(20)})            // RUNNING EVS at its size: no RESIZING
	same("long-description", model.UpdateNotebookRequest{StorageNewSize: ptr(50)})     // EFS at its size
	same("new-experiment", model.UpdateNotebookRequest{Name: ptr("new-experiment")})   // CREATING, same name
	same("archive-2023", model.UpdateNotebookRequest{Affinity: model.ClearAffinity()}) // no rules to clear, no pool needed
	same("pool-affinity", model.UpdateNotebookRequest{Affinity: model.ReplaceAffinity(*e.show("pool-affinity").Affinity)})

	// Terraform changes a stopped notebook's flavor with flavor, image_id
	// and storage_new_size; only the flavor changes.
	arch := e.show("archive-2023")
	nb, err = update("archive-2023", model.UpdateNotebookRequest{Flavor: ptr("modelarts.vm.cpu.8u"), ImageID: ptr(arch.Image.ID),
		StorageNewSize: ptr(int(arch.Volume.Capacity))})
	if err != nil || nb.Flavor != "modelarts.vm.cpu.8u" || nb.Volume.Status != "" || nb.Volume.Capacity != arch.Volume.Capacity {
		t.Fatalf("Terraform-style flavor change: %+v %v", nb.Volume, err)
	}
}

// Clients that sign with their own clock (the Huawei SDK, the Terraform
// provider's library) keep working under --speed 50 for the whole run,
// not just the first 18 s; matui's client, which signs with the server's
// Date, keeps working too.
func TestContractSignatureWindowUnderSpeed(t *testing.T) {
	wall := sim.NewManualClock(time.Now().UTC().Truncate(time.Second))
	s, err := sim.New(sim.Options{Seed: 1, Speed: 50, WallClock: wall})
	if err != nil {
		t.Fatal(err)
	}
	hs := serve(t, s)
	cr := s.Credentials()
	// Like the SDK: signs with the local (real) clock, no server time.
	sdkLike := newSignedClient(t, hs, cr, wall.Now, wall.Now)
	// Like matui (client.Connect): signs with ServerNow once it knows it.
	var own *client.Client
	own = newSignedClient(t, hs, cr, wall.Now, func() time.Time {
		if own != nil {
			return own.ServerNow()
		}
		return wall.Now()
	})
	ctx := context.Background()
	for step := range 25 { // two hours of real time, 100 hours of sim time
		for name, cl := range map[string]*client.Client{"real-clock signer": sdkLike, "server-clock signer": own} {
			if _, err := cl.ListNotebooksPage(ctx, client.ListNotebooksOptions{}); err != nil {
				t.Fatalf("%s after %v of real time (sim %v ahead): %v", name, time.Duration(step)*5*time.Minute, s.Now().Sub(wall.Now()), err)
			}
		}
		wall.Advance(5 * time.Minute)
	}
	if ahead := s.Now().Sub(wall.Now()); ahead < 90*time.Hour {
		t.Fatalf("the sim clock is only %v ahead: the test did not test the window", ahead)
	}
	// A date far from both clocks is still refused.
	stale := newSignedClient(t, hs, cr, wall.Now, func() time.Time { return wall.Now().Add(-time.Hour) })
	if _, err := stale.ListNotebooksPage(ctx, client.ListNotebooksOptions{}); !client.IsAuth(err) {
		t.Fatalf("a signature an hour old: %v", err)
	}
}

// newSignedClient is a client whose local clock is localNow and whose
// AK/SK signatures are dated by signNow.
func newSignedClient(t *testing.T, hs *httptest.Server, cr sim.Credentials, localNow, signNow func() time.Time) *client.Client {
	t.Helper()
	cl, err := client.New(client.Options{
		Endpoint: hs.URL, ProjectID: cr.ProjectID, MaxRetries: -1, RateLimit: rate.Inf,
		Auth: auth.AKSK{AK: cr.AK, SK: cr.SK, Now: signNow}, Now: localNow,
	})
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// The fail fault key also fails creates and starts, like FailNext.
func TestContractFailFaultOnCreateAndStart(t *testing.T) {
	e := newRulesEnv(t, sim.Options{})
	ctx := context.Background()
	e.s.Faults().Set([]fault.Rule{{Route: "notebooks.create", Fail: 1}, {Route: "notebooks.start", Fail: 1}})
	nb, err := e.cl.CreateNotebook(ctx, nbReq(nil))
	if err != nil || nb.Status != "CREATING" {
		t.Fatalf("create is accepted: %v %v", nb.Status, err)
	}
	if _, err := e.cl.StartNotebook(ctx, e.nbID("archive-2023"), client.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(time.Minute)
	if got, _ := e.cl.ShowNotebook(ctx, nb.ID); got.Status != "CREATE_FAILED" || got.FailReason == "" {
		t.Fatalf("create: %s %q", got.Status, got.FailReason)
	}
	if got := e.show("archive-2023"); got.Status != "START_FAILED" {
		t.Fatalf("start: %s", got.Status)
	}
}
