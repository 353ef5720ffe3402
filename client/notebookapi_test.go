package client

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"matui/model"
)

// The storage, tag, image and pool calls: request shapes (method, path,
// query, exact body) and what the answers decode to.
func TestNotebookAPIRequestShapes(t *testing.T) {
	mount := `{"id":"m1","category":"OBS","mount_path":"/data/wang/","uri":"obs://authoring-test/wang/","status":"MOUNTING"}`
	image := `{"id":"im1","name":"pytorch1_4","status":"INIT","type":"DEDICATED","origin":"IMAGE_SAVE"}`
	cluster := `{"pool_id":"pool-a","status":"ACTIVE","type":"DEDICATED","resource_categories":"GPU","create_at":"1687656452470"}`
	type tc struct {
		name   string
		call   func(ctx context.Context, c *Client) error
		method string
		path   string
		query  string
		body   string
		status int
		answer string
	}
	for _, tt := range []tc{
		{"AttachStorage", func(ctx context.Context, c *Client) error {
			m, err := c.AttachStorage(ctx, "nb1", model.AttachStorageRequest{Category: "OBS", MountPath: "/data/wang/", URI: "obs://authoring-test/wang/"})
			if err == nil && (m.ID != "m1" || m.Status != model.MountMounting) {
				t.Errorf("decoded %+v", m)
			}
			return err
		}, "POST", "/notebooks/nb1/storage", "",
			`{"category":"OBS","mount_path":"/data/wang/","uri":"obs://authoring-test/wang/"}` + "\n", 200, mount},
		{"ListStorage", func(ctx context.Context, c *Client) error {
			ms, err := c.ListStorage(ctx, "nb1")
			if err == nil && (len(ms) != 1 || ms[0].MountPath != "/data/wang/") {
				t.Errorf("decoded %+v", ms)
			}
			return err
		}, "GET", "/notebooks/nb1/storage", "", "", 200, `{"current":1,"data":[` + mount + `],"pages":1,"size":1,"total":1}`},
		{"ShowStorage", func(ctx context.Context, c *Client) error {
			_, err := c.ShowStorage(ctx, "nb1", "m1")
			return err
		}, "GET", "/notebooks/nb1/storage/m1", "", "", 200, mount},
		{"DetachStorage204", func(ctx context.Context, c *Client) error {
			_, err := c.DetachStorage(ctx, "nb1", "m1")
			return err
		}, "DELETE", "/notebooks/nb1/storage/m1", "", "", 204, ""},
		{"AddNotebookTags", func(ctx context.Context, c *Client) error {
			return c.AddNotebookTags(ctx, "nb1", []model.Tag{{Key: "team", Value: "nlp"}})
		}, "POST", "/notebooks/nb1/tags/create", "", `{"tags":[{"key":"team","value":"nlp"}]}` + "\n", 204, ""},
		{"RemoveNotebookTags", func(ctx context.Context, c *Client) error {
			return c.RemoveNotebookTags(ctx, "nb1", []model.Tag{{Key: "team"}})
		}, "DELETE", "/notebooks/nb1/tags/delete", "", `{"tags":[{"key":"team","value":""}]}` + "\n", 204, ""},
		{"RemoveNoTags", func(ctx context.Context, c *Client) error {
			return c.RemoveNotebookTags(ctx, "nb1", nil)
		}, "DELETE", "/notebooks/nb1/tags/delete", "", `{"tags":[]}` + "\n", 204, ""},
		{"ListNotebookTags", func(ctx context.Context, c *Client) error {
			ts, err := c.ListNotebookTags(ctx, "0")
			if err == nil && (len(ts) != 1 || ts[0].Key != "k" || len(ts[0].Values) != 2) {
				t.Errorf("decoded %+v", ts)
			}
			return err
		}, "GET", "/notebooks/tags", "workspace_id=0", "", 200, `{"tags":[{"key":"k","values":["v1","v2"]}]}`},
		{"ListNotebooksByTags", func(ctx context.Context, c *Client) error {
			_, err := c.ListNotebooksPage(ctx, ListNotebooksOptions{Tags: []model.TagFilter{{Key: "team", Value: "nlp"}, {Key: "env", AnyValue: true}}})
			return err
		}, "GET", "/notebooks", "tags=team%7Cnlp%2Cenv", "", 200, `{"current":0,"data":[],"pages":0,"size":10,"total":0}`},
		{"SaveImage", func(ctx context.Context, c *Client) error {
			im, err := c.SaveImage(ctx, "nb1", model.CreateImageRequest{Name: "pytorch1_4", Namespace: "atelier-auto", Tag: "20221223",
				Description: "save from notebook-x21d", WorkspaceID: "0"})
			if err == nil && (im.ID != "im1" || im.Status != model.ImageInit) {
				t.Errorf("decoded %+v", im)
			}
			return err
		}, "POST", "/notebooks/nb1/create-image", "",
			`{"name":"pytorch1_4","namespace":"atelier-auto","tag":"20221223","description":"save from notebook-x21d","workspace_id":"0"}` + "\n", 200, image},
		{"ShowImage", func(ctx context.Context, c *Client) error {
			_, err := c.ShowImage(ctx, "im1")
			return err
		}, "GET", "/images/im1", "", "", 200, image},
		{"ListPools", func(ctx context.Context, c *Client) error {
			ps, err := c.ListPools(ctx, PoolOptions{Type: model.PoolDedicated, Scope: model.PoolScopeNotebook, WorkspaceID: "0"})
			if err == nil && (len(ps) != 1 || ps[0].PoolID != "pool-a" || ps[0].ResourceCategories[0] != "GPU" || ps[0].CreateAt != 1687656452470) {
				t.Errorf("decoded %+v", ps)
			}
			return err
		}, "GET", "/authoring/clusters", "limit=1000&scope=NOTEBOOK&type=DEDICATED&workspace_id=0", "", 200,
			`{"current":1,"data":[` + cluster + `],"pages":1,"size":1000,"total":1}`},
		{"ShowPool", func(ctx context.Context, c *Client) error {
			_, err := c.ShowPool(ctx, "pool-a")
			return err
		}, "GET", "/authoring/clusters/pool-a", "", "", 200, cluster},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, func(w http.ResponseWriter, r *http.Request) { reply(w, tt.status, tt.answer) })
			if err := tt.call(t.Context(), env.c); err != nil {
				t.Fatalf("call: %v", err)
			}
			reqs := env.rec.all()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tt.method || r.Path != "/v1/"+testProject+tt.path || r.RawQuery != tt.query || string(r.Body) != tt.body {
				t.Errorf("got %s %s ?%s %q\nwant %s %s ?%s %q", r.Method, r.Path, r.RawQuery, r.Body, tt.method, tt.path, tt.query, tt.body)
			}
		})
	}
}

