package client

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"matui/client/sim"
	"matui/model"
)

// lyingGateway fronts a real simulator: a create goes through to it (the
// instance is made), then the client gets answer instead of the
// simulator's reply. Everything else reaches the simulator as it is.
func lyingGateway(t *testing.T, answer func(w http.ResponseWriter, r *http.Request)) (http.HandlerFunc, *atomic.Int32) {
	t.Helper()
	s, err := sim.New(sim.Options{Seed: 5, NoAuth: true, ProjectID: testProject})
	if err != nil {
		t.Fatal(err)
	}
	var creates atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/v1/"+testProject)
		if r.Method == http.MethodPost && (p == "/notebooks" || p == "/demanager/instances") {
			creates.Add(1)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK {
				t.Errorf("the simulator refused the create: %d %s", rec.Code, rec.Body)
			}
			answer(w, r)
			return
		}
		s.ServeHTTP(w, r)
	}, &creates
}

func newNotebookReq(name string) model.CreateNotebookRequest {
	return model.CreateNotebookRequest{
		Name: name, Flavor: "modelarts.vm.cpu.2u", ImageID: "e1a07296-22a8-4f05-8bc8-e936c8e54090",
		Volume: model.VolumeReq{Category: "EVS", Ownership: "MANAGED", Capacity: 5},
	}
}

func newDevReq(name string) model.CreateDevInstanceRequest {
	yes, dur := true, 3600
	return model.CreateDevInstanceRequest{
		Name: name, ProfileID: "Ascend-Power-Engine 1.0(python3)", Flavor: "modelarts.kat1.xlarge",
		Spec: model.DevCreateSpec{Storage: model.DevStorage{Type: "obs", Location: &model.DevLocation{Path: "/aaaaaaaaa/output/"}},
			AutoStop: &model.DevAutoStopReq{Enable: &yes, Duration: &dur}},
	}
}

// Answers a server may give after it processed a create; none of them may
// lead to a second instance, and every one is ambiguous.
var afterCreate = map[string]func(w http.ResponseWriter, r *http.Request){
	"429 ModelArts.6101": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		reply(w, 429, `{"error_code":"ModelArts.6101","error_msg":"The system is busy. Please try again later."}`)
	},
	"429 without a code": func(w http.ResponseWriter, r *http.Request) { reply(w, 429, ``) },
	"502":                func(w http.ResponseWriter, r *http.Request) { reply(w, 502, `<html>Bad Gateway</html>`) },
	"503 ModelArts.6102": func(w http.ResponseWriter, r *http.Request) {
		reply(w, 503, `{"error_code":"ModelArts.6102","error_msg":"Internal server error."}`)
	},
	"connection reset": func(w http.ResponseWriter, r *http.Request) {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	},
	"timeout": func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
}

func TestCreateNeverDuplicated(t *testing.T) {
	for what, answer := range afterCreate {
		t.Run(what, func(t *testing.T) {
			h, creates := lyingGateway(t, answer)
			env := newEnv(t, h, func(o *Options) { o.Timeout = 200 * time.Millisecond })
			ctx := t.Context()

			_, err := env.c.CreateNotebook(ctx, newNotebookReq("once-only"))
			if err == nil || !IsAmbiguous(err) {
				t.Fatalf("Gen 2: err %v, ambiguous %v", err, IsAmbiguous(err))
			}
			nbs, ferr := env.c.FindNotebooksByName(ctx, "once-only", "")
			if ferr != nil || len(nbs) != 1 || creates.Load() != 1 {
				t.Fatalf("Gen 2: %d POSTs, %d notebooks named once-only (%v)", creates.Load(), len(nbs), ferr)
			}

			_, err = env.c.CreateDevInstance(ctx, newDevReq("once-only-dev"))
			if err == nil || !IsAmbiguous(err) {
				t.Fatalf("Gen 1: err %v, ambiguous %v", err, IsAmbiguous(err))
			}
			devs, ferr := env.c.FindDevInstancesByName(ctx, "once-only-dev")
			if ferr != nil || len(devs) != 1 || creates.Load() != 2 {
				t.Fatalf("Gen 1: %d POSTs, %d instances named once-only-dev (%v)", creates.Load(), len(devs), ferr)
			}
			insts, ferr := env.c.FindInstancesByName(ctx, model.Gen1, "once-only-dev")
			if ferr != nil || len(insts) != 1 || insts[0].Generation != model.Gen1 || insts[0].Name != "once-only-dev" {
				t.Fatalf("FindInstancesByName: %+v %v", insts, ferr)
			}
		})
	}
}

