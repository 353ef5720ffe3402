package sshserve

import (
	"github.com/charmbracelet/ssh"
)

// The session's terminal (ssh.Session.Pty) is not safe to read while the
// client sends window changes: the SSH library writes the size into the
// same struct from its request loop without a lock, so every call of Pty
// during a window-change storm is a data race. The terminal is therefore
// taken once, in that request loop itself, when the PTY is set up, and
// read from the connection's context after.

// sessionPty is a session's terminal as the client asked for it, and the
// channel its window changes arrive on.
type sessionPty struct {
	ssh.Pty
	resizes <-chan ssh.Window
}

// ptyKey finds a session's sessionPty in the connection's context (a
// connection may carry several sessions).
type ptyKey struct{ sess ssh.Session }

// capturePty wraps the PTY handler that emulates a terminal (the server's
// default) so that it also records the session's terminal. It runs in the
// session's request loop, where reading the terminal races with nothing.
func capturePty() ssh.PtyHandler {
	var emulating ssh.Server
	_ = ssh.EmulatePty()(&emulating)
	emulate := emulating.PtyHandler
	return func(ctx ssh.Context, sess ssh.Session, pty ssh.Pty) (func() error, error) {
		closer, err := emulate(ctx, sess, pty)
		if err != nil {
			return closer, err
		}
		p, resizes, _ := sess.Pty()
		ctx.SetValue(ptyKey{sess}, sessionPty{Pty: p, resizes: resizes})
		return closer, nil
	}
}

// ptyOf returns the session's terminal; false for a session without one
// (ssh -T, ssh host command).
func ptyOf(sess ssh.Session) (sessionPty, bool) {
	p, ok := sess.Context().Value(ptyKey{sess}).(sessionPty)
	return p, ok
}
