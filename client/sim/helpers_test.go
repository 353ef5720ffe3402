package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// t0 is the fake clock's start in every test.
var t0 = time.Date(2024, 3, 11, 10, 0, 0, 0, time.UTC)

type tsim struct {
	t   testing.TB
	s   *Server
	clk *ManualClock
	pid string
}

func newSim(t testing.TB, opts Options) *tsim {
	t.Helper()
	clk := NewManualClock(t0)
	opts.Clock = clk
	opts.NoAuth = true
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return &tsim{t: t, s: s, clk: clk, pid: s.Credentials().ProjectID}
}

func (ts *tsim) url(path string) string {
	if strings.HasPrefix(path, "/v1/") || strings.HasPrefix(path, "/v3/") {
		return path
	}
	return "/v1/" + ts.pid + path
}

// do sends one request straight to the handler (no network) and returns
// the status, body and headers.
func (ts *tsim) do(method, path string, body any) (int, []byte, http.Header) {
	ts.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			ts.t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, ts.url(path), r)
	if r != nil {
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	}
	rec := httptest.NewRecorder()
	ts.s.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes(), rec.Header()
}

// ok sends a request that must succeed and decodes its JSON body.
func (ts *tsim) ok(method, path string, body any) map[string]any {
	ts.t.Helper()
	code, b, _ := ts.do(method, path, body)
	if code != http.StatusOK {
		ts.t.Fatalf("%s %s: status %d, body %s", method, path, code, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		ts.t.Fatalf("%s %s: %v in %s", method, path, err, b)
	}
	return m
}

// fail sends a request that must fail with HTTP 400 and the given code; it
// checks the generation's error shape and returns the message.
func (ts *tsim) fail(method, path string, body any, code string) string {
	ts.t.Helper()
	st, b, _ := ts.do(method, path, body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		ts.t.Fatalf("%s %s: %v in %s", method, path, err, b)
	}
	if st != http.StatusBadRequest || m["error_code"] != code {
		ts.t.Fatalf("%s %s: want 400 %s, got %d %s", method, path, code, st, b)
	}
	msgKey := "error_msg"
	if strings.Contains(path, "/demanager/") {
		msgKey = "error_message"
	}
	msg, _ := m[msgKey].(string)
	if msg == "" || len(m) != 2 {
		ts.t.Fatalf("%s %s: want exactly error_code and %s, got %s", method, path, msgKey, b)
	}
	return msg
}

// rejects asserts that a request fails with code and that it changed
// nothing: the instance (and the list) look the same before and after.
func (ts *tsim) rejects(method, path string, body any, code, showPath string) string {
	ts.t.Helper()
	before := ts.raw("GET", showPath)
	msg := ts.fail(method, path, body, code)
	if after := ts.raw("GET", showPath); after != before {
		ts.t.Fatalf("%s %s was rejected but changed state:\nbefore %s\nafter  %s", method, path, before, after)
	}
	return msg
}

func (ts *tsim) raw(method, path string) string {
	ts.t.Helper()
	code, b, _ := ts.do(method, path, nil)
	if code != http.StatusOK {
		ts.t.Fatalf("%s %s: status %d, body %s", method, path, code, b)
	}
	return string(b)
}

func (ts *tsim) advance(d time.Duration) { ts.clk.Advance(d) }

func (ts *tsim) nowMs() int64 { return ts.clk.Now().UnixMilli() }

// findByName returns the ID of the Gen 2 notebook called name (any feature,
// any owner).
func (ts *tsim) nbID(name string) string {
	ts.t.Helper()
	for _, feat := range []string{"NOTEBOOK", "DEFAULT"} {
		m := ts.ok("GET", "/notebooks/all?limit=100&feature="+feat, nil)
		for _, it := range m["data"].([]any) {
			nb := it.(map[string]any)
			if nb["name"] == name {
				return nb["id"].(string)
			}
		}
	}
	ts.t.Fatalf("no notebook %q", name)
	return ""
}

func (ts *tsim) devID(name string) string {
	ts.t.Helper()
	m := ts.ok("GET", "/demanager/instances?de_type=Notebook&show_self=false", nil)
	for _, it := range m["instances"].([]any) {
		d := it.(map[string]any)
		if d["name"] == name {
			return d["id"].(string)
		}
	}
	ts.t.Fatalf("no Gen 1 instance %q", name)
	return ""
}

func num(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

// leaseExpiry is create_at + duration of a rendered lease.
func leaseExpiry(lease map[string]any) int64 { return num(lease["create_at"]) + num(lease["duration"]) }