func TestNotebookAPILocalChecksSendNothing(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `{}`) })
	ctx := t.Context()
	for name, call := range map[string]func() error{
		"pool type missing": func() error { _, err := env.c.ListPools(ctx, PoolOptions{}); return err },
		"pool type case":    func() error { _, err := env.c.ListPools(ctx, PoolOptions{Type: "dedicated"}); return err },
		"storage id ../":    func() error { _, err := env.c.ShowStorage(ctx, "nb1", "../x"); return err },
		"detach empty id":   func() error { _, err := env.c.DetachStorage(ctx, "nb1", ""); return err },
		"attach bad nb id":  func() error { _, err := env.c.AttachStorage(ctx, "a/b", model.AttachStorageRequest{}); return err },
		"tags bad nb id":    func() error { return env.c.AddNotebookTags(ctx, "..", nil) },
		"save bad nb id":    func() error { _, err := env.c.SaveImage(ctx, "a?b", model.CreateImageRequest{}); return err },
		"pool bad id":       func() error { _, err := env.c.ShowPool(ctx, "p#1"); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := env.rec.count(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// Attach and save are POSTs: after a 5xx, which ModelArts may have acted
// on, they are not repeated (a second mount or image would be created).
func TestNotebookAPIPostsAreNotRetriedAfter5xx(t *testing.T) {
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 503, `{"error_code":"ModelArts.6102","error_msg":"busy"}`)
	})
	ctx := t.Context()
	_, err := env.c.AttachStorage(ctx, "nb1", model.AttachStorageRequest{Category: "OBS", MountPath: "/data/x/", URI: "obs://bkt/x/"})
	if apiErr, ok := asAPIError(err); !ok || apiErr.HTTPStatus != 503 {
		t.Fatalf("attach: %v", err)
	}
	if _, err := env.c.SaveImage(ctx, "nb1", model.CreateImageRequest{Name: "x", Namespace: "ns"}); err == nil {
		t.Fatal("save: no error")
	}
	if n := env.rec.count(); n != 2 {
		t.Fatalf("%d requests for two POSTs, want 2", n)
	}
	// A detach (DELETE) is idempotent and is retried.
	_, err = env.c.DetachStorage(ctx, "nb1", "m1")
	if err == nil || !strings.Contains(err.Error(), "ModelArts.6102") || env.rec.count() != 2+1+DefaultMaxRetries {
		t.Fatalf("detach: %v after %d requests", err, env.rec.count())
	}
}

func TestNotebookAPIErrorKinds(t *testing.T) {
	mk := func(code string) error { return &APIError{HTTPStatus: 400, Code: code} }
	if !IsNotRunning(mk("ModelArts.6327")) || IsNotRunning(mk("ModelArts.6357")) {
		t.Error("IsNotRunning")
	}
	for _, c := range []string{"ModelArts.0113", "ModelArts.0116", "ModelArts.0118", "ModelArts.6302"} {
		if !IsQuotaExceeded(mk(c)) {
			t.Errorf("IsQuotaExceeded(%s)", c)
		}
	}
	if IsQuotaExceeded(mk("ModelArts.6336")) || IsQuotaExceeded(nil) {
		t.Error("IsQuotaExceeded false positives")
	}
	if !IsDuplicate(mk("ModelArts.6737")) || IsDuplicate(mk("APIG.6737")) {
		t.Error("IsDuplicate")
	}
}
