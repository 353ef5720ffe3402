package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"matui/model"
)

func ptr[T any](v T) *T { return &v }

// TestRequestShapes checks method, path, query, exact body bytes (with the
// encoder's trailing newline), the fixed headers and one Authenticate call
// seeing exactly the sent body, for every endpoint.
func TestRequestShapes(t *testing.T) {
	nb := `{"id":"nb1","name":"n","status":"RUNNING"}`
	flavorPage := `{"current":1,"data":[{"id":"modelarts.vm.cpu.2u","vcpus":2}],"flavors":[{"id":"modelarts.vm.cpu.2u","vcpus":2}],"pages":1,"size":1,"total":1}`
	lease := `{"create_at":1687656452470,"duration":3600000,"enable":true,"type":"TIMING","update_at":1687656452470}`
	dev := `{"id":"DE-1","name":"d","status":"RUNNING","creation_timestamp":"1594887749962"}`

	type tc struct {
		name   string
		call   func(ctx context.Context, c *Client) error
		method string
		path   string // below /v1/{project}
		query  string // exact raw query
		body   string // exact bytes; "" = none
		answer string
	}
	cases := []tc{
		{"ListNotebooksPage", func(ctx context.Context, c *Client) error {
			_, err := c.ListNotebooksPage(ctx, ListNotebooksOptions{Feature: "DEFAULT", Limit: 20, Offset: 40, Name: "my nb",
				Status: "RUNNING", SortKey: "name", SortDir: "ASC", PoolID: "pool-a", Owner: "u1", WorkspaceID: "0"})
			return err
		}, "GET", "/notebooks",
			"feature=DEFAULT&limit=20&name=my%20nb&offset=40&owner=u1&pool_id=pool-a&sort_dir=ASC&sort_key=name&status=RUNNING&workspace_id=0",
			"", `{"current":0,"data":[],"pages":0,"size":20,"total":0}`},
		{"ShowNotebook", func(ctx context.Context, c *Client) error {
			_, err := c.ShowNotebook(ctx, "nb1")
			return err
		}, "GET", "/notebooks/nb1", "", "", nb},
		{"CreateNotebook", func(ctx context.Context, c *Client) error {
			got, err := c.CreateNotebook(ctx, model.CreateNotebookRequest{Name: "nb1", Flavor: "modelarts.vm.cpu.2u", ImageID: "img",
				Volume: model.VolumeReq{Category: "EVS", Ownership: "MANAGED", Capacity: 5},
				Lease:  &model.LeaseReq{Duration: 3600000, Type: "timing"}})
			if err == nil && got.ID != "nb1" {
				t.Errorf("decoded %+v", got)
			}
			return err
		}, "POST", "/notebooks", "",
			`{"name":"nb1","flavor":"modelarts.vm.cpu.2u","image_id":"img","volume":{"category":"EVS","ownership":"MANAGED","capacity":5},"lease":{"duration":3600000,"type":"timing"}}` + "\n",
			nb},
		{"UpdateNotebook", func(ctx context.Context, c *Client) error {
			_, err := c.UpdateNotebook(ctx, "nb1", model.UpdateNotebookRequest{Name: ptr("nb-1")})
			return err
		}, "PUT", "/notebooks/nb1", "", `{"name":"nb-1"}` + "\n", nb},
		{"DeleteNotebook", func(ctx context.Context, c *Client) error {
			_, err := c.DeleteNotebook(ctx, "nb1")
			return err
		}, "DELETE", "/notebooks/nb1", "", "", nb},
		{"StartNotebook", func(ctx context.Context, c *Client) error {
			_, err := c.StartNotebook(ctx, "nb1", StartOptions{DurationMs: 3600000})
			return err
		}, "POST", "/notebooks/nb1/start", "duration=3600000", "", nb},
		{"StartNotebookNoAutoStop", func(ctx context.Context, c *Client) error {
			_, err := c.StartNotebook(ctx, "nb1", StartOptions{DurationMs: -1, Type: "idle"})
			return err
		}, "POST", "/notebooks/nb1/start", "duration=-1&type=idle", "", nb},
		{"StartNotebookDefault", func(ctx context.Context, c *Client) error {
			_, err := c.StartNotebook(ctx, "nb1", StartOptions{})
			return err
		}, "POST", "/notebooks/nb1/start", "", "", nb},
		{"StopNotebook", func(ctx context.Context, c *Client) error {
			_, err := c.StopNotebook(ctx, "nb1")
			return err
		}, "POST", "/notebooks/nb1/stop", "", "", nb},
		{"ShowLease", func(ctx context.Context, c *Client) error {
			l, err := c.ShowLease(ctx, "nb1")
			if err == nil && (l.Duration != 3600000 || !l.Enable) {
				t.Errorf("lease %+v", l)
			}
			return err
		}, "GET", "/notebooks/nb1/lease", "", "", lease},
		{"RenewNotebookLease", func(ctx context.Context, c *Client) error {
			_, err := c.RenewNotebookLease(ctx, "nb1", model.LeaseReq{Duration: 7200000, Type: "timing"})
			return err
		}, "PATCH", "/notebooks/nb1/lease", "", `{"duration":7200000,"type":"timing"}` + "\n", lease},
		{"ListFlavors", func(ctx context.Context, c *Client) error {
			fl, err := c.ListFlavors(ctx, FlavorOptions{Category: "GPU", Type: "MANAGED", FlavorType: "ASCEND_SNT9"})
			if err == nil && len(fl) != 1 {
				t.Errorf("want 1 flavor (data and flavors are the same items), got %d", len(fl))
			}
			return err
		}, "GET", "/notebooks/flavors", "category=GPU&flavor_type=ASCEND_SNT9&type=MANAGED", "", flavorPage},
		{"ListSwitchableFlavorsOnlyFlavorsKey", func(ctx context.Context, c *Client) error {
			fl, err := c.ListSwitchableFlavors(ctx, "nb1")
			if err == nil && (len(fl) != 1 || fl[0].ID != "modelarts.vm.cpu.8u") {
				t.Errorf("flavors %+v", fl)
			}
			return err
		}, "GET", "/notebooks/nb1/flavors", "", "", `{"flavors":[{"id":"modelarts.vm.cpu.8u"}],"total":1}`},
		{"ListImages", func(ctx context.Context, c *Client) error {
			im, err := c.ListImages(ctx, ImageOptions{Name: "pytorch", NameFuzzyMatch: ptr(false), Type: "BUILD_IN", ServiceType: "DEV",
				Namespace: "atelier", SortKey: "updateTime", SortDir: "DESC", WorkspaceID: "0"})
			if err == nil && len(im) != 1 {
				t.Errorf("images %+v", im)
			}
			return err
		}, "GET", "/images",
			"limit=200&name=pytorch&name_fuzzy_match=false&namespace=atelier&service_type=DEV&sort_dir=DESC&sort_key=updateTime&type=BUILD_IN&workspace_id=0",
			"", `{"current":0,"data":[{"id":"i1","name":"pytorch"}],"pages":1,"size":1,"total":1}`},
		{"OpenCodeLab", func(ctx context.Context, c *Client) error {
			_, err := c.OpenCodeLab(ctx, model.OpenCodeLabRequest{})
			return err
		}, "POST", "/notebooks/open", "", "{}\n", nb},
		{"ListDevInstances", func(ctx context.Context, c *Client) error {
			l, err := c.ListDevInstances(ctx, DevListOptions{})
			if err == nil && (len(l.Instances) != 1 || l.Instances[0].ID != "DE-1") {
				t.Errorf("list %+v", l)
			}
			return err
		}, "GET", "/demanager/instances", "de_type=Notebook", "", `{"instances":[` + dev + `],"total_count":1}`},
		{"ListDevInstancesFiltered", func(ctx context.Context, c *Client) error {
			_, err := c.ListDevInstances(ctx, DevListOptions{Status: "RUNNING", SortBy: "creation_timestamp", Order: "desc",
				Offset: 5, Limit: 10, PoolID: "p1", WorkspaceID: "0"})
			return err
		}, "GET", "/demanager/instances",
			"de_type=Notebook&limit=10&offset=5&order=desc&pool_id=p1&sortby=creation_timestamp&status=RUNNING&workspace_id=0",
			"", `{"instances":[],"total_count":0}`},
		{"GetDevInstance", func(ctx context.Context, c *Client) error {
			_, err := c.GetDevInstance(ctx, "DE-1")
			return err
		}, "GET", "/demanager/instances/DE-1", "", "", dev},
		{"CreateDevInstance", func(ctx context.Context, c *Client) error {
			_, err := c.CreateDevInstance(ctx, model.CreateDevInstanceRequest{Name: "notebook-d115", ProfileID: "Power-Engine 1.0(python3)",
				Flavor: "modelarts.kat1.xlarge",
				Spec: model.DevCreateSpec{Storage: model.DevStorage{Type: "obs", Location: &model.DevLocation{Path: "/aaaaaaaaa/output/"}},
					AutoStop: &model.DevAutoStopReq{Enable: ptr(true), Duration: ptr(3600)}},
				Workspace: &model.IDRef{ID: "0"}})
			return err
		}, "POST", "/demanager/instances", "",
			`{"name":"notebook-d115","description":"","profile_id":"Power-Engine 1.0(python3)","flavor":"modelarts.kat1.xlarge","spec":{"storage":{"type":"obs","location":{"path":"/aaaaaaaaa/output/"}},"auto_stop":{"enable":true,"duration":3600}},"workspace":{"id":"0"}}` + "\n",
			dev},
		{"ModifyDevInstance", func(ctx context.Context, c *Client) error {
			_, err := c.ModifyDevInstance(ctx, "DE-1", model.ModifyDevInstanceRequest{Description: ptr("This is for test.")})
			return err
		}, "PUT", "/demanager/instances/DE-1", "", `{"description":"This is for test."}` + "\n", dev},
		{"DeleteDevInstance", func(ctx context.Context, c *Client) error {
			return c.DeleteDevInstance(ctx, "DE-1")
		}, "DELETE", "/demanager/instances/DE-1", "", "", `{"instance_id":"DE-1"}`},
		{"DevAction", func(ctx context.Context, c *Client) error {
			r, err := c.DevAction(ctx, "DE-1", model.ActionStart)
			if err == nil && (r.CurrentStatus != "STARTING" || r.PreviousState != "STOPPED") {
				t.Errorf("action response %+v", r)
			}
			return err
		}, "POST", "/demanager/instances/DE-1/action", "", `{"action":"start"}` + "\n",
			`{"current_status":"STARTING","previous_state":"STOPPED"}`},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, tt.answer) })
			if err := tt.call(t.Context(), env.c); err != nil {
				t.Fatalf("call: %v", err)
			}
			reqs := env.rec.all()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tt.method || r.Path != "/v1/"+testProject+tt.path {
				t.Errorf("got %s %s, want %s /v1/…%s", r.Method, r.Path, tt.method, tt.path)
			}
			if r.RawQuery != tt.query {
				t.Errorf("query\n got %q\nwant %q", r.RawQuery, tt.query)
			}
			if string(r.Body) != tt.body {
				t.Errorf("body\n got %q\nwant %q", r.Body, tt.body)
			}
			if got := r.Header.Get("X-Project-Id"); got != testProject {
				t.Errorf("X-Project-Id %q", got)
			}
			if got := r.Header.Get("User-Agent"); got != "matui/"+Version {
				t.Errorf("User-Agent %q", got)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if env.auth.count() != 1 || string(env.auth.bodies[0]) != tt.body {
				t.Errorf("Authenticate calls %d, body seen %q", env.auth.count(), env.auth.bodies)
			}
			if r.Header.Get("Authorization") != testSecret {
				t.Error("authenticator's header not sent")
			}
		})
	}
}

