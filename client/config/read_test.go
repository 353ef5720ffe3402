//go:build unix

package config

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// --config on something that is not a file is refused at once, naming
// what it is, instead of blocking on a FIFO's open or reading /dev/zero
// until memory runs out; so is a credentials file.
func TestConfigMustBeARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxFileBytes + 1); err != nil { // sparse: no real 1 MiB written
		t.Fatal(err)
	}
	f.Close()
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		fifo:        "is a named pipe (FIFO): it must be a regular file",
		"/dev/zero": "is a character device: it must be a regular file",
		link:        "is a character device: it must be a regular file",
		dir:         "is a directory: it must be a regular file",
		big:         "is larger than 1024 KiB",
	} {
		mustFail(t, Flags{ConfigPath: path}, nil, "config file "+path, want)
	}

	// A config file naming a FIFO as its credentials file.
	cfg := writeConfig(t, "profiles:\n  p:\n    region: eu-de\n    project-id: "+testPID+
		"\n    credentials: {source: file, file: "+fifo+"}\n")
	mustFail(t, Flags{ConfigPath: cfg, Profile: "p"}, nil, "credentials file "+fifo, "named pipe (FIFO)")

	// A symlink to a regular file is a regular file.
	ok := writeConfig(t, "theme: dracula\n")
	okLink := filepath.Join(dir, "ok.yaml")
	if err := os.Symlink(ok, okLink); err != nil {
		t.Fatal(err)
	}
	if s := mustResolve(t, Flags{ConfigPath: okLink}, nil); s.UI.Theme != "dracula" {
		t.Errorf("theme %q", s.UI.Theme)
	}
}
