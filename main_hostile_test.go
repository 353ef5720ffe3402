package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"matui/model"
	"matui/model/termsafe/termsafetest"
)

const hostileProject = "0123456789abcdef0123456789abcdef"

// hostileServer answers both generations and the flavor catalog with
// termsafetest.Hostile in every string field of the wire structs (filled by
// reflection, so fields added later are hostile too), and the CodeLab
// listing with an error whose message is hostile.
func hostileServer(t *testing.T) (url, nbID, devID string) {
	t.Helper()
	h := termsafetest.Hostile
	var nb model.Notebook
	termsafetest.Fill(&nb, h)
	// IDs as the client decodes them (JSON carries no invalid UTF-8).
	nb.ID = "nb-1" + strings.ToValidUTF8(h, "\uFFFD")
	var fl model.NotebookFlavor
	termsafetest.Fill(&fl, h) // its ID is the notebook's flavor
	var dev model.DevInstance
	termsafetest.Fill(&dev, h)
	dev.ID = "DE-1" + strings.ToValidUTF8(h, "\uFFFD")
	mustJSON := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	pfx := "/v1/" + hostileProject
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == pfx+"/notebooks" && r.URL.Query().Get("feature") == "DEFAULT":
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"error_code":"ModelArts.6400","error_msg":%s}`, mustJSON("CodeLab "+h))
		case r.URL.Path == pfx+"/notebooks":
			fmt.Fprintf(w, `{"current":0,"data":[%s],"total":1}`, mustJSON(nb))
		case r.URL.Path == pfx+"/notebooks/flavors":
			fmt.Fprintf(w, `{"data":[%s],"total":1}`, mustJSON(fl))
		case r.URL.Path == pfx+"/demanager/instances":
			fmt.Fprintf(w, `{"instances":[%s],"total_count":1}`, mustJSON(dev))
		default:
			w.WriteHeader(404)
			fmt.Fprint(w, `{"error_code":"APIG.0101","error_msg":"no such API"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL, nb.ID, dev.ID
}

func useHostileServer(t *testing.T) (nbID, devID string) {
	clearEnv(t)
	url, nbID, devID := hostileServer(t)
	t.Setenv("MATUI_ENDPOINT", url)
	t.Setenv("HUAWEICLOUD_SDK_PROJECT_ID", hostileProject)
	t.Setenv("HUAWEICLOUD_SDK_AK", "AKHOSTILETEST0000000")
	t.Setenv("HUAWEICLOUD_SDK_SK", "sk-hostile-test-0000000000000000000000000")
	return nbID, devID
}

// Every output of list and get, stdout and stderr, is free of escape
// sequences, control, C1 and bidi characters — raw or JSON-escaped — when
// every string the API sends is hostile; and what is visible survives.
func TestOutputsAgainstAHostileServer(t *testing.T) {
	nbID, devID := useHostileServer(t)
	// The CodeLab failure makes the listing partial: exit 3 unless
	// --allow-partial, which turns it into a warning on stderr.
	var ec exitCode
	if _, _, err := runArgs(t, "list"); !errors.As(err, &ec) || ec.code != exitPartial {
		t.Fatalf("list: a partial listing must exit %d, got %v", exitPartial, err)
	}
	runs := [][]string{
		{"list", "--allow-partial"}, {"list", "-o", "json", "--allow-partial"},
		{"get", nbID}, {"get", nbID, "-o", "json"}, {"get", nbID, "-o", "raw"},
		{"get", devID}, {"get", devID, "-o", "json"}, {"get", devID, "-o", "raw"},
	}
	for _, args := range runs {
		name := strings.Join(args, " ")
		out, errOut, err := runArgs(t, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		termsafetest.AssertSafe(t, name+": stdout", []byte(out))
		termsafetest.AssertSafe(t, name+": stderr", []byte(errOut))
		if !strings.Contains(out, "ok") {
			t.Errorf("%s: nothing visible left:\n%s", name, out)
		}
		if args[0] == "list" && !strings.Contains(errOut, "warning: partial listing") {
			t.Errorf("%s: the CodeLab failure is not on stderr: %q", name, errOut)
		}
	}
	// The JSON forms stay JSON.
	for _, args := range [][]string{{"list", "-o", "json", "--allow-partial"}, {"get", nbID, "-o", "raw"}} {
		out, _, _ := runArgs(t, args...)
		if !json.Valid([]byte(out)) {
			t.Errorf("%v: not JSON:\n%s", args, out)
		}
	}
	// --unsafe-raw is the exact form, on request only.
	out, _, err := runArgs(t, "get", nbID, "-o", "raw", "--unsafe-raw")
	if err != nil || !strings.Contains(out, `\u001b]52`) {
		t.Errorf("--unsafe-raw: %v\n%s", err, out)
	}
	var ue usageError
	if _, _, err := runArgs(t, "get", nbID, "--unsafe-raw"); !errors.As(err, &ue) {
		t.Errorf("--unsafe-raw without -o raw: %v", err)
	}
}

// What main prints on stderr is sanitised: an error that carries network
// text keeps its lines but loses every control sequence.
func TestPrintErrSanitises(t *testing.T) {
	var b strings.Builder
	printErr(&b, fmt.Errorf("first %s\nsecond\r\u202e", termsafetest.Hostile))
	termsafetest.AssertSafe(t, "stderr", []byte(b.String()))
	if b.String() != "matui: first "+termsafetest.Visible+"\nsecond\n" {
		t.Errorf("%q", b.String())
	}
}