func TestInvalidIDsAndOptionsRejectedLocally(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
	ctx := t.Context()
	for _, id := range []string{"", "..", "a/b", "x?y=1", "a#b", "a\nb"} {
		if _, err := env.c.ShowNotebook(ctx, id); err == nil {
			t.Errorf("ShowNotebook(%q) accepted", id)
		}
		if err := env.c.DeleteDevInstance(ctx, id); err == nil {
			t.Errorf("DeleteDevInstance(%q) accepted", id)
		}
	}
	if _, err := env.c.ListNotebooksPage(ctx, ListNotebooksOptions{Limit: 30}); err == nil {
		t.Error("limit 30 accepted")
	}
	if _, err := env.c.StartNotebook(ctx, "nb1", StartOptions{DurationMs: -5}); err == nil {
		t.Error("duration -5 accepted")
	}
	if n := env.rec.count(); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

// An ID with characters that need escaping travels escaped and is decoded
// back to the same ID by the server.
func TestIDIsEscapedInPath(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
	if _, err := env.c.ShowNotebook(t.Context(), "a b%c"); err != nil {
		t.Fatal(err)
	}
	if got := env.rec.all()[0].Path; got != "/v1/"+testProject+"/notebooks/a b%c" {
		t.Errorf("path %q", got)
	}
}

func TestListNotebooksFollowsPages(t *testing.T) {
	const total = 25
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		off, lim := atoi(q.Get("offset")), atoi(q.Get("limit"))
		var items []string
		for i := off; i < min(off+lim, total); i++ {
			items = append(items, `{"id":"nb`+itoa(i)+`"}`)
		}
		reply(w, 200, `{"current":0,"data":[`+strings.Join(items, ",")+`],"pages":3,"size":10,"total":25}`)
	})
	nbs, err := env.c.ListNotebooks(t.Context(), ListNotebooksOptions{Limit: 10, Feature: FeatureNotebook})
	if err != nil {
		t.Fatal(err)
	}
	if len(nbs) != total || nbs[0].ID != "nb0" || nbs[24].ID != "nb24" {
		t.Fatalf("got %d notebooks", len(nbs))
	}
	var offsets []string
	for _, r := range env.rec.all() {
		q, _ := url.ParseQuery(r.RawQuery)
		offsets = append(offsets, q.Get("offset"))
		if q.Get("limit") != "10" || q.Get("feature") != "NOTEBOOK" {
			t.Errorf("query %q", r.RawQuery)
		}
	}
	if strings.Join(offsets, ",") != ",10,20" {
		t.Errorf("offsets %q, want first page without offset, then 10, 20", offsets)
	}
}

