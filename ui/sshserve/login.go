package sshserve

import (
	"net"
	"sync"
	"time"

	"charm.land/log/v2"
)

// loginGuard watches connections until they authenticate. A connection
// that has not authenticated within the login timeout is closed (the
// connection idle timeout, meant for sessions, would hold it for half an
// hour), and an address may hold only so many unauthenticated connections
// at once, so the per-address rate limit cannot be turned into a pile of
// open file descriptors by connecting slowly and never logging in.
type loginGuard struct {
	timeout    time.Duration // ≤ 0: none
	maxPending int           // per address
	log        *log.Logger

	mu      sync.Mutex
	pending map[string]int // unauthenticated connections by addrKey
}

func newLoginGuard(timeout time.Duration, maxPending int, logger *log.Logger) *loginGuard {
	return &loginGuard{timeout: timeout, maxPending: maxPending, log: logger, pending: map[string]int{}}
}

// admit counts c as unauthenticated, or refuses it (false) when its address
// already has maxPending such connections.
func (g *loginGuard) admit(c net.Conn) (*pendingConn, bool) {
	key := addrKey(c.RemoteAddr())
	g.mu.Lock()
	if g.pending[key] >= g.maxPending {
		g.mu.Unlock()
		return nil, false
	}
	g.pending[key]++
	g.mu.Unlock()
	pc := &pendingConn{Conn: c, guard: g, key: key}
	if g.timeout > 0 {
		pc.timer = time.AfterFunc(g.timeout, pc.expire)
	}
	return pc, true
}

func (g *loginGuard) release(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.pending[key]--; g.pending[key] <= 0 {
		delete(g.pending, key)
	}
}

// pendingConn is a connection the guard counts until it authenticates or
// closes, whichever comes first.
type pendingConn struct {
	net.Conn
	guard *loginGuard
	key   string
	timer *time.Timer // nil without a login timeout

	once sync.Once // the guard's count is released once
}

// authenticated ends the guard's watch: the session's own timeouts apply
// from now on.
func (c *pendingConn) authenticated() { c.leave() }

func (c *pendingConn) leave() {
	c.once.Do(func() {
		if c.timer != nil {
			c.timer.Stop()
		}
		c.guard.release(c.key)
	})
}

func (c *pendingConn) expire() {
	released := false
	c.once.Do(func() {
		c.guard.release(c.key)
		released = true
	})
	if !released {
		return // authenticated (or closed) just before the timer fired
	}
	c.guard.log.Warn("login timeout", "remote-addr", c.RemoteAddr().String(), "after", c.guard.timeout)
	_ = c.Conn.Close()
}

func (c *pendingConn) Close() error {
	c.leave()
	return c.Conn.Close()
}
