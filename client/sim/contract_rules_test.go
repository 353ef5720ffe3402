package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"matui/client"
	"matui/client/auth"
	"matui/client/sim"
	"matui/model"
)

// TestContractRejections drives every rejection the simulator implements
// through matui's real *client.Client and checks, for each one, the
// *client.APIError (code, HTTP status, and for some the exact message),
// that the client sent exactly one request (a 4xx is never retried), and
// that nothing changed: with the simulator's clock standing still, the
// instances a case names (Gen 2 Show + lease + switchable flavors + storage, Gen 1
// Get) or else the lists of its generation, fetched through the client and
// marshalled to JSON, are byte-identical before and after (see scope).
//
// Wrong project (0210) is asserted as HTTP 400: with AK/SK the gateway
// passes the call and the API answers 400; the gate answers an IAM token
// scoped to another project with 403 ModelArts.0210 instead.
//
// The client does not validate request bodies, so invalid bodies reach the
// simulator as they are. What the client refuses locally (and so never
// sends) is covered by TestContractClientLocalChecks. Rejections that the
// client cannot provoke at all:
//
//   - ModelArts.6400 (malformed JSON) and 6332 (wrong JSON type): the client
//     marshals typed structs, and the start/renew duration is an int64.
//   - ModelArts.6335 for a missing de_type: the client always sends it; a
//     wrong de_type (6336) likewise.
//   - The legacy top-level "duration" of a Gen 2 create: not in the model.
//   - ModelArts.6768 (SSH on an image without SSH): every catalog image
//     offers SSH, so the rule is unreachable with the stock catalog.
//   - Gen 1 start of an instance on a paid sold-out flavor (6360): such an
//     instance cannot be created (6329) and the demo has none.
//
// Gen 1 list's negative limit/offset (0107), a Gen 2 list limit other than
// 10/20/50, a start duration below -1, an empty Gen 1 action (6335) and
// IDs that would change the URL are refused by the client before sending.
func TestContractRejections(t *testing.T) {
	// Cases without setup or options share one simulator and run in
	// sequence (each must leave the state as it found it, so one cached
	// "before" serves them all); the others get a fresh simulator each and
	// run in parallel. At the end, the shared simulator's lists must still
	// be what they were at the start.
	shared := newRulesEnv(t, sim.Options{})
	initial := shared.lists("")
	cache := map[string]string{}
	for _, r := range rejectionRules() {
		fresh := r.setup != nil || r.opts != (sim.Options{})
		t.Run(r.name, func(t *testing.T) {
			e := shared
			if fresh {
				t.Parallel()
				e = newRulesEnv(t, r.opts)
				if r.setup != nil {
					r.setup(e)
				}
			}
			e.t = t
			defer func() { e.t = nil }()
			checkRejection(t, e, r, fresh, cache)
		})
	}
	shared.t = t
	if got := shared.lists(""); got != initial {
		t.Errorf("the rejections changed the shared simulator's lists:\nbefore %s\nafter  %s", initial, got)
	}
}

// scope is which lists a case's snapshot needs: a case about named
// instances compares those (the final check of TestContractRejections
// covers the rest); any other compares the lists of its generation, or all
// of them when fresh.
func (r rejection) scope(fresh bool) string {
	switch {
	case fresh:
		return ""
	case len(r.nb)+len(r.dev) > 0:
		return "none"
	case strings.HasPrefix(r.name, "gen1/"):
		return "gen1"
	case strings.HasPrefix(r.name, "gen2/"):
		return "gen2"
	}
	return ""
}

// checkRejection runs r's call on e and checks the error, the number of
// requests and that the snapshot did not change. cache holds the shared
// simulator's lists by scope (nil or unused for a fresh one).
func checkRejection(t *testing.T, e *rulesEnv, r rejection, fresh bool, cache map[string]string) {
	t.Helper()
	scope := r.scope(fresh)
	lists, ok := cache[scope]
	if fresh || !ok {
		lists = e.lists(scope)
	}
	before := lists + e.details(r.nb, r.dev)
	clock := e.clk.Now()
	hits, sleeps := e.hits.Load(), e.sleeps.Load()
	err := r.call(context.Background(), e)
	sent, slept := e.hits.Load()-hits, e.sleeps.Load()-sleeps

	var ae *client.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want *client.APIError %s, got %v", r.code, err)
	}
	status := r.status
	if status == 0 {
		status = http.StatusBadRequest
	}
	if ae.Code != r.code || ae.HTTPStatus != status {
		t.Errorf("got %s HTTP %d (%q), want %s HTTP %d", ae.Code, ae.HTTPStatus, ae.Message, r.code, status)
	}
	if ae.Message == "" || r.msg != "" && ae.Message != r.msg {
		t.Errorf("message %q, want %q", ae.Message, r.msg)
	}
	if sent != 1 || slept != 0 {
		t.Errorf("the client sent %d requests and slept %d times for one rejected call; a 4xx must not be retried", sent, slept)
	}
	if !e.clk.Now().Equal(clock) {
		t.Fatal("the clock moved") // the snapshots would not be comparable
	}
	lists = e.lists(scope)
	if !fresh {
		cache[scope] = lists
	}
	if after := lists + e.details(r.nb, r.dev); after != before {
		t.Errorf("rejected, yet the state changed:\nbefore %s\nafter  %s", before, after)
	}
}