func TestListNotebooksDefaultPageSizeIs50(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, `{"data":[{"id":"a"}],"total":1}`)
	})
	if _, err := env.c.ListNotebooks(t.Context(), ListNotebooksOptions{}); err != nil {
		t.Fatal(err)
	}
	if q := env.rec.all()[0].RawQuery; q != "limit=50" {
		t.Errorf("query %q", q)
	}
}

// A server whose total is too high: it claims 1000 but runs dry at 20.
func TestListNotebooksTotalTooHigh(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		off := atoi(r.URL.Query().Get("offset"))
		if off >= 20 {
			reply(w, 200, `{"data":[],"total":1000}`)
			return
		}
		ids := make([]string, 10)
		for i := range ids {
			ids[i] = fmt.Sprintf(`{"id":"nb-%d"}`, off+i)
		}
		reply(w, 200, `{"data":[`+strings.Join(ids, ",")+`],"total":1000}`)
	})
	nbs, err := env.c.ListNotebooks(t.Context(), ListNotebooksOptions{Limit: 10})
	if err != nil || len(nbs) != 20 {
		t.Fatalf("got %d, %v", len(nbs), err)
	}
	if n := env.rec.count(); n != 3 {
		t.Errorf("%d requests, want 3 (the empty page ends it)", n)
	}
}

