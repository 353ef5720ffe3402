package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"matui/client/sim"
	"matui/model"
)

// The commands run against the embedded simulator (no credentials in the
// test environment: every variable matui reads is cleared).
func clearEnv(t *testing.T) {
	for _, k := range []string{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_PROJECT_ID", "OS_ACCESS_KEY",
		"OS_SECRET_KEY", "OS_AUTH_TOKEN", "OS_USERNAME", "OS_PASSWORD", "HW_ACCESS_KEY", "HW_SECRET_KEY",
		"MATUI_ENDPOINT", "MATUI_PROFILE"} {
		t.Setenv(k, "")
	}
	t.Setenv("MATUI_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
}

func runArgs(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func TestListJSONIsTheNormalisedView(t *testing.T) {
	clearEnv(t)
	out, _, err := runArgs(t, "list", "-o", "json", "--gen", "1")
	if err != nil {
		t.Fatal(err)
	}
	var insts []model.Instance
	if err := json.Unmarshal([]byte(out), &insts); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(insts) == 0 {
		t.Fatal("no Gen 1 instances in the demo data")
	}
	for _, in := range insts {
		if in.Generation != model.Gen1 || in.ID == "" || in.Class == "" {
			t.Fatalf("--gen 1 let through %+v", in)
		}
	}
}

func TestGetByNameAndErrors(t *testing.T) {
	clearEnv(t)
	out, _, err := runArgs(t, "get", "dev-gpu-v100", "--sim-seed", "3")
	if err != nil || !strings.Contains(out, "Spec:        V100 ×1") || !strings.Contains(out, "Generation:  gen1") {
		t.Fatalf("get: %v\n%s", err, out)
	}
	if _, _, err := runArgs(t, "get", "no-such-notebook"); err == nil || !strings.Contains(err.Error(), `no instance with ID or name "no-such-notebook"`) {
		t.Fatalf("unknown name: %v", err)
	}
	var ue usageError
	if _, _, err := runArgs(t, "list", "-o", "yaml"); !errors.As(err, &ue) {
		t.Fatalf("a bad -o must be a usage error, got %v", err)
	}
	if _, _, err := runArgs(t, "frobnicate"); !errors.As(err, &ue) {
		t.Fatalf("an unknown command must be a usage error, got %v", err)
	}
	if _, _, err := runArgs(t, "list", "-h"); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h must be recognisable as a help request (exit 0), got %v", err)
	}
}

func TestVersion(t *testing.T) {
	out, _, err := runArgs(t, "version")
	if err != nil || out != "matui "+version+"\n" {
		t.Fatalf("%q %v", out, err)
	}
}

// Flags before the command are a common habit; the error says what to do.
func TestFlagsBeforeCommandSaysCommandFirst(t *testing.T) {
	clearEnv(t)
	_, _, err := runArgs(t, "--sim-seed", "2", "list")
	if err == nil || !strings.Contains(err.Error(), "the command goes first: matui list [flags]") {
		t.Fatalf("got %v", err)
	}
	// Every name isCommand knows is a command run() dispatches.
	for _, c := range []string{"version", "list", "get", "sim", "serve", "help"} {
		if !isCommand(c) {
			t.Errorf("isCommand(%q) = false", c)
		}
		if _, _, err := runArgs(t, c, "-h"); err != nil && !errors.Is(err, flag.ErrHelp) && c != "version" && c != "help" {
			var ue usageError
			if errors.As(err, &ue) && strings.Contains(err.Error(), "unknown command") {
				t.Errorf("%q is not a command run() knows", c)
			}
		}
	}
}

// matui sim --admin=false (README, All users) is a flag of the command:
// it parses, and the argument after it is what is refused.
func TestSimAdminFlag(t *testing.T) {
	clearEnv(t)
	_, _, err := runArgs(t, "sim", "--admin=false", "extra")
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), `unexpected argument "extra"`) {
		t.Fatalf("got %v", err)
	}
}

// A serve limit out of range is refused with the rule, before anything starts.
func TestServeRefusesABadUnauthenticatedLimit(t *testing.T) {
	clearEnv(t)
	_, _, err := runArgs(t, "serve", "--host-key", "k", "--authorized-keys", "a", "--max-unauthenticated", "0")
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--max-unauthenticated must be at least 1, got 0") {
		t.Fatalf("got %v", err)
	}
}