// rejection is one rule violation, triggered through the client.
type rejection struct {
	name   string
	code   string
	status int    // 0: 400
	msg    string // the exact message, when set
	opts   sim.Options
	// setup prepares state (e.g. a second delete needs a first one); it
	// runs before the "before" snapshot.
	setup func(e *rulesEnv)
	// nb and dev name instances whose Show (Gen 2, with the lease) or Get
	// (Gen 1) is the snapshot; without names, the lists are (see scope).
	nb, dev []string
	call    func(ctx context.Context, e *rulesEnv) error
}

const (
	rulesCPUImage   = "e1a07296-22a8-4f05-8bc8-e936c8e54090"
	rulesTorchImage = "278e88d1-5b71-4766-8502-b3ba72e824d9"
	rulesMSImage    = "7f3e2d1c-0b9a-4887-a6b5-c4d3e2f1a0b9"
	rulesNoImage    = "00000000-0000-4000-8000-000000000000"
	rulesNoNB       = "00000000-0000-4000-8000-000000000000"
	rulesNoDev      = "DE-nope"
)

// nbReq is a valid Gen 2 create request (TestContractRejectionBaselines
// proves it) with mut applied.
func nbReq(mut func(r *model.CreateNotebookRequest)) model.CreateNotebookRequest {
	r := model.CreateNotebookRequest{
		Name: "rules-nb", Description: "contract rules", Flavor: "modelarts.vm.cpu.2u", ImageID: rulesCPUImage,
		Volume: model.VolumeReq{Category: "EVS", Ownership: "MANAGED", Capacity: 10},
		Lease:  &model.LeaseReq{Duration: 3600000, Type: "timing"},
	}
	if mut != nil {
		mut(&r)
	}
	return r
}

// devReq is a valid Gen 1 create request with mut applied.
func devReq(mut func(r *model.CreateDevInstanceRequest)) model.CreateDevInstanceRequest {
	r := model.CreateDevInstanceRequest{
		Name: "rules-dev", ProfileID: "Multi-Engine 1.0 (python3)-cpu", Flavor: "modelarts.vm.cpu.2u",
		Spec: model.DevCreateSpec{Storage: model.DevStorage{Type: "obs", Location: &model.DevLocation{Path: "/team-bucket/rules/"}}},
	}
	if mut != nil {
		mut(&r)
	}
	return r
}

