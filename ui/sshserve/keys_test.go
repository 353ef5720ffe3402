package sshserve

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A key's holder is named by the key list: a name="…" option wins over
// the comment, and either is cleaned of what a terminal would obey.
func TestKeyListNamesHolders(t *testing.T) {
	carol, dave, eve, anon := newKey(t), newKey(t), newKey(t), newKey(t)
	line := func(k keyPair, prefix, suffix string) string {
		return prefix + string(bytes.TrimSpace(k.line)) + suffix + "\n"
	}
	path := filepath.Join(t.TempDir(), "keys")
	data := "# team\n" +
		line(carol, `name="carol",no-pty `, " laptop") +
		line(dave, "", " dave@host") +
		line(eve, "", " ev\x1b[31mil\u202e"+strings.Repeat("x", 100)) +
		line(anon, "", "")
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	list := keyList(path)
	for _, c := range []struct {
		key  keyPair
		want string
	}{
		{carol, "carol"},
		{dave, "dave@host"},
		{eve, "evil" + strings.Repeat("x", maxNameLen-5) + "…"},
		{anon, ""},
	} {
		got, ok := list.lookup(c.key.signer.PublicKey())
		if !ok || got.name != c.want {
			t.Errorf("name %q (found %v), want %q", got.name, ok, c.want)
		}
	}
	if _, ok := list.lookup(newKey(t).signer.PublicKey()); ok {
		t.Error("a key not in the file was found")
	}
}

func TestWhoNamesKeyAndFingerprint(t *testing.T) {
	id := Identity{Name: "bob", Fingerprint: "SHA256:uqqzW+1RabcdefghijklmnopqrstuvwxyzABCDEFG"}
	if got := id.Who(); got != "bob (uqqzW+1R)" {
		t.Errorf("Who() = %q", got)
	}
	id.Name = ""
	if got := id.Who(); got != "SHA256:uqqzW+1R" {
		t.Errorf("unnamed Who() = %q", got)
	}
}
