package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"matui/model"
)

// dashServer serves both generations and the flavor catalog. gen1 decides
// the Gen 1 answer.
type dashServer struct {
	flavorCalls atomic.Int32
	gen1Status  int
	gen1Body    string
}

func (d *dashServer) handler(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(r.URL.Path, "/v1/"+testProject)
	switch {
	case p == "/notebooks/flavors" && r.URL.Query().Get("feature") == "DEFAULT":
		// CodeLab's free flavors, fetched alongside each catalog refresh.
		reply(w, 200, `{"data":[{"id":"modelarts.vm.cpu.free","category":"CPU","feature":"DEFAULT","free":true,"vcpus":1,"memory":4194304,"arch":"x86_64"}],"total":1}`)
	case p == "/notebooks/flavors":
		d.flavorCalls.Add(1) // one per catalog refresh
		reply(w, 200, `{"data":[{"id":"modelarts.vm.cpu.2u","category":"CPU","vcpus":2,"memory":8388608,"arch":"x86_64"}],"total":1}`)
	case p == "/notebooks" && r.URL.Query().Get("feature") == "NOTEBOOK":
		reply(w, 200, `{"data":[{"id":"nb1","name":"train","status":"RUNNING","feature":"NOTEBOOK","flavor":"modelarts.vm.cpu.2u",
			"token":"tok-secret","lease":{"create_at":1700000000000,"duration":3600000,"enable":true,"type":"TIMING"}}],"total":1}`)
	case p == "/notebooks" && r.URL.Query().Get("feature") == "DEFAULT":
		reply(w, 200, `{"data":[{"id":"cl1","name":"codelab","status":"STOPPED","feature":"DEFAULT","flavor":"modelarts.vm.cpu.free"}],"total":1}`)
	case p == "/demanager/instances":
		if r.URL.Query().Get("de_type") != "Notebook" {
			reply(w, 400, `{"error_code":"ModelArts.0101","error_message":"de_type required"}`)
			return
		}
		reply(w, d.gen1Status, d.gen1Body)
	default:
		reply(w, 404, `{"error_code":"APIG.0101","error_msg":"The API does not exist or has not been published in the environment"}`)
	}
}

func TestListInstancesBothGenerations(t *testing.T) {
	ds := &dashServer{gen1Status: 200,
		gen1Body: `{"instances":[{"id":"DE-1","name":"old","status":"STOPPED","flavor":"modelarts.vm.cpu.2u"}],"total_count":1}`}
	env := newEnv(t, ds.handler)
	got, err := env.c.ListInstances(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]model.Instance{}
	for _, in := range got {
		byID[in.ID] = in
	}
	if len(got) != 3 || byID["nb1"].Generation != model.Gen2 || byID["cl1"].Feature != "DEFAULT" ||
		byID["DE-1"].Generation != model.Gen1 {
		t.Fatalf("instances %+v", got)
	}
	// The spec came from the flavor catalog (memory is KiB there).
	if s := byID["nb1"].Spec; s.VCPUs != 2 || s.MemoryBytes != 8<<30 {
		t.Errorf("nb1 spec %+v", s)
	}
	// CodeLab's free flavor is only in the feature=DEFAULT catalog.
	if s := byID["cl1"].Spec; s.VCPUs != 1 || s.MemoryBytes != 4<<30 {
		t.Errorf("CodeLab spec %+v: the free flavor was not looked up", s)
	}
	if byID["nb1"].AutoStop.Deadline.IsZero() {
		t.Error("lease deadline lost")
	}
	nb1 := byID["nb1"]
	raw := string(nb1.RawJSON())
	if strings.Contains(raw, "tok-secret") || !strings.Contains(raw, `"token":"[redacted]"`) || !strings.Contains(raw, `"id":"nb1"`) {
		t.Errorf("raw JSON must be the notebook with its token redacted: %s", raw)
	}
	// The edit form prefills from the wire struct, with the real token kept
	// out of anything printed.
	if nb, ok := nb1.Notebook(); !ok || nb.ID != "nb1" || nb.Token.Reveal() != "tok-secret" || strings.Contains(fmt.Sprint(nb), "tok-secret") {
		t.Errorf("Notebook(): %v %v", ok, nb.ID)
	}
}

