package sim_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"matui/client"
	"matui/client/auth"
	"matui/client/sim"
	"matui/model"
)

// The contract tests drive the simulator through matui's real client, so
// the client's decoding types and the simulator's rendering (written
// independently from the reference) must agree.

var start = time.Date(2024, 3, 11, 10, 0, 0, 0, time.UTC)

func newClient(t *testing.T, opts sim.Options) (*client.Client, *sim.ManualClock, *sim.Server) {
	t.Helper()
	hs, s, clk := startSim(t, opts)
	cr := s.Credentials()
	cl, err := client.New(client.Options{
		Endpoint:  hs.URL,
		ProjectID: cr.ProjectID,
		Auth:      auth.AKSK{AK: cr.AK, SK: cr.SK, Now: clk.Now},
		Now:       clk.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return cl, clk, s
}

func apiCode(err error) string {
	var e *client.APIError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestContractGen2(t *testing.T) {
	cl, clk, _ := newClient(t, sim.Options{Seed: 5})
	ctx := context.Background()

	nbs, err := cl.ListNotebooks(ctx, client.ListNotebooksOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(nbs) < 15 {
		t.Fatalf("ListNotebooks returned %d", len(nbs))
	}
	page, err := cl.ListNotebooksPage(ctx, client.ListNotebooksOptions{Limit: 10, Status: "RUNNING", SortKey: "name", SortDir: "ASC"})
	if err != nil {
		t.Fatal(err)
	}
	if int(page.Total) == 0 || len(page.Data) == 0 || page.Data[0].Status != "RUNNING" {
		t.Fatalf("page: %+v", page)
	}

	flavors, err := cl.ListFlavors(ctx, client.FlavorOptions{})
	if err != nil || len(flavors) == 0 {
		t.Fatalf("ListFlavors: %d %v", len(flavors), err)
	}
	images, err := cl.ListImages(ctx, client.ImageOptions{})
	if err != nil || len(images) == 0 {
		t.Fatalf("ListImages: %d %v", len(images), err)
	}

	nb, err := cl.CreateNotebook(ctx, model.CreateNotebookRequest{
		Name: "contract", Flavor: "modelarts.vm.cpu.2u", ImageID: "e1a07296-22a8-4f05-8bc8-e936c8e54090",
		Volume: model.VolumeReq{Category: "EVS", Ownership: "MANAGED", Capacity: 10},
		Lease:  &model.LeaseReq{Duration: 3600000, Type: "timing"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if nb.Status != "CREATING" || len(nb.ActionProgress) != 4 || nb.Lease.CreateAt.Time().IsZero() {
		t.Fatalf("create: %+v", nb)
	}
	clk.Advance(time.Minute)
	nb, err = cl.ShowNotebook(ctx, nb.ID)
	if err != nil || nb.Status != "RUNNING" {
		t.Fatalf("show: %v %v", nb.Status, err)
	}
	if rem, ok := nb.Lease.Remaining(clk.Now()); !ok || rem <= 0 || rem > time.Hour {
		t.Fatalf("lease remaining %v %v", rem, ok)
	}
	_, err = cl.StartNotebook(ctx, nb.ID, client.StartOptions{})
	if code := apiCode(err); code != "ModelArts.6357" || !client.IsConflict(err) {
		t.Fatalf("start on running: %v", err)
	}
	if _, err := cl.UpdateNotebook(ctx, nb.ID, model.UpdateNotebookRequest{Flavor: ptr("modelarts.vm.cpu.8u")}); apiCode(err) != "ModelArts.6347" {
		t.Fatalf("flavor change while running: %v", err)
	}
	l, err := cl.RenewNotebookLease(ctx, nb.ID, model.LeaseReq{Duration: 7200000})
	if err != nil || l.Deadline().Sub(clk.Now()) != 2*time.Hour {
		t.Fatalf("renew: %+v %v", l, err)
	}
	if nb, err = cl.StopNotebook(ctx, nb.ID); err != nil || nb.Status != "STOPPING" {
		t.Fatalf("stop: %v %v", nb.Status, err)
	}
	clk.Advance(time.Minute)
	sw, err := cl.ListSwitchableFlavors(ctx, nb.ID)
	if err != nil || len(sw) != 1 || sw[0].ID != "modelarts.vm.cpu.8u" {
		t.Fatalf("switchable: %v %v", sw, err)
	}
	if nb, err = cl.UpdateNotebook(ctx, nb.ID, model.UpdateNotebookRequest{Flavor: ptr("modelarts.vm.cpu.8u")}); err != nil || nb.Flavor != "modelarts.vm.cpu.8u" {
		t.Fatalf("flavor change while stopped: %v %v", nb.Flavor, err)
	}
	if nb, err = cl.StartNotebook(ctx, nb.ID, client.StartOptions{DurationMs: -1}); err != nil || nb.Status != "STARTING" || nb.Lease.Enable {
		t.Fatalf("start -1: %+v %v", nb.Lease, err)
	}
	if _, err = cl.DeleteNotebook(ctx, nb.ID); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	if _, err = cl.ShowNotebook(ctx, nb.ID); !client.IsNotFound(err) || apiCode(err) != "ModelArts.6404" {
		t.Fatalf("after delete: %v", err)
	}

	lab, err := cl.OpenCodeLab(ctx, model.OpenCodeLabRequest{})
	if err != nil || lab.Feature != "DEFAULT" {
		t.Fatalf("CodeLab: %+v %v", lab, err)
	}
	// Server clock offset from the Date header.
	if off := cl.ClockOffset(); off < -time.Second || off > time.Second {
		t.Errorf("clock offset %v with client and simulator on the same fake clock", off)
	}
}

func TestContractGen1AndDashboard(t *testing.T) {
	cl, clk, _ := newClient(t, sim.Options{Seed: 5})
	ctx := context.Background()
	resp, err := cl.ListDevInstances(ctx, client.DevListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Instances) < 8 || int(resp.TotalCount) != len(resp.Instances) {
		t.Fatalf("Gen 1 list: %d of %v", len(resp.Instances), resp.TotalCount)
	}
	yes, dur := true, 3600
	d, err := cl.CreateDevInstance(ctx, model.CreateDevInstanceRequest{
		Name: "contract-dev", ProfileID: "Ascend-Power-Engine 1.0(python3)", Flavor: "modelarts.kat1.xlarge",
		Spec: model.DevCreateSpec{Storage: model.DevStorage{Type: "obs", Location: &model.DevLocation{Path: "/aaaaaaaaa/output/"}},
			AutoStop: &model.DevAutoStopReq{Enable: &yes, Duration: &dur}},
	})
	if err != nil || d.Status != "CREATING" {
		t.Fatalf("Gen 1 create: %+v %v", d, err)
	}
	clk.Advance(time.Minute)
	if d, err = cl.GetDevInstance(ctx, d.ID); err != nil || d.Status != "RUNNING" {
		t.Fatalf("Gen 1 get: %v %v", d.Status, err)
	}
	if _, err := cl.DevAction(ctx, d.ID, "start"); apiCode(err) != "ModelArts.6305" {
		t.Fatalf("start on running: %v", err)
	}
	if err := cl.DeleteDevInstance(ctx, d.ID); apiCode(err) != "ModelArts.6304" {
		t.Fatalf("delete running: %v", err)
	}
	desc := "This is for test."
	if d, err = cl.ModifyDevInstance(ctx, d.ID, model.ModifyDevInstanceRequest{Description: &desc}); err != nil || d.Description != desc {
		t.Fatalf("modify: %v", err)
	}
	if _, err := cl.GetDevInstance(ctx, "DE-nope"); !client.IsNotFound(err) {
		t.Fatalf("Gen 1 not found: %v", err)
	}

	insts, err := cl.ListInstances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gens := map[model.Generation]int{}
	var sawDeadline bool
	for _, in := range insts {
		gens[in.Generation]++
		if in.Status == "RUNNING" && in.AutoStop.Enabled && !in.AutoStop.Deadline.IsZero() {
			sawDeadline = true
		}
		if strings.TrimSpace(in.Name) == "" {
			t.Errorf("instance %s without a name", in.ID)
		}
	}
	if gens[model.Gen1] == 0 || gens[model.Gen2] == 0 || !sawDeadline {
		t.Fatalf("ListInstances: %v, deadline seen %v", gens, sawDeadline)
	}
}

func ptr[T any](v T) *T { return &v }
