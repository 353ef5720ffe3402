package sshserve

import (
	"context"
	"sync"
)

// inFlight counts work that a shutdown must wait for (sessions, sent
// mutations). The zero value is ready to use.
type inFlight struct {
	mu     sync.Mutex
	n      int
	closed bool          // enter refuses new work
	idle   chan struct{} // closed when n drops to zero; nil while nothing runs
}

// enter counts one more piece of work, unless close has been called.
func (f *inFlight) enter() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false
	}
	f.n++
	if f.idle == nil {
		f.idle = make(chan struct{})
	}
	return true
}

// leave ends one piece of work that enter counted.
func (f *inFlight) leave() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n--; f.n == 0 {
		close(f.idle)
		f.idle = nil
	}
}

// close makes enter refuse from now on.
func (f *inFlight) close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
}

// wait returns when nothing is counted, or ctx's error when it ends first.
func (f *inFlight) wait(ctx context.Context) error {
	f.mu.Lock()
	idle := f.idle
	f.mu.Unlock()
	if idle == nil {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
