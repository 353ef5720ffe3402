package sshserve

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"charm.land/log/v2"
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
		got, ok, _ := list.lookup(c.key.signer.PublicKey())
		if !ok || got.name != c.want {
			t.Errorf("name %q (found %v), want %q", got.name, ok, c.want)
		}
	}
	if _, ok, _ := list.lookup(newKey(t).signer.PublicKey()); ok {
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

// A key on both lists is a viewer; when the viewer list is edited into
// something unreadable, that key is refused, not promoted to operator by
// the list that can still be read. (It was: an unreadable list only
// looked empty.)
func TestUnreadableViewerListPromotesNobody(t *testing.T) {
	both, op := newKey(t), newKey(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	logs := &syncBuf{}
	s := &Server{
		operators: keyList(write("operators", append(append([]byte{}, both.line...), op.line...))),
		viewers:   keyList(write("viewers", both.line)),
		log:       log.New(logs),
	}
	if id, ok := s.identify(both.signer.PublicKey()); !ok || id.Role != RoleViewer {
		t.Fatalf("key on both lists: %+v %v, want a viewer", id, ok)
	}
	write("viewers", append(append([]byte{}, both.line...), "ssh-ed25519 not-base64\n"...))
	for _, k := range []keyPair{both, op} {
		if id, ok := s.identify(k.signer.PublicKey()); ok {
			t.Errorf("with the viewer list unreadable, %s was let in as %s", id.Fingerprint, id.Role)
		}
	}
	if !strings.Contains(logs.String(), "viewer keys unreadable") || !strings.Contains(logs.String(), "viewers:2") {
		t.Errorf("the refusal is not logged with the list's line: %q", logs.String())
	}
}