// A gateway 429 comes before the service: the create is sent again, once it
// is let through, and one notebook results.
func TestCreateAfterGatewayThrottleMadeOnce(t *testing.T) {
	s, err := sim.New(sim.Options{Seed: 5, NoAuth: true, ProjectID: testProject})
	if err != nil {
		t.Fatal(err)
	}
	var throttled atomic.Bool
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && !throttled.Swap(true) {
			reply(w, 429, `{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached"}`)
			return
		}
		s.ServeHTTP(w, r)
	})
	nb, err := env.c.CreateNotebook(t.Context(), newNotebookReq("after-throttle"))
	if err != nil || nb.ID == "" {
		t.Fatalf("%+v %v", nb, err)
	}
	insts, err := env.c.FindInstancesByName(t.Context(), model.Gen2, "after-throttle")
	if err != nil || len(insts) != 1 || insts[0].ID != nb.ID {
		t.Fatalf("%+v %v", insts, err)
	}
}

// Definite failures are not ambiguous: the request was refused (a
// validation error, an auth failure, a gateway throttle that stayed), was
// never sent (dial), or only read something.
func TestDefiniteFailuresAreNotAmbiguous(t *testing.T) {
	cases := map[string]struct {
		h    http.HandlerFunc
		call func(c *Client) error
	}{
		"400 validation": {func(w http.ResponseWriter, r *http.Request) {
			reply(w, 400, `{"error_code":"ModelArts.6335","error_msg":"'name' is a required property"}`)
		}, func(c *Client) error {
			_, err := c.CreateNotebook(t.Context(), model.CreateNotebookRequest{})
			return err
		}},
		"401 signature": {func(w http.ResponseWriter, r *http.Request) {
			reply(w, 401, `{"error_code":"APIG.0301","error_msg":"verify aksk signature fail"}`)
		}, func(c *Client) error { _, err := c.StopNotebook(t.Context(), "nb1"); return err }},
		"gateway throttle to the end": {func(w http.ResponseWriter, r *http.Request) {
			reply(w, 429, `{"error_code":"APIG.0308","error_msg":"throttled"}`)
		}, func(c *Client) error {
			_, err := c.CreateNotebook(t.Context(), model.CreateNotebookRequest{Name: "x"})
			return err
		}},
		"GET 503": {func(w http.ResponseWriter, r *http.Request) { reply(w, 503, ``) },
			func(c *Client) error { _, err := c.ShowNotebook(t.Context(), "nb1"); return err }},
	}
	for name, tc := range cases {
		env := newEnv(t, tc.h)
		if err := tc.call(env.c); err == nil || IsAmbiguous(err) {
			t.Errorf("%s: err %v, ambiguous %v", name, err, IsAmbiguous(err))
		}
	}
	c, err := New(Options{Endpoint: "http://" + closedPort(t), ProjectID: testProject, Auth: &testAuth{},
		MaxRetries: 1, Sleep: newFakeClock().Sleep})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateNotebook(t.Context(), newNotebookReq("x")); err == nil || IsAmbiguous(err) {
		t.Errorf("dial error: %v, ambiguous %v", err, IsAmbiguous(err))
	}
}

// An update retried after a 503 that may have been applied stays
// ambiguous whatever the later attempts answered.
func TestAmbiguityOutlivesRetries(t *testing.T) {
	var calls atomic.Int32
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			reply(w, 503, ``)
			return
		}
		reply(w, 400, `{"error_code":"ModelArts.6357","error_msg":"already in the target state"}`)
	})
	name := "n"
	_, err := env.c.UpdateNotebook(t.Context(), "nb1", model.UpdateNotebookRequest{Name: &name})
	if !IsAmbiguous(err) || !IsConflict(err) || calls.Load() != 2 {
		t.Fatalf("err %v: ambiguous %v, conflict %v, %d calls", err, IsAmbiguous(err), IsConflict(err), calls.Load())
	}
	if err.Error() != "ModelArts.6357: already in the target state (HTTP 400)" {
		t.Errorf("text %q: AmbiguousError must read as the error it wraps", err)
	}
}
