package sshserve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"matui/model"
)

// answers sends keys and requires that want appears in the output written
// after them within d. The renderer redraws only the cells that change, so
// want must be text the keys draw anew (a new screen), not text typed
// onto one.
func (tm *term) answers(t *testing.T, keys, want string, d time.Duration) {
	t.Helper()
	from := len(tm.out.String())
	tm.send(t, keys)
	deadline := time.Now().Add(d)
	for !strings.Contains(tm.out.String()[from:], want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q within %v of sending %q", want, d, keys)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A viewer's window-change storm must not hang the server. The storming
// client is hostile: it never reads its output, so its dashboard soon
// waits for window space. Its connection must still be read — every
// window change taken, the client's leaving noticed and its slot freed —
// and another session keeps answering within a second. Before, the SSH mux
// loop blocked handing over a window change while the relay waited in
// p.Send, the event loop on the renderer, and the renderer for a window
// adjust only that mux loop could read: the connection was never read
// again, and its session slot was held for good.
func TestWindowChangeStormDoesNotHangTheServer(t *testing.T) {
	e := start(t, func(c *Config) { c.MaxSessions = 2 })
	// A project that fills the screen, so that every repaint is large
	// and the storming client's window for output is soon used up.
	e.up.mu.Lock()
	for i := range 300 {
		e.up.items = append(e.up.items, model.Instance{Generation: model.Gen2, ID: fmt.Sprintf("i-%03d", i),
			Name: fmt.Sprintf("notebook-%03d", i), Status: "RUNNING", Class: model.ClassRunning, Flavor: "modelarts.vm.cpu.2u"})
	}
	e.up.mu.Unlock()
	other := e.openTerm(t, e.operator, "other")
	other.waitOutput(t, "alpha")

	client, storm := e.ptySession(t, e.viewer, "storm", 100, 250)
	if _, err := storm.StdoutPipe(); err != nil { // never read
		t.Fatal(err)
	}
	if err := storm.Shell(); err != nil {
		t.Fatal(err)
	}
	// As many window changes as the client can send (they need no reply),
	// large ones.
	const stormSize = 200_000
	var sent atomic.Int64
	stop := make(chan struct{})
	stormed := make(chan struct{})
	go func() {
		defer close(stormed)
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := storm.WindowChange(80+n%40, 200+n%100); err != nil {
				return
			}
			sent.Add(1)
		}
	}()
	// While it storms, the other session answers, again and again (its
	// help opens and closes), until the storm has all been taken.
	deadline := time.Now().Add(30 * time.Second)
	for sent.Load() < stormSize {
		if time.Now().After(deadline) {
			t.Fatalf("the server stopped reading the storming connection after %d window changes", sent.Load())
		}
		other.answers(t, "?", "previous", time.Second)
		other.answers(t, "\x1b", "alpha", time.Second)
	}
	close(stop)

	// The storming client goes: its slot is free for someone else.
	_ = client.Close()
	<-stormed
	waitFor(t, "the storm's slot", func() bool {
		c, err := e.dial(e.operator, "third")
		if err != nil {
			return false
		}
		defer c.Close()
		s, err := c.NewSession()
		if err != nil {
			return false
		}
		out, _ := s.CombinedOutput("")
		return bytes.Contains(out, []byte("alpha"))
	})
}

// A keystroke flood followed by a disconnect leaves nothing behind: input is
// read only as fast as the program takes it, and the reader stops with the
// session. Before, each flooding session left its terminal reader blocked
// handing events to a program that had exited, with the program behind it.
func TestKeystrokeFloodThenDisconnectLeavesNoGoroutines(t *testing.T) {
	e := start(t)
	base := e.goroutineBaseline(t)
	for range 3 {
		tm := e.openTerm(t, e.viewer, "flood")
		tm.waitOutput(t, "alpha")
		var written atomic.Int64
		flooded := make(chan struct{})
		go func() {
			defer close(flooded)
			chunk := bytes.Repeat([]byte("jk"), 8<<10)
			for {
				n, err := tm.in.Write(chunk)
				written.Add(int64(n))
				if err != nil {
					return
				}
			}
		}()
		waitFor(t, "a flood", func() bool { return written.Load() >= 1<<20 })
		tm.close()
		<-flooded
		<-tm.done
	}
	waitFor(t, "goroutines to settle", func() bool { return runtime.NumGoroutine() <= base })
	t.Logf("baseline %d goroutines, now %d", base, runtime.NumGoroutine())
}

// Shutdown right after a storm and a flood ends every session in time.
func TestShutdownAfterStormAndFlood(t *testing.T) {
	e := start(t)
	storm := e.openTerm(t, e.viewer, "storm")
	flood := e.openTerm(t, e.viewer, "flood")
	storm.waitOutput(t, "alpha")
	flood.waitOutput(t, "alpha")
	for i := range 2000 {
		if err := storm.sess.WindowChange(20+i%40, 60+i%100); err != nil {
			t.Fatal(err)
		}
	}
	go func() {
		chunk := bytes.Repeat([]byte("jk"), 8<<10)
		for {
			if _, err := flood.in.Write(chunk); err != nil {
				return
			}
		}
	}()
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shut <- e.srv.Shutdown(ctx)
	}()
	if err := <-shut; err != nil {
		t.Fatalf("shutdown after a storm and a flood: %v", err)
	}
	<-storm.done
	<-flood.done
}

