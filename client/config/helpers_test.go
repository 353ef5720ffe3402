package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// envOf returns an environment function backed by a map, the only way
// tests feed variables to Resolve.
func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// writeFile writes content to dir/name with the given mode (chmod after
// writing so the umask cannot loosen or tighten it).
func writeFile(t *testing.T, dir, name, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeConfig writes a private config file and returns its path.
func writeConfig(t *testing.T, content string) string {
	t.Helper()
	return writeFile(t, t.TempDir(), "config.yaml", content, 0o600)
}

func mustResolve(t *testing.T, f Flags, env map[string]string) Settings {
	t.Helper()
	s, err := Resolve(f, envOf(env))
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	return s
}

func mustFail(t *testing.T, f Flags, env map[string]string, wants ...string) error {
	t.Helper()
	_, err := Resolve(f, envOf(env))
	if err == nil {
		t.Fatalf("Resolve succeeded, want error containing %q", wants)
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
	return err
}

const (
	testPID  = "0123456789abcdef0123456789abcdef"
	testPID2 = "fedcba9876543210fedcba9876543210"
	testAK   = "AKTESTEXAMPLE0000000"
	testSK   = "SKtestExampleSecretKey0000000000000000000"
)
