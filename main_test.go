package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"strings"
	"testing"

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