// A simulator speed that is not a finite number above 0 (and within
// sim.MaxSpeed) is a usage error naming the flag, for the connection flag
// and for `matui sim`; sim.Options refuses it too.
func TestSimSpeedValidated(t *testing.T) {
	clearEnv(t)
	for _, v := range []string{"NaN", "nan", "Inf", "-Inf", "+Inf", "0", "-1", "1e9", "fast", ""} {
		for _, args := range [][]string{{"list", "--sim", "--sim-speed", v}, {"sim", "--speed", v}} {
			_, errOut, err := runArgs(t, args...)
			var ue usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), "speed") {
				t.Errorf("%v: %v", args, err)
			}
			if !strings.Contains(errOut+err.Error(), "0 < X ≤") && !strings.Contains(errOut+err.Error(), "greater than 0 and at most") {
				t.Errorf("%v: the allowed range is not said: %v %q", args, err, errOut)
			}
		}
	}
	if _, _, err := runArgs(t, "list", "--sim", "--sim-speed", "2.5", "-o", "json"); err != nil {
		t.Errorf("--sim-speed 2.5: %v", err)
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), -1, 1e9} {
		if _, err := sim.New(sim.Options{Speed: x}); err == nil {
			t.Errorf("sim.New accepted Speed %g", x)
		}
	}
}

// simEnv starts a simulator with opts and points matui's environment at
// it (credentials, endpoint), so `matui list` talks to it over HTTP. wrap,
// when set, sits in front of the simulator.
func simEnv(t *testing.T, opts sim.Options, wrap func(http.Handler) http.Handler) *sim.Server {
	t.Helper()
	clearEnv(t)
	s, err := sim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = s
	if wrap != nil {
		h = wrap(s)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	cr := s.Credentials()
	t.Setenv("MATUI_ENDPOINT", hs.URL)
	t.Setenv("HUAWEICLOUD_SDK_AK", cr.AK)
	t.Setenv("HUAWEICLOUD_SDK_SK", cr.SK)
	t.Setenv("HUAWEICLOUD_SDK_PROJECT_ID", cr.ProjectID)
	t.Setenv("MATUI_REGION", "eu-de")
	return s
}

// A listing that lacks a generation exits with status 3 and says why on
// stderr; what it could list is still a valid JSON array. --allow-partial
// exits 0 with a warning.
func TestListPartialExits3(t *testing.T) {
	simEnv(t, sim.Options{Seed: 1, Faults: "dev.list:malformed=1"}, nil)
	out, stderr, err := runArgs(t, "list", "-o", "json")
	var ec exitCode
	if !errors.As(err, &ec) || ec.code != exitPartial || !strings.Contains(err.Error(), "missing gen1") {
		t.Fatalf("err %v (stderr %q)", err, stderr)
	}
	var insts []model.Instance
	if err := json.Unmarshal([]byte(out), &insts); err != nil || len(insts) == 0 {
		t.Fatalf("stdout is not the JSON array of what was listed: %v\n%s", err, out)
	}
	for _, in := range insts {
		if in.Generation != model.Gen2 {
			t.Fatalf("a Gen 1 instance in a listing whose Gen 1 failed: %+v", in.ID)
		}
	}
	out2, stderr, err := runArgs(t, "list", "-o", "json", "--allow-partial")
	var insts2 []model.Instance
	if err != nil || !strings.Contains(stderr, "warning: partial listing, missing gen1") ||
		json.Unmarshal([]byte(out2), &insts2) != nil || len(insts2) != len(insts) {
		t.Fatalf("--allow-partial: err %v, stderr %q, %d instances (had %d)", err, stderr, len(insts2), len(insts))
	}
	// A complete listing exits 0; so does one where only Gen 2 was asked for.
	if _, _, err := runArgs(t, "list", "--gen", "2"); err != nil {
		t.Fatalf("--gen 2: %v", err)
	}
}

// Rows are written as pages arrive: with the second Gen 2 page held back
// by the server, the first page's rows are already on stdout.
func TestListWritesRowsAsPagesArrive(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	simEnv(t, sim.Options{Seed: 1, Instances: 250}, func(h http.Handler) http.Handler { // 200 Gen 2: 4 pages
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/notebooks") && r.URL.Query().Get("offset") == "50" {
				<-release
			}
			h.ServeHTTP(w, r)
		})
	})
	defer once.Do(func() { close(release) })
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		var errb bytes.Buffer
		err := run(context.Background(), []string{"list", "-o", "jsonl", "--gen", "2"}, pw, &errb)
		pw.CloseWithError(err)
		done <- err
	}()
	sc := bufio.NewScanner(pr)
	sc.Buffer(nil, 1<<20)
	n := 0
	for n < 50 && sc.Scan() {
		var in model.Instance
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		n++
	}
	if n < 50 {
		t.Fatalf("only %d rows before the second page: %v", n, sc.Err())
	}
	once.Do(func() { close(release) })
	for sc.Scan() {
		n++
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n != 200 {
		t.Fatalf("%d rows, want 200", n)
	}
}

