package sshserve

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"matui/ui/text"
)

// keyList is an authorized_keys file. It is re-read on every check so that
// removing a line revokes access for the next connection without a restart.
type keyList string

// authorizedKey is one line of a key list: the key and the name the file
// gives its holder.
type authorizedKey struct {
	key  gossh.PublicKey
	name string
}

// nameOption is the authorized_keys option that names a key's holder:
//
//	name="bob" ssh-ed25519 AAAA… bob@laptop
//
// Without it the line's comment is the name. Either way the name comes from
// the server's file, never from what the client says.
const nameOption = "name"

// keys parses the file; a missing path ("") is an empty list.
func (p keyList) keys() ([]authorizedKey, error) {
	if p == "" {
		return nil, nil
	}
	data, err := os.ReadFile(string(p))
	if err != nil {
		return nil, err
	}
	var out []authorizedKey
	for line := 1; len(data) > 0; line++ {
		var rest []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data, rest = data[:i], data[i+1:]
		} else {
			rest = nil
		}
		l := bytes.TrimSpace(data)
		data = rest
		if len(l) == 0 || l[0] == '#' {
			continue
		}
		k, comment, options, _, err := gossh.ParseAuthorizedKey(l)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", string(p), line, err)
		}
		name := comment
		for _, o := range options {
			if v, ok := strings.CutPrefix(o, nameOption+"="); ok {
				if uq, err := strconv.Unquote(v); err == nil {
					v = uq
				}
				name = v
			}
		}
		out = append(out, authorizedKey{key: k, name: cleanName(name)})
	}
	return out, nil
}

// lookup returns k's line in the list, or the error that keeps the list
// from being read (New already read it once; it may have been edited since).
func (p keyList) lookup(k gossh.PublicKey) (authorizedKey, bool, error) {
	list, err := p.keys()
	if err != nil {
		return authorizedKey{}, false, err
	}
	want := k.Marshal()
	for _, c := range list {
		if bytes.Equal(c.key.Marshal(), want) {
			return c, true, nil
		}
	}
	return authorizedKey{}, false, nil
}

// identify is who key belongs to and what it may do: a key in the viewer
// list is a viewer even if it is also in the operator list (the smaller
// privilege wins a conflict), and is named by that list. An unreadable
// list grants nothing, and an unreadable viewer list refuses every key:
// any of them might be a viewer's, which the operator list must not
// promote.
func (s *Server) identify(k gossh.PublicKey) (Identity, bool) {
	if k == nil {
		return Identity{}, false
	}
	id := Identity{Fingerprint: gossh.FingerprintSHA256(k)}
	c, ok, err := s.viewers.lookup(k)
	if err != nil {
		s.log.Error("viewer keys unreadable: refusing every key", "err", err)
		return Identity{}, false
	}
	if ok {
		id.Name, id.Role = c.name, RoleViewer
		return id, true
	}
	c, ok, err = s.operators.lookup(k)
	if err != nil {
		s.log.Error("operator keys unreadable: refusing operators", "err", err)
		return Identity{}, false
	}
	if ok {
		id.Name, id.Role = c.name, RoleOperator
		return id, true
	}
	return Identity{}, false
}

// maxNameLen bounds a name or user name in logs, the audit log and :audit.
const maxNameLen = 64

// cleanName makes a string someone else chose (an SSH user name, a key
// comment) safe for a terminal, a log line or the audit file: no control
// characters, escape sequences or bidi controls, and not longer than
// maxNameLen runes.
func cleanName(s string) string {
	s = strings.TrimSpace(text.Sanitize(s))
	if r := []rune(s); len(r) > maxNameLen {
		s = string(r[:maxNameLen-1]) + "…"
	}
	return s
}