// A connection that does not authenticate is closed at the login timeout,
// whether it never starts the handshake or stalls in authentication; a
// session that did log in is not affected.
func TestLoginTimeout(t *testing.T) {
	e := start(t, func(c *Config) { c.LoginTimeout = 300 * time.Millisecond })
	logged := e.openTerm(t, e.operator, "olivia")
	logged.waitOutput(t, "alpha")

	// Raw TCP, not a word of SSH.
	raw, err := net.Dial("tcp", e.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	_ = raw.SetReadDeadline(time.Now().Add(15 * time.Second))
	if _, err := io.ReadAll(raw); err != nil {
		t.Fatalf("the server did not close a silent connection: %v", err)
	}

	// A real client that has exchanged keys and stalls before it signs.
	// It offers its key only once the server has given up on it.
	_, err = gossh.Dial("tcp", e.addr, &gossh.ClientConfig{
		User: "slow",
		Auth: []gossh.AuthMethod{gossh.PublicKeysCallback(func() ([]gossh.Signer, error) {
			waitFor(t, "the second login timeout", func() bool { return strings.Count(e.logs.String(), "login timeout") >= 2 })
			return []gossh.Signer{e.operator.signer}, nil
		})},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         15 * time.Second,
	})
	if err == nil {
		t.Fatal("a stalled login succeeded")
	}
	// Past the login timeout, the logged-in session still answers.
	defer func() {
		if t.Failed() {
			t.Logf("server log:\n%s\nscreen %q", e.logs.String(), logged.out.String())
		}
	}()
	logged.answers(t, "?", "previous", 10*time.Second)
}

// One address may hold only MaxUnauthenticated connections that have not
// logged in; the next is refused before the handshake, and a slot frees
// when one of them goes.
func TestUnauthenticatedConnectionsPerAddressAreBounded(t *testing.T) {
	e := start(t, func(c *Config) { c.MaxUnauthenticated = 2; c.LoginTimeout = time.Hour })
	banner := func(c net.Conn) bool {
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		b := make([]byte, 4)
		n, _ := io.ReadFull(c, b)
		return n == 4 && string(b) == "SSH-"
	}
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", e.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if !banner(c) {
			t.Fatal("an allowed connection got no SSH banner")
		}
		held = append(held, c)
	}
	third, err := net.Dial("tcp", e.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if banner(third) {
		t.Fatal("a third unauthenticated connection from one address was served")
	}
	if c, err := e.dial(e.operator, "olivia"); err == nil {
		_ = c.Close()
		t.Fatal("logged in past the unauthenticated limit")
	}
	if !strings.Contains(e.logs.String(), "too many unauthenticated connections") {
		t.Fatalf("the refusal is not logged:\n%s", e.logs.String())
	}
	_ = held[0].Close()
	waitFor(t, "a free login slot", func() bool {
		c, err := e.dial(e.operator, "olivia")
		if err == nil {
			_ = c.Close()
		}
		return err == nil
	})
}

