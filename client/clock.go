package client

import (
	"net/http"
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
type serverClock struct {
	offset atomic.Int64 // nanoseconds
	known  atomic.Bool
}

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
	sc.offset.Store(int64(d.Add(500 * time.Millisecond).Sub(mid)))
	sc.known.Store(true)
}

// ServerNow is the local clock corrected by the offset learnt from the last
// response's Date header; before the first response it is the local clock.
func (c *Client) ServerNow() time.Time {
	return c.now().Add(c.ClockOffset())
}

// ClockOffset is server time − local time as last observed (0 if unknown).
func (c *Client) ClockOffset() time.Duration {
	return time.Duration(c.clock.offset.Load())
}

// ClockKnown reports whether a Date header has been seen yet.
func (c *Client) ClockKnown() bool { return c.clock.known.Load() }
