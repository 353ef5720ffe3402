package sshserve

import (
	"bytes"
	"fmt"
	"os"

	gossh "golang.org/x/crypto/ssh"
)

// keyList is an authorized_keys file. It is re-read on every check so that
// removing a line revokes access for the next connection without a restart.
type keyList string

// keys parses the file; a missing path ("") is an empty list.
func (p keyList) keys() ([]gossh.PublicKey, error) {
	if p == "" {
		return nil, nil
	}
	data, err := os.ReadFile(string(p))
	if err != nil {
		return nil, err
	}
	var out []gossh.PublicKey
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
		k, _, _, _, err := gossh.ParseAuthorizedKey(l)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", string(p), line, err)
		}
		out = append(out, k)
	}
	return out, nil
}

func (p keyList) contains(k gossh.PublicKey) bool {
	list, err := p.keys()
	if err != nil {
		// An unreadable list grants nothing; New already checked it once.
		return false
	}
	want := k.Marshal()
	for _, c := range list {
		if bytes.Equal(c.Marshal(), want) {
			return true
		}
	}
	return false
}

// roleOf is what key may do: a key in the viewer list is a viewer even if
// it is also in the operator list (the smaller privilege wins a conflict).
func (s *Server) roleOf(k gossh.PublicKey) (Role, bool) {
	if k == nil {
		return RoleViewer, false
	}
	if s.viewers.contains(k) {
		return RoleViewer, true
	}
	if s.operators.contains(k) {
		return RoleOperator, true
	}
	return RoleViewer, false
}
