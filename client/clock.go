package client

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// serverClock holds the latest estimate of server time − local time.
//
// Countdowns (lease expiry, Gen 1 stop_timestamp) are absolute server times,
// so a laptop whose clock is a few minutes off would show wrong remaining
// times; every response's Date header corrects that.
//
// Estimate: Date has one-second resolution and is truncated, so the server's
// true time when it wrote the header lies in [Date, Date+1s); we take
// Date+500ms. The local reference is the midpoint between sending the
// request and receiving the response headers, which halves the error that
// network latency adds compared with using the receive time alone. The last
// sample wins: there is no smoothing because a single sample is already
// accurate to about a second, which is all a countdown needs, and it adapts
// at once when the local clock is changed.
//
// The rate: a simulator run with --speed 20 has a clock that runs twenty
// times faster than the local one. A countdown ticking in local seconds
// would then crawl between polls and jump at each; so once the samples
// span rateWindow of local time, the clock also estimates how fast server
// time runs, and predicts it at that rate from the last sample. A real
// service runs at rate 1: only a ratio far outside Date's one-second
// jitter (rateTolerance) is believed.
type serverClock struct {
	offset atomic.Int64 // nanoseconds
	known  atomic.Bool

	mu sync.Mutex
	// first and last are (local, server) samples; rate is server seconds
	// per local second, 1 unless measured otherwise.
	firstLocal, firstServer time.Time
	lastLocal, lastServer   time.Time
	rate                    float64
	pending                 float64 // a rate measured once, waiting for a second window to agree
}

const (
	// rateWindow is how much local time the samples must span before a
	// rate other than 1 is believed.
	rateWindow = 10 * time.Second
	// rateTolerance: a measured rate within [1/x, x] is taken as 1 (Date
	// has one-second resolution, so short spans measure 1 ± 10%).
	rateTolerance = 1.5
)

// observe records one response. sent and received are local times.
func (sc *serverClock) observe(h http.Header, sent, received time.Time) {
	v := h.Get("Date")
	if v == "" {
		return
	}
	d, err := http.ParseTime(v)
	if err != nil {
		return // a proxy's garbage must not move the clock
	}
	mid := sent.Add(received.Sub(sent) / 2)
	server := d.Add(500 * time.Millisecond)
	sc.offset.Store(int64(server.Sub(mid)))

	sc.mu.Lock()
	defer sc.mu.Unlock()
	if !sc.known.Load() || mid.Before(sc.lastLocal) {
		sc.firstLocal, sc.firstServer, sc.rate, sc.pending = mid, server, 1, 0
	} else if span := mid.Sub(sc.firstLocal); span >= rateWindow {
		r := float64(server.Sub(sc.firstServer)) / float64(span)
		if r > 1/rateTolerance && r < rateTolerance {
			r = 1
		}
		switch {
		case near(r, sc.rate):
			sc.pending = 0
		case sc.pending != 0 && near(r, sc.pending):
			// A second window agrees: the server's clock does run at r.
			sc.rate, sc.pending = r, 0
		default:
			// One window is not believed (a proxy's own Date, a server
			// restarted): measure again from here.
			sc.pending = r
		}
		sc.firstLocal, sc.firstServer = mid, server
	}
	sc.lastLocal, sc.lastServer = mid, server
	sc.known.Store(true)
}

// near reports whether two rates agree within rateTolerance.
func near(a, b float64) bool { return a > 0 && b > 0 && a/b > 1/rateTolerance && a/b < rateTolerance }

// at is the server time at local time now.
func (sc *serverClock) at(now time.Time) time.Time {
	if !sc.known.Load() {
		return now
	}
	sc.mu.Lock()
	rate, ll, ls := sc.rate, sc.lastLocal, sc.lastServer
	sc.mu.Unlock()
	if rate == 1 {
		return now.Add(time.Duration(sc.offset.Load()))
	}
	return ls.Add(time.Duration(rate * float64(now.Sub(ll))))
}

// ServerNow is the local clock corrected by the offset learnt from the last
// response's Date header (and, for a simulator whose clock runs fast, by
// its rate); before the first response it is the local clock.
func (c *Client) ServerNow() time.Time {
	return c.clock.at(c.now())
}

// ClockOffset is server time − local time as last observed (0 if unknown).
func (c *Client) ClockOffset() time.Duration {
	return time.Duration(c.clock.offset.Load())
}

// ClockKnown reports whether a Date header has been seen yet.
func (c *Client) ClockKnown() bool { return c.clock.known.Load() }