// -A lists colleagues' notebooks with their owner (the embedded
// simulator's demo user is an administrator); without it they are hidden.
// A non-administrator's -A is refused with a clear message.
func TestListAllUsers(t *testing.T) {
	clearEnv(t)
	out, _, err := runArgs(t, "list", "-A", "--sim", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var insts []model.Instance
	if err := json.Unmarshal([]byte(out), &insts); err != nil {
		t.Fatal(err)
	}
	owners := map[string]string{}
	for _, in := range insts {
		owners[in.Name] = in.Owner
	}
	if owners["li-wei-dataset-clean"] != "li.wei" || owners["maria-vision-t4"] != "maria.schmidt" {
		t.Fatalf("-A owners: %v", owners)
	}
	out, _, _ = runArgs(t, "list", "--sim")
	if strings.Contains(out, "li-wei-dataset-clean") {
		t.Fatal("a colleague's notebook without -A")
	}
	if out, _, err := runArgs(t, "get", "maria-vision-t4", "--all-users", "--sim"); err != nil || !strings.Contains(out, "maria.schmidt") {
		t.Fatalf("get -A by name: %v\n%s", err, out)
	}

	simEnv(t, sim.Options{Seed: 1, NotAdmin: true}, nil)
	_, _, err = runArgs(t, "list", "-A")
	if err == nil || !strings.Contains(err.Error(), "not an administrator") || !strings.Contains(err.Error(), "without -A") {
		t.Fatalf("non-admin -A: %v", err)
	}
}

// get by ID looks the instance up directly (either generation), and its
// raw output is the API's own JSON, secrets redacted.
func TestGetByID(t *testing.T) {
	clearEnv(t)
	out, _, err := runArgs(t, "list", "--sim", "-o", "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var gen1, gen2 model.Instance
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var in model.Instance
		if err := json.Unmarshal([]byte(l), &in); err != nil {
			t.Fatal(err)
		}
		if in.Generation == model.Gen1 {
			gen1 = in
		} else if in.Status == "RUNNING" {
			gen2 = in
		}
	}
	for _, in := range []model.Instance{gen1, gen2} {
		raw, _, err := runArgs(t, "get", in.ID, "-o", "raw", "--sim")
		var m map[string]any
		if err != nil || json.Unmarshal([]byte(raw), &m) != nil || m["id"] != in.ID {
			t.Fatalf("get %s -o raw: %v\n%s", in.ID, err, raw)
		}
		if tok, ok := m["token"]; ok && tok != model.Redacted {
			t.Fatalf("token not redacted: %v", tok)
		}
	}
	if _, _, err := runArgs(t, "get", "00000000-0000-4000-8000-000000000000", "--sim"); err == nil || !strings.Contains(err.Error(), "no instance") {
		t.Fatalf("unknown ID: %v", err)
	}
	var ue usageError
	if _, _, err := runArgs(t, "list", "extra"); !errors.As(err, &ue) {
		t.Fatalf("an argument to list: %v", err)
	}
}

// Issue 13, item 12: --help and -h print the full usage with the commands;
// a command's -h is headed by it and shows its arguments; an unknown flag
// is reported once; list takes no arguments.
func TestHelpAndFlagErrors(t *testing.T) {
	clearEnv(t)
	for _, h := range []string{"--help", "-h"} {
		out, _, err := runArgs(t, h)
		if err != nil || !strings.Contains(out, "matui list [") || !strings.Contains(out, "matui serve") || !strings.Contains(out, "-sim-speed") {
			t.Errorf("%s: %v\n%s", h, err, out)
		}
	}
	for cmd, want := range map[string]string{"list": "Usage: matui list [-o table|json|jsonl]", "get": "Usage: matui get ID|NAME"} {
		out, errOut, err := runArgs(t, cmd, "--help")
		if !errors.Is(err, flag.ErrHelp) || !strings.HasPrefix(out, want) || !strings.Contains(out, "-o string") || errOut != "" {
			t.Errorf("%s --help: %v, %q / %q", cmd, err, out, errOut)
		}
	}
	out, errOut, err := runArgs(t, "list", "--bogus")
	var ue usageError
	if !errors.As(err, &ue) || out != "" || errOut != "" || strings.Count(err.Error(), "bogus") != 1 ||
		!strings.Contains(err.Error(), "matui list -h") {
		t.Errorf("unknown flag: %v, %q, %q", err, out, errOut)
	}
	if _, _, err := runArgs(t, "list", "extra"); !errors.As(err, &ue) || !strings.Contains(err.Error(), `"extra"`) {
		t.Errorf("extra argument: %v", err)
	}
}

// list --tag asks the service's tags filter (no Gen 1 request: Gen 1 has
// no tags) and lists exactly the notebooks carrying the tag; a bad tag is
// a usage error naming the rule.
func TestListByTag(t *testing.T) {
	var mu sync.Mutex
	var queries []string
	simEnv(t, sim.Options{Seed: 1}, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			queries = append(queries, r.URL.Path+"?"+r.URL.RawQuery)
			mu.Unlock()
			h.ServeHTTP(w, r)
		})
	})
	decode := func(out string) map[string][]model.Tag {
		var insts []model.Instance
		if err := json.Unmarshal([]byte(out), &insts); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		got := map[string][]model.Tag{}
		for _, in := range insts {
			got[in.ID] = in.Tags
		}
		return got
	}
	all, _, err := runArgs(t, "list", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for id, tags := range decode(all) {
		if model.MatchTags(tags, []model.TagFilter{{Key: "team", Value: "nlp"}}) {
			want[id] = true
		}
	}
	if len(want) == 0 {
		t.Fatal("no team=nlp notebook in the demo data")
	}
	mu.Lock()
	queries = nil
	mu.Unlock()
	out, _, err := runArgs(t, "list", "-o", "json", "--tag", "team=nlp")
	if err != nil {
		t.Fatal(err)
	}
	got := decode(out)
	if len(got) != len(want) {
		t.Errorf("--tag team=nlp listed %d, want %d", len(got), len(want))
	}
	for id := range got {
		if !want[id] {
			t.Errorf("%s listed without the tag", id)
		}
	}
	mu.Lock()
	for _, q := range queries {
		if strings.Contains(q, "/demanager/") {
			t.Errorf("a Gen 1 request: %s", q)
		}
		if strings.Contains(q, "/notebooks?") && !strings.Contains(q, "tags=team%7Cnlp") {
			t.Errorf("a listing without the service's filter: %s", q)
		}
	}
	mu.Unlock()
	var ue usageError
	if _, _, err := runArgs(t, "list", "--tag", "_sys_x"); !errors.As(err, &ue) || !strings.Contains(err.Error(), "reserved") {
		t.Errorf("a reserved key: %v", err)
	}
	if _, _, err := runArgs(t, "list", "--tag", "team", "--gen", "1"); !errors.As(err, &ue) {
		t.Errorf("--tag with --gen 1: %v", err)
	}
}