func rejectionRules() []rejection {
	create := func(name, code string, mut func(r *model.CreateNotebookRequest)) rejection {
		return rejection{name: "gen2/create/" + name, code: code, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.CreateNotebook(ctx, nbReq(mut))
			return err
		}}
	}
	update := func(name, code, inst string, req model.UpdateNotebookRequest) rejection {
		return rejection{name: "gen2/update/" + name, code: code, nb: []string{inst}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.UpdateNotebook(ctx, e.nbID(inst), req)
			return err
		}}
	}
	startNB := func(name, code, inst string, o client.StartOptions) rejection {
		return rejection{name: "gen2/start/" + name, code: code, nb: []string{inst}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.StartNotebook(ctx, e.nbID(inst), o)
			return err
		}}
	}
	stopNB := func(name, code, inst string) rejection {
		return rejection{name: "gen2/stop/" + name, code: code, nb: []string{inst}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.StopNotebook(ctx, e.nbID(inst))
			return err
		}}
	}
	renew := func(name, code, inst string, l model.LeaseReq) rejection {
		return rejection{name: "gen2/renew/" + name, code: code, nb: []string{inst}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.RenewNotebookLease(ctx, e.nbID(inst), l)
			return err
		}}
	}
	list := func(name, code string, o client.ListNotebooksOptions) rejection {
		return rejection{name: "gen2/list/" + name, code: code, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ListNotebooksPage(ctx, o)
			return err
		}}
	}
	devCreate := func(name, code string, mut func(r *model.CreateDevInstanceRequest)) rejection {
		return rejection{name: "gen1/create/" + name, code: code, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.CreateDevInstance(ctx, devReq(mut))
			return err
		}}
	}
	devModify := func(name, code, inst string, req model.ModifyDevInstanceRequest) rejection {
		return rejection{name: "gen1/modify/" + name, code: code, dev: []string{inst}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ModifyDevInstance(ctx, e.devID(inst), req)
			return err
		}}
	}
	devDelete := func(name, code, inst string) rejection {
		return rejection{name: "gen1/delete/" + name, code: code, dev: []string{inst}, call: func(ctx context.Context, e *rulesEnv) error {
			return e.cl.DeleteDevInstance(ctx, e.devID(inst))
		}}
	}
	devAction := func(name, code, inst, action string) rejection {
		return rejection{name: "gen1/action/" + name, code: code, dev: []string{inst}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.DevAction(ctx, e.devID(inst), action)
			return err
		}}
	}
	devList := func(name, code string, o client.DevListOptions) rejection {
		return rejection{name: "gen1/list/" + name, code: code, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ListDevInstances(ctx, o)
			return err
		}}
	}
	with := func(r rejection, f func(r *rejection)) rejection { f(&r); return r }
	setup := func(r rejection, s func(e *rulesEnv)) rejection { r.setup = s; return r }

	rules := []rejection{
		// ---- Gen 2: unknown instance on every instance endpoint (6404).
		with(rejection{name: "gen2/show/unknown", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ShowNotebook(ctx, rulesNoNB)
			return err
		}}, func(r *rejection) { r.msg = "Notebook not found" }),
		{name: "gen2/update/unknown", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.UpdateNotebook(ctx, rulesNoNB, model.UpdateNotebookRequest{Name: ptr("x")})
			return err
		}},
		{name: "gen2/delete/unknown", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.DeleteNotebook(ctx, rulesNoNB)
			return err
		}},
		{name: "gen2/start/unknown", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.StartNotebook(ctx, rulesNoNB, client.StartOptions{})
			return err
		}},
		{name: "gen2/stop/unknown", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.StopNotebook(ctx, rulesNoNB)
			return err
		}},
		{name: "gen2/lease/unknown", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ShowLease(ctx, rulesNoNB)
			return err
		}},
		{name: "gen2/renew/unknown", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.RenewNotebookLease(ctx, rulesNoNB, model.LeaseReq{Duration: 3600000})
			return err
		}},
		{name: "gen2/switchable/unknown", code: "ModelArts.6404", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ListSwitchableFlavors(ctx, rulesNoNB)
			return err
		}},

		// ---- Gen 2 create.
		create("name missing", "ModelArts.6335", func(r *model.CreateNotebookRequest) { r.Name = "" }),
		create("name illegal", "ModelArts.6334", func(r *model.CreateNotebookRequest) { r.Name = "bad name!" }),
		create("name too long", "ModelArts.6336", func(r *model.CreateNotebookRequest) { r.Name = strings.Repeat("a", 129) }),
		create("description illegal", "ModelArts.6334", func(r *model.CreateNotebookRequest) { r.Description = "a/b" }),
		create("image missing", "ModelArts.6335", func(r *model.CreateNotebookRequest) { r.ImageID = "" }),
		create("flavor unknown", "ModelArts.6323", func(r *model.CreateNotebookRequest) { r.Flavor = "modelarts.vm.cpu.999u" }),
		create("flavor Gen 1 only", "ModelArts.6323", func(r *model.CreateNotebookRequest) { r.Flavor = "modelarts.kat1.xlarge" }),
		{name: "gen2/create/flavor not on the pool", code: "ModelArts.6323", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.CreateNotebook(ctx, nbReq(func(r *model.CreateNotebookRequest) {
				r.Flavor, r.ImageID, r.PoolID = "modelarts.bm.gpu.v100NV32", rulesTorchImage, e.s.Pool().ID
			}))
			return err
		}},
		create("flavor sold out", "ModelArts.6716", func(r *model.CreateNotebookRequest) {
			r.Flavor, r.ImageID = "modelarts.bm.gpu.8v100NV32", rulesTorchImage
		}),
		create("free flavor sold out", "ModelArts.6716", func(r *model.CreateNotebookRequest) {
			r.Flavor, r.ImageID = "modelarts.vm.gpu.free", rulesTorchImage
		}),
		create("CodeLab flavor as NOTEBOOK", "ModelArts.6870", func(r *model.CreateNotebookRequest) { r.Flavor = "modelarts.vm.cpu.free" }),
		create("image unknown", "ModelArts.6797", func(r *model.CreateNotebookRequest) { r.ImageID = rulesNoImage }),
		create("image of another arch", "ModelArts.6336", func(r *model.CreateNotebookRequest) { r.ImageID = rulesMSImage }),
		create("lease too short", "ModelArts.6349", func(r *model.CreateNotebookRequest) { r.Lease.Duration = 60000 }),
		create("lease too long", "ModelArts.6349", func(r *model.CreateNotebookRequest) { r.Lease.Duration = 300000000 }),
		create("lease type", "ModelArts.6336", func(r *model.CreateNotebookRequest) { r.Lease.Type = "sometimes" }),
		create("EVS over 4096", "ModelArts.6331", func(r *model.CreateNotebookRequest) { r.Volume.Capacity = 4097 }),
		create("storage not offered", "ModelArts.6324", func(r *model.CreateNotebookRequest) {
			r.Flavor, r.ImageID = "modelarts.bm.d910.xlarge.1", rulesMSImage
			r.Volume = model.VolumeReq{Category: "OBS", Ownership: "MANAGED", URI: "obs://b/d/", DewSecretName: "s"}
		}),
		create("pool unknown", "ModelArts.6336", func(r *model.CreateNotebookRequest) { r.PoolID = "pool-00000000" }),
		create("affinity without pool", "ModelArts.6335", func(r *model.CreateNotebookRequest) {
			r.Affinity = &model.Affinity{Required: []model.AffinityRule{{Key: "kubernetes.io/hostname", Operator: "In", Values: []string{"192.168.0.11"}}}}
		}),
		create("custom_spec without pool", "ModelArts.6335", func(r *model.CreateNotebookRequest) {
			r.Flavor, r.CustomSpec = "", &model.CustomSpec{CPU: 2, Memory: 8192}
		}),
		create("second CodeLab", "ModelArts.6302", func(r *model.CreateNotebookRequest) {
			r.Feature, r.Flavor = "DEFAULT", "modelarts.vm.cpu.free"
			r.Volume = model.VolumeReq{Category: "EFS", Ownership: "MANAGED"}
		}),

		// ---- Gen 2 update. data-prep: RUNNING, cpu.8u, EVS 20 GB;
		// archive-2023: STOPPED, cpu.2u; long-description: STOPPED, EFS.
		with(update("flavor while RUNNING", "ModelArts.6347", "data-prep", model.UpdateNotebookRequest{Flavor: ptr("modelarts.vm.cpu.2u")}),
			func(r *rejection) {
				r.msg = "When the instance is in the 'RUNNING' status, the 'flavor' parameter cannot be modified."
			}),
		update("image while RUNNING", "ModelArts.6347", "data-prep", model.UpdateNotebookRequest{ImageID: ptr(rulesTorchImage)}),
		update("endpoints while RUNNING", "ModelArts.6347", "data-prep", model.UpdateNotebookRequest{
			Endpoints: []model.EndpointsReq{{Service: "SSH", KeyPairNames: []string{"kp"}}}}),
		update("custom_spec while RUNNING", "ModelArts.6347", "data-prep", model.UpdateNotebookRequest{CustomSpec: &model.CustomSpec{CPU: 1, Memory: 1024}}),
		update("affinity while RUNNING", "ModelArts.6347", "pool-cpu", model.UpdateNotebookRequest{Affinity: &model.AffinityUpdate{
			Required: &[]model.AffinityRule{{Key: "kubernetes.io/hostname", Operator: "In", Values: []string{"192.168.1.1"}}}}}),
		update("name while CREATING", "ModelArts.6347", "new-experiment", model.UpdateNotebookRequest{Name: ptr("renamed")}),
		update("while STARTING", "ModelArts.6306", "restart-me", model.UpdateNotebookRequest{Name: ptr("renamed")}),
		update("while STOPPING", "ModelArts.6308", "winding-down", model.UpdateNotebookRequest{Name: ptr("renamed")}),
		update("storage shrink", "ModelArts.6331", "data-prep", model.UpdateNotebookRequest{StorageNewSize: ptr(10)}),
		update("storage over 4096", "ModelArts.6331", "data-prep", model.UpdateNotebookRequest{StorageNewSize: ptr(5000)}),
		setup(update("storage while resizing", "ModelArts.6357", "data-prep", model.UpdateNotebookRequest{StorageNewSize: ptr(50)}),
			func(e *rulesEnv) {
				if _, err := e.cl.UpdateNotebook(context.Background(), e.nbID("data-prep"), model.UpdateNotebookRequest{StorageNewSize: ptr(40)}); err != nil {
					e.t.Fatal(err)
				}
			}),
		update("storage of EFS", "ModelArts.6336", "long-description", model.UpdateNotebookRequest{StorageNewSize: ptr(100)}),
		update("name illegal", "ModelArts.6334", "data-prep", model.UpdateNotebookRequest{Name: ptr("bad name")}),
		update("description illegal", "ModelArts.6334", "data-prep", model.UpdateNotebookRequest{Description: ptr(`say "hi"`)}),
		update("flavor not switchable", "ModelArts.6792", "archive-2023", model.UpdateNotebookRequest{Flavor: ptr("modelarts.vm.gpu.t4")}),
		update("flavor free", "ModelArts.6792", "archive-2023", model.UpdateNotebookRequest{Flavor: ptr("modelarts.vm.cpu.free")}),
		update("flavor unknown", "ModelArts.6323", "archive-2023", model.UpdateNotebookRequest{Flavor: ptr("modelarts.vm.cpu.64u")}),
		update("valid name with bad flavor", "ModelArts.6792", "archive-2023", model.UpdateNotebookRequest{
			Name: ptr("renamed"), Flavor: ptr("modelarts.vm.gpu.t4")}),
		update("image unknown", "ModelArts.6797", "archive-2023", model.UpdateNotebookRequest{ImageID: ptr(rulesNoImage)}),
		update("image of another arch", "ModelArts.6336", "archive-2023", model.UpdateNotebookRequest{ImageID: ptr(rulesMSImage)}),
		update("affinity without pool", "ModelArts.6336", "archive-2023", model.UpdateNotebookRequest{Affinity: &model.AffinityUpdate{
			Required: &[]model.AffinityRule{{Key: "accelerator", Operator: "Exists", Values: []string{}}}}}),
		update("affinity rule invalid", "ModelArts.6336", "pool-affinity", model.UpdateNotebookRequest{Affinity: &model.AffinityUpdate{
			Required: &[]model.AffinityRule{{Key: "-bad-", Operator: "In", Values: []string{"x"}}}}}),
		update("custom_spec without pool", "ModelArts.6336", "archive-2023", model.UpdateNotebookRequest{CustomSpec: &model.CustomSpec{CPU: 1, Memory: 1024}}),

		// ---- Gen 2 start / stop / delete / lease.
		startNB("RUNNING", "ModelArts.6357", "data-prep", client.StartOptions{}),
		startNB("CREATING", "ModelArts.6357", "new-experiment", client.StartOptions{}),
		startNB("STARTING", "ModelArts.6306", "restart-me", client.StartOptions{}),
		startNB("STOPPING", "ModelArts.6308", "winding-down", client.StartOptions{}),
		startNB("flavor sold out", "ModelArts.6360", "big-gpu-job", client.StartOptions{}),
		startNB("duration too short", "ModelArts.6349", "archive-2023", client.StartOptions{DurationMs: 60000}),
		startNB("duration too long", "ModelArts.6349", "archive-2023", client.StartOptions{DurationMs: 300000000}),
		startNB("lease type", "ModelArts.6336", "archive-2023", client.StartOptions{Type: "sometimes"}),
		stopNB("STOPPED", "ModelArts.6357", "archive-2023"),
		stopNB("CREATE_FAILED", "ModelArts.6357", "broken-create"),
		stopNB("STARTING", "ModelArts.6306", "restart-me"),
		stopNB("STOPPING", "ModelArts.6308", "winding-down"),
		setup(rejection{name: "gen2/delete/second", code: "ModelArts.6357", nb: []string{"data-prep"}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.DeleteNotebook(ctx, e.nbID("data-prep"))
			return err
		}}, func(e *rulesEnv) {
			if _, err := e.cl.DeleteNotebook(context.Background(), e.nbID("data-prep")); err != nil {
				e.t.Fatal(err)
			}
		}),
		renew("STOPPED", "ModelArts.6327", "archive-2023", model.LeaseReq{Duration: 3600000}),
		renew("STARTING", "ModelArts.6327", "restart-me", model.LeaseReq{Duration: 3600000}),
		renew("duration too short", "ModelArts.6349", "data-prep", model.LeaseReq{Duration: 1000}),
		renew("duration too long", "ModelArts.6349", "data-prep", model.LeaseReq{Duration: 300000000}),
		renew("disable is not a renewal", "ModelArts.6349", "data-prep", model.LeaseReq{Duration: -1}),
		renew("lease type", "ModelArts.6336", "data-prep", model.LeaseReq{Duration: 3600000, Type: "sometimes"}),

		// ---- Gen 2 lists.
		list("sort key", "ModelArts.6303", client.ListNotebooksOptions{SortKey: "flavor"}),
		list("one bad sort key", "ModelArts.6303", client.ListNotebooksOptions{SortKey: "name,size"}),
		list("status", "ModelArts.0107", client.ListNotebooksOptions{Status: "SLEEPING"}),
		list("sort dir", "ModelArts.0107", client.ListNotebooksOptions{SortDir: "UP"}),
		list("feature", "ModelArts.0107", client.ListNotebooksOptions{Feature: "LAB"}),
		list("name too long", "ModelArts.0107", client.ListNotebooksOptions{Name: strings.Repeat("n", 129)}),
		{name: "gen2/flavors/category", code: "ModelArts.0107", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ListFlavors(ctx, client.FlavorOptions{Category: "TPU"})
			return err
		}},
		{name: "gen2/flavors/type", code: "ModelArts.0107", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ListFlavors(ctx, client.FlavorOptions{Type: "SHARED"})
			return err
		}},
		{name: "gen2/images/service_type", code: "ModelArts.0107", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ListImages(ctx, client.ImageOptions{ServiceType: "GAMES"})
			return err
		}},
		{name: "gen2/images/type", code: "ModelArts.0107", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ListImages(ctx, client.ImageOptions{Type: "STOLEN"})
			return err
		}},

		// ---- Gen 2 CodeLab open. With the demo's CodeLab present, open
		// returns it (no error) unless the share_url is invalid; the image
		// rules need a project without one (generated instances).
		{name: "gen2/open/share_url", code: "ModelArts.6336", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.OpenCodeLab(ctx, model.OpenCodeLabRequest{ShareURL: "not base64!"})
			return err
		}},
		{name: "gen2/open/image unknown", code: "ModelArts.6797", opts: sim.Options{Instances: 30}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.OpenCodeLab(ctx, model.OpenCodeLabRequest{ImageID: rulesNoImage})
			return err
		}},
		{name: "gen2/open/image of another arch", code: "ModelArts.6336", opts: sim.Options{Instances: 30}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.OpenCodeLab(ctx, model.OpenCodeLabRequest{ImageID: rulesMSImage})
			return err
		}},

		// ---- Wrong project (AK/SK passes the gateway; ModelArts refuses).
		{name: "project/gen2 list", code: "ModelArts.0210", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.otherProject().ListNotebooksPage(ctx, client.ListNotebooksOptions{})
			return err
		}},
		{name: "project/gen2 stop", code: "ModelArts.0210", nb: []string{"data-prep"}, call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.otherProject().StopNotebook(ctx, e.nbID("data-prep"))
			return err
		}},
		{name: "project/gen1 delete", code: "ModelArts.0210", dev: []string{"dev-cpu-old"}, call: func(ctx context.Context, e *rulesEnv) error {
			return e.otherProject().DeleteDevInstance(ctx, e.devID("dev-cpu-old"))
		}},

		// ---- Gen 1: unknown instance (6309) on every instance endpoint.
		with(rejection{name: "gen1/get/unknown", code: "ModelArts.6309", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.GetDevInstance(ctx, rulesNoDev)
			return err
		}}, func(r *rejection) { r.msg = "The instance does not exist." }),
		{name: "gen1/modify/unknown", code: "ModelArts.6309", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.ModifyDevInstance(ctx, rulesNoDev, model.ModifyDevInstanceRequest{Description: ptr("x")})
			return err
		}},
		{name: "gen1/delete/unknown", code: "ModelArts.6309", call: func(ctx context.Context, e *rulesEnv) error {
			return e.cl.DeleteDevInstance(ctx, rulesNoDev)
		}},
		{name: "gen1/action/unknown", code: "ModelArts.6309", call: func(ctx context.Context, e *rulesEnv) error {
			_, err := e.cl.DevAction(ctx, rulesNoDev, model.ActionStart)
			return err
		}},

		// ---- Gen 1 create.
		with(devCreate("path without slash (seed 001)", "ModelArts.6318", func(r *model.CreateDevInstanceRequest) {
			r.Spec.Storage.Location.Path = "/aaaaaaaaa/output"
		}), func(r *rejection) { r.msg = "The param path needs to end with /." }),
		devCreate("bucket root", "ModelArts.6358", func(r *model.CreateDevInstanceRequest) { r.Spec.Storage.Location.Path = "/aaaaaaaaa/" }),
		devCreate("path missing", "ModelArts.6317", func(r *model.CreateDevInstanceRequest) { r.Spec.Storage.Location.Path = "" }),
		devCreate("location missing", "ModelArts.6317", func(r *model.CreateDevInstanceRequest) { r.Spec.Storage.Location = nil }),
		devCreate("duration missing", "ModelArts.6348", func(r *model.CreateDevInstanceRequest) {
			r.Spec.AutoStop = &model.DevAutoStopReq{Enable: ptr(true)}
		}),
		devCreate("duration too short", "ModelArts.6349", func(r *model.CreateDevInstanceRequest) {
			r.Spec.AutoStop = &model.DevAutoStopReq{Enable: ptr(true), Duration: ptr(100)}
		}),
		devCreate("duration too long", "ModelArts.6349", func(r *model.CreateDevInstanceRequest) {
			r.Spec.AutoStop = &model.DevAutoStopReq{Enable: ptr(true), Duration: ptr(90000)}
		}),
		devCreate("flavor unknown", "ModelArts.6323", func(r *model.CreateDevInstanceRequest) { r.Flavor = "modelarts.vm.cpu.64u" }),
		devCreate("flavor Gen 2 only", "ModelArts.6323", func(r *model.CreateDevInstanceRequest) {
			r.Flavor, r.ProfileID = "modelarts.vm.gpu.t4", "Multi-Engine 1.0 (python3)-gpu"
		}),
		devCreate("profile unknown", "ModelArts.6336", func(r *model.CreateDevInstanceRequest) { r.ProfileID = "Quantum-Engine 9" }),
		devCreate("profile/flavor mismatch", "ModelArts.6330", func(r *model.CreateDevInstanceRequest) {
			r.ProfileID = "Ascend-Powered-Engine 1.0 (python3)"
		}),
		devCreate("name illegal", "ModelArts.6334", func(r *model.CreateDevInstanceRequest) { r.Name = "a b" }),
		devCreate("name missing", "ModelArts.6335", func(r *model.CreateDevInstanceRequest) { r.Name = "" }),
		devCreate("description illegal", "ModelArts.6334", func(r *model.CreateDevInstanceRequest) { r.Description = "a&b" }),
		devCreate("EVS size", "ModelArts.6331", func(r *model.CreateDevInstanceRequest) {
			r.Spec.Storage = model.DevStorage{Type: "evs", Location: &model.DevLocation{VolumeSize: 5000}}
		}),
		devCreate("storage not offered", "ModelArts.6324", func(r *model.CreateDevInstanceRequest) {
			r.ProfileID, r.Flavor = "Ascend-Powered-Engine 1.0 (python3)", "modelarts.kat1.xlarge"
			r.Spec.Storage = model.DevStorage{Type: "evs"}
		}),
		devCreate("pool unknown", "ModelArts.6336", func(r *model.CreateDevInstanceRequest) { r.Pool = &model.DevPoolReq{ID: "pool-x"} }),
		devCreate("paid flavor sold out", "ModelArts.6329", func(r *model.CreateDevInstanceRequest) {
			r.ProfileID, r.Flavor = "Multi-Engine 1.0 (python3)-gpu", "modelarts.vm.gpu.p100"
			r.Spec.Storage = model.DevStorage{Type: "evs"}
		}),
		devCreate("duplicate name", "ModelArts.6301", func(r *model.CreateDevInstanceRequest) { r.Name = "dev-cpu-old" }),

		// ---- Gen 1 modify (notebook-d115: RUNNING, auto-stop 3600 s).
		devModify("description illegal", "ModelArts.6334", "notebook-d115", model.ModifyDevInstanceRequest{Description: ptr("a&b")}),
		devModify("duration missing", "ModelArts.6348", "notebook-d115", model.ModifyDevInstanceRequest{
			Spec: &model.DevModifySpec{AutoStop: &model.DevAutoStopReq{Enable: ptr(true)}}}),
		devModify("duration out of range", "ModelArts.6349", "notebook-d115", model.ModifyDevInstanceRequest{
			Spec: &model.DevModifySpec{AutoStop: &model.DevAutoStopReq{Enable: ptr(true), Duration: ptr(90000)}}}),

		// ---- Gen 1 actions and delete by status.
		devDelete("RUNNING", "ModelArts.6304", "notebook-d115"),
		devAction("start RUNNING", "ModelArts.6305", "notebook-d115", model.ActionStart),
		devAction("stop STOPPED", "ModelArts.6307", "dev-cpu-old", model.ActionStop),
		devAction("stop START_FAILED", "ModelArts.6307", "dev-start-failed", model.ActionStop),
		devAction("start CREATING", "ModelArts.6306", "dev-creating", model.ActionStart),
		devAction("stop CREATING", "ModelArts.6306", "dev-creating", model.ActionStop),
		devAction("start CREATE_QUEUING", "ModelArts.6306", "queued-free-gpu", model.ActionStart),
		devAction("stop CREATE_QUEUING", "ModelArts.6306", "queued-free-gpu", model.ActionStop),
		devAction("restart is not simulated", "ModelArts.6336", "dev-cpu-old", "restart"),

		// ---- Gen 1 lists.
		devList("sortby", "ModelArts.6303", client.DevListOptions{SortBy: "status"}),
		devList("order", "ModelArts.6336", client.DevListOptions{Order: "up"}),
		devList("status", "ModelArts.6336", client.DevListOptions{Status: "SLEEPING"}),
	}

	// Gen 1 STARTING (dev-cpu-old after start) and STOPPING
	// (dev-no-autostop after stop): everything but GET is refused.
	startDev := func(e *rulesEnv) { e.mustAction("dev-cpu-old", model.ActionStart, "STARTING") }
	stopDev := func(e *rulesEnv) { e.mustAction("dev-no-autostop", model.ActionStop, "STOPPING") }
	for _, c := range []struct {
		status, inst, code string
		prep               func(e *rulesEnv)
	}{{"STARTING", "dev-cpu-old", "ModelArts.6306", startDev}, {"STOPPING", "dev-no-autostop", "ModelArts.6308", stopDev}} {
		rules = append(rules,
			setup(devAction("start "+c.status, c.code, c.inst, model.ActionStart), c.prep),
			setup(devAction("stop "+c.status, c.code, c.inst, model.ActionStop), c.prep),
			setup(devDelete(c.status, c.code, c.inst), c.prep),
			setup(devModify(c.status, c.code, c.inst, model.ModifyDevInstanceRequest{Description: ptr("x")}), c.prep),
		)
	}
	return append(rules, notebookAPIRejections()...) // storage, tags, images, pools
}