func TestListInstancesGen1MissingIsPartial(t *testing.T) {
	ds := &dashServer{gen1Status: 404,
		gen1Body: `{"error_code":"APIG.0101","error_msg":"The API does not exist or has not been published in the environment"}`}
	env := newEnv(t, ds.handler)
	got, err := env.c.ListInstances(t.Context())
	var pe *PartialError
	if !errors.As(err, &pe) || len(pe.Failed) != 1 || pe.Failed[0].What != "gen1" {
		t.Fatalf("err %v", err)
	}
	if len(got) != 2 {
		t.Errorf("got %d instances, want the 2 Gen 2 ones", len(got))
	}
	if IsNotFound(err) { // APIG.0101 is "no such API", not "no such instance"
		t.Error("IsNotFound true for a missing API")
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "APIG.0101" {
		t.Errorf("PartialError does not unwrap to the APIError: %v", err)
	}
}

func TestListInstancesAllFail(t *testing.T) {
	var calls atomic.Int32
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		reply(w, 401, `{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}`)
	})
	got, err := env.c.ListInstances(t.Context())
	if got != nil || !IsAuth(err) {
		t.Fatalf("got %v, %v", got, err)
	}
	// Refused credentials stop the listing after the first request: the
	// gateway locks an AK after five bad signatures.
	if n := calls.Load(); n != 1 {
		t.Errorf("%d requests after an auth failure, want 1", n)
	}
	var pe *PartialError
	if errors.As(err, &pe) {
		t.Errorf("a listing that failed entirely is not a PartialError: %v", err)
	}
}

func TestFlavorCatalogCached(t *testing.T) {
	ds := &dashServer{gen1Status: 200, gen1Body: `{"instances":[],"total_count":0}`}
	env := newEnv(t, ds.handler)
	for range 3 {
		if _, err := env.c.ListInstances(t.Context()); err != nil {
			t.Fatal(err)
		}
		env.clock.Advance(time.Minute)
	}
	if n := ds.flavorCalls.Load(); n != 1 {
		t.Errorf("flavors fetched %d times within 10 min", n)
	}
	env.clock.Advance(flavorCacheTTL)
	if _, err := env.c.ListInstances(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := ds.flavorCalls.Load(); n != 2 {
		t.Errorf("flavors fetched %d times, want a refresh after the TTL", n)
	}
}

// errOf drops an action's instance: these cases check the request.
func errOf(_ model.Instance, err error) error { return err }

// An action's answer comes back normalised, so the dashboard can update the
// row before the next listing: the notebook a start answers with, the
// status of a Gen 1 action, the deadline of a renewed lease.
func TestDashboardActionAnswers(t *testing.T) {
	created := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/start"):
			reply(w, 200, `{"id":"nb1","name":"train","status":"STARTING","flavor":"modelarts.vm.cpu.2u"}`)
		case strings.HasSuffix(r.URL.Path, "/lease"):
			reply(w, 200, fmt.Sprintf(`{"create_at":%d,"duration":5400000,"enable":true,"type":"TIMING"}`, created.UnixMilli()))
		case strings.HasSuffix(r.URL.Path, "/action"):
			reply(w, 200, `{"current_status":"STOPPING","previous_state":"RUNNING"}`)
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		default:
			reply(w, 200, `{}`)
		}
	})
	gen2 := model.Instance{Generation: model.Gen2, ID: "nb1", Name: "train", Status: "STOPPED", AutoStop: model.AutoStop{Type: "TIMING"}}
	in, err := env.c.StartInstance(t.Context(), gen2, time.Hour)
	if err != nil || in.ID != "nb1" || in.Status != "STARTING" || in.Class != model.ClassTransitional {
		t.Errorf("start: %+v, %v", in, err)
	}
	in, err = env.c.RenewLease(t.Context(), gen2, 90*time.Minute)
	if err != nil || !in.AutoStop.Deadline.Equal(created.Add(90*time.Minute)) || in.Name != "train" {
		t.Errorf("renew: deadline %v, %+v, %v", in.AutoStop.Deadline, in, err)
	}
	gen1 := model.Instance{Generation: model.Gen1, ID: "DE-1", Name: "old", Status: "RUNNING", Class: model.ClassRunning}
	in, err = env.c.StopInstance(t.Context(), gen1)
	if err != nil || in.ID != "DE-1" || in.Status != "STOPPING" || in.Class != model.ClassTransitional || in.Name != "old" {
		t.Errorf("gen1 stop: %+v, %v", in, err)
	}
	in, err = env.c.DeleteInstance(t.Context(), gen2)
	if err != nil || in.ID != "" {
		t.Errorf("delete with an empty answer: %+v, %v (want the zero instance: wait for the listing)", in, err)
	}
}

