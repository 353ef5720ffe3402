package sshserve

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"matui/ui/text"
)

// Results of an audited mutation.
const (
	ResultOK     = "ok"
	ResultError  = "error"
	ResultDenied = "denied" // refused by role before reaching the cloud
)

// Record is one audited mutation: one JSON line in the audit log.
type Record struct {
	Time time.Time `json:"time"`
	// Who acted: the name and fingerprint of the key that authenticated
	// (Identity), and the user name the client asked for, which it chose
	// itself and so identifies nobody.
	Name         string `json:"name"`
	Fingerprint  string `json:"fingerprint"`
	SSHUser      string `json:"ssh_user"`
	Role         string `json:"role"`
	Action       string `json:"action"` // start, stop, delete, renew
	InstanceID   string `json:"instance_id"`
	InstanceName string `json:"instance_name"`
	Detail       string `json:"detail,omitempty"` // e.g. "auto-stop 2h0m0s"
	Result       string `json:"result"`
	Code         string `json:"code,omitempty"` // ModelArts/APIG error code
	Error        string `json:"error,omitempty"`
}

// sanitized is r with every string that came from the network (instance
// names and IDs, error messages and codes from the API) made safe: JSON
// escapes C0 controls but not ESC's 8-bit cousins or bidi controls, and a
// `jq -r` of the file would bring them back to life on a terminal.
func (r Record) sanitized() Record {
	for _, f := range []*string{&r.Name, &r.SSHUser, &r.InstanceID, &r.InstanceName, &r.Detail, &r.Code, &r.Error} {
		*f = text.Sanitize(*f)
	}
	return r
}

// Auditor stores Records. Record must not return before the record is
// durable.
type Auditor interface {
	Record(Record) error
}

// AuditLog appends Records as JSON lines to a file and fsyncs each one.
// It is safe for concurrent use.
type AuditLog struct {
	mu sync.Mutex
	f  *os.File
}

// OpenAuditLog opens (creating with mode 0600) the audit log at path for
// appending.
func OpenAuditLog(path string) (*AuditLog, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return &AuditLog{f: f}, nil
}

// Record appends r and syncs the file. One Write per line keeps lines whole
// under O_APPEND even if another process appends too.
func (l *AuditLog) Record(r Record) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return os.ErrClosed
	}
	if _, err := l.f.Write(line); err != nil {
		return err
	}
	return l.f.Sync()
}

// Close closes the file; later Records fail.
func (l *AuditLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// AuditTrail wraps an Auditor and remembers the most recent records, so a
// dashboard can show them (`:audit`) without reading the log file back. A
// record is remembered only once the wrapped Auditor has stored it.
type AuditTrail struct {
	next Auditor
	mu   sync.Mutex
	ring []Record
	head int // index of the next write
	full bool
}

// NewAuditTrail remembers the last keep records stored through next.
func NewAuditTrail(next Auditor, keep int) *AuditTrail {
	return &AuditTrail{next: next, ring: make([]Record, max(keep, 1))}
}

// Record stores r through the wrapped Auditor, then remembers it.
func (t *AuditTrail) Record(r Record) error {
	if err := t.next.Record(r); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ring[t.head] = r
	t.head = (t.head + 1) % len(t.ring)
	if t.head == 0 {
		t.full = true
	}
	return nil
}

// Recent returns up to n remembered records, newest first.
func (t *AuditTrail) Recent(n int) []Record {
	t.mu.Lock()
	defer t.mu.Unlock()
	size := t.head
	if t.full {
		size = len(t.ring)
	}
	n = min(n, size)
	out := make([]Record, 0, n)
	for i := range n {
		out = append(out, t.ring[(t.head-1-i+len(t.ring))%len(t.ring)])
	}
	return out
}