// A server whose total is too low stops the listing at total.
func TestListNotebooksTotalTooLow(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		off := atoi(r.URL.Query().Get("offset"))
		ids := make([]string, 10)
		for i := range ids {
			ids[i] = fmt.Sprintf(`{"id":"nb-%d"}`, off+i)
		}
		reply(w, 200, `{"data":[`+strings.Join(ids, ",")+`],"total":15}`)
	})
	nbs, err := env.c.ListNotebooks(t.Context(), ListNotebooksOptions{Limit: 10})
	if err != nil || len(nbs) != 20 || env.rec.count() != 2 {
		t.Fatalf("got %d items in %d requests, %v", len(nbs), env.rec.count(), err)
	}
}

// A server that ignores the offset (the same full page again, a total it
// does not have) is cut off at the repeated page with the items so far and
// ErrPageCap.
func TestListNotebooksRepeatedPage(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, `{"data":[`+strings.Repeat(`{"id":"x"},`, 9)+`{"id":"x"}],"total":"150000"}`)
	})
	nbs, err := env.c.ListNotebooks(t.Context(), ListNotebooksOptions{Limit: 10})
	if !errorsIs(err, ErrPageCap) {
		t.Fatalf("err %v, want ErrPageCap", err)
	}
	if len(nbs) != 10 || env.rec.count() != 2 {
		t.Errorf("%d items in %d requests", len(nbs), env.rec.count())
	}
}