func TestDashboardActions(t *testing.T) {
	gen2 := model.Instance{Generation: model.Gen2, ID: "nb1", Name: "train", AutoStop: model.AutoStop{Type: "TIMING"}}
	gen1 := model.Instance{Generation: model.Gen1, ID: "DE-1", Name: "old"}
	cases := []struct {
		name                      string
		call                      func(c *Client) error
		method, path, query, body string
	}{
		{"start gen2 no auto-stop", func(c *Client) error { return errOf(c.StartInstance(t.Context(), gen2, 0)) },
			"POST", "/notebooks/nb1/start", "duration=-1", ""},
		{"start gen2 2h", func(c *Client) error { return errOf(c.StartInstance(t.Context(), gen2, 2*time.Hour)) },
			"POST", "/notebooks/nb1/start", "duration=7200000", ""},
		{"start gen1", func(c *Client) error { return errOf(c.StartInstance(t.Context(), gen1, time.Hour)) },
			"POST", "/demanager/instances/DE-1/action", "", `{"action":"start"}` + "\n"},
		{"stop gen2", func(c *Client) error { return errOf(c.StopInstance(t.Context(), gen2)) },
			"POST", "/notebooks/nb1/stop", "", ""},
		{"stop gen1", func(c *Client) error { return errOf(c.StopInstance(t.Context(), gen1)) },
			"POST", "/demanager/instances/DE-1/action", "", `{"action":"stop"}` + "\n"},
		{"delete gen2", func(c *Client) error { return errOf(c.DeleteInstance(t.Context(), gen2)) },
			"DELETE", "/notebooks/nb1", "", ""},
		{"delete gen1", func(c *Client) error { return errOf(c.DeleteInstance(t.Context(), gen1)) },
			"DELETE", "/demanager/instances/DE-1", "", ""},
		{"renew gen2", func(c *Client) error { return errOf(c.RenewLease(t.Context(), gen2, 90*time.Minute)) },
			"PATCH", "/notebooks/nb1/lease", "", `{"duration":5400000,"type":"timing"}` + "\n"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
			if err := tt.call(env.c); err != nil {
				t.Fatal(err)
			}
			r := env.rec.all()
			if len(r) != 1 || r[0].Method != tt.method || r[0].Path != "/v1/"+testProject+tt.path ||
				r[0].RawQuery != tt.query || string(r[0].Body) != tt.body {
				t.Errorf("got %+v", r)
			}
		})
	}
}

func TestRenewLeaseGen1Unsupported(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
	_, err := env.c.RenewLease(t.Context(), model.Instance{Generation: model.Gen1, ID: "DE-1", Name: "old"}, time.Hour)
	if !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "next start") {
		t.Errorf("err %v", err)
	}
	if _, err := env.c.RenewLease(t.Context(), model.Instance{Generation: model.Gen2, ID: "nb1"}, 0); err == nil {
		t.Error("zero duration accepted")
	}
	if _, err := env.c.StopInstance(t.Context(), model.Instance{ID: "x"}); err == nil {
		t.Error("unknown generation accepted")
	}
	if n := env.rec.count(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// After the gateway said Gen 1 does not exist, later listings skip it for
// an hour and succeed without a warning.
func TestListInstancesRemembersMissingGen1(t *testing.T) {
	ds := &dashServer{gen1Status: 404,
		gen1Body: `{"error_code":"APIG.0101","error_msg":"The API does not exist or has not been published in the environment"}`}
	env := newEnv(t, ds.handler)
	gen1Calls := func() int {
		n := 0
		for _, r := range env.rec.all() {
			if strings.HasSuffix(r.Path, "/demanager/instances") {
				n++
			}
		}
		return n
	}
	if _, err := env.c.ListInstances(t.Context()); err == nil {
		t.Fatal("first listing must report the missing Gen 1 API")
	}
	got, err := env.c.ListInstances(t.Context())
	if err != nil || len(got) != 2 || gen1Calls() != 1 {
		t.Fatalf("second listing: %d instances, %v, %d Gen 1 calls", len(got), err, gen1Calls())
	}
	env.clock.Advance(gen1AbsentFor)
	if _, err := env.c.ListInstances(t.Context()); err == nil || gen1Calls() != 2 {
		t.Errorf("after an hour Gen 1 must be asked again (calls %d, err %v)", gen1Calls(), err)
	}
	// A ModelArts error on Gen 1 is not "absent": it is reported every time.
	ds2 := &dashServer{gen1Status: 500, gen1Body: `{"error_code":"ModelArts.0010","error_message":"internal"}`}
	env2 := newEnv(t, ds2.handler, func(o *Options) { o.MaxRetries = -1 })
	for range 2 {
		if _, err := env2.c.ListInstances(t.Context()); err == nil {
			t.Error("Gen 1 failure not reported")
		}
	}
}

// A service that does not answer at all (connections dropped: a wrong
// endpoint, a proxy in the way) ends the listing after the main request:
// the other listings would only repeat the same retries, and the error is
// the transport error itself, not a "partial" listing.
func TestListInstancesUnreachableStopsAfterMainListing(t *testing.T) {
	var mu sync.Mutex
	paths := map[string]int{}
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths[strings.TrimPrefix(r.URL.Path, "/v1/"+testProject)]++
		mu.Unlock()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	got, err := env.c.ListInstances(t.Context())
	if got != nil || err == nil {
		t.Fatalf("got %v, %v", got, err)
	}
	var pe *PartialError
	if errors.As(err, &pe) || strings.Contains(err.Error(), "partial") {
		t.Fatalf("an unreachable service is not a partial listing: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(paths) != 1 || paths["/notebooks"] == 0 {
		t.Fatalf("requests after the main listing failed: %v", paths)
	}
}
