package formtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Sizes are the terminal sizes the form goldens are taken at.
var Sizes = []struct{ W, H int }{{80, 24}, {120, 40}}

// Golden compares the plain text of view (a form rendered w×h) with
// testdata/<name>_<w>x<h>.golden, or rewrites the file when update is set
// (each test package owns its -update flag). It also checks the view fits.
func Golden(t *testing.T, name string, w, h int, view string, update bool) {
	t.Helper()
	got := ansi.Strip(view)
	lines := strings.Split(got, "\n")
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("%s %dx%d: line %d is %d wide: %q", name, w, h, i, n, l)
		}
	}
	if len(lines) > h {
		t.Errorf("%s %dx%d: %d lines", name, w, h, len(lines))
	}
	file := filepath.Join("testdata", fmt.Sprintf("%s_%dx%d.golden", name, w, h))
	if update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test with -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run with -update to accept):\n--- got\n%s\n--- want\n%s", file, got, want)
	}
}