// A server that claims more than MaxListItems is not followed past its
// first page; a large real listing (here 6,000 items, 120 pages — more
// than a fixed page cap of 100 would allow) is followed to the end.
func TestListNotebooksFollowsTotalAndCapsRunaways(t *testing.T) {
	serve := func(total int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			off, lim := atoi(r.URL.Query().Get("offset")), atoi(r.URL.Query().Get("limit"))
			var b strings.Builder
			for i := range lim {
				if off+i >= total {
					break
				}
				if b.Len() > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `{"id":"nb-%d"}`, off+i)
			}
			reply(w, 200, `{"data":[`+b.String()+`],"total":`+strconv.Itoa(total)+`}`)
		}
	}
	env := newEnv(t, serve(6_000))
	nbs, err := env.c.ListNotebooks(t.Context(), ListNotebooksOptions{})
	if err != nil || len(nbs) != 6_000 {
		t.Fatalf("got %d of 6000, %v", len(nbs), err)
	}
	env = newEnv(t, serve(1<<40), func(o *Options) { o.MaxListItems = 1_000 })
	nbs, err = env.c.ListNotebooks(t.Context(), ListNotebooksOptions{})
	if !errorsIs(err, ErrPageCap) || len(nbs) != notebookPageLimit || env.rec.count() != 1 ||
		!strings.Contains(err.Error(), "the server claims 1099511627776 items, more than the 1000") {
		t.Fatalf("runaway: %d items in %d requests, %v", len(nbs), env.rec.count(), err)
	}
}