// TestContractRejectionBaselines proves that the baseline requests the
// rejection cases mutate are valid, so each rejection is caused by the one
// thing its case changes.
func TestContractRejectionBaselines(t *testing.T) {
	e := newRulesEnv(t, sim.Options{})
	ctx := context.Background()
	if nb, err := e.cl.CreateNotebook(ctx, nbReq(nil)); err != nil || nb.Status != "CREATING" {
		t.Fatalf("baseline Gen 2 create: %v %v", nb.Status, err)
	}
	if d, err := e.cl.CreateDevInstance(ctx, devReq(nil)); err != nil || d.Status != "CREATING" {
		t.Fatalf("baseline Gen 1 create: %v %v", d.Status, err)
	}
	// The pool accepts a dedicated flavor, so "flavor not on the pool"
	// fails for the flavor, not the pool.
	if _, err := e.cl.CreateNotebook(ctx, nbReq(func(r *model.CreateNotebookRequest) { r.Name, r.PoolID = "on-pool", e.s.Pool().ID })); err != nil {
		t.Fatalf("create on the pool: %v", err)
	}
	// Each status-based case relies on the demo instance being in that
	// status while the clock stands still.
	want := map[string]string{"data-prep": "RUNNING", "archive-2023": "STOPPED", "long-description": "STOPPED",
		"new-experiment": "CREATING", "restart-me": "STARTING", "winding-down": "STOPPING", "big-gpu-job": "STOPPED",
		"broken-create": "CREATE_FAILED", "pool-cpu": "RUNNING", "pool-affinity": "STOPPED"}
	for name, status := range want {
		nb, err := e.cl.ShowNotebook(ctx, e.nbID(name))
		if err != nil || nb.Status != status {
			t.Errorf("%s: %s %v, want %s", name, nb.Status, err, status)
		}
	}
	wantDev := map[string]string{"notebook-d115": "RUNNING", "dev-cpu-old": "STOPPED", "dev-no-autostop": "RUNNING",
		"dev-creating": "CREATING", "queued-free-gpu": "CREATE_QUEUING", "dev-start-failed": "START_FAILED"}
	for name, status := range wantDev {
		d, err := e.cl.GetDevInstance(ctx, e.devID(name))
		if err != nil || d.Status != status {
			t.Errorf("%s: %s %v, want %s", name, d.Status, err, status)
		}
	}
}