// A refused key is logged with the address and its fingerprint, and the
// client's user name is logged without its control characters.
func TestRefusedKeyIsLogged(t *testing.T) {
	e := start(t)
	mallory := newKey(t)
	if c, err := e.dial(mallory, "mal\x1b[31mlory\u202e\u009b2J"); err == nil {
		_ = c.Close()
		t.Fatal("a key on no list logged in")
	}
	logs := e.logs.String()
	fp := gossh.FingerprintSHA256(mallory.signer.PublicKey())
	if !strings.Contains(logs, "authentication refused") || !strings.Contains(logs, fp) ||
		!strings.Contains(logs, "127.0.0.1") || !strings.Contains(logs, "mallory") {
		t.Fatalf("refusal log lacks the address, fingerprint or user:\n%s", logs)
	}
	for _, bad := range []string{"\x1b", "\u202e", "\u009b", `\x1b`, `\u202e`, `\u009b`} {
		if strings.Contains(logs, bad) {
			t.Fatalf("log keeps %q:\n%q", bad, logs)
		}
	}
}

// Identity comes from the key: an operator logging in as "alice" with
// bob's key is bob, by name and fingerprint, in the audit file, :audit and
// the log; the user name it chose is recorded beside, sanitised.
func TestAuditNamesTheKeyNotTheUserName(t *testing.T) {
	bob := newKey(t)
	e := start(t, func(c *Config) {
		line := append(bytes.TrimSpace(bob.line), []byte(" bob\n")...)
		if err := os.WriteFile(c.AuthorizedKeysPath, line, 0o600); err != nil {
			t.Fatal(err)
		}
	})
	fp := gossh.FingerprintSHA256(bob.signer.PublicKey())
	tm := e.openTerm(t, bob, "alice\x1b]0;pwned\x07")
	tm.waitOutput(t, "alpha")
	tm.send(t, "x")
	tm.waitOutput(t, "Stop alpha?")
	tm.send(t, "y")
	r := e.waitAudit(t, 1)[0]
	if r.Name != "bob" || r.Fingerprint != fp || r.SSHUser != "alice" || r.Role != "operator" {
		t.Fatalf("audit record %+v, want bob %s (ssh user alice)", r, fp)
	}
	raw, err := os.ReadFile(filepath.Join(e.dir, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("pwned")) || bytes.Contains(raw, []byte(`\u001b`)) {
		t.Fatalf("audit file keeps the escape sequence: %s", raw)
	}
	// The trail remembers a record right after the file has it.
	waitFor(t, "the :audit trail", func() bool { return len(e.srv.audit.Recent(1)) == 1 })
	from := len(tm.out.String())
	tm.send(t, ":audit\r")
	// (The renderer may skip cells that did not change, spaces included,
	// so the name and the fingerprint are looked for apart.)
	short := strings.TrimPrefix(fp, "SHA256:")[:shortFingerprint]
	defer func() {
		if t.Failed() {
			t.Logf("screen %q", tm.out.String()[from:])
		}
	}()
	waitFor(t, ":audit naming bob", func() bool {
		screen := tm.out.String()[from:]
		return strings.Contains(screen, "bob") && strings.Contains(screen, short)
	})
	if strings.Contains(tm.out.String()[from:], "alice") {
		t.Fatalf(":audit names the SSH user:\n%s", tm.out.String()[from:])
	}
	if logs := e.logs.String(); !strings.Contains(logs, "name=bob") || !strings.Contains(logs, fp) {
		t.Fatalf("the log does not name the key's holder:\n%s", logs)
	}
}
