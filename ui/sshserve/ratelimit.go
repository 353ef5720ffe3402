package sshserve

import (
	"net"
	"sync"

	"golang.org/x/time/rate"
)

// connLimiter limits new connections per remote IP. It runs in the
// server's ConnCallback, before the SSH handshake, so a flood costs no key
// exchange. (wish's ratelimiter middleware runs after authentication and
// needs a module this project does not carry.)
type connLimiter struct {
	rate  rate.Limit
	burst int
	max   int // bound on tracked addresses

	mu  sync.Mutex
	ips map[string]*rate.Limiter
}

func newConnLimiter(r rate.Limit, burst, maxEntries int) *connLimiter {
	return &connLimiter{rate: r, burst: burst, max: maxEntries, ips: map[string]*rate.Limiter{}}
}

// addrKey is what the per-address limits count by: the IP, not the port.
func addrKey(addr net.Addr) string {
	if ta, ok := addr.(*net.TCPAddr); ok {
		return ta.IP.String()
	}
	return addr.String()
}

func (l *connLimiter) allow(addr net.Addr) bool {
	key := addrKey(addr)
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.ips[key]
	if !ok {
		if len(l.ips) >= l.max {
			l.prune()
		}
		lim = rate.NewLimiter(l.rate, l.burst)
		l.ips[key] = lim
	}
	return lim.Allow()
}

// prune forgets addresses whose bucket has refilled (they would get a
// fresh limiter anyway); if every address is active, it forgets them all
// rather than grow without bound — leniency under a wide flood is the
// lesser evil compared with memory exhaustion.
func (l *connLimiter) prune() {
	for k, lim := range l.ips {
		if lim.Tokens() >= float64(l.burst) {
			delete(l.ips, k)
		}
	}
	if len(l.ips) >= l.max {
		clear(l.ips)
	}
}