// TestContractClientLocalChecks lists what the client refuses without
// sending anything, so the simulator's rule behind it is not reachable
// through the client.
func TestContractClientLocalChecks(t *testing.T) {
	e := newRulesEnv(t, sim.Options{})
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"gen2 list limit 7": func() error {
			_, err := e.cl.ListNotebooksPage(ctx, client.ListNotebooksOptions{Limit: 7})
			return err
		},
		"gen2 list negative offset": func() error {
			_, err := e.cl.ListNotebooksPage(ctx, client.ListNotebooksOptions{Offset: -1})
			return err
		},
		"gen2 start duration -2": func() error {
			_, err := e.cl.StartNotebook(ctx, e.nbID("archive-2023"), client.StartOptions{DurationMs: -2})
			return err
		},
		"gen2 show ../x": func() error { _, err := e.cl.ShowNotebook(ctx, "../x"); return err },
		"gen1 list negative limit": func() error {
			_, err := e.cl.ListDevInstances(ctx, client.DevListOptions{Limit: -1})
			return err
		},
		"gen1 empty action": func() error { _, err := e.cl.DevAction(ctx, e.devID("dev-cpu-old"), ""); return err },
	} {
		hits := e.hits.Load()
		err := call()
		var ae *client.APIError
		if err == nil || errors.As(err, &ae) || e.hits.Load() != hits {
			t.Errorf("%s: want a local error and no request, got %v after %d requests", name, err, e.hits.Load()-hits)
		}
	}
}