// matui serve listens before it says it serves: an address in use is an
// error of its own, with no "serving" line before it (there was one); a
// session limit below 1 and an empty address are usage errors, not the
// default in disguise.
func TestServeRefusesWhatItCannotServeOn(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	keys := filepath.Join(dir, "operators")
	if err := os.WriteFile(keys, gossh.MarshalAuthorizedKey(sshPub), 0o600); err != nil {
		t.Fatal(err)
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	serve := []string{"serve", "--host-key", filepath.Join(dir, "host_ed25519"), "--authorized-keys", keys}
	_, errOut, err := runArgs(t, append(serve, "--listen", taken.Addr().String())...)
	if err == nil || !strings.Contains(err.Error(), "--listen: ") || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("serving on a taken address: %v", err)
	}
	if strings.Contains(errOut, "serving") {
		t.Fatalf("said it was serving before the listen failed:\n%s", errOut)
	}
	var ue usageError
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-sessions", "0"}, "--max-sessions must be at least 1, got 0"},
		{[]string{"--max-sessions", "-3"}, "--max-sessions must be at least 1, got -3"},
		{[]string{"--listen", ""}, "--listen needs an address"},
	} {
		if _, _, err := runArgs(t, append(serve, tt.args...)...); !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want a usage error %q", tt.args, err, tt.want)
		}
	}
}