// A server that lies about its total and wraps around past its real end
// (120 notebooks, total 150,000: offset 150 answers notebooks 30–79 again)
// is not followed for 3,000 pages: the listing stops at the first page
// that adds nothing new, with every real notebook and a clear error.
func TestListNotebooksLyingTotalStopsWhenNothingNew(t *testing.T) {
	const real = 120
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		off, lim := atoi(r.URL.Query().Get("offset")), atoi(r.URL.Query().Get("limit"))
		items := make([]string, lim)
		for i := range items {
			items[i] = fmt.Sprintf(`{"id":"nb-%d"}`, (off+i)%real)
		}
		reply(w, 200, `{"data":[`+strings.Join(items, ",")+`],"total":150000}`)
	})
	nbs, err := env.c.ListNotebooks(t.Context(), ListNotebooksOptions{})
	if !errorsIs(err, ErrPageCap) || !strings.Contains(err.Error(), "the page at offset 150 added no new item") {
		t.Fatalf("err %v", err)
	}
	distinct := map[string]bool{}
	for _, nb := range nbs {
		distinct[nb.ID] = true
	}
	if len(distinct) != real || env.rec.count() != 4 {
		t.Errorf("%d distinct of %d in %d requests, want all in 4", len(distinct), real, env.rec.count())
	}
	// The dashboard's listing keeps them (a listing cut short is partial,
	// not failed) and says why.
	insts, err := env.c.ListInstances(t.Context())
	var pe *PartialError
	if !errors.As(err, &pe) || len(insts) < real {
		t.Errorf("ListInstances: %d instances, %v", len(insts), err)
	}
}

func TestListImagesPages(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		off := atoi(r.URL.Query().Get("offset"))
		n := 200
		if off >= 200 {
			n = 3
		}
		items := make([]string, n)
		for i := range items {
			items[i] = `{"id":"i` + itoa(off+i) + `"}`
		}
		reply(w, 200, `{"data":[`+strings.Join(items, ",")+`],"total":203}`)
	})
	im, err := env.c.ListImages(t.Context(), ImageOptions{})
	if err != nil || len(im) != 203 || im[202].ID != "i202" {
		t.Fatalf("got %d images, %v", len(im), err)
	}
	reqs := env.rec.all()
	if len(reqs) != 2 || reqs[0].RawQuery != "limit=200" || reqs[1].RawQuery != "limit=200&offset=200" {
		t.Errorf("requests %+v", reqs)
	}
}

func TestListFlavorsFollowsOffsetWhenServerPages(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") == "" {
			reply(w, 200, `{"data":[{"id":"a"},{"id":"b"}],"flavors":[{"id":"a"},{"id":"b"}],"total":3}`)
			return
		}
		reply(w, 200, `{"data":[{"id":"c"}],"flavors":[{"id":"c"}],"total":3}`)
	})
	fl, err := env.c.ListFlavors(t.Context(), FlavorOptions{})
	if err != nil || len(fl) != 3 || fl[2].ID != "c" {
		t.Fatalf("got %+v, %v", fl, err)
	}
	if q := env.rec.all()[1].RawQuery; q != "offset=2" {
		t.Errorf("second query %q", q)
	}
}

// One absurdly nested notebook (deeper than encoding/json accepts) spoils
// only its own deep member: the page, and the other generation, list as
// usual.
func TestDeeplyNestedItemSpoilsOnlyItself(t *testing.T) {
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/demanager/instances"):
			reply(w, 200, `{"instances":[{"id":"DE-1","name":"dev","spec":{"annotations":{"x":`+deep+`}}},{"id":"DE-2","name":"dev2"}],"total_count":2}`)
		case strings.HasSuffix(r.URL.Path, "/notebooks") && r.URL.Query().Get("feature") == FeatureNotebook:
			reply(w, 200, `{"data":[{"id":"a","name":"first"},{"id":"b","name":"deep","status":"RUNNING","affinity":`+deep+
				`},{"id":"c","name":"third"}],"total":3}`)
		default:
			reply(w, 200, `{"data":[],"total":0}`)
		}
	})
	insts, err := env.c.ListInstances(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, in := range insts {
		names[in.ID] = in.Name + " " + in.Status
	}
	if len(insts) != 5 || names["b"] != "deep RUNNING" || names["DE-1"] == "" || names["c"] == "" {
		t.Fatalf("listed %v", names)
	}
}