// rulesEnv is a simulator (demo data unless opts says otherwise) on a
// manual clock, served through a request-counting handler, and a real
// client with retries enabled (the default 3) and no rate limit.
type rulesEnv struct {
	t      *testing.T
	s      *sim.Server
	clk    *sim.ManualClock
	url    string
	cl     *client.Client
	hits   atomic.Int64 // requests that reached the server
	sleeps atomic.Int64 // client waits (a retry backs off first)
	nbs    map[string]string
	devs   map[string]string
	// Set by a case's setup for its call (contract_notebookapi_test.go).
	lastMount, lastImage string
}

func newRulesEnv(t *testing.T, opts sim.Options) *rulesEnv {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	s, clk := newManualSim(t, opts)
	e := &rulesEnv{t: t, s: s, clk: clk}
	e.url = serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.hits.Add(1)
		s.ServeHTTP(w, r)
	})).URL
	e.cl = e.client(s.Credentials().ProjectID)

	// Name → ID, so that calls under test send exactly one request.
	ctx := context.Background()
	e.nbs, e.devs = map[string]string{}, map[string]string{}
	for _, f := range []string{client.FeatureNotebook, client.FeatureCodeLab} {
		nbs, err := e.cl.ListNotebooks(ctx, client.ListNotebooksOptions{Feature: f})
		if err != nil {
			t.Fatal(err)
		}
		for _, nb := range nbs {
			e.nbs[nb.Name] = nb.ID
		}
	}
	devs, err := e.cl.ListDevInstances(ctx, client.DevListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs.Instances {
		e.devs[d.Name] = d.ID
	}
	return e
}

func (e *rulesEnv) client(project string) *client.Client {
	cr := e.s.Credentials()
	cl, err := client.New(client.Options{
		Endpoint: e.url, ProjectID: project,
		Auth:      auth.AKSK{AK: cr.AK, SK: cr.SK, Now: e.clk.Now},
		Now:       e.clk.Now,
		RateLimit: rate.Inf, // the manual clock stands still: a token bucket would never refill
		Sleep: func(ctx context.Context, d time.Duration) error {
			e.sleeps.Add(1)
			return ctx.Err()
		},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return cl
}

// otherProject is a client with valid keys for a project the simulator
// does not serve.
func (e *rulesEnv) otherProject() *client.Client {
	return e.client("0123456789abcdef0123456789abcdef")
}

func (e *rulesEnv) nbID(name string) string {
	id, ok := e.nbs[name]
	if !ok {
		e.t.Fatalf("no Gen 2 instance %q", name)
	}
	return id
}

func (e *rulesEnv) devID(name string) string {
	id, ok := e.devs[name]
	if !ok {
		e.t.Fatalf("no Gen 1 instance %q", name)
	}
	return id
}

func (e *rulesEnv) mustAction(name, action, want string) {
	r, err := e.cl.DevAction(context.Background(), e.devID(name), action)
	if err != nil || r.CurrentStatus != want {
		e.t.Fatalf("setup: %s %s: %+v %v", action, name, r, err)
	}
}

// lists renders, through the client, the lists of scope as JSON: "gen2"
// both Gen 2 lists (NOTEBOOK and DEFAULT, with their tags and mounts), the
// project's tag summary and the private images, "gen1" the Gen 1 list, ""
// all of them, "none" nothing.
func (e *rulesEnv) lists(scope string) string {
	ctx := context.Background()
	var parts []any
	if scope == "" || scope == "gen2" {
		for _, f := range []string{client.FeatureNotebook, client.FeatureCodeLab} {
			nbs, err := e.cl.ListNotebooks(ctx, client.ListNotebooksOptions{Feature: f})
			parts = append(parts, e.must(nbs, err))
		}
		tags, err := e.cl.ListNotebookTags(ctx, "")
		parts = append(parts, e.must(tags, err))
		saved, err := e.cl.ListImages(ctx, client.ImageOptions{Type: model.ImageTypeDedicated})
		parts = append(parts, e.must(saved, err))
	}
	if scope == "" || scope == "gen1" {
		devs, err := e.cl.ListDevInstances(ctx, client.DevListOptions{})
		parts = append(parts, e.must(devs, err))
	}
	return e.json(parts)
}

// details renders the named instances as JSON: Gen 2 with its lease,
// switchable flavors and dynamic storage, Gen 1 as GET returns it.
func (e *rulesEnv) details(nbNames, devNames []string) string {
	ctx := context.Background()
	var parts []any
	for _, n := range nbNames {
		id := e.nbID(n)
		nb, err := e.cl.ShowNotebook(ctx, id)
		parts = append(parts, e.must(nb, err))
		l, err := e.cl.ShowLease(ctx, id)
		parts = append(parts, e.must(l, err))
		sw, err := e.cl.ListSwitchableFlavors(ctx, id)
		parts = append(parts, e.must(sw, err))
		ms, err := e.cl.ListStorage(ctx, id)
		parts = append(parts, e.must(ms, err))
	}
	for _, n := range devNames {
		d, err := e.cl.GetDevInstance(ctx, e.devID(n))
		parts = append(parts, e.must(d, err))
	}
	return e.json(parts)
}

func (e *rulesEnv) must(v any, err error) any {
	if err != nil {
		e.t.Fatalf("snapshot: %v", err)
	}
	return v
}

func (e *rulesEnv) json(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}
